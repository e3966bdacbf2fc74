// Runs syncs for the UI: one at a time per endpoint, with a cancellable progress notification, one AbortSignal from
// the command down to every request, every event to the output channel, and a run record for the tree, the status bar
// and the job log. It decides nothing about Proxmox: it forwards to services.runSync and reports.
import * as vscode from 'vscode';
import { applyEvent, percentDone, progressMessage, startProgress, type SyncProgress } from './format/syncProgress';
import type { EventLike } from './format/eventLine';
import { formatDuration } from './format/time';
import type { EndpointStore } from './endpoints/endpointStore';
import type { ProxboxLog } from './output';
import type { EndpointDefinition, ExplainedError, ProxboxServices } from './services';
import { syncOptions } from './settings';
import { isTerminalJob, type JobsPort } from './jobs/jobsPort';

export interface SyncRun {
  readonly id: string;
  /** The jobs service's job this run belongs to (the run's id is the job's id then). */
  readonly jobId?: string;
  readonly endpointId: string;
  readonly endpointName: string;
  readonly stages?: string[];
  readonly trigger: string;
  readonly progress: SyncProgress;
  readonly lines: string[];
  readonly controller: AbortController;
  readonly startedAt: number;
  finishedAt?: number;
  ok?: boolean;
  message?: string;
  error?: ExplainedError;
}

export type RunChange = { run: SyncRun; kind: 'start' | 'progress' | 'end' } | { run?: undefined; kind: 'cleared' };

export interface SyncRequest {
  stages?: string[];
  interactive?: boolean;
  trigger?: string;
}

const MAX_RUN_LINES = 5000;
const MAX_RECENT = 50;

