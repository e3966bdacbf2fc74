// Which guests newly have a backup problem worth a notification: the notification is for what is new, never a
// repeat of what the user already saw (DESIGN: "a notification only for what is new").
import type { GuestHealth, GuestHealthStatus, HealthReport } from './types';

export type NotifyLevel = 'off' | 'failures' | 'all';

const NOTIFIED: Record<NotifyLevel, readonly GuestHealthStatus[]> = {
  off: [],
  failures: ['failed'],
  all: ['failed', 'overdue', 'never'],
};

/** The key a guest's problem is remembered by: the same guest with another status is a new problem. */
export function problemKey(g: Pick<GuestHealth, 'endpoint' | 'vmid' | 'status'>): string {
  return `${g.endpoint}/${g.vmid}/${g.status}`;
}

/** Every guest's problem key in a report (all problem statuses, whatever is notified). */
export function problemKeys(report: HealthReport): string[] {
  return report.guests.filter((g) => g.status !== 'ok' && g.status !== 'excluded').map(problemKey);
}

/** Guests whose status is notified at `level` and whose problem was not among `seen`. */
export function newProblems(report: HealthReport, seen: ReadonlySet<string>, level: NotifyLevel): GuestHealth[] {
  const statuses = NOTIFIED[level];
  return report.guests.filter((g) => statuses.includes(g.status) && !seen.has(problemKey(g)));
}
