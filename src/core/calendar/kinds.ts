// What a calendar source is: the calendar shows every backup-related job, and each kind has its own marker and filter.

export type CalendarKind = 'backup' | 'replication' | 'prune' | 'gc' | 'verify' | 'sync' | 'custom';

/** In legend order. */
export const CALENDAR_KINDS: readonly CalendarKind[] = ['backup', 'replication', 'prune', 'gc', 'verify', 'sync', 'custom'];

export function isCalendarKind(v: unknown): v is CalendarKind {
  return typeof v === 'string' && (CALENDAR_KINDS as readonly string[]).includes(v);
}
