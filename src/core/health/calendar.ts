// The backup calendar's data: every scheduled run of every routine over a visible range, grouped by local day,
// with dense runs collapsed into bands. Pure: no clock, no I/O, no vscode; the schedule engine is passed in, so the
// same code runs in the extension host, the CLI and the tests.

/** The part of a parsed schedule the calendar needs (structurally the schedule engine's `Schedule`). */
export interface OccurrenceSource {
  between(from: number, to: number, tz: string, limit?: number): number[];
  describe(): string;
}

export type ParseSchedule = (text: string) => OccurrenceSource;

export interface CalendarRoutineInput {
  endpointId: string;
  endpointName: string;
  routineId: string;
  /** What the legend shows: the routine's comment, or its id when it has none. */
  label: string;
  scheduleText: string;
  /** The zone Proxmox evaluates the schedule in (the node's zone); undefined when the sync could not learn it. */
  timezone: string | undefined;
  enabled: boolean;
  status: 'active' | 'stale';
}

export interface CalendarOptions {
  /** Visible range in epoch seconds, from <= t < to. */
  from: number;
  to: number;
  /** The viewer's zone: runs are grouped by the local day they fall on there. */
  timeZone: string;
  parse: ParseSchedule;
  /** Runs closer together than this (seconds) within one day may form a band. */
  bandMaxGapSeconds?: number;
  /** A group needs at least this many runs to become a band; fewer stay single entries. */
  bandMinRuns?: number;
  /** Safety stop for pathological schedules (a run every second); the routine is then marked truncated. */
  maxRunsPerRoutine?: number;
}

export const CALENDAR_PALETTE_SIZE = 12;
/** The widest range one request may ask for: a six-week month grid plus slack for DST days. */
export const CALENDAR_MAX_RANGE_SECONDS = 63 * 86_400;
const DEFAULTS = { bandMaxGapSeconds: 2 * 3600, bandMinRuns: 4, maxRunsPerRoutine: 100_000 };

export interface CalendarRoutine {
  key: string;
  endpointId: string;
  endpointName: string;
  routineId: string;
  label: string;
  schedule: string;
  /** The schedule in plain words, or undefined when it could not be parsed. */
  description: string | undefined;
  timezone: string;
  /** True when the node's zone was unknown and UTC was assumed. */
  timezoneAssumed: boolean;
  enabled: boolean;
  status: 'active' | 'stale';
  color: number;
  runs: number;
  /** Runs stopped at maxRunsPerRoutine: later runs in the range are not shown. */
  truncated: boolean;
  error: string | undefined;
}

export type CalendarEntry =
  | { kind: 'run'; routine: string; at: number }
  | { kind: 'band'; routine: string; start: number; end: number; count: number; every: number | null };

export interface CalendarDay {
  /** Local date in the viewer's zone, YYYY-MM-DD. */
  date: string;
  /** Sorted by start time, then routine key. */
  entries: CalendarEntry[];
}

export interface CalendarData {
  from: number;
  to: number;
  timeZone: string;
  routines: CalendarRoutine[];
  days: CalendarDay[];
  totalRuns: number;
}

export class CalendarRangeError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'CalendarRangeError';
  }
}

export function routineKey(endpointId: string, routineId: string): string {
  return `${endpointId}/${routineId}`;
}

/** Maps an instant to its local date (YYYY-MM-DD) in a zone. Every zone offset in use is a multiple of 15 minutes,
 * so a local date never changes inside an aligned 15-minute block; the keyer finds each day's first and last block
 * by binary search and then answers from that interval, so a day costs about 15 Intl calls instead of one per run. */
export function localDateKeyer(timeZone: string): (epochSeconds: number) => string {
  const format = new Intl.DateTimeFormat('en-US', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' });
  const blockKeys = new Map<number, string>();
  const keyOfBlock = (block: number): string => {
    let key = blockKeys.get(block);
    if (key === undefined) {
      const parts = format.formatToParts(new Date(block * 900_000));
      const part = (type: string) => parts.find((p) => p.type === type)?.value ?? '';
      key = `${part('year')}-${part('month')}-${part('day')}`;
      blockKeys.set(block, key);
    }
    return key;
  };
  // A local day lasts at most 26 hours (104 blocks), so these bounds always lie on other days.
  const SPAN = 104;
  const days: { first: number; end: number; key: string }[] = [];
  let last: { first: number; end: number; key: string } | undefined;
  return (t) => {
    const block = Math.floor(t / 900);
    if (last && block >= last.first && block < last.end) return last.key;
    const known = days.find((d) => block >= d.first && block < d.end);
    if (known) {
      last = known;
      return known.key;
    }
    const key = keyOfBlock(block);
    let lo = block - SPAN;
    let hi = block; // first block of the day: keys before it differ, keys from it up to `block` match
    while (hi - lo > 1) {
      const mid = Math.floor((lo + hi) / 2);
      if (keyOfBlock(mid) === key) hi = mid;
      else lo = mid;
    }
    const first = hi;
    lo = block;
    hi = block + SPAN; // first block of the next day
    while (hi - lo > 1) {
      const mid = Math.floor((lo + hi) / 2);
      if (keyOfBlock(mid) === key) lo = mid;
      else hi = mid;
    }
    last = { first, end: hi, key };
    days.push(last);
    return key;
  };
}

/** Collapses one routine's sorted runs into entries per local day: a dense stretch (gaps <= maxGap, at least minRuns
 * runs) becomes one band, anything sparser stays as single runs. Bands never cross midnight, so every day cell
 * says what happens on that day. */
export function collapseRuns(
  routine: string,
  runs: readonly number[],
  dayOf: (t: number) => string,
  opts: { maxGapSeconds: number; minRuns: number },
): Map<string, CalendarEntry[]> {
  const byDay = new Map<string, CalendarEntry[]>();
  let i = 0;
  while (i < runs.length) {
    const day = dayOf(runs[i]);
    let j = i + 1;
    while (j < runs.length && runs[j] - runs[j - 1] <= opts.maxGapSeconds && dayOf(runs[j]) === day) j++;
    const entries = byDay.get(day) ?? [];
    if (j - i >= opts.minRuns) {
      entries.push({ kind: 'band', routine, start: runs[i], end: runs[j - 1], count: j - i, every: uniformGap(runs, i, j) });
    } else {
      for (let k = i; k < j; k++) entries.push({ kind: 'run', routine, at: runs[k] });
    }
    byDay.set(day, entries);
    i = j;
  }
  return byDay;
}

function uniformGap(runs: readonly number[], from: number, to: number): number | null {
  const gap = runs[from + 1] - runs[from];
  for (let k = from + 2; k < to; k++) if (runs[k] - runs[k - 1] !== gap) return null;
  return gap;
}

function isValidZone(tz: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: tz });
    return true;
  } catch {
    return false;
  }
}

