// The sync scheduler and job list, as windows and the headless command use it. Every window builds one; only the
// holder of the scheduler lease runs jobs, the others read the same records from the store and forward what the
// user asks for. This class only wires the parts together and keeps their order of work (one state change at a
// time): the lease role (leaseRole.ts), the job state machine (jobMachine.ts, where the scheduling rules live), the
// log book (logBook.ts) and the run executor (runExecutor.ts).
import { DocumentStore } from '../inventory/store';
import { systemClock } from './clock';
import { JobCommand, JobInput, JobState, MachineConfig, StepResult, checkCancellable, checkRequest, nextDue, normalizeRequest, provisionalJob, stateOf, step } from './jobMachine';
import { JobStore, newId } from './jobStore';
import { DEFAULT_LEASE_TTL_MS, Lease } from './lease';
import { LeaseRole, defaultPickupTimeoutMs } from './leaseRole';
import { DEFAULT_LOG_FLUSH_MS, LogBook } from './logBook';
import { RunExecutor, RunOutcome } from './runExecutor';
import { Clock, Job, JobError, JobRequest, LogEntry, SyncRunner } from './types';

export interface JobServiceOptions {
  /** The storage folder (the extension's global storage, or `--store DIR`): jobs, logs and the lease live here. */
  storeDir: string;
  runner: SyncRunner;
  clock?: Clock;
  /** How often the lease is renewed (or a take-over attempted) and requests from other windows are picked up. */
  heartbeatMs?: number;
  leaseTtlMs?: number;
  /**
   * A request forwarded to the lease holder and not picked up within this time means the holder has stopped
   * working, and this window takes the lease over. Default 3 heartbeats, at least 3 s; must exceed a heartbeat.
   */
  pickupTimeoutMs?: number;
  /** False: hold the lease without picking up other windows' requests, as a stalled window does (tests only). */
  pickUpRequests?: boolean;
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

const ORPHAN_REASON = 'The window (or process) running this sync stopped before it finished ' +
  '(VS Code was closed or reloaded, or the process was killed). The schedule continues.';

export class JobService {
  private readonly clock: Clock;
  private readonly store: JobStore;
  private readonly role: LeaseRole;
  private readonly logs: LogBook;
  private readonly executor: RunExecutor;
  private readonly machine: MachineConfig;
  private readonly heartbeatMs: number;

  /** The jobs: the machine's state in the holder, the last read of the index in a viewer. */
  private state: JobState = stateOf([]);
  /** Runs in progress in this process. */
  private readonly runs = new Map<string, { abort: AbortController; done: Promise<void> }>();
  private readonly listeners = new Set<(change: JobChange) => void>();
  private lastSaved: string | undefined;
  private started = false;
  private disposed = false;
  private cancelTimer: (() => void) | undefined;
  private ops: Promise<unknown> = Promise.resolve();

  constructor(options: JobServiceOptions) {
    this.clock = options.clock ?? systemClock;
    this.store = new JobStore(new DocumentStore(options.storeDir), { durable: options.durableWrites ?? true });
    this.heartbeatMs = options.heartbeatMs ?? DEFAULT_HEARTBEAT_MS;
    const lease = new Lease(options.storeDir, this.clock, {
      ttlMs: options.leaseTtlMs ?? Math.max(DEFAULT_LEASE_TTL_MS, this.heartbeatMs * 3),
      ...(options.owner ? { owner: options.owner } : {}),
      ...(options.label ? { label: options.label } : {}),
    });
    this.role = new LeaseRole(lease, this.store, this.clock, {
      heartbeatMs: this.heartbeatMs,
      pickupTimeoutMs: options.pickupTimeoutMs ?? defaultPickupTimeoutMs(this.heartbeatMs),
      ...(options.pickUpRequests === false ? { pickUpRequests: false } : {}),
    });
    this.logs = new LogBook({
      store: this.store,
      clock: this.clock,
      ...(options.maxLogEntries !== undefined ? { maxEntries: options.maxLogEntries } : {}),
      flushMs: options.logFlushMs ?? DEFAULT_LOG_FLUSH_MS,
      ...(options.secrets ? { secrets: options.secrets } : {}),
      canWrite: () => this.role.isHolder,
      statusOf: (id) => this.state.jobs.get(id)?.status,
      onEntry: (jobId, entry) => this.emit({ kind: 'log', jobId, entry }),
    });
    this.executor = new RunExecutor({ runner: options.runner, clock: this.clock, ...(options.secrets ? { secrets: options.secrets } : {}) });
    this.machine = {
      maxCount: options.history?.maxCount ?? DEFAULT_HISTORY.maxCount,
      maxAgeMs: (options.history?.maxAgeDays ?? DEFAULT_HISTORY.maxAgeDays) * 86_400_000,
      newId,
    };
  }

