// The sync scheduler and job list. Every window builds one; only the holder of the scheduler lease runs jobs,
// the others read the same records from the store and forward what the user asks for as request documents.
//
// Rules (issue 6): one run per endpoint at a time (a request for a busy endpoint is queued once, a second one is
// refused); a recurrence continues after a failure; deleting a scheduled job ends its chain; a run missed while the
// machine slept or no window was open is made up by ONE catch-up run, then the normal schedule resumes; a job that
// was running when its window closed is marked failed with the reason.
import { DocumentStore } from '../inventory/store';
import { systemClock } from './clock';
import { DEFAULT_MAX_LOG_ENTRIES, JobLog, ResultCollector, describeEvent, redactSecrets } from './jobLog';
import { JobCommand, JobStore, newId } from './jobStore';
import { DEFAULT_LEASE_TTL_MS, Lease } from './lease';
import { LATE_GRACE_MS, describeSchedule, firstRun, missedSince, nextRun, validateSchedule } from './recurrence';
import {
  Clock, Job, JobError, JobRequest, JobResult, LogEntry, LogLevel, SYNC_TYPE_STAGES, ScheduleSpec, SyncRunner, isTerminal,
} from './types';

export interface JobServiceOptions {
  /** The storage folder (the extension's global storage, or `--store DIR`): jobs, logs and the lease live here. */
  storeDir: string;
  runner: SyncRunner;
  clock?: Clock;
  /** How often the lease is renewed (or a take-over attempted) and requests from other windows are picked up. */
  heartbeatMs?: number;
  leaseTtlMs?: number;
  /** Lease owner id (tests give names; by default pid + random). */
  owner?: string;
  /** Shown to other windows as the lease holder, e.g. "VS Code window" or "proxbox schedule-sync". */
  label?: string;
  history?: { maxCount?: number; maxAgeDays?: number };
  maxLogEntries?: number;
  /** Secrets to hide from every log entry and error, whatever an event or error message contains. */
  secrets?: () => readonly string[];
  /** During a run, the log document is written at most this often (the final state is always written). */
  logFlushMs?: number;
  /** fsync the job index on every change (default true). Tests that make thousands of runs may turn it off. */
  durableWrites?: boolean;
}

export type JobChange = { kind: 'jobs' } | { kind: 'log'; jobId: string; entry: LogEntry } | { kind: 'role'; scheduler: boolean };

export interface ScheduleResult {
  job: Job;
  /** Waiting for a running sync of one of its endpoints to finish. */
  queued: boolean;
  /** An equal schedule with the same key already existed and was kept (enqueue once). */
  kept: boolean;
  /** This window does not run the schedule: the request was handed to the window that does. */
  forwarded: boolean;
}

export const DEFAULT_HEARTBEAT_MS = 5_000;
export const DEFAULT_HISTORY = { maxCount: 200, maxAgeDays: 30 };

export class JobService {
  private readonly clock: Clock;
  private readonly jobStore: JobStore;
  private readonly lease: Lease;
  private readonly heartbeatMs: number;
  private readonly maxCount: number;
  private readonly maxAgeMs: number;
  private readonly maxLogEntries: number;
  private readonly logFlushMs: number;
  private readonly secrets: () => readonly string[];

  private jobs = new Map<string, Job>();
  private readonly logs = new Map<string, JobLog>();
  private readonly logFlushedAt = new Map<string, number>();
  private readonly running = new Map<string, AbortController>();
  private readonly busyEndpoints = new Set<string>();
  /** Chains ended by delete while their run was in progress: no next run is created when it finishes. */
  private readonly endedChains = new Set<string>();
  /** Jobs deleted while running: the record is removed once the run has wound down. */
  private readonly deleteWhenDone = new Set<string>();
  private readonly listeners = new Set<(change: JobChange) => void>();

