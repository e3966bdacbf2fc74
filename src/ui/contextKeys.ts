// The context keys that hide commands until they apply (package.json `menus.commandPalette`): "Cancel Sync" only
// while a sync runs or waits, "Delete Sync Schedule" only while a sync runs or is to come, and so on. Pure, so it is tested
// without VS Code; the extension sets each key whenever the endpoints or the jobs change.
import { isTerminal, type Job } from '../core/jobs/types';

export function syncContextKeys(jobs: readonly Pick<Job, 'status'>[]): Record<string, boolean> {
  const has = (test: (j: Pick<Job, 'status'>) => boolean) => jobs.some(test);
  return {
    /** A sync runs, waits in the queue or is scheduled: what "Cancel Sync" and "Delete Sync Schedule" act on (a
     * continuous schedule is mostly running, so delete needs no key of its own). */
    'proxbox.hasActiveSyncs': has((j) => !isTerminal(j.status)),
    /** A run with a log to show (running or ended). */
    'proxbox.hasSyncRuns': has((j) => j.status === 'running' || isTerminal(j.status)),
    /** An ended run: what "Clear Sync History" clears. */
    'proxbox.hasFinishedSyncs': has((j) => isTerminal(j.status)),
  };
}
