// Cron for the sync scheduler, through the shared schedule engine (cron-parser underneath), always in an
// explicit IANA time zone. The engine speaks epoch seconds; the scheduler speaks epoch milliseconds.
import { isValidTimeZone, parseSchedule } from '../schedule';
import { JobError } from './types';

export function checkTimeZone(tz: string): void {
  if (!isValidTimeZone(tz)) {
    throw new JobError(`unknown time zone '${tz}'. Use an IANA zone name such as 'UTC' or 'Europe/Berlin'.`);
  }
}

/** Throws a JobError naming the problem when `expr` is not a 5-field (or 6-field, with seconds) cron expression. */
export function checkCron(expr: string, tz: string): void {
  checkTimeZone(tz);
  try {
    parseSchedule(expr, 'cron');
  } catch (err) {
    throw new JobError(`cron expression '${expr}' is not valid: ${(err as Error).message}.`);
  }
}

/** The first run strictly after `afterMs` (epoch ms), or null when the expression never fires again. */
export function cronNext(expr: string, tz: string, afterMs: number): number | null {
  const next = parseSchedule(expr, 'cron').next(Math.floor(afterMs / 1000), tz);
  return next === null ? null : next * 1000;
}
