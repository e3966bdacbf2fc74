// The backup calendar's data: every scheduled run of every routine over a visible range, grouped by local day,
// with dense runs collapsed into bands. Pure: no clock, no I/O, no vscode; the schedule engine is passed in, so the
// same code runs in the extension host, the CLI and the tests.
import { collapseRuns, entryStart, type CalendarEntry } from './bands';
import type { CalendarOutcome } from './outcomes';
import { assignIdentities, compareRoutines, routineKey, type RoutineRef } from './identity';
import { localDateKeyer } from './localDays';
import { outcomeAt, summarizeRuns, worseOutcome, type RunSummary } from './outcomes';
import type { RoutineRun } from '../health/types';
import { fastCronBetween } from './cronRuns';
import { isValidTimeZone } from '../schedule';
import type { CalendarKind } from './kinds';
import { findOverlaps, type CalendarOverlap, type CalendarResource } from './overlaps';

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
  /** What the source is; absent = a PVE backup job. */
  kind?: CalendarKind;
  /** A cron expression (custom entries) rather than a Proxmox calendar event. */
  scheduleKind?: 'calendar' | 'cron';
  /** What it writes to, in words ("datastore store1 on pbs1"), or null. */
  target?: string | null;
  /** Where its runs write: runs of two sources on one resource within the window are overlaps. */
  resources?: readonly CalendarResource[];
  /** A custom entry's own colour ("#rrggbb") and note. */
  customColor?: string;
  note?: string;
  /** Jobs that report only their last run (PBS): that run's end and result. The scheduled run at or before the end
   * carries it; other past runs are unknown. */
  lastRun?: { endedAt: number; outcome: CalendarOutcome; state: string };
  /** Replaces the zone words of the description (PBS: "UTC assumed: PBS runs jobs in the server's local time"). */
  zoneWords?: string;
  /** How to fix an unreadable schedule (where the source is edited). */
  fixHint?: string;
}

export interface CalendarOptions {
  /** Visible range in epoch seconds, from <= t < to. */
  from: number;
  to: number;
  /** The viewer's zone: runs are grouped by the local day they fall on there. */
  timeZone: string;
  parse: ParseSchedule;
  /** Every routine identities are assigned over (all endpoints), so that filtering the calendar to one endpoint never
   * changes how a routine looks. Defaults to the routines asked for. */
  identityOver?: readonly RoutineRef[];
  /** Runs closer together than this (seconds) within one day may form a band. */
  bandMaxGapSeconds?: number;
  /** A group needs at least this many runs to become a band; fewer stay single entries. */
  bandMinRuns?: number;
  /** Safety stop for pathological schedules (a run every second); the routine is then marked truncated. */
  maxRunsPerRoutine?: number;
  /** The instant (epoch seconds) before which runs are past and carry an outcome; without it every run is planned. */
  now?: number;
  /** What backup health recorded, per routineKey: the runs of its history window. A past run without a record here
   * (the routine missing, the run outside the window) gets the outcome 'unknown'. */
  outcomes?: ReadonlyMap<string, readonly RoutineRun[]>;
  /** The engine for cron sources (custom entries); without it a cron source is an error on its routine. */
  parseCron?: ParseSchedule;
  /** false: cron sources go through the engine only (the benchmark compares the two paths). Default true. */
  fastCron?: boolean;
  /** Runs on one resource at most this far apart (seconds) overlap; default 30 minutes. */
  overlapWindowSeconds?: number;
  /** The widest range accepted; default CALENDAR_MAX_RANGE_SECONDS. An .ics export checks the range it was asked for
   * and then widens it to whole local days (export/ics.ts), which may add up to two days. */
  maxRangeSeconds?: number;
}

/** The widest range one request may ask for: a six-week month grid plus slack for DST days. */
export const CALENDAR_MAX_RANGE_SECONDS = 63 * 86_400;
const DEFAULTS = { bandMaxGapSeconds: 2 * 3600, bandMinRuns: 4, maxRunsPerRoutine: 100_000, overlapWindowSeconds: 1800 };

export interface CalendarRoutine {
  key: string;
  endpointId: string;
  endpointName: string;
  routineId: string;
  label: string;
  schedule: string;
  /** The schedule in plain words with the zone they are in (the node's), or undefined when it could not be parsed. */
  description: string | undefined;
  timezone: string;
  /** True when the node's zone was unknown and UTC was assumed. */
  timezoneAssumed: boolean;
  enabled: boolean;
  status: 'active' | 'stale';
  /** The routine's look and badge (see identity.ts). */
  color: number;
  pattern: number;
  badge: string;
  runs: number;
  /** Runs stopped at maxRunsPerRoutine: later runs in the range are not shown. */
  truncated: boolean;
  error: string | undefined;
  kind: CalendarKind;
  /** What it writes to, in words, or null. */
  target: string | null;
  /** A custom entry's own colour, or null (then color/pattern apply). */
  customColor: string | null;
  note: string | null;
  /** The last run PBS reported ("ok" or its error text), for jobs that report only that; null otherwise. */
  lastRunState: string | null;
}

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
  /** In legend order (by endpoint, then routine id). */
  routines: CalendarRoutine[];
  days: CalendarDay[];
  totalRuns: number;
  /** Pairs of runs of two sources on one resource within the window, by time; their entries carry `overlap`. */
  overlaps: CalendarOverlap[];
  overlapWindowSeconds: number;
  /** Overlaps beyond the list's cap (counted, not listed). */
  overlapsLeftOut: number;
}