  private holder = false;
  private lastSaved: string | undefined;
  private renewedAt = -Infinity;
  private started = false;
  private disposed = false;
  private cancelTimer: (() => void) | undefined;
  private ops: Promise<unknown> = Promise.resolve();
  private ioChain: Promise<unknown> = Promise.resolve();
  private readonly activeRuns = new Set<Promise<void>>();

  constructor(private readonly options: JobServiceOptions) {
    this.clock = options.clock ?? systemClock;
    this.jobStore = new JobStore(new DocumentStore(options.storeDir), options.durableWrites ?? true);
    this.heartbeatMs = options.heartbeatMs ?? DEFAULT_HEARTBEAT_MS;
    this.lease = new Lease(options.storeDir, this.clock, {
      ttlMs: options.leaseTtlMs ?? Math.max(DEFAULT_LEASE_TTL_MS, this.heartbeatMs * 3),
      ...(options.owner ? { owner: options.owner } : {}),
      ...(options.label ? { label: options.label } : {}),
    });
    this.maxCount = options.history?.maxCount ?? DEFAULT_HISTORY.maxCount;
    this.maxAgeMs = (options.history?.maxAgeDays ?? DEFAULT_HISTORY.maxAgeDays) * 86_400_000;
    this.maxLogEntries = options.maxLogEntries ?? DEFAULT_MAX_LOG_ENTRIES;
    this.logFlushMs = options.logFlushMs ?? 1_000;
    this.secrets = options.secrets ?? (() => []);
  }

  // ---- public API -------------------------------------------------------------------------------------------

  /** Loads the jobs and starts the heartbeat (taking the lease if it is free). */
  async start(): Promise<void> {
    if (this.started) return;
    this.started = true;
    await this.serial(async () => {
      this.jobs = new Map((await this.jobStore.loadJobs()).map((j) => [j.id, j]));
    });
    await this.serial(() => this.tick());
  }

  /** Re-reads the jobs from the store now (a window that does not run the schedule otherwise refreshes every heartbeat). */
  async refresh(): Promise<void> {
    await this.serial(async () => {
      if (!this.holder) await this.reloadAsViewer();
    });
  }

  /** Whether this instance holds the lease and runs the schedule. */
  get isScheduler(): boolean {
    return this.holder;
  }

  /** Who runs the schedule (for "another window runs the schedule" messages). */
  leaseHolder(): Promise<{ owner: string; pid: number; label?: string; renewedAt: number } | undefined> {
    return this.lease.current();
  }

  /** Every job: running first, then queued, then scheduled by time, then history newest first. */
  list(): Job[] {
    const rank: Record<Job['status'], number> = { running: 0, pending: 1, scheduled: 2, completed: 3, errored: 3, failed: 3 };
    return [...this.jobs.values()].map(clone).sort((a, b) =>
      rank[a.status] - rank[b.status] ||
      (rank[a.status] === 2 ? a.scheduledAt - b.scheduledAt : 0) ||
      (rank[a.status] === 3 ? (b.completedAt ?? 0) - (a.completedAt ?? 0) : 0) ||
      a.createdAt - b.createdAt);
  }

  get(id: string): Job | undefined {
    const j = this.jobs.get(id);
    return j && clone(j);
  }

  /** The log of a job, readable while it runs (from memory in the scheduling window, from the store elsewhere). */
  async log(id: string): Promise<LogEntry[]> {
    const live = this.logs.get(id);
    if (live) return live.entries();
    const stored = await this.jobStore.loadLog(id);
    if (!stored) return [];
    return new JobLog(this.maxLogEntries, this.secrets, stored).entries();
  }

  onDidChange(listener: (change: JobChange) => void): { dispose(): void } {
    this.listeners.add(listener);
    return { dispose: () => void this.listeners.delete(listener) };
  }

