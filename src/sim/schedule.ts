// The simulator's view of backup schedules. PVE adds `next-run` to /cluster/backup from its calendar-event engine;
// the simulator does the same through the project's schedule engine once that exists. Until then it leaves
// `next-run` out, as some PVE 8 servers do, and clients must fall back to their own computation.

/** Next run strictly after `afterEpochSec` in `timeZone`, or undefined when unknown. */
export function nextRun(_schedule: string, _afterEpochSec: number, _timeZone: string): number | undefined {
  return undefined;
}

/** Upcoming runs for /cluster/jobs/schedule-analyze, or undefined when no engine is available. */
export function upcomingRuns(_schedule: string, _afterEpochSec: number, _count: number, _timeZone: string): number[] | undefined {
  return undefined;
}
