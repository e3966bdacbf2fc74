// The simulator's view of backup schedules, through the project's schedule engine (which matches proxmox-time).
// A schedule the engine rejects gets no `next-run`, as PVE leaves it out when it cannot compute one.
import { parseSchedule } from '../core/schedule';

function parsed(schedule: string): ReturnType<typeof parseSchedule> | undefined {
  try {
    return parseSchedule(schedule, 'calendar');
  } catch {
    return undefined;
  }
}

/** Next run strictly after `afterEpochSec` in `timeZone`, or undefined when there is none. */
export function nextRun(schedule: string, afterEpochSec: number, timeZone: string): number | undefined {
  return parsed(schedule)?.next(afterEpochSec, timeZone) ?? undefined;
}

/** Up to `count` runs after `afterEpochSec`; throws the engine's error for an invalid schedule. */
export function upcomingRuns(schedule: string, afterEpochSec: number, count: number, timeZone: string): number[] {
  return parseSchedule(schedule, 'calendar').take(afterEpochSec, count, timeZone);
}

/** Runs in [from, to), at most `limit`; empty for an invalid schedule. */
export function runsBetween(schedule: string, from: number, to: number, timeZone: string, limit: number): number[] {
  return parsed(schedule)?.between(from, to, timeZone, limit) ?? [];
}