  /** Schedules a sync. Throws JobError for an invalid schedule or when enqueue-once refuses the request. */
  async schedule(request: JobRequest): Promise<ScheduleResult> {
    this.checkRequest(request);
    const id = newId(this.clock.now());
    const command: JobCommand = { op: 'schedule', id, chainId: id, request: normalizeRequest(request) };
    return this.serial(async () => {
      if (!this.holder) {
        await this.jobStore.submit(command, this.clock.now());
        const job = this.newJob(command.id, command.chainId, command.request, firstRun(request.schedule, this.clock.now()));
        return { job, queued: false, kept: false, forwarded: true };
      }
      const result = await this.applySchedule(command);
      await this.afterChange();
      return result;
    });
  }

  /** Cancels a job: a running one is aborted (its schedule continues); a scheduled or queued one will not run, and its chain ends. */
  async cancel(id: string): Promise<void> {
    await this.serial(async () => {
      if (!this.holder) return this.forward({ op: 'cancel', id });
      this.applyCancel(id);
      await this.afterChange();
    });
  }

  /** Deletes a job record. Deleting a scheduled (or running) job of a recurring schedule ends that schedule. */
  async delete(id: string): Promise<void> {
    await this.serial(async () => {
      if (!this.holder) return this.forward({ op: 'delete', id });
      await this.applyDelete(id);
      await this.afterChange();
    });
  }

  /** Removes every finished job. Returns how many were removed (0 when forwarded to the scheduling window). */
  async clearHistory(): Promise<number> {
    return this.serial(async () => {
      if (!this.holder) {
        await this.forward({ op: 'clearHistory' });
        return 0;
      }
      const n = await this.applyClearHistory();
      await this.afterChange();
      return n;
    });
  }

  /** Resolves when no state change or file write is in progress (runs may still be going on). */
  async idle(): Promise<void> {
    for (;;) {
      const ops = this.ops;
      const io = this.ioChain;
      await Promise.all([ops.catch(() => undefined), io.catch(() => undefined)]);
      for (let i = 0; i < 3; i++) await new Promise((r) => setImmediate(r));
      if (ops === this.ops && io === this.ioChain) return;
    }
  }

  /** Resolves when every run in progress has finished and the state is saved. */
  async drain(): Promise<void> {
    while (this.activeRuns.size) await Promise.all([...this.activeRuns]);
    await this.idle();
  }

  /**
   * Stops the heartbeat. Runs in progress are aborted and recorded as failed with `reason`, and the lease is
   * released so another window takes over at once.
   */
  async dispose(reason = 'Stopped: the window (or process) running the scheduler closed before the sync finished.'): Promise<void> {
    if (this.disposed) return;
    this.disposed = true;
    this.cancelTimer?.();
    for (const ac of this.running.values()) ac.abort(new JobError(reason));
    await this.drain();
    if (this.holder) {
      await this.lease.release();
      this.holder = false;
    }
  }

  // ---- heartbeat ------------------------------------------------------------------------------------------

  private async tick(): Promise<void> {
    if (this.disposed) return;
    const was = this.holder;
    let now = false;
    try {
      now = await this.lease.tryAcquire();
    } catch {
      now = false; // an unreadable folder: act as a viewer until it comes back
    }
    this.holder = now;
    if (now) this.renewedAt = this.clock.now();
    if (now && !was) {
      await this.becomeScheduler();
      this.emit({ kind: 'role', scheduler: true });
    } else if (!now && was) {
      this.lostLease();
    }
    if (this.holder) {
      await this.applyRequests();
      await this.afterChange();
    } else {
      await this.reloadAsViewer();
      this.arm();
    }
  }

  private arm(): void {
    if (this.disposed) return;
    this.cancelTimer?.();
    const now = this.clock.now();
    let delay = this.heartbeatMs;
    if (this.holder) {
      for (const j of this.jobs.values()) if (j.status === 'scheduled') delay = Math.min(delay, Math.max(0, j.scheduledAt - now));
    }
    this.cancelTimer = this.clock.setTimer(delay, () => {
      this.cancelTimer = undefined;
      void this.serial(() => this.tick()).catch(() => undefined);
    });
  }

