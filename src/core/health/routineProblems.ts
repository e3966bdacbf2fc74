// Problems of a routine itself rather than of one guest: a schedule that does not parse, a job that is disabled or
// gone from Proxmox, and (through `scheduleStops`) a schedule Proxmox will never run again.
import type { BackupRoutine } from '../inventory/model';
import type { Schedule } from '../schedule';
import type { RoutineProblem } from './types';

/**
 * Says whether Proxmox stops running a schedule (e.g. its next run cannot be found within the search limit of the
 * scheduler). Passed in rather than imported, so the schedule engine's own check plugs in where it is built.
 */
export type ScheduleStopCheck = (schedule: Schedule, tz: string, now: number) => RoutineProblem | null;

export function routineProblems(
  routine: BackupRoutine,
  schedule: Schedule | null,
  scheduleError: string | null,
  tz: string,
  now: number,
  scheduleStops?: ScheduleStopCheck,
): RoutineProblem[] {
  const out: RoutineProblem[] = [];
  if (routine.status === 'stale') out.push({ kind: 'stale', message: `the job is gone from Proxmox (since ${routine.staleSince ?? 'an earlier sync'}); it backs nothing up` });
  else if (!routine.enabled) out.push({ kind: 'disabled', message: 'the job is disabled in Proxmox; it backs nothing up' });
  if (scheduleError !== null) out.push({ kind: 'schedule-error', message: `the schedule '${routine.schedule}' cannot be read: ${scheduleError}` });
  else if (schedule && scheduleStops && routine.enabled && routine.status === 'active') {
    const stop = scheduleStops(schedule, tz, now);
    if (stop) out.push(stop);
  }
  return out;
}