export class CalendarRangeError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'CalendarRangeError';
  }
}

/** Throws CalendarRangeError, in words, for an empty or invalid range or one longer than `max` seconds. */
export function checkCalendarRange(from: number, to: number, max = CALENDAR_MAX_RANGE_SECONDS): void {
  if (!Number.isFinite(from) || !Number.isFinite(to) || to <= from) {
    throw new CalendarRangeError(`The calendar range is empty or invalid (from ${from} to ${to}); ask for a range whose end is after its start.`);
  }
  if (to - from > max) {
    throw new CalendarRangeError(`The calendar range spans ${Math.round((to - from) / 86_400)} days; ask for at most ${CALENDAR_MAX_RANGE_SECONDS / 86_400} days (a month view) at a time.`);
  }
}

/** Every run of every routine in [from, to), grouped by the viewer's local day, dense runs collapsed into bands.
 * Disabled and stale routines are computed too (flagged), so the view can show them distinctly or hide them. */
export function buildCalendar(routines: readonly CalendarRoutineInput[], options: CalendarOptions): CalendarData {
  const { from, to, timeZone, parse } = options;
  checkCalendarRange(from, to, options.maxRangeSeconds);
  if (!isValidTimeZone(timeZone)) {
    throw new CalendarRangeError(`The time zone '${timeZone}' is not known; use an IANA zone name such as 'Europe/Berlin' or 'UTC'.`);
  }
  const maxGapSeconds = options.bandMaxGapSeconds ?? DEFAULTS.bandMaxGapSeconds;
  const minRuns = options.bandMinRuns ?? DEFAULTS.bandMinRuns;
  const maxRuns = options.maxRunsPerRoutine ?? DEFAULTS.maxRunsPerRoutine;
  const dayOf = localDateKeyer(timeZone);
  // The routines shown are always among those identities are assigned over, even if the caller's list forgot one.
  const identities = assignIdentities([...(options.identityOver ?? []), ...routines]);

  const sorted = [...routines].sort(compareRoutines);
  const days = new Map<string, CalendarEntry[]>();
  const out: CalendarRoutine[] = [];
  const byRoutine = new Map<string, { input: CalendarRoutineInput; entries: CalendarEntry[] }>();
  let totalRuns = 0;
  // Jobs share schedules (every node of a cluster in one zone, "daily" and "21:00" many times over): the runs of one
  // schedule in one zone, and their grouping into days and bands, are computed once per request and copied for each
  // job that has them. Entries are copied because outcomes and overlap marks are written into them per job.
  const placed = new Map<string, { raw: number[]; byDay: [string, CalendarEntry[]][] }>();

  for (const input of sorted) {
    const key = routineKey(input.endpointId, input.routineId);
    const identity = identities.get(key) as { color: number; pattern: number; badge: string };
    const zoneKnown = input.timezone !== undefined && input.timezone !== '' && isValidTimeZone(input.timezone);
    const zone = zoneKnown ? input.timezone as string : 'UTC';
    const routine: CalendarRoutine = {
      key, endpointId: input.endpointId, endpointName: input.endpointName, routineId: input.routineId,
      label: input.label, schedule: input.scheduleText, description: undefined, timezone: zone,
      timezoneAssumed: !zoneKnown, enabled: input.enabled, status: input.status,
      color: identity.color, pattern: identity.pattern, badge: identity.badge, runs: 0, truncated: false, error: undefined,
      kind: input.kind ?? 'backup', target: input.target ?? null, customColor: input.customColor ?? null, note: input.note ?? null,
      lastRunState: input.lastRun?.state ?? null,
    };
    out.push(routine);
    let runs: number[];
    const cron = input.scheduleKind === 'cron';
    const placedKey = `${cron ? 'cron' : 'event'}\u0000${zone}\u0000${input.scheduleText}`;
    let shared = placed.get(placedKey);
    try {
      if (cron && !options.parseCron) throw new Error('cron schedules are not supported here');
      const schedule = (cron ? options.parseCron as ParseSchedule : parse)(input.scheduleText);
      // Proxmox reads the schedule's words in the node's zone, whatever zone the calendar shows: say so.
      routine.description = input.zoneWords ? `${schedule.describe()} (${input.zoneWords})` : wordsInZone(schedule.describe(), zoneKnown ? zone : null);
      // Cron through cron-parser costs milliseconds a run: the fast path steps by day when the expression allows it.
      runs = shared?.raw
        ?? (cron && options.fastCron !== false ? fastCronBetween(input.scheduleText, from, to, zone, maxRuns + 1) : undefined)
        ?? schedule.between(from, to, zone, maxRuns + 1);
    } catch (e) {
      routine.error = `Schedule '${input.scheduleText}' cannot be read: ${e instanceof Error ? e.message : String(e)}. ${input.fixHint ?? 'Fix the job\'s schedule in Proxmox (Datacenter → Backup), then sync.'}`;
      continue;
    }
    const raw = runs;
    if (runs.length > maxRuns) {
      runs = runs.slice(0, maxRuns);
      routine.truncated = true;
    }
    routine.runs = runs.length;
    totalRuns += runs.length;
    const recorded = options.now === undefined ? undefined
      : input.lastRun ? lastRunSummary(runs, input.lastRun, to) : summarizeRuns(options.outcomes?.get(key) ?? []);
    const mine: CalendarEntry[] = [];
    byRoutine.set(key, { input, entries: mine });
    if (!shared) placed.set(placedKey, shared = { raw, byDay: [...collapseRuns('', runs, dayOf, { maxGapSeconds, minRuns })] });
    for (const [day, template] of shared.byDay) {
      const entries = template.map((e) => ({ ...e, routine: key }));
      if (options.now !== undefined) for (const e of entries) addOutcome(e, runs, options.now, recorded);
      mine.push(...entries);
      const list = days.get(day);
      if (list) list.push(...entries);
      else days.set(day, entries);
    }
  }

  const dayList = [...days.entries()]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([date, entries]) => ({ date, entries: entries.sort(byStartThenRoutine) }));
  const overlapWindowSeconds = options.overlapWindowSeconds ?? DEFAULTS.overlapWindowSeconds;
  // A disabled or stale job does not run: it competes with nothing (and its pairs would mark runs of jobs that do).
  const running = [...byRoutine.values()].filter(({ input }) => input.enabled && input.status === 'active');
  const { overlaps, leftOut } = findOverlaps(running.map(({ input, entries }) => ({
    key: routineKey(input.endpointId, input.routineId), kind: input.kind ?? 'backup', resources: input.resources ?? [], entries,
  })), overlapWindowSeconds);
  return { from, to, timeZone, routines: out, days: dayList, totalRuns, overlaps, overlapWindowSeconds, overlapsLeftOut: leftOut };
}