  /** Someone else took the lease (this window froze or slept past its time-to-live): stop running at once. */
  private lostLease(): void {
    this.holder = false;
    for (const ac of this.running.values()) ac.abort(new JobError('Stopped: another window took over the schedule while this one was unresponsive.'));
    this.emit({ kind: 'role', scheduler: false });
  }

  private async becomeScheduler(): Promise<void> {
    // Reload: the previous holder may have changed things since this window last looked.
    this.jobs = new Map((await this.jobStore.loadJobs()).map((j) => [j.id, j]));
    this.lastSaved = undefined;
    const now = this.clock.now();
    for (const job of this.jobs.values()) {
      if (job.status !== 'running' || this.running.has(job.id)) continue;
      // Its runner is gone: the lease was free or expired, so the window that ran it closed, crashed or froze.
      const log = await this.logOf(job.id);
      this.finishRecord(job, 'failed', 'The window (or process) running this sync stopped before it finished ' +
        '(VS Code was closed or reloaded, or the process was killed). The schedule continues.', now, log, true, undefined, true);
    }
  }

  private async reloadAsViewer(): Promise<void> {
    let loaded: Job[];
    try {
      loaded = await this.jobStore.loadJobs();
    } catch {
      return; // keep showing the last good state; the holder's next write fixes it
    }
    const before = JSON.stringify([...this.jobs.values()]);
    this.jobs = new Map(loaded.map((j) => [j.id, j]));
    for (const id of [...this.logs.keys()]) if (!this.running.has(id)) this.logs.delete(id);
    if (JSON.stringify(loaded) !== before) this.emit({ kind: 'jobs' });
  }

  private async applyRequests(): Promise<void> {
    for (const { command, error } of await this.jobStore.takeRequests()) {
      // A broken request document has no job to attach its error to; it was removed and is skipped.
      if (!command || error) continue;
      try {
        if (command.op === 'schedule') await this.applySchedule(command);
        else if (command.op === 'cancel') this.applyCancel(command.id);
        else if (command.op === 'delete') await this.applyDelete(command.id);
        else if (command.op === 'clearHistory') await this.applyClearHistory();
      } catch {
        // A refused forwarded request (enqueue once, a job already gone) has nobody waiting for an answer.
      }
    }
  }

  // ---- state changes (always inside serial()) --------------------------------------------------------------

  private async applySchedule(command: Extract<JobCommand, { op: 'schedule' }>): Promise<ScheduleResult> {
    const { request } = command;
    const now = this.clock.now();
    if (request.key) {
      const same = [...this.jobs.values()].find((j) => j.key === request.key && !isTerminal(j.status));
      if (same) {
        if (sameSchedule(same, request)) return { job: clone(same), queued: same.status === 'pending', kept: true, forwarded: false };
        // Enqueue once: a changed schedule replaces the old chain.
        await this.endChain(same, 'Replaced by a new schedule with the same key.');
      }
    }
    if (request.schedule.mode === 'now' && request.endpoints.some((e) => this.busyEndpoints.has(e))) {
      const queued = this.queuedFor(request.endpoints);
      if (queued) {
        throw new JobError(
          `A sync of ${request.endpoints.filter((e) => this.busyEndpoints.has(e)).join(', ')} is running and another one ` +
            `(${queued.id}) is already queued, so this request was not added. Wait for the queued sync, or cancel it first.`,
        );
      }
    }
    const job = this.newJob(command.id, command.chainId, request, firstRun(request.schedule, now));
    this.jobs.set(job.id, job);
    const log = this.newLog(job.id);
    this.addLog(job, log, 'info', `Scheduled: ${syncLabel(job)}, ${describeSchedule(job.schedule)}; first run ${new Date(job.scheduledAt).toISOString()}.`);
    await this.runDue();
    const fresh = this.jobs.get(job.id) ?? job;
    return { job: clone(fresh), queued: fresh.status === 'pending', kept: false, forwarded: false };
  }

