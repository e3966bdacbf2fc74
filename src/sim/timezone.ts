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

/** Seconds the zone is ahead of UTC at that instant. */
export function utcOffset(epochSec: number, timeZone: string): number {
  const w = wallClock(epochSec, timeZone);
  return Date.UTC(w.year, w.month - 1, w.day, w.hour, w.minute, w.second) / 1000 - Math.floor(epochSec);
}

/** The instant at which the zone's clock shows the given wall time (the earlier one in a DST overlap). */
export function fromWallClock(w: Omit<WallClock, 'second'> & { second?: number }, timeZone: string): number {
  const naive = Date.UTC(w.year, w.month - 1, w.day, w.hour, w.minute, w.second ?? 0) / 1000;
  let guess = naive - utcOffset(naive, timeZone);
  guess = naive - utcOffset(guess, timeZone);
  return guess;
}

const pad = (n: number, width = 2): string => String(n).padStart(width, '0');

/** vzdump's file-name stamp: YYYY_MM_DD-HH_MM_SS in the node's local time. */
export function vzdumpStamp(epochSec: number, timeZone: string): string {
  const w = wallClock(epochSec, timeZone);
  return `${w.year}_${pad(w.month)}_${pad(w.day)}-${pad(w.hour)}_${pad(w.minute)}_${pad(w.second)}`;
}
