// When a sync schedule's "cron" runs, through the shared schedule engine, always in an explicit IANA time zone. The
// field takes a cron expression or, as people who know Proxmox type it, a Proxmox calendar event ('mon..fri 02:30'):
// both are accepted rather than refusing one with a hint, since the engine parses both. The engine speaks epoch
// seconds; the scheduler speaks epoch milliseconds.
import { isValidTimeZone, parseSchedule, ScheduleError, type Schedule } from '../schedule';
import { JobError } from './types';

export function checkTimeZone(tz: string): void {
  if (!isValidTimeZone(tz)) {
    throw new JobError(`unknown time zone '${tz}'. Use an IANA zone name such as 'UTC' or 'Europe/Berlin'.`);
  }
}

/** 5 or 6 fields, or a macro like @daily, is cron; anything shorter is read as a Proxmox calendar event. */
function looksLikeCron(expr: string): boolean {
  const fields = expr.trim().split(/\s+/).length;
  return expr.trim().startsWith('@') || fields >= 5;
}

const reasonOf = (err: unknown): string => (err instanceof ScheduleError ? err.reason : (err as Error).message);

/** The parsed schedule of a sync schedule's expression; throws a JobError in words (field, range, the other form). */
export function syncSchedule(expr: string): Schedule {
  const asCron = (): Schedule => {
    try {
      return parseSchedule(expr, 'cron');
    } catch (err) {
      throw new JobError(`cron expression '${expr}' is not valid: ${reasonOf(err)}. `
        + "The fields are 'minute hour day-of-month month day-of-week', e.g. '30 2 * * 1-5' (or a Proxmox calendar event like 'mon..fri 02:30').");
    }
  };
  if (looksLikeCron(expr)) return asCron();
  try {
    return parseSchedule(expr, 'calendar');
  } catch (err) {
    // '0 2 *' is cron with fields missing, not a calendar event: say that.
    if (/\s/.test(expr.trim()) && /^[\d*/,\-\s]+$/.test(expr)) asCron();
    throw new JobError(`'${expr}' is neither a cron expression (5 fields, e.g. '30 2 * * 1-5') nor a Proxmox calendar event `
      + `(e.g. 'mon..fri 02:30', 'daily'): ${reasonOf(err)}.`);
  }
}

/** Throws a JobError naming the problem when `expr` is neither cron (5 or 6 fields) nor a Proxmox calendar event. */
export function checkCron(expr: string, tz: string): void {
  checkTimeZone(tz);
  syncSchedule(expr);
}

/** Plain words for a sync schedule's expression ("every weekday at 02:30"), or the text itself when it does not parse. */
export function describeCronOrEvent(expr: string): string {
  try {
    return syncSchedule(expr).describe();
  } catch {
    return expr;
  }
}

/** The first run strictly after `afterMs` (epoch ms), or null when the expression never fires again. */
export function cronNext(expr: string, tz: string, afterMs: number): number | null {
  const next = syncSchedule(expr).next(Math.floor(afterMs / 1000), tz);
  return next === null ? null : next * 1000;
}
