// Wall-clock arithmetic for a node's IANA time zone, from the runtime's own tz database (Intl), because vzdump
// names backup files after the node's local time and /nodes/{node}/time reports local seconds.

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
    });
    formatters.set(timeZone, f);
  }
  return f;
}

export interface WallClock {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
}

export function wallClock(epochSec: number, timeZone: string): WallClock {
  const parts: Record<string, number> = {};
  for (const p of formatter(timeZone).formatToParts(new Date(epochSec * 1000))) {
    if (p.type !== 'literal') parts[p.type] = Number(p.value);
  }
  return { year: parts.year, month: parts.month, day: parts.day, hour: parts.hour, minute: parts.minute, second: parts.second };
}

function exactOffset(epochSec: number, timeZone: string): number {
  const w = wallClock(epochSec, timeZone);
  return Date.UTC(w.year, w.month - 1, w.day, w.hour, w.minute, w.second) / 1000 - Math.floor(epochSec);
}

const offsetCache = new Map<string, number>();

/**
 * Seconds the zone is ahead of UTC at that instant. Intl is slow and a 10,000-guest history asks this tens of
 * thousands of times, so offsets are cached per hour; an hour that contains a change is computed exactly.
 */
export function utcOffset(epochSec: number, timeZone: string): number {
  const hour = Math.floor(epochSec / 3600);
  const key = `${timeZone}|${hour}`;
  let known = offsetCache.get(key);
  if (known === undefined) {
    const start = exactOffset(hour * 3600, timeZone);
    known = start === exactOffset(hour * 3600 + 3599, timeZone) ? start : NaN;
    if (offsetCache.size > 50_000) offsetCache.clear();
    offsetCache.set(key, known);
  }
  return Number.isNaN(known) ? exactOffset(epochSec, timeZone) : known;
}

const pad = (n: number, width = 2): string => String(n).padStart(width, '0');

/** vzdump's file-name stamp: YYYY_MM_DD-HH_MM_SS in the node's local time. */
export function vzdumpStamp(epochSec: number, timeZone: string): string {
  const d = new Date((epochSec + utcOffset(epochSec, timeZone)) * 1000);
  return `${d.getUTCFullYear()}_${pad(d.getUTCMonth() + 1)}_${pad(d.getUTCDate())}-${pad(d.getUTCHours())}_${pad(d.getUTCMinutes())}_${pad(d.getUTCSeconds())}`;
}
