// The "PBS jobs" section of the health view as data: one row per prune, garbage collection, verify or sync job of
// the PBS endpoints in the reports, problems first (the report's order), with its last result in PBS's own words.
// Pure and DOM-free: view.ts renders these rows as text.
import { JOB_KIND_LABELS, RUN_LABELS } from '../../core/health/labels';
import { RUN_LETTER } from './model';
import type { HealthViewData, JobHealth } from './protocol';

export interface JobRow {
  /** Unique over endpoints: `${endpointId}/${kind}/${id}`. */
  key: string;
  endpointId: string;
  endpointName: string;
  job: JobHealth;
  kind: string;
  /** The job id; for garbage collection, which has none, the datastore (as PBS names it). */
  name: string;
  /** Its status word, or "Not judged" when there is nothing to judge. */
  result: string;
  /** Why, PBS's words for a failure; '' when ok. */
  reason: string;
  /** The class of its status mark: the run strip's (`run-failed` …), `run-none` when not judged. */
  markClass: string;
  /** The status mark's letter, as in the run strip. */
  letter: string;
}

/** The rows of every endpoint's jobs (or of one endpoint's), in the order the reports give them. */
export function jobRows(data: HealthViewData, endpointId: string | null): JobRow[] {
  const rows: JobRow[] = [];
  for (const e of data.endpoints) {
    if (endpointId !== null && e.endpointId !== endpointId) continue;
    // Reports stored before PBS jobs existed have no `jobs`.
    for (const j of e.report.jobs ?? []) {
      rows.push({
        key: `${e.endpointId}/${j.kind}/${j.id}`, endpointId: e.endpointId, endpointName: e.endpointName, job: j,
        kind: JOB_KIND_LABELS[j.kind] ?? j.kind, name: j.id, result: j.status ? RUN_LABELS[j.status] : 'Not judged', reason: j.reason,
        markClass: j.status ? `run-${j.status}` : 'run-none', letter: j.status ? RUN_LETTER[j.status] : '–',
      });
    }
  }
  return rows;
}

/** "2 of 5 PBS jobs need attention", or null when none does. */
export function jobProblemLine(rows: readonly JobRow[]): string | null {
  const n = rows.filter((r) => r.job.problem).length;
  return n ? `${n} of ${rows.length} PBS job${rows.length === 1 ? '' : 's'} failed or missed a run.` : null;
}