  private applyCancel(id: string): void {
    const job = this.jobs.get(id);
    if (!job) throw new JobError(`No job ${id}: it may have finished and been removed from the history.`);
    if (job.status === 'running') {
      this.running.get(id)?.abort(new JobError('Cancelled by user.'));
      return;
    }
    if (isTerminal(job.status)) throw new JobError(`Job ${id} has already finished (${job.status}); there is nothing to cancel.`);
    const log = this.newLog(id);
    this.addLog(job, log, 'warning', 'Cancelled by user before it ran; its schedule ends here.');
    Object.assign(job, { status: 'failed', error: 'Cancelled by user.', completedAt: this.clock.now() });
    this.flushLog(job.id, true);
  }

  private async applyDelete(id: string): Promise<void> {
    const job = this.jobs.get(id);
    if (!job) return;
    if (job.status === 'running') {
      this.endedChains.add(job.chainId);
      this.deleteWhenDone.add(id);
      this.running.get(id)?.abort(new JobError('Deleted by user while running; its schedule ends here.'));
      return;
    }
    this.jobs.delete(id);
    this.logs.delete(id);
    await this.removeLogFile(id);
  }

  private async applyClearHistory(): Promise<number> {
    const done = [...this.jobs.values()].filter((j) => isTerminal(j.status));
    for (const j of done) {
      this.jobs.delete(j.id);
      this.logs.delete(j.id);
      await this.removeLogFile(j.id);
    }
    return done.length;
  }

  private async endChain(job: Job, why: string): Promise<void> {
    if (job.status === 'running') {
      this.endedChains.add(job.chainId);
      return;
    }
    const log = this.newLog(job.id);
    this.addLog(job, log, 'warning', why);
    await this.applyDelete(job.id);
  }

  /** Moves due scheduled jobs to the queue (noting catch-ups and enqueue-once refusals) and starts what can start. */
  private async runDue(): Promise<void> {
    if (!this.holder || this.disposed) return;
    if (this.clock.now() - this.renewedAt > this.heartbeatMs) {
      // Work arriving between heartbeats (a run ending after a long stall) checks the lease before starting more.
      const still = await this.lease.tryAcquire().catch(() => false);
      if (!still) return this.lostLease();
      this.renewedAt = this.clock.now();
    }
    const now = this.clock.now();
    const due = [...this.jobs.values()].filter((j) => j.status === 'scheduled' && j.scheduledAt <= now).sort((a, b) => a.scheduledAt - b.scheduledAt);
    for (const job of due) {
      const log = await this.logOf(job.id);
      const missed = missedSince(job.schedule, job.scheduledAt, now);
      const late = now - job.scheduledAt;
      if (missed > 0 || late > LATE_GRACE_MS) {
        job.catchUp = { missed, since: job.scheduledAt };
        this.addLog(job, log, 'warning', missed > 0
          ? `Catch-up run: this run was due at ${iso(job.scheduledAt)} and ${missed} more scheduled run${missed === 1 ? ' was' : 's were'} ` +
            `missed while the machine slept or VS Code was closed. Missed runs are not replayed one by one: one run now, ` +
            `then the normal schedule (like Proxmox's "repeat missed" option).`
          : `Late run: this run was due at ${iso(job.scheduledAt)} (the machine slept or VS Code was closed); it runs now, once.`);
      }
      const busy = job.endpoints.filter((e) => this.busyEndpoints.has(e));
      if (busy.length && this.queuedFor(job.endpoints, job.id)) {
        this.addLog(job, log, 'warning', `Not run: a sync of ${busy.join(', ')} was running and another one was already queued (enqueue once).`);
        this.finishRecord(job, 'failed', `Not run: a sync of ${busy.join(', ')} was running and another one was already queued.`, now, log, true, undefined, true);
        continue;
      }
      job.status = 'pending';
      if (busy.length) this.addLog(job, log, 'info', `Queued: waiting for the running sync of ${busy.join(', ')} to finish.`);
    }
    const pending = [...this.jobs.values()].filter((j) => j.status === 'pending').sort((a, b) => a.scheduledAt - b.scheduledAt || a.createdAt - b.createdAt);
    for (const job of pending) {
      if (job.endpoints.some((e) => this.busyEndpoints.has(e))) continue;
      await this.startRun(job);
    }
  }