export class SyncController implements vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<RunChange>();
  readonly onDidChange = this.changed.event;
  private readonly active = new Map<string, SyncRun>(); // by endpoint id
  private readonly history: SyncRun[] = [];
  private seq = 0;
  /** Makes an endpoint ready to sync (e.g. restarts the demo simulator); may return an updated definition. */
  prepare?: (endpoint: EndpointDefinition) => Promise<EndpointDefinition>;

  constructor(
    private readonly services: ProxboxServices,
    private readonly endpoints: EndpointStore,
    private readonly log: ProxboxLog,
  ) {}

  running(): SyncRun[] { return [...this.active.values()]; }
  recent(): SyncRun[] { return [...this.history]; }
  runningFor(endpointId: string): SyncRun | undefined { return this.active.get(endpointId); }
  lastFor(endpointId: string): SyncRun | undefined { return this.history.find((r) => r.endpointId === endpointId); }
  find(id: string): SyncRun | undefined { return [...this.active.values(), ...this.history].find((r) => r.id === id); }

  /** Set when the jobs service is available: syncs then go through it (one per endpoint, across windows). */
  jobs?: JobsPort;
  private readonly interactiveFor = new Set<string>();

  /**
   * Syncs one endpoint now. With the jobs service, the request becomes a "run now" job (queued once behind a running
   * sync of the same endpoint, or handed to the window that runs the schedule); without it, it runs here directly.
   * Resolves with the finished run, or undefined when no run happened in this window.
   */
  async sync(endpointId: string, req: SyncRequest = {}): Promise<SyncRun | undefined> {
    if (!this.jobs) return this.execute(endpointId, req);
    const endpoint = this.endpoints.get(endpointId);
    if (!endpoint) return this.execute(endpointId, req); // reports the missing endpoint
    if (req.interactive) this.interactiveFor.add(endpointId);
    let scheduled: Awaited<ReturnType<JobsPort['schedule']>>;
    try {
      scheduled = await this.jobs.schedule({
        syncType: req.stages?.length ? 'custom' : 'all', ...(req.stages?.length ? { stages: req.stages } : {}),
        endpoints: [endpointId], schedule: { mode: 'now' },
      });
    } catch (err) {
      this.interactiveFor.delete(endpointId);
      const x = this.explain(err);
      const msg = `Proxbox: ${endpoint.name} was not synced: ${x.message}`;
      if (req.interactive) void vscode.window.showWarningMessage(msg); else this.log.warn(msg);
      return undefined;
    }
    if (scheduled.forwarded) {
      this.interactiveFor.delete(endpointId);
      const msg = `Proxbox: another VS Code window runs the sync schedule; the sync of ${endpoint.name} runs there and shows in its status bar.`;
      if (req.interactive) void vscode.window.showInformationMessage(msg); else this.log.info(msg);
      return undefined;
    }
    if (scheduled.queued) {
      const msg = `Proxbox: ${endpoint.name} is syncing already; this sync runs right after it.`;
      if (req.interactive) void vscode.window.showInformationMessage(msg); else this.log.info(msg);
    }
    await this.waitForJob(scheduled.job.id);
    this.interactiveFor.delete(endpointId);
    return this.history.find((r) => r.jobId === scheduled.job.id);
  }

  /** The jobs service's runner: runs one endpoint's sync here, with the UI's progress, log and run record. */
  async runForJob(request: { endpointId: string; stages: readonly string[] | undefined; signal: AbortSignal; onEvent: (e: EventLike) => void }):
    Promise<{ ok: boolean; message?: string }> {
    const job = this.jobs?.list().find((j) => j.status === 'running' && j.endpoints.includes(request.endpointId));
    const interactive = this.interactiveFor.delete(request.endpointId);
    const run = await this.execute(request.endpointId, {
      stages: request.stages ? [...request.stages] : undefined, interactive, trigger: job && job.schedule.mode !== 'now' ? 'schedule' : 'manual',
      signal: request.signal, onEvent: request.onEvent, jobId: job?.id,
    });
    if (!run) return { ok: false, message: `${request.endpointId} could not start (see the Proxbox log).` };
    return { ok: !!run.ok, message: run.error ? `${run.error.message}${run.error.suggestion ? ` — ${run.error.suggestion}` : ''}` : run.message };
  }

  private waitForJob(id: string): Promise<void> {
    return new Promise((resolve) => {
      const check = () => {
        const j = this.jobs?.get(id);
        if (!j || isTerminalJob(j)) {
          sub?.dispose();
          clearInterval(poll);
          resolve();
        }
      };
      const sub = this.jobs?.onDidChange(check);
      // The service reports every change, but a safety poll costs nothing and avoids waiting forever.
      const poll = setInterval(check, 1000);
      check();
    });
  }

  private async execute(endpointId: string, req: SyncRequest & { signal?: AbortSignal; onEvent?: (e: EventLike) => void; jobId?: string }): Promise<SyncRun | undefined> {
    let endpoint = this.endpoints.get(endpointId);
    if (!endpoint) {
      void vscode.window.showErrorMessage(`Proxbox: no endpoint "${endpointId}" is configured. Add it with "Proxbox: Add Endpoint".`);
      return undefined;
    }
    const already = this.active.get(endpointId);
    if (already) {
      const msg = `Proxbox: ${endpoint.name} is already syncing (${progressMessage(already.progress)}). Wait for it or cancel it first.`;
      if (req.interactive) void vscode.window.showInformationMessage(msg, 'Cancel Running Sync').then((a) => { if (a) this.cancel(already.id); });
      else this.log.info(msg);
      return undefined;
    }
    const controller = new AbortController();
    if (req.signal) {
      if (req.signal.aborted) controller.abort();
      else req.signal.addEventListener('abort', () => controller.abort(), { once: true });
    }
    const run: SyncRun = {
      id: req.jobId ?? `run-${Date.now().toString(36)}-${++this.seq}`, jobId: req.jobId, endpointId, endpointName: endpoint.name, stages: req.stages,
      trigger: req.trigger ?? 'manual', progress: startProgress(req.stages?.length ? req.stages : this.services.stages),
      lines: [], controller, startedAt: Date.now(),
    };
    this.active.set(endpointId, run);
    this.changed.fire({ run, kind: 'start' });
    const scope = req.stages?.length ? `stages ${req.stages.join(', ')}` : 'all stages';
    this.record(run, 'info', `Starting sync of ${endpoint.name} (${endpoint.url}), ${scope}`);

    const work = async (report?: (message: string, increment: number) => void): Promise<void> => {
      let last = 0;
      try {
        if (endpoint && this.prepare) endpoint = await this.prepare(endpoint);
        const secret = await this.endpoints.getSecret(endpointId);
        if (!secret) {
          throw Object.assign(new Error(`No token secret is stored for ${endpoint!.name}.`), {
            category: 'authentication', suggestion: 'Run "Proxbox: Edit Endpoint" and enter the token secret again.',
          });
        }
        const outcome = await this.services.runSync({
          endpoint: endpoint!, secret, stages: req.stages, signal: controller.signal, options: syncOptions(),
          onEvent: (e) => {
            this.onEvent(run, e);
            req.onEvent?.(e);
            if (report) {
              const pct = percentDone(run.progress);
              report(progressMessage(run.progress), Math.max(0, pct - last));
              last = pct;
            }
          },
        });
        run.ok = outcome.ok;
        run.message = outcome.message;
        if (outcome.cancelled) run.error = { category: 'cancelled', message: outcome.message ?? 'Sync cancelled.', suggestion: 'Run it again when ready.' };
        if (!run.progress.done) applyEvent(run.progress, { event: 'complete', data: { ok: outcome.ok, message: outcome.message } });
      } catch (err) {
        // The job itself broke (not a pipeline failure): still end like every run, with a reason and a next step.
        const explained = controller.signal.aborted
          ? { category: 'cancelled', message: 'Sync cancelled.', suggestion: 'Run it again when ready.' }
          : this.explain(err);
        run.ok = false;
        run.error = explained;
        run.message = explained.message;
        this.record(run, 'error', `${explained.category} error: ${explained.message}${explained.suggestion ? ` → ${explained.suggestion}` : ''}`);
        applyEvent(run.progress, { event: 'complete', data: { ok: false, message: explained.message } });
      }
    };

    try {
      if (req.interactive) {
        await vscode.window.withProgress(
          { location: vscode.ProgressLocation.Notification, title: `Proxbox: syncing ${endpoint.name}`, cancellable: true },
          (progress, token) => {
            token.onCancellationRequested(() => this.cancel(run.id));
            return work((message, increment) => progress.report({ message, increment }));
          },
        );
      } else {
        await work();
      }
    } finally {
      run.finishedAt = Date.now();
      if (!run.error && run.progress.error) run.error = run.progress.error;
      this.active.delete(endpointId);
      this.history.unshift(run);
      if (this.history.length > MAX_RECENT) this.history.length = MAX_RECENT;
      const took = formatDuration((run.finishedAt - run.startedAt) / 1000);
      this.record(run, run.ok ? 'info' : 'error', `Sync of ${run.endpointName} ${run.ok ? 'finished' : 'failed'} after ${took}`);
      this.changed.fire({ run, kind: 'end' });
    }
    if (req.interactive && !run.ok) this.reportFailure(run);
    return run;
  }

  /** Forgets finished runs (running ones stay). */
  clearHistory(): number {
    const n = this.history.length;
    this.history.length = 0;
    this.changed.fire({ kind: 'cleared' });
    return n;
  }

  cancel(runId: string): boolean {
    const run = [...this.active.values()].find((r) => r.id === runId);
    if (!run) return false;
    this.record(run, 'warn', `Cancelling the sync of ${run.endpointName}…`);
    // Through the jobs service when the run is a job, so its record says it was cancelled; the abort follows.
    if (run.jobId && this.jobs) void this.jobs.cancel(run.jobId).catch(() => run.controller.abort());
    run.controller.abort();
    return true;
  }

  cancelAll(): number {
    const runs = this.running();
    for (const r of runs) this.cancel(r.id);
    return runs.length;
  }

  explain(err: unknown): ExplainedError {
    return this.services.explainError(err);
  }

  private onEvent(run: SyncRun, e: EventLike): void {
    applyEvent(run.progress, e);
    const line = this.log.event(e, run.endpointName);
    if (line && e.event !== 'item_progress') this.keep(run, line);
    this.changed.fire({ run, kind: 'progress' });
  }

  private record(run: SyncRun, level: 'info' | 'warn' | 'error', message: string): void {
    const line = this.log.write(level, `[${run.endpointName}] ${message}`);
    if (line) this.keep(run, line);
  }

  private keep(run: SyncRun, line: string): void {
    run.lines.push(line);
    if (run.lines.length > MAX_RUN_LINES) run.lines.splice(0, run.lines.length - MAX_RUN_LINES);
  }

  private reportFailure(run: SyncRun): void {
    const e = run.error;
    if (e?.category === 'cancelled') return;
    const text = `Proxbox: sync of ${run.endpointName} failed: ${e?.message ?? run.message ?? 'unknown error'}${e?.suggestion ? ` — ${e.suggestion}` : ''}`;
    const actions = ['Show Log', ...(e?.category === 'authentication' || e?.category === 'connection' ? ['Edit Endpoint'] : [])];
    void vscode.window.showErrorMessage(text, ...actions).then((a) => {
      if (a === 'Show Log') this.log.show();
      if (a === 'Edit Endpoint') void vscode.commands.executeCommand('proxbox.endpoint.edit', run.endpointId);
    });
  }

  dispose(): void {
    this.cancelAll();
    this.changed.dispose();
  }
}