  // ---- public API -------------------------------------------------------------------------------------------

  /** Loads the jobs and starts the heartbeat (taking the lease if it is free). */
  async start(): Promise<void> {
    if (this.started) return;
    this.started = true;
    await this.serial(async () => {
      this.state = stateOf(await this.store.loadJobs());
    });
    await this.serial(() => this.tick());
  }

  /** Re-reads the jobs from the store now (a window that does not run the schedule otherwise refreshes every heartbeat). */
  async refresh(): Promise<void> {
    await this.serial(async () => {
      if (!this.role.isHolder) await this.reloadAsViewer();
    });
  }

  /** Whether this instance holds the lease and runs the schedule. */
  get isScheduler(): boolean {
    return this.role.isHolder;
  }

  /** Who runs the schedule (for "another window runs the schedule" messages). */
  leaseHolder(): Promise<{ owner: string; pid: number; label?: string; renewedAt: number } | undefined> {
    return this.role.holder();
  }

  /** Every job: running first, then queued, then scheduled by time, then history newest first. */
  list(): Job[] {
    const rank: Record<Job['status'], number> = { running: 0, pending: 1, scheduled: 2, completed: 3, errored: 3, failed: 3 };
    return [...this.state.jobs.values()].map(clone).sort((a, b) =>
      rank[a.status] - rank[b.status] ||
      (rank[a.status] === 2 ? a.scheduledAt - b.scheduledAt : 0) ||
      (rank[a.status] === 3 ? (b.completedAt ?? 0) - (a.completedAt ?? 0) : 0) ||
      a.createdAt - b.createdAt);
  }

  get(id: string): Job | undefined {
    const j = this.state.jobs.get(id);
    return j && clone(j);
  }

  /** The log of a job, readable while it runs (from memory in the scheduling window, from the store elsewhere). */
  log(id: string): Promise<LogEntry[]> {
    return this.logs.read(id);
  }

  onDidChange(listener: (change: JobChange) => void): { dispose(): void } {
    this.listeners.add(listener);
    return { dispose: () => void this.listeners.delete(listener) };
  }

  /** Schedules a sync. Throws JobError for an invalid schedule or when enqueue-once refuses the request. */
  async schedule(request: JobRequest): Promise<ScheduleResult> {
    checkRequest(request, this.clock.now());
    const id = newId(this.clock.now());
    const command: Extract<JobCommand, { op: 'schedule' }> = { op: 'schedule', id, chainId: id, request: normalizeRequest(request) };
    return this.serial(async () => {
      const done = await this.applyAsHolder(command);
      if (done?.scheduled) return { ...done.scheduled, forwarded: false };
      await this.role.forward(command);
      return { job: provisionalJob(command, this.clock.now()), queued: false, kept: false, forwarded: true };
    });
  }

  /**
   * Cancels a job's schedule, whichever of its records `id` names: the run in progress is aborted, the queued or
   * scheduled one will not run, and no further run is made. Throws JobError, saying what to do instead, when the
   * schedule has nothing left to run.
   */
  async cancel(id: string): Promise<void> {
    await this.serial(async () => {
      if (await this.applyAsHolder({ op: 'cancel', id })) return;
      // This window's view may be a heartbeat old, but a finished job never runs again: refuse it here, where the user is.
      checkCancellable(this.state.jobs, id);
      await this.role.forward({ op: 'cancel', id });
    });
  }

  /**
   * Deletes a job. One that has not ended stands for its schedule: the schedule goes (a run in progress is aborted
   * and its record removed once it has stopped), the history of its past runs stays. A finished job is one history
   * record: only it goes.
   */
  async delete(id: string): Promise<void> {
    await this.serial(async () => {
      if (!(await this.applyAsHolder({ op: 'delete', id }))) await this.role.forward({ op: 'delete', id });
    });
  }

