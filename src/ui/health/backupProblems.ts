// What counts as a backup problem in the status bar and on an endpoint's row: guests whose backups are not ok (not
// excluded), and PBS jobs whose last run failed or that missed their schedule (JobHealth.problem). A datastore that is
// filling up is a warning shown on its own tree row, not a backup problem: no backup has failed yet, and counting it
// would keep the count up for weeks while nothing is wrong with any backup. Pure, for the unit tests.
import { HEALTH_STATUS_ORDER, isHealthy, type GuestHealthStatus, type HealthReport } from '../../core/health/types';
import { STATUS_LABELS } from '../../core/health/labels';

export interface ProblemTally {
  /** Guests with a backup problem, per status. */
  byStatus: Map<GuestHealthStatus, number>;
  /** PBS jobs that are a problem (failed or missed). */
  jobs: number;
  total: number;
}

export function tallyProblems(reports: readonly Pick<HealthReport, 'guests' | 'jobs'>[]): ProblemTally {
  const byStatus = new Map<GuestHealthStatus, number>();
  let jobs = 0;
  let total = 0;
  for (const r of reports) {
    for (const g of r.guests) {
      if (isHealthy(g.status)) continue;
      byStatus.set(g.status, (byStatus.get(g.status) ?? 0) + 1);
      total++;
    }
    // Reports stored before PBS jobs had a health have no `jobs`.
    for (const j of r.jobs ?? []) if (j.problem) { jobs++; total++; }
  }
  return { byStatus, jobs, total };
}

/** "Failed: 2, Overdue: 1, PBS jobs failed or missed: 1". */
export function tallyText(t: ProblemTally): string {
  const lines = HEALTH_STATUS_ORDER.filter((s) => t.byStatus.has(s)).map((s) => `${STATUS_LABELS[s]}: ${t.byStatus.get(s)}`);
  if (t.jobs) lines.push(`PBS jobs failed or missed: ${t.jobs}`);
  return lines.join(', ');
}
