// The calendar as iCalendar (RFC 5545), for Thunderbird, Outlook and Google Calendar: one VEVENT per run, a band of
// dense runs as one event spanning it. Written by hand: the format is small, and every byte of it is specified
// (CRLF, folding at 75 octets, TEXT escaping), so the output is exact and needs no dependency.
import { checkCalendarRange, entryStart, localDayFinder, CALENDAR_MAX_RANGE_SECONDS, type CalendarData, type CalendarEntry, type CalendarRoutine } from '../calendar';

export interface IcsOptions {
  /** DTSTAMP: when the file was made (epoch seconds). */
  now: number;
  /** The range asked for, when the data covers more (icsRange): single runs outside it are left out, a band that
   * reaches into it is kept whole. */
  range?: { from: number; to: number };
}

/**
 * The range to compute for an .ics export of [from, to): widened to whole local days in `timeZone`, so that every
 * band is formed and counted over its whole day, as its UID says (eventUid). A range starting inside a day would
 * otherwise cut that day's bands: one could start later, fall under the band size, or lose its place among the day's
 * bands, and a re-import would add it as a new event. Checks the range asked for (CalendarRangeError) before
 * widening it, and allows the widening. Pass `{ range: { from, to } }` to calendarToIcs.
 */
export function icsRange(from: number, to: number, timeZone: string): { from: number; to: number; maxRangeSeconds: number } {
  checkCalendarRange(from, to);
  const slack = 2 * 86_400; // a local day lasts at most 26 hours; one on each side
  let dayOf: ReturnType<typeof localDayFinder>;
  try {
    dayOf = localDayFinder(timeZone);
  } catch {
    return { from, to, maxRangeSeconds: CALENDAR_MAX_RANGE_SECONDS }; // an unknown zone: the calendar says so
  }
  return { from: dayOf(from).start, to: dayOf(to - 1).end, maxRangeSeconds: CALENDAR_MAX_RANGE_SECONDS + slack };
}

const PRODID = '-//Proxbox//Proxbox backup calendar//EN';

/** 20261124T020000Z */
export function icsUtc(epoch: number): string {
  return new Date(epoch * 1000).toISOString().replace(/\.\d{3}Z$/, 'Z').replace(/[-:]/g, '');
}

/** A TEXT value (RFC 5545 §3.3.11): backslash, semicolon and comma escaped, newlines as \n. Other control
 * characters are not allowed in a content line and become spaces. */
export function icsText(value: string): string {
  return value
    .replace(/\\/g, '\\\\').replace(/;/g, '\\;').replace(/,/g, '\\,')
    .replace(/\r\n|\r|\n/g, '\\n')
    // eslint-disable-next-line no-control-regex
    .replace(/[\u0000-\u0008\u000a-\u001f\u007f]/g, ' ');
}

/** Folds a content line to at most 75 octets (§3.1): continuation lines start with one space, and a UTF-8
 * sequence is never split. */
export function foldLine(line: string): string {
  const out: string[] = [];
  let current = '';
  let octets = 0;
  for (const ch of line) {
    const size = Buffer.byteLength(ch, 'utf8');
    if (octets + size > 75) {
      out.push(current);
      current = ' ';
      octets = 1;
    }
    current += ch;
    octets += size;
  }
  out.push(current);
  return out.join('\r\n');
}