  private async startRun(job: Job): Promise<void> {
    const log = await this.logOf(job.id);
    job.status = 'running';
    job.startedAt = this.clock.now();
    for (const e of job.endpoints) this.busyEndpoints.add(e);
    const ac = new AbortController();
    this.running.set(job.id, ac);
    this.addLog(job, log, 'info', `Starting sync: ${syncLabel(job)}.`);
    // On disk before the first request: if this process dies mid-run, the next scheduler sees "running" and
    // records the interruption, instead of seeing the run as still due and running it a second time.
    await this.save();
    const run = this.execute(job, log, ac.signal);
    this.activeRuns.add(run);
    void run.finally(() => this.activeRuns.delete(run));
  }

  private async execute(job: Job, log: JobLog, signal: AbortSignal): Promise<void> {
    const collector = new ResultCollector();
    let status: 'completed' | 'errored' | 'failed' = 'completed';
    let error: string | undefined;
    const stages = job.syncType === 'custom' ? job.stages : SYNC_TYPE_STAGES[job.syncType];
    for (const endpoint of job.endpoints) {
      if (signal.aborted) break;
      const t0 = this.clock.now();
      try {
        const outcome = await this.options.runner.run({
          endpointId: endpoint,
          stages,
          signal,
          onEvent: (e) => {
            collector.onEvent(endpoint, e);
            const line = describeEvent(endpoint, e);
            if (line) this.addLog(job, log, line.level, line.message);
          },
        });
        const seconds = (this.clock.now() - t0) / 1000;
        collector.endpointDone(endpoint, outcome.ok === true, outcome.message, seconds);
        if (outcome.ok !== true && !signal.aborted) {
          status = status === 'failed' ? status : 'errored';
          error ??= `${endpoint}: ${outcome.message ?? 'the sync ended with errors'}`;
        }
      } catch (err) {
        if (signal.aborted) break;
        status = 'failed';
        const message = err instanceof Error ? err.message : String(err);
        error ??= `${endpoint}: ${message}`;
        this.addLog(job, log, 'error', `[${endpoint}] the sync broke: ${message}`);
        collector.endpointDone(endpoint, false, message, (this.clock.now() - t0) / 1000);
      }
    }
    if (signal.aborted) {
      status = 'failed';
      const reason = signal.reason;
      error = reason instanceof Error ? reason.message : 'Cancelled.';
      this.addLog(job, log, 'warning', error);
    }
    await this.serial(async () => {
      for (const e of job.endpoints) this.busyEndpoints.delete(e);
      this.running.delete(job.id);
      const chainEnded = this.endedChains.delete(job.chainId);
      this.finishRecord(job, status, error, this.clock.now(), log, !chainEnded, collector.result, signal.aborted);
      if (this.deleteWhenDone.delete(job.id)) await this.applyDelete(job.id);
      await this.afterChange();
    });
  }