/** Every run of every routine in [from, to), grouped by the viewer's local day, dense runs collapsed into bands.
 * Disabled and stale routines are computed too (flagged), so the view can show them distinctly or hide them. */
export function buildCalendar(routines: readonly CalendarRoutineInput[], options: CalendarOptions): CalendarData {
  const { from, to, timeZone, parse } = options;
  if (!Number.isFinite(from) || !Number.isFinite(to) || to <= from) {
    throw new CalendarRangeError(`The calendar range is empty or invalid (from ${from} to ${to}); ask for a range whose end is after its start.`);
  }
  if (to - from > CALENDAR_MAX_RANGE_SECONDS) {
    throw new CalendarRangeError(`The calendar range spans ${Math.round((to - from) / 86_400)} days; ask for at most ${CALENDAR_MAX_RANGE_SECONDS / 86_400} days (a month view) at a time.`);
  }
  if (!isValidZone(timeZone)) {
    throw new CalendarRangeError(`The time zone '${timeZone}' is not known; use an IANA zone name such as 'Europe/Berlin' or 'UTC'.`);
  }
  const maxGapSeconds = options.bandMaxGapSeconds ?? DEFAULTS.bandMaxGapSeconds;
  const minRuns = options.bandMinRuns ?? DEFAULTS.bandMinRuns;
  const maxRuns = options.maxRunsPerRoutine ?? DEFAULTS.maxRunsPerRoutine;
  const dayOf = localDateKeyer(timeZone);

  // Colours follow a stable order, so a routine keeps its colour when the range or the filter changes.
  const sorted = [...routines].sort((a, b) =>
    a.endpointId.localeCompare(b.endpointId) || a.routineId.localeCompare(b.routineId));
  const days = new Map<string, CalendarEntry[]>();
  const out: CalendarRoutine[] = [];
  let totalRuns = 0;

  sorted.forEach((input, index) => {
    const key = routineKey(input.endpointId, input.routineId);
    const zoneKnown = input.timezone !== undefined && input.timezone !== '' && isValidZone(input.timezone);
    const zone = zoneKnown ? input.timezone as string : 'UTC';
    const routine: CalendarRoutine = {
      key, endpointId: input.endpointId, endpointName: input.endpointName, routineId: input.routineId,
      label: input.label, schedule: input.scheduleText, description: undefined, timezone: zone,
      timezoneAssumed: !zoneKnown, enabled: input.enabled, status: input.status,
      color: index % CALENDAR_PALETTE_SIZE, runs: 0, truncated: false, error: undefined,
    };
    out.push(routine);
    let runs: number[];
    try {
      const schedule = parse(input.scheduleText);
      routine.description = schedule.describe();
      runs = schedule.between(from, to, zone, maxRuns + 1);
    } catch (e) {
      routine.error = `Schedule '${input.scheduleText}' cannot be read: ${e instanceof Error ? e.message : String(e)}. Fix the job's schedule in Proxmox (Datacenter → Backup), then sync.`;
      return;
    }
    if (runs.length > maxRuns) {
      runs = runs.slice(0, maxRuns);
      routine.truncated = true;
    }
    routine.runs = runs.length;
    totalRuns += runs.length;
    for (const [day, entries] of collapseRuns(key, runs, dayOf, { maxGapSeconds, minRuns })) {
      const list = days.get(day);
      if (list) list.push(...entries);
      else days.set(day, entries);
    }
  });

  const dayList = [...days.entries()]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([date, entries]) => ({ date, entries: entries.sort(byStartThenRoutine) }));
  return { from, to, timeZone, routines: out, days: dayList, totalRuns };
}

function entryStart(e: CalendarEntry): number {
  return e.kind === 'run' ? e.at : e.start;
}

function byStartThenRoutine(a: CalendarEntry, b: CalendarEntry): number {
  return entryStart(a) - entryStart(b) || (a.routine < b.routine ? -1 : a.routine > b.routine ? 1 : 0);
}
