// The health of PBS's own jobs (prune, garbage collection, verify, sync) in the run statuses of backup routines.
// PBS reports each job's last run (`last-run-state`, `last-run-upid`, `last-run-endtime`) and its `next-run`, which
// it computes from the last run: a job whose run never came keeps a next-run in the past. That is how a missed run is
// seen without knowing the PBS host's time zone; only a job without a next-run falls back to its schedule.
import type { Inventory, PbsJobRecord } from '../inventory/model';
import { parseSchedule } from '../schedule';
import { stamp } from './status';
import type { JobHealth, RunOutcome } from './types';

/** Problems first (the worst first), then what needs watching, then the fine and the unjudged. */
const JOB_ORDER: readonly (RunOutcome | null)[] = ['failed', 'missed', 'warnings', 'running', 'ok', null];
const JOB_RANK = new Map(JOB_ORDER.map((s, i) => [s, i]));

const KIND_WORDS: Record<PbsJobRecord['kind'], string> = { prune: 'prune job', gc: 'garbage collection', verify: 'verify job', sync: 'sync job' };

/** "verify job v-weekly on store1", "garbage collection of store1": how a job is named in a sentence. */
export function jobTitle(j: Pick<JobHealth, 'kind' | 'id' | 'store'>): string {
  return j.kind === 'gc' ? `garbage collection of ${j.store}` : `${KIND_WORDS[j.kind]} ${j.id} on ${j.store}`;
}

export function isJobProblem(status: RunOutcome | null): boolean {
  return status === 'failed' || status === 'missed';
}

/** What the last run's state says: PBS writes `OK` (or `ok`), `WARNINGS: n`, `unknown`, or the error itself. */
/** What PBS's `last-run-state` says, in the run statuses of routines (shared with the calendar's PBS entries). */
export function lastResult(state: string): { status: RunOutcome; reason: string } {
  const s = state.trim();
  if (/^ok$/i.test(s)) return { status: 'ok', reason: '' };
  if (/^warnings?\b/i.test(s)) return { status: 'warnings', reason: `the last run ended with ${s}` };
  if (/^unknown$/i.test(s)) return { status: 'failed', reason: 'PBS does not know how the last run ended (unknown: it was interrupted, e.g. by a restart)' };
  return { status: 'failed', reason: `the last run failed: ${s}` };
}

/** The run the schedule had due after the last run ended, for a job PBS gives no next-run; null when none. */
function dueAfterLastRun(job: PbsJobRecord, tz: string): number | null {
  if (!job.schedule || job.lastRunEndtime === null) return null;
  try {
    return parseSchedule(job.schedule).next(job.lastRunEndtime, tz);
  } catch {
    return null; // a schedule we cannot read: PBS's own next-run is all there is to judge by
  }
}

/** One job's health at `now`; `tz` is the PBS host's zone as far as known (only the fallback without next-run uses it). */
export function jobHealth(endpoint: string, job: PbsJobRecord, now: number, graceSeconds: number, tz: string): JobHealth {
  const base = {
    endpoint, kind: job.kind, id: job.jobId, store: job.store, schedule: job.schedule, lastRun: job.lastRunEndtime,
    lastRunUpid: job.lastRunUpid, nextRun: job.nextRun, enabled: job.enabled, lifecycle: job.status,
  };
  const judged = (status: RunOutcome | null, reason: string): JobHealth => ({ ...base, status, problem: isJobProblem(status), reason });
  if (job.status === 'stale') return judged(null, 'stale: gone from PBS');
  if (!job.enabled) return judged(null, 'disabled');
  if (job.lastRunUpid !== null && job.lastRunEndtime === null) return judged('running', 'a run has started and not ended yet');
  const last = job.lastRunState !== null ? lastResult(job.lastRunState) : null;
  const due = job.nextRun ?? dueAfterLastRun(job, tz);
  if (job.schedule && due !== null && due < now - graceSeconds) {
    const before = last && last.status !== 'ok' ? `; before that, ${last.reason}` : '';
    return judged('missed', `the run due at ${stamp(due, 'UTC')} did not happen${before}`);
  }
  if (last) return judged(last.status, last.reason);
  return judged(null, job.schedule ? 'not run yet' : 'not scheduled, never run');
}

function byJob(a: JobHealth, b: JobHealth): number {
  const cmp = (x: string, y: string): number => (x < y ? -1 : x > y ? 1 : 0);
  return (JOB_RANK.get(a.status)! - JOB_RANK.get(b.status)!) || cmp(a.endpoint, b.endpoint) || cmp(a.kind, b.kind) || cmp(a.id, b.id);
}

/** Every PBS job of the PBS inventories among `inventories`, problems first. */
export function evaluateJobs(inventories: readonly Inventory[], now: number, graceSeconds: number): JobHealth[] {
  const out: JobHealth[] = [];
  for (const inv of inventories) {
    const tz = inv.nodes.find((n) => n.timezone)?.timezone ?? 'UTC';
    for (const job of inv.pbsJobs) out.push(jobHealth(inv.endpoint.id, job, now, graceSeconds, tz));
  }
  return out.sort(byJob);
}