/** A job that reports only its last run: the scheduled run at or before that run's end is the one that ran. When the
 * run ended after the range shown, the run that ran is beyond it (or cannot be told): nothing in the range gets it. */
function lastRunSummary(runs: readonly number[], last: NonNullable<CalendarRoutineInput['lastRun']>, to: number): Map<number, RunSummary> {
  if (last.endedAt >= to) return new Map();
  const i = firstAtOrAfter(runs, last.endedAt + 1) - 1;
  return i >= 0 ? new Map([[runs[i], { outcome: last.outcome, failedGuests: 0 }]]) : new Map();
}

/** Marks a past run with its outcome; counts a band's past runs per outcome (runs is the routine's sorted list). */
function addOutcome(e: CalendarEntry, runs: readonly number[], now: number, recorded: ReadonlyMap<number, RunSummary> | undefined): void {
  if (e.kind === 'run') {
    if (e.at >= now) return;
    const { outcome, failedGuests } = outcomeAt(recorded, e.at);
    e.outcome = outcome;
    e.failedGuests = failedGuests;
    return;
  }
  if (e.start >= now) return;
  const counts: Partial<Record<CalendarOutcome, number>> = {};
  let worst: CalendarOutcome | undefined;
  for (let i = firstAtOrAfter(runs, e.start); i < runs.length && runs[i] <= e.end && runs[i] < now; i++) {
    const { outcome } = outcomeAt(recorded, runs[i]);
    counts[outcome] = (counts[outcome] ?? 0) + 1;
    worst = worst === undefined ? outcome : worseOutcome(worst, outcome);
  }
  e.outcomes = counts;
  e.worst = worst;
}

function firstAtOrAfter(sorted: readonly number[], t: number): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (sorted[mid] < t) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

function byStartThenRoutine(a: CalendarEntry, b: CalendarEntry): number {
  return entryStart(a) - entryStart(b) || (a.routine < b.routine ? -1 : a.routine > b.routine ? 1 : 0);
}

/**
 * A schedule's words with the zone they are read in: Proxmox reads a job's schedule in its node's zone, whatever
 * zone a view shows times in (issue 11, item 4). `zone` null: the node's zone is unknown and UTC is assumed.
 */
export function wordsInZone(words: string, zone: string | null): string {
  return `${words} (${zone ? `${zone}, node time` : 'UTC assumed: the node\'s zone is unknown'})`;
}
