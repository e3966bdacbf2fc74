// The jobs service's runner in VS Code: runs one endpoint's sync for a job, and records it under the job's id (its
// progress from the one event reducer, its output lines, its explained error). Interactive runs show a cancellable
// progress notification and, when they fail, a notification with the fix. It decides nothing about Proxmox or about
// scheduling: the jobs service says what runs when; services.runSync does the work.
import { answerWithin, VsCodeUnresponsiveError } from './answerWithin';
import * as vscode from 'vscode';
import { explainError, type ExplainedError } from '../../core/errors/explain';
import type { SyncOutcome, SyncRunner, SyncRunRequest } from '../../core/jobs/types';
import { applyEvent, failRun, percentDone, progressMessage, startRun, type RunProgress } from '../../core/pipeline/reducer';
import { resolveStagesFor } from '../../core/pipeline/dependencies';
import { endpointKind } from '../../core/inventory/model';
import { remoteStages } from '../../core/remote/routes';
import { formatDuration } from '../../core/text/time';
import type { CoreServices, SyncOptions } from '../core';
import type { DemoCluster } from '../demo';
import type { EndpointStore } from '../endpoints/endpointStore';
import { errorText, reportError } from '../errorActions';
import type { ProxboxLog } from '../output';

export interface RunRecord {
  readonly jobId: string;
  readonly endpointId: string;
  readonly endpointName: string;
  readonly trigger: SyncRunRequest['trigger'];
  readonly progress: RunProgress;
  readonly lines: string[];
  error?: { category: string; message: string; suggestion?: string; stage?: string };
}

export type RunChange = { record: RunRecord; kind: 'start' | 'progress' | 'end' };

export interface SyncRunsDeps {
  services: CoreServices;
  endpoints: EndpointStore;
  log: ProxboxLog;
  demo: DemoCluster;
  options: () => SyncOptions;
  /** VS Code stopped answering this window's requests: the composition root hands the sync schedule to another window. */
  onUnresponsive?: (message: string) => void;
}

const MAX_RUN_LINES = 5000;
/** A job may sync several endpoints one after another: each run is its own record. */
const runKey = (jobId: string, endpointId: string): string => `${jobId}\u0000${endpointId}`;
/** Finished runs kept for their per-stage detail in the tree; older ones fall back to the job record. */
const MAX_KEPT = 50;

