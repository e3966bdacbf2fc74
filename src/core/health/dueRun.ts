// A routine's due run: the latest scheduled run T with T <= now - grace. A backup is only expected once its run had
// the grace period to finish, so the run that decides "overdue" is the latest one that is at least `grace` old.
import type { Schedule } from '../schedule';

const HOUR = 3600;
/** Each window is this many times longer than the one before it. */
const GROWTH = 8;
/** Beyond about 32 years back a schedule is treated as having no run at all (a date pinned in the distant past). */
const MAX_WINDOW = HOUR * GROWTH ** 7;
/** Runs fetched per call inside one window; a minutely schedule still needs few calls per window. */
const CHUNK = 2000;

/** The latest run t of `schedule` with from <= t < to, read in chunks so that no run is cut off by a limit. */
function latestIn(schedule: Schedule, from: number, to: number, tz: string): number | null {
  let latest: number | null = null;
  let start = from;
  for (;;) {
    const runs = schedule.between(start, to, tz, CHUNK);
    if (runs.length === 0) return latest;
    latest = runs[runs.length - 1];
    if (runs.length < CHUNK) return latest;
    start = latest + 1;
  }
}

/**
 * The latest scheduled run at or before `limit` (epoch seconds), or null when the schedule has none. The schedule
 * engine only steps forwards, so this looks back in windows that grow (1 h, 8 h, 64 h, … ~32 years): a
 * minutely schedule is answered from the first window, a yearly one within a few more.
 * Throws what the schedule engine throws for an unknown zone.
 */
export function latestRunAtOrBefore(schedule: Schedule, limit: number, tz: string): number | null {
  const to = Math.floor(limit) + 1; // between() excludes its end; the run at `limit` itself counts
  for (let window = HOUR; window <= MAX_WINDOW; window *= GROWTH) {
    const found = latestIn(schedule, to - window, to, tz);
    if (found !== null) return found;
  }
  return null;
}

/** The due run of a routine at `now`: the latest scheduled run T with T <= now - graceSeconds, in zone `tz`. */
export function dueRun(schedule: Schedule, now: number, graceSeconds: number, tz: string): number | null {
  return latestRunAtOrBefore(schedule, now - graceSeconds, tz);
}