  /** Ends a job record and, unless the chain is over, creates the chain's next run. */
  private finishRecord(job: Job, status: 'completed' | 'errored' | 'failed', error: string | undefined, now: number, log: JobLog,
    continueChain = true, result?: JobResult, interrupted = false): void {
    job.status = status;
    job.completedAt = now;
    if (result) job.result = JSON.parse(redactSecrets(JSON.stringify(result), this.secrets())) as JobResult;
    if (error) job.error = redactSecrets(error, this.secrets());
    else delete job.error;
    const took = job.startedAt !== undefined ? ` in ${((now - job.startedAt) / 1000).toFixed(1)} s` : '';
    if (status === 'completed') this.addLog(job, log, 'info', `Sync completed${took}.`);
    else if (status === 'errored') this.addLog(job, log, 'error', `Sync ended with errors${took}: ${job.error}`);
    else this.addLog(job, log, 'error', `Job failed${took}: ${job.error}`);
    if (continueChain) {
      // The back-off is for syncs that failed; a run stopped from outside (cancel, a closed window) is not one.
      const succeeded = status === 'completed' || interrupted;
      const next = nextRun(job.schedule, { scheduledAt: job.scheduledAt, now, succeeded, catchUp: !!job.catchUp });
      if (next !== null) {
        const successor = this.newJob(newId(now), job.chainId, job, next);
        this.jobs.set(successor.id, successor);
        const nlog = this.newLog(successor.id);
        this.addLog(successor, nlog, 'info', `Scheduled: ${syncLabel(successor)}, ${describeSchedule(successor.schedule)}; next run ${iso(next)} (after job ${job.id}, ${status}).`);
        this.addLog(job, log, 'info', `Next run: ${iso(next)} (job ${successor.id}).`);
        this.flushLog(successor.id, true);
      }
    }
    this.flushLog(job.id, true);
  }

  private async afterChange(): Promise<void> {
    await this.runDue();
    this.prune();
    await this.save();
    this.arm();
  }

  private prune(): void {
    const now = this.clock.now();
    const done = [...this.jobs.values()].filter((j) => isTerminal(j.status)).sort((a, b) => (b.completedAt ?? 0) - (a.completedAt ?? 0));
    done.forEach((j, i) => {
      if (i >= this.maxCount || now - (j.completedAt ?? now) > this.maxAgeMs) {
        this.jobs.delete(j.id);
        this.logs.delete(j.id);
        void this.removeLogFile(j.id);
      }
    });
  }

  private async save(): Promise<void> {
    if (!this.holder) return;
    const jobs = [...this.jobs.values()];
    const text = JSON.stringify(jobs);
    // Most heartbeats change nothing: compare with what this window last saved before touching the disk.
    if (text === this.lastSaved) return;
    await this.jobStore.saveJobs(jobs);
    this.lastSaved = text;
    this.emit({ kind: 'jobs' });
  }

  // ---- logs -------------------------------------------------------------------------------------------------

  private newLog(id: string): JobLog {
    let log = this.logs.get(id);
    if (!log) {
      log = new JobLog(this.maxLogEntries, this.secrets);
      this.logs.set(id, log);
    }
    return log;
  }

  private async logOf(id: string): Promise<JobLog> {
    const live = this.logs.get(id);
    if (live) return live;
    const stored = await this.jobStore.loadLog(id).catch(() => undefined);
    const log = new JobLog(this.maxLogEntries, this.secrets, stored ?? { entries: [] });
    this.logs.set(id, log);
    return log;
  }

  private addLog(job: Job, log: JobLog, level: LogLevel, message: string): void {
    const entry = log.add(this.clock.now(), level, message);
    this.emit({ kind: 'log', jobId: job.id, entry });
    this.flushLog(job.id, false);
  }

  /** Writes a log document: always when forced, else at most every logFlushMs, so other windows can follow a run. */
  private flushLog(id: string, force: boolean): void {
    if (!this.holder) return;
    const now = this.clock.now();
    if (!force && now - (this.logFlushedAt.get(id) ?? -Infinity) < this.logFlushMs) return;
    this.logFlushedAt.set(id, now);
    this.io(async () => {
      const log = this.logs.get(id);
      if (!log || !this.jobs.has(id)) return;
      const snapshot = log.toJSON();
      const total = log.total;
      await this.jobStore.saveLog(id, snapshot);
      const job = this.jobs.get(id);
      // Finished and completely saved: the store holds it now, so memory stays bounded by dropping the live copy.
      if (job && isTerminal(job.status) && log.total === total && this.logs.get(id) === log) this.logs.delete(id);
    });
  }