/** A UID part that needs no escaping: ids percent-encoded down to letters, digits and `-_.`. */
function uidPart(text: string): string {
  return encodeURIComponent(text).replace(/[!'()*~]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`).replace(/%/g, '=');
}

/** What a source is, in words; sources without a kind are PVE backup jobs (the calendar's first and default kind). */
export function sourceKindWords(r: CalendarRoutine): string {
  const kind = (r as CalendarRoutine & { kind?: string }).kind;
  switch (kind) {
    case undefined: case 'backup': return 'backup job';
    case 'replication': return 'replication job';
    case 'prune': return 'PBS prune job';
    case 'gc': return 'PBS garbage collection';
    case 'verify': return 'PBS verify job';
    case 'sync': return 'PBS sync job';
    case 'custom': return 'custom entry';
    default: return `${kind} job`;
  }
}

/** The stable identity of one event: the same run exported twice (or from two ranges) has the same UID, so a
 * re-import updates the event instead of adding a copy. A run is named by its instant. A band is named by its local
 * day and its place among that routine's bands of that whole day (icsRange computes whole days), not by its first
 * run, which a range starting inside the band would move. Exports in two zones cut days at different midnights: their
 * bands differ, and a band keeps its UID only when the day holds the same number of bands in both. */
export function eventUid(r: CalendarRoutine, e: CalendarEntry, band?: { date: string; nth: number }): string {
  const what = e.kind === 'run' || !band ? `${e.kind}-${entryStart(e)}` : `band-${band.date}-${band.nth}`;
  return `${what}.${uidPart(r.endpointId)}.${uidPart(r.routineId)}@proxbox`;
}

function describe(r: CalendarRoutine, e: CalendarEntry): string {
  const lines = [
    `${sourceKindWords(r)}: ${r.routineId}`,
    `Endpoint: ${r.endpointName} (${r.endpointId})`,
    `Schedule: ${r.schedule}${r.description ? ` — ${r.description}` : ''}`,
  ];
  if (!r.enabled) lines.push('Disabled in Proxmox');
  if (r.status === 'stale') lines.push('Gone from Proxmox since an earlier sync (stale)');
  if (e.kind === 'run') {
    if (e.outcome) lines.push(`Outcome: ${e.outcome}${e.failedGuests ? ` (${e.failedGuests} guest${e.failedGuests === 1 ? '' : 's'} failed)` : ''}`);
  } else {
    lines.push(`Runs: ${e.count}${e.every ? `, every ${Math.round(e.every / 60)} min` : ''}`);
    if (e.outcomes) {
      const counts = Object.entries(e.outcomes).map(([o, n]) => `${n} ${o}`).join(', ');
      if (counts) lines.push(`Past runs: ${counts}${e.worst ? ` (worst: ${e.worst})` : ''}`);
    }
  }
  return lines.join('\n');
}

/** The whole calendar as one VCALENDAR: every run of every day, in day order. Jobs that will not run (disabled, or
 * gone from Proxmox) are left out: a calendar app subscribed to the feed would show runs that never happen. */
export function calendarToIcs(data: CalendarData, options: IcsOptions): string {
  const byKey = new Map(data.routines.map((r) => [r.key, r]));
  const lines = ['BEGIN:VCALENDAR', 'VERSION:2.0', `PRODID:${PRODID}`, 'CALSCALE:GREGORIAN', 'METHOD:PUBLISH', 'X-WR-CALNAME:Proxbox backups'];
  const stamp = icsUtc(options.now);
  const asked = options.range;
  const inRange = (e: CalendarEntry): boolean => !asked
    || (e.kind === 'run' ? e.at >= asked.from && e.at < asked.to : e.end >= asked.from && e.start < asked.to);
  for (const day of data.days) {
    const bandsSoFar = new Map<string, number>();
    for (const e of day.entries) {
      const r = byKey.get(e.routine);
      if (!r || !r.enabled || r.status !== 'active') continue;
      // Counted before the range is applied: a band's place is among all of its day's bands.
      const nth = e.kind === 'band' ? (bandsSoFar.get(e.routine) ?? 0) + 1 : 0;
      if (e.kind === 'band') bandsSoFar.set(e.routine, nth);
      if (!inRange(e)) continue;
      lines.push('BEGIN:VEVENT', `UID:${eventUid(r, e, { date: day.date, nth })}`, `DTSTAMP:${stamp}`, `DTSTART:${icsUtc(entryStart(e))}`);
      if (e.kind === 'band') lines.push(`DTEND:${icsUtc(e.end)}`);
      const summary = `${r.label} (${sourceKindWords(r)}${e.kind === 'band' ? `, ${e.count} runs` : ''})`;
      lines.push(`SUMMARY:${icsText(summary)}`, `DESCRIPTION:${icsText(describe(r, e))}`, `CATEGORIES:${icsText(sourceKindWords(r))}`);
      lines.push('TRANSP:TRANSPARENT', 'END:VEVENT');
    }
  }
  lines.push('END:VCALENDAR');
  return lines.map(foldLine).join('\r\n') + '\r\n';
}