  /**
   * Removes what an endpoint being removed leaves in the jobs: the jobs that sync only it go, schedules, runs and
   * logs (a run in progress is aborted first); jobs that sync other endpoints too go on without it.
   */
  async forgetEndpoint(endpoint: string): Promise<void> {
    await this.serial(async () => {
      if (!(await this.applyAsHolder({ op: 'forgetEndpoint', endpoint }))) await this.role.forward({ op: 'forgetEndpoint', endpoint });
    });
  }

  /** Removes every finished job. Returns how many were removed (0 when forwarded to the scheduling window). */
  async clearHistory(): Promise<number> {
    return this.serial(async () => {
      const done = await this.applyAsHolder({ op: 'clearHistory' });
      if (done) return done.removed ?? 0;
      await this.role.forward({ op: 'clearHistory' });
      return 0;
    });
  }

  /** Resolves when no state change or file write is in progress (runs may still be going on). */
  async idle(): Promise<void> {
    for (;;) {
      const ops = this.ops;
      const io = this.logs.pending;
      await Promise.all([ops.catch(() => undefined), io]);
      for (let i = 0; i < 3; i++) await new Promise((r) => setImmediate(r));
      if (ops === this.ops && io === this.logs.pending) return;
    }
  }

  /** Resolves when every run in progress has finished and the state is saved. */
  async drain(): Promise<void> {
    while (this.runs.size) await Promise.all([...this.runs.values()].map((r) => r.done));
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
    for (const run of this.runs.values()) run.abort.abort(new JobError(reason));
    await this.drain();
    await this.role.release();
  }

  // ---- heartbeat --------------------------------------------------------------------------------------------

  private async tick(): Promise<void> {
    if (this.disposed) return;
    try {
      const beat = await this.role.heartbeat();
      if (beat.role === 'holder') {
        if (beat.gained) {
          await this.becomeScheduler(beat.tookOver?.reason);
          this.emit({ kind: 'role', scheduler: true });
        }
        // Requests this window sent and took back keep `interactive` (the user watches here); requests of other
        // windows lose it, since nobody watches this window for them.
        const others = (await this.role.takeRequests()).map(notWatchedHere);
        for (const command of [...(beat.tookOver?.commands ?? []), ...others]) {
          try {
            await this.applyAsHolder(command);
          } catch {
            // A refused forwarded request (enqueue once, a job already gone) has nobody waiting for an answer.
          }
        }
        await this.applyAsHolder({ op: 'tick' });
        // Also when nothing changed: retries a save that failed, and announces the list of a new holder.
        await this.persist();
      } else {
        if (beat.lost) this.lostLease(beat.lost);
        await this.reloadAsViewer();
      }
    } finally {
      this.arm();
    }
  }

  private arm(): void {
    if (this.disposed) return;
    this.cancelTimer?.();
    let delay = this.heartbeatMs;
    const due = this.role.isHolder ? nextDue(this.state) : undefined;
    if (due !== undefined) delay = Math.min(delay, Math.max(0, due - this.clock.now()));
    this.cancelTimer = this.clock.setTimer(delay, () => {
      this.cancelTimer = undefined;
      void this.serial(() => this.tick()).catch(() => undefined);
    });
  }

  private async becomeScheduler(tookOverBecause: string | undefined): Promise<void> {
    // Reload: the previous holder may have changed things since this window last looked. Nothing of it is saved by
    // this window yet, so its first save writes (and announces) the list whatever it holds.
    this.state = stateOf(await this.store.loadJobs());
    this.lastSaved = undefined;
    const reason = tookOverBecause
      ? `The window running the schedule stopped working (${tookOverBecause}), so another window took the schedule over; ` +
        'this run was abandoned. The schedule continues.'
      : ORPHAN_REASON;
    await this.applyAsHolder({ op: 'adopt', live: new Set(this.runs.keys()), reason });
  }

  /**
   * Leaves the schedule to another window for `forMs` (default 2 minutes): runs in progress here are stopped with
   * `reason`, and the window that takes the lease records them. For a window whose VS Code stopped answering; with no
   * other window, this one takes the schedule back afterwards and records them itself.
   */
  async retire(reason: string, forMs = 120_000): Promise<void> {
    if (this.disposed || !this.role.isHolder) return;
    for (const run of this.runs.values()) run.abort.abort(new JobError(reason));
    this.logs.forget((id) => this.runs.has(id));
    await this.role.retire(forMs);
    this.emit({ kind: 'role', scheduler: false });
  }

