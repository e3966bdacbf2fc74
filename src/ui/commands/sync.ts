// Sync commands. A sync is always a job: "Sync Now" asks the jobs service for a "run now" job (queued once behind a
// running sync of the same endpoint, or handed to the window that runs the schedule) and waits for it to end.
import * as vscode from 'vscode';
import type { JobService } from '../../core/jobs/jobService';
import { isTerminal, type Job } from '../../core/jobs/types';
import { stagesOfKind } from '../../core/pipeline/dependencies';
import { endpointKind } from '../../core/inventory/model';
import { stageLabel } from '../../core/pipeline/stageLabels';
import type { RunRecord } from '../sync/syncRuns';
import { endpointIdOf, jobIdOf, stagesOf } from './args';
import type { CommandDeps } from './deps';
import { pickEndpoint, pickJob } from './pick';
import type { CommandTable } from './register';

export interface SyncResult {
  /** The job as it ended; undefined when the run happens in another window. */
  job?: Job;
  /** This window's record of the run (progress, explained error). */
  record?: RunRecord;
}

/** Resolves with the job once it has ended (or was removed from the list). */
export function waitForJob(jobs: JobService, id: string): Promise<Job | undefined> {
  return new Promise((resolve) => {
    let done = false;
    const check = () => {
      const j = jobs.get(id);
      if (done || (j && !isTerminal(j.status))) return;
      done = true;
      sub.dispose();
      clearInterval(poll);
      resolve(j);
    };
    const sub = jobs.onDidChange(check);
    // Every change is reported, but a safety poll costs nothing and rules out waiting forever.
    const poll = setInterval(check, 1000);
    check();
  });
}

/** Syncs one endpoint now, as a job; `interactive` shows progress and failures as notifications. */
export async function syncNow(deps: CommandDeps, endpointId: string, opts: { stages?: string[]; interactive: boolean }): Promise<SyncResult> {
  const endpoint = deps.store.get(endpointId);
  const name = endpoint?.name ?? endpointId;
  const say = (text: string) => (opts.interactive ? void vscode.window.showInformationMessage(`Proxbox: ${text}`) : deps.log.info(text));
  const r = await deps.jobs.schedule({
    syncType: opts.stages?.length ? 'custom' : 'all', ...(opts.stages?.length ? { stages: opts.stages } : {}),
    endpoints: [endpointId], schedule: { mode: 'now' }, interactive: opts.interactive,
  });
  if (r.forwarded) {
    say(`another VS Code window runs the sync schedule; the sync of ${name} runs there and shows in its status bar.`);
    return {};
  }
  if (r.queued) say(`${name} is syncing already; this sync runs right after it.`);
  const job = await waitForJob(deps.jobs, r.job.id);
  return { job, record: deps.runs.get(r.job.id, endpointId) };
}

/**
 * A sync counts as running while its run is, and a continuous schedule for as long as it goes on: between two runs it
 * only pauses, and the user who cancels it means the schedule (issue 11, item 1).
 */
function isSyncing(j: Job): boolean {
  return j.status === 'running' || (j.schedule.mode === 'continuous' && !isTerminal(j.status));
}

function runningJobs(deps: CommandDeps, endpointId?: string): Job[] {
  return deps.jobs.list().filter((j) => isSyncing(j) && (!endpointId || j.endpoints.includes(endpointId)));
}

export function syncCommands(deps: CommandDeps): CommandTable {
  return {
    'proxbox.sync.endpoint': async (arg) => {
      const e = await pickEndpoint(deps, arg, 'Endpoint to sync');
      return e && syncNow(deps, e.id, { interactive: true });
    },
    'proxbox.sync.all': async () => {
      const all = deps.store.list();
      if (!all.length) return pickEndpoint(deps, undefined, '');
      return Promise.all(all.map((e) => syncNow(deps, e.id, { interactive: true })));
    },
    'proxbox.sync.stage': async (arg) => {
      const e = await pickEndpoint(deps, arg, 'Endpoint to sync');
      if (!e) return undefined;
      let stages = stagesOf(arg);
      if (!stages) {
        // A Proxmox Backup Server has its own stages: offer those of the endpoint's kind.
        const picks = await vscode.window.showQuickPick(stagesOfKind(endpointKind(e)).map((s) => ({ label: stageLabel(s), description: s, stage: s })),
          { canPickMany: true, placeHolder: 'Stages to sync (the stages they depend on run too)', title: `Sync stages of ${e.name}` });
        if (!picks?.length) return undefined;
        stages = picks.map((p) => p.stage);
      }
      return syncNow(deps, e.id, { stages, interactive: true });
    },
    'proxbox.sync.cancel': async (arg) => {
      // A tree item of an endpoint names the endpoint; an id string or a job item names the job.
      const endpointId = arg && typeof arg === 'object' ? endpointIdOf(arg) : undefined;
      let id = jobIdOf(arg);
      if (!id && endpointId) {
        // Never fall back to another endpoint's sync: the one the user pointed at may have just ended.
        id = runningJobs(deps, endpointId)[0]?.id;
        if (!id) {
          void vscode.window.showInformationMessage(`Proxbox: no sync of ${deps.store.get(endpointId)?.name ?? endpointId} is running.`);
          return false;
        }
      }
      id ??= await pickJob(deps, undefined, isSyncing, 'Sync to cancel', 'no sync is running.');
      if (!id) return false;
      await deps.jobs.cancel(id);
      return true;
    },
  };
}
