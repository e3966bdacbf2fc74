// When the runs of a schedule happen. Pure arithmetic on epoch milliseconds, so every rule is unit-tested.
import { checkCron, cronNext, describeCronOrEvent } from './cron';
import { formatDateTime, localZone } from '../text/time';
import { JobError, ScheduleSpec } from './types';

export const DEFAULT_BACKOFF_SECONDS = 30;
/** A continuous schedule's pause between runs: without one, a quick sync runs many times a second. */
export const DEFAULT_CONTINUOUS_PAUSE_SECONDS = 30;
/** NetBox's floor: a recurring job never runs again sooner than one minute after the previous run ended. */
export const INTERVAL_FLOOR_MS = 60_000;
/** A run more than this late (without a whole occurrence missed) is still reported as a late catch-up run. */
export const LATE_GRACE_MS = 60_000;
const MISSED_COUNT_CAP = 100_000;

export function backoffMs(spec: ScheduleSpec): number {
  const s = 'backoffSeconds' in spec && spec.backoffSeconds !== undefined ? spec.backoffSeconds : DEFAULT_BACKOFF_SECONDS;
  return s * 1000;
}

export function pauseMs(spec: Extract<ScheduleSpec, { mode: 'continuous' }>): number {
  return (spec.pauseSeconds ?? DEFAULT_CONTINUOUS_PAUSE_SECONDS) * 1000;
}

/** Throws a JobError that says what is wrong with the spec and how to write it. */
export function validateSchedule(spec: ScheduleSpec, now: number): void {
  if ('backoffSeconds' in spec && spec.backoffSeconds !== undefined) {
    if (!Number.isFinite(spec.backoffSeconds) || spec.backoffSeconds < 0) {
      throw new JobError(`back-off must be 0 or more seconds (got ${spec.backoffSeconds}).`);
    }
  }
  switch (spec.mode) {
    case 'now':
      return;
    case 'continuous':
      if (spec.pauseSeconds !== undefined && (!Number.isFinite(spec.pauseSeconds) || spec.pauseSeconds < 0)) {
        throw new JobError(`the pause between continuous runs must be 0 or more seconds (got ${spec.pauseSeconds}).`);
      }
      return;
    case 'once':
      if (!Number.isFinite(spec.at)) throw new JobError('"run once" needs a valid date and time.');
      if (spec.at <= now) {
        throw new JobError(`"run once at ${new Date(spec.at).toISOString()}" is in the past; pick a future time, or use "run now".`);
      }
      return;
    case 'interval':
      if (!Number.isInteger(spec.minutes) || spec.minutes < 1) {
        throw new JobError(`"every N minutes" needs a whole number N of at least 1 (got ${spec.minutes}); for shorter intervals use "every N seconds".`);
      }
      if (spec.startAt !== undefined && !Number.isFinite(spec.startAt)) throw new JobError('the start time of the interval is not a valid date.');
      return;
    case 'seconds':
      if (!Number.isInteger(spec.seconds) || spec.seconds < 1) {
        throw new JobError(`"every N seconds" needs a whole number N of at least 1 (got ${spec.seconds}); for back-to-back runs use "continuous".`);
      }
      return;
    case 'cron':
      checkCron(spec.expr, spec.tz);
      if (cronNext(spec.expr, spec.tz, now) === null) throw new JobError(`cron expression '${spec.expr}' never fires after now.`);
      return;
    default:
      throw new JobError(`unknown schedule mode '${(spec as { mode: string }).mode}'; use now, once, interval, seconds, cron or continuous.`);
  }
}

/** When the first run of a new schedule is due. */
export function firstRun(spec: ScheduleSpec, now: number): number {
  switch (spec.mode) {
    case 'once':
      return spec.at;
    case 'interval':
      // NetBox: an interval without a start time starts now.
      return spec.startAt !== undefined && spec.startAt > now ? spec.startAt : now;
    case 'cron': {
      const next = cronNext(spec.expr, spec.tz, now);
      if (next === null) throw new JobError(`cron expression '${spec.expr}' never fires after now.`);
      return next;
    }
    default:
      return now;
  }
}