  private async removeLogFile(id: string): Promise<void> {
    this.logFlushedAt.delete(id);
    this.logs.delete(id);
    await this.io(() => this.jobStore.removeLog(id));
  }

  // ---- helpers ----------------------------------------------------------------------------------------------

  private checkRequest(request: JobRequest): void {
    if (!Array.isArray(request.endpoints) || request.endpoints.length === 0 || request.endpoints.some((e) => typeof e !== 'string' || !e)) {
      throw new JobError('A sync job needs at least one endpoint; add an endpoint first, then schedule its sync.');
    }
    if (!(request.syncType in SYNC_TYPE_STAGES) && request.syncType !== 'custom') {
      throw new JobError(`Unknown sync type '${request.syncType}'; use all, devices, virtual-machines, backups, backup-routines or custom.`);
    }
    if (request.syncType === 'custom' && (!request.stages || request.stages.length === 0)) {
      throw new JobError('A custom sync needs the list of stages to run.');
    }
    validateSchedule(request.schedule, this.clock.now());
  }

  private queuedFor(endpoints: string[], except?: string): Job | undefined {
    return [...this.jobs.values()].find((j) => j.id !== except && j.status === 'pending' && j.endpoints.some((e) => endpoints.includes(e)));
  }

  private newJob(id: string, chainId: string, from: JobRequest | Job, scheduledAt: number): Job {
    const now = this.clock.now();
    return {
      id,
      chainId,
      ...(from.key ? { key: from.key } : {}),
      syncType: from.syncType,
      ...(from.stages ? { stages: [...from.stages] } : {}),
      endpoints: [...from.endpoints],
      // Even a job due now starts as scheduled: runDue() moves it on, applying catch-up and enqueue-once rules.
      status: 'scheduled',
      schedule: { ...from.schedule } as ScheduleSpec,
      createdAt: now,
      scheduledAt,
    };
  }

  private async forward(command: JobCommand): Promise<void> {
    await this.jobStore.submit(command, this.clock.now());
  }

  private serial<T>(fn: () => Promise<T>): Promise<T> {
    const next = this.ops.then(fn, fn);
    this.ops = next.catch(() => undefined);
    return next;
  }

  private io(fn: () => Promise<void>): Promise<void> {
    const next = this.ioChain.then(fn, fn).catch(() => undefined); // a failed log write must not stop the scheduler
    this.ioChain = next;
    return next;
  }

  private emit(change: JobChange): void {
    for (const l of this.listeners) {
      try {
        l(change);
      } catch {
        // a listener's bug must not break the scheduler
      }
    }
  }
}

function normalizeRequest(r: JobRequest): JobRequest {
  return {
    syncType: r.syncType,
    ...(r.stages ? { stages: [...r.stages] } : {}),
    endpoints: [...r.endpoints],
    schedule: { ...r.schedule } as ScheduleSpec,
    ...(r.key ? { key: r.key } : {}),
  };
}

function sameSchedule(job: Job, r: JobRequest): boolean {
  return JSON.stringify(job.schedule) === JSON.stringify(r.schedule) &&
    job.syncType === r.syncType &&
    JSON.stringify(job.stages ?? null) === JSON.stringify(r.stages ?? null) &&
    JSON.stringify(job.endpoints) === JSON.stringify(r.endpoints);
}

function syncLabel(job: Job): string {
  const what = job.syncType === 'custom' ? `stages ${job.stages?.join(', ')}` : job.syncType;
  return `${what} on ${job.endpoints.join(', ')}`;
}

const iso = (t: number): string => new Date(t).toISOString();

function clone<T>(v: T): T {
  return JSON.parse(JSON.stringify(v)) as T;
}