  /** Someone else holds the lease now (this window froze, slept, or stopped answering): stop running at once. */
  private lostLease(reason: string): void {
    this.role.markLost();
    for (const run of this.runs.values()) run.abort.abort(new JobError(reason));
    // The new holder records the other jobs now. The logs of this window's own runs stay whole (unwritten), in case
    // it gets the lease back before they wind down and records them itself.
    this.logs.forget((id) => this.runs.has(id));
    this.emit({ kind: 'role', scheduler: false });
  }

  private async reloadAsViewer(): Promise<void> {
    let loaded: Job[];
    try {
      loaded = await this.store.loadJobs();
    } catch {
      return; // keep showing the last good state; the holder's next write fixes it
    }
    const before = JSON.stringify([...this.state.jobs.values()]);
    this.state = stateOf(loaded);
    this.logs.forget((id) => this.runs.has(id));
    if (JSON.stringify(loaded) !== before) this.emit({ kind: 'jobs' });
  }

  // ---- state changes (always inside serial()) ---------------------------------------------------------------

  /**
   * Applies one input to the state machine and carries out its effects, if this window holds the lease (checked
   * again when the last renewal is older than a heartbeat); undefined when it does not. Throws the machine's JobError.
   */
  private async applyAsHolder(input: JobInput): Promise<StepResult | undefined> {
    if (!this.role.isHolder) return undefined;
    if (!(await this.role.confirm())) {
      this.lostLease(await this.role.whyLost());
      return undefined;
    }
    const result = step(this.state, input, { now: this.clock.now(), config: this.machine, startRuns: !this.disposed });
    this.state = result.state;
    let saveError: unknown;
    for (const effect of result.effects) {
      switch (effect.type) {
        case 'log':
          await this.logs.open(effect.jobId);
          this.logs.add(effect.jobId, effect.level, effect.message);
          break;
        case 'flushLog':
          this.logs.flush(effect.jobId);
          break;
        case 'removeLog':
          await this.logs.remove(effect.jobId);
          break;
        case 'abort':
          this.runs.get(effect.jobId)?.abort.abort(new JobError(effect.reason));
          break;
        case 'save':
          // A failed save is reported to the caller, but the runs it preceded still start: they are running in the state.
          await this.persist().catch((err: unknown) => { saveError = err; });
          break;
        case 'startRun':
          // Unless the save just found the lease gone: the new holder decides what runs now.
          if (this.role.isHolder) this.launch(effect.jobId);
          break;
      }
    }
    this.arm();
    if (saveError !== undefined) throw saveError;
    return result;
  }

  private launch(jobId: string): void {
    const job = this.state.jobs.get(jobId);
    if (!job || this.runs.has(jobId)) return;
    const abort = new AbortController();
    const run = clone(job);
    const done = (async () => {
      let outcome: RunOutcome;
      try {
        outcome = await this.executor.run(run, abort.signal, (level, message) => this.logs.add(jobId, level, message));
      } catch (err) {
        outcome = { status: 'failed', error: err instanceof Error ? err.message : String(err), result: { stages: [], endpoints: [] }, interrupted: abort.signal.aborted };
      }
      await this.serial(async () => {
        this.runs.delete(jobId);
        // Not the holder any more: the window that took over has recorded this run already.
        await this.applyAsHolder({ op: 'runFinished', id: jobId, ...outcome });
      }).catch(() => undefined);
    })();
    this.runs.set(jobId, { abort, done });
  }

  private async persist(): Promise<void> {
    if (!this.role.isHolder) return;
    const jobs = [...this.state.jobs.values()];
    const text = JSON.stringify(jobs);
    // Most heartbeats change nothing: compare with what this window last saved before touching the disk.
    if (text === this.lastSaved) return;
    // Only while the lease is still ours: a holder replaced a moment ago must not overwrite the new holder's index.
    if (!(await this.role.whileHeld(() => this.store.saveJobs(jobs)))) {
      this.lostLease(await this.role.whyLost());
      return;
    }
    this.lastSaved = text;
    this.emit({ kind: 'jobs' });
  }

  private serial<T>(fn: () => Promise<T>): Promise<T> {
    const next = this.ops.then(fn, fn);
    this.ops = next.catch(() => undefined);
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

function clone<T>(v: T): T {
  return JSON.parse(JSON.stringify(v)) as T;
}

function notWatchedHere(command: JobCommand): JobCommand {
  if (command.op !== 'schedule' || !command.request.interactive) return command;
  const { interactive: _watched, ...request } = command.request;
  return { ...command, request };
}