export class SyncRuns implements SyncRunner, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<RunChange>();
  readonly onDidChange = this.changed.event;
  private readonly cancelRequested = new vscode.EventEmitter<string>();
  /** Fires with a job id when the user cancels from the progress notification; the jobs service does the cancelling. */
  readonly onDidRequestCancel = this.cancelRequested.event;
  private readonly records = new Map<string, RunRecord>();

  constructor(private readonly deps: SyncRunsDeps) {}

  /** A job's run of one endpoint in this window (running, or one of the last finished). */
  get(jobId: string, endpointId: string): RunRecord | undefined {
    return this.records.get(runKey(jobId, endpointId));
  }

  /** A job's runs in this window, one per endpoint, in the order they ran. */
  ofJob(jobId: string): RunRecord[] {
    return [...this.records.values()].filter((r) => r.jobId === jobId);
  }

  all(): RunRecord[] {
    return [...this.records.values()].reverse();
  }

  async run(req: SyncRunRequest): Promise<SyncOutcome> {
    const { endpoints, log } = this.deps;
    const defined = endpoints.get(req.endpointId);
    const record: RunRecord = {
      jobId: req.jobId, endpointId: req.endpointId, endpointName: defined?.name ?? req.endpointId, trigger: req.trigger,
      // Every stage that will run, the ones the selection depends on included, so the progress never goes backwards.
      // A proxbox-api backend runs exactly the stages asked for; a NetBox target adds its step after the stages (a
      // Proxmox Backup Server runs its own stages, and no NetBox step).
      progress: startRun(defined?.backend ? remoteStages(req.stages)
        : endpointKind(defined ?? {}) === 'pbs' ? resolveStagesFor('pbs', req.stages)
          : [...resolveStagesFor('pve', req.stages), ...(defined?.netbox ? ['netbox'] : [])]), lines: [],
    };
    this.keep(record);
    this.changed.fire({ record, kind: 'start' });
    const scope = req.stages?.length ? `stages ${req.stages.join(', ')}` : 'all stages';
    this.line(record, 'info', `Starting sync of ${record.endpointName}${defined ? ` (${defined.url})` : ''}, ${scope} (job ${req.jobId}, ${req.trigger})`);

    let reported = 0;
    const work = async (report?: (message: string, increment: number) => void): Promise<void> => {
      try {
        if (!defined) {
          throw Object.assign(new Error(`No endpoint "${req.endpointId}" is configured (it was removed after the sync was scheduled).`), {
            category: 'validation', suggestion: 'Delete its sync schedule with "Proxbox: Delete Sync Schedule", or add the endpoint again with "Proxbox: Add Endpoint".',
          });
        }
        // A simulated cluster starts first, untimed: only what VS Code has to answer is timed.
        if (defined.demo) await this.deps.demo.start();
        const endpoint = await answerWithin(this.deps.demo.prepare(defined), `the settings of ${defined.name}`, req.signal);
        const secret = await answerWithin(endpoints.getSecret(req.endpointId), `the token secret of ${defined.name}`, req.signal);
        if (!secret) {
          throw Object.assign(new Error(`No ${defined.backend ? 'API key' : 'token secret'} is stored for ${endpoint.name}.`), {
            category: 'authentication', suggestion: `Run "Proxbox: Edit Endpoint" and enter the ${defined.backend ? 'API key' : 'token secret'} again.`,
          });
        }
        // The NetBox token is read only when the endpoint has a target; a missing one fails the netbox step, not the sync.
        const netbox = defined.netbox
          ? { target: defined.netbox, token: await answerWithin(endpoints.getNetBoxToken(req.endpointId), `the NetBox token of ${defined.name}`, req.signal) }
          : undefined;
        await this.deps.services.runSync({
          endpoint, secret, stages: req.stages, signal: req.signal, options: this.deps.options(), netbox,
          onEvent: (e) => {
            applyEvent(record.progress, e);
            const line = log.event(e, record.endpointName);
            if (line && e.event !== 'item_progress') this.store(record, line);
            req.onEvent(e);
            this.changed.fire({ record, kind: 'progress' });
            if (report) {
              const pct = percentDone(record.progress);
              report(progressMessage(record.progress), Math.max(0, pct - reported));
              reported = Math.max(reported, pct);
            }
          },
        });
        // A cancel wins over an error some stage reported before it: the user stopped the run, nothing failed.
        if (record.progress.cancelled) record.error = { category: 'cancelled', message: 'Sync cancelled.' };
        else if (record.progress.error && !record.progress.ok) record.error = record.progress.error;
      } catch (err) {
        // The run broke before or around the pipeline (no secret, the simulator did not start): end like every run.
        const x: ExplainedError = req.signal.aborted ? explainError(Object.assign(new Error('Sync cancelled.'), { name: 'CancelledError' })) : explainError(err);
        record.error = x;
        failRun(record.progress, x);
        this.line(record, 'error', `${x.category} error: ${errorText(x)}`);
        if (err instanceof VsCodeUnresponsiveError) this.deps.onUnresponsive?.(x.message);
      }
    };

    try {
      if (req.interactive) {
        await vscode.window.withProgress(
          { location: vscode.ProgressLocation.Notification, title: `Proxbox: syncing ${record.endpointName}`, cancellable: true },
          (progress, token) => {
            token.onCancellationRequested(() => this.cancelRequested.fire(req.jobId));
            return work((message, increment) => progress.report({ message, increment }));
          },
        );
      } else {
        await work();
      }
    } finally {
      const p = record.progress;
      const took = formatDuration(((p.finishedAt ?? Date.now()) - p.startedAt) / 1000);
      this.line(record, p.ok ? 'info' : 'error', `Sync of ${record.endpointName} ${p.ok ? 'finished' : p.cancelled ? 'was cancelled' : 'failed'} after ${took}`);
      this.changed.fire({ record, kind: 'end' });
    }
    const ok = record.progress.ok === true;
    if (req.interactive && !ok && record.error && record.error.category !== 'cancelled') {
      reportError(log, `sync of ${record.endpointName} failed`, { detail: record.error.message, suggestion: '', ...record.error } as ExplainedError, req.endpointId);
    }
    return { ok, message: record.error?.message ?? record.progress.message };
  }

  /** The endpoint was removed: its run records go, so nothing shows its last run or error any more. */
  forgetEndpoint(endpointId: string): void {
    for (const [key, record] of this.records) if (record.endpointId === endpointId && record.progress.done) this.records.delete(key);
  }

  private keep(record: RunRecord): void {
    this.records.set(runKey(record.jobId, record.endpointId), record);
    for (const id of this.records.keys()) {
      if (this.records.size <= MAX_KEPT) break;
      if (this.records.get(id)!.progress.done) this.records.delete(id);
    }
  }

  private line(record: RunRecord, level: 'info' | 'warn' | 'error', message: string): void {
    const line = this.deps.log.write(level, `[${record.endpointName}] ${message}`);
    if (line) this.store(record, line);
  }

  private store(record: RunRecord, line: string): void {
    record.lines.push(line);
    if (record.lines.length > MAX_RUN_LINES) record.lines.splice(0, record.lines.length - MAX_RUN_LINES);
  }

  dispose(): void {
    this.changed.dispose();
    this.cancelRequested.dispose();
  }
}