export interface FinishedRun {
  /** When the run was due. */
  scheduledAt: number;
  /** When it ended. */
  now: number;
  /** Completed (ok); false for errored and failed runs, which get the back-off. */
  succeeded: boolean;
  /** The run was a catch-up: the next one goes back onto the schedule's grid instead of anchoring on a stale time. */
  catchUp: boolean;
}

/** When the next run of a recurring schedule is due after a run, or null for one-off schedules. */
export function nextRun(spec: ScheduleSpec, run: FinishedRun): number | null {
  const { scheduledAt, now } = run;
  const earliest = run.succeeded ? now : now + backoffMs(spec);
  switch (spec.mode) {
    case 'now':
    case 'once':
      return null;
    case 'interval': {
      const every = spec.minutes * 60_000;
      const floor = now + INTERVAL_FLOOR_MS;
      if (run.catchUp) return gridAtOrAfter(scheduledAt, every, floor);
      // NetBox: max(previous scheduled + interval, now + 1 minute), so a daily 02:00 sync stays at 02:00.
      return Math.max(scheduledAt + every, floor);
    }
    case 'seconds': {
      const every = spec.seconds * 1000;
      if (run.catchUp) return gridAtOrAfter(scheduledAt, every, earliest);
      // Measured from the start of each trigger; a run longer than the interval is followed at once, and the
      // back-off after a failure counts toward the interval (the scheduler container's rule).
      return Math.max(scheduledAt + every, earliest);
    }
    case 'continuous':
      // The pause always; after a failure the back-off too, whichever is longer.
      return run.succeeded ? now + pauseMs(spec) : now + Math.max(pauseMs(spec), backoffMs(spec));
    case 'cron':
      return cronNext(spec.expr, spec.tz, Math.max(earliest, scheduledAt));
  }
}

/** How many further occurrences fell in (scheduledAt, now]: runs that would have happened while nothing ran. */
export function missedSince(spec: ScheduleSpec, scheduledAt: number, now: number): number {
  if (now <= scheduledAt) return 0;
  switch (spec.mode) {
    case 'interval':
      return Math.floor((now - scheduledAt) / (spec.minutes * 60_000));
    case 'seconds':
      return Math.floor((now - scheduledAt) / (spec.seconds * 1000));
    case 'cron': {
      let count = 0;
      let t: number | null = scheduledAt;
      while (count < MISSED_COUNT_CAP && (t = cronNext(spec.expr, spec.tz, t)) !== null && t <= now) count++;
      return count;
    }
    default:
      return 0;
  }
}

/** The first time base + k·every (k ≥ 1) at or after `atLeast`. */
function gridAtOrAfter(base: number, every: number, atLeast: number): number {
  const k = Math.max(1, Math.ceil((atLeast - base) / every));
  return base + k * every;
}

/** Plain words for a schedule; a "once" time reads in `timeZone` (this machine's zone by default). */
export function describeSchedule(spec: ScheduleSpec, timeZone = localZone()): string {
  const backoff = `back-off ${backoffMs(spec) / 1000} s after a failure`;
  switch (spec.mode) {
    case 'now':
      return 'run now';
    case 'once':
      return `once at ${formatDateTime(spec.at / 1000, timeZone)} (${timeZone})`;
    case 'interval':
      return `every ${spec.minutes} minute${spec.minutes === 1 ? '' : 's'}`;
    case 'seconds':
      return `every ${spec.seconds} second${spec.seconds === 1 ? '' : 's'} (${backoff})`;
    case 'cron':
      return `${describeCronOrEvent(spec.expr)} in ${spec.tz} ('${spec.expr}'; ${backoff})`;
    case 'continuous':
      return `continuously, ${pauseMs(spec) / 1000} s between runs (${backoff})`;
  }
}
