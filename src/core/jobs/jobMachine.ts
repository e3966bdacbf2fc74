// The job state machine: given the jobs, one input (a command, a finished run, a tick) and the time, it returns
// the new state and the effects to carry out (write a log entry, save, start or abort a run, remove a log). It does
// no I/O and keeps no timer, so every scheduling rule is tested by calling it with a hand-moved clock.
//
// Rules (issue 6): one run per endpoint at a time (a request for a busy endpoint is queued once, a second one is
// refused); a recurrence continues after a failure; deleting a scheduled job ends its chain; a run missed while the
// machine slept or no window was open is made up by ONE catch-up run, then the normal schedule resumes; a job that
// was running when its window closed is marked failed with the reason.
//
// Issue 11: cancel and delete act on the schedule (the chain of records), whichever of its records they name, so a
// run that ended between the user's click and the command cannot turn a cancel into "nothing to cancel"; removing an
// endpoint removes its schedules, runs and logs; the history is bounded per schedule (see prune).
import { LATE_GRACE_MS, describeSchedule, firstRun, missedSince, nextRun, validateSchedule } from './recurrence';
import { Job, JobError, JobRequest, JobResult, LogLevel, SYNC_TYPE_STAGES, ScheduleSpec, isTerminal } from './types';

/** What a user (or another window, through a request document) asks of the scheduler. Stored as request documents. */
export type JobCommand =
  | { op: 'schedule'; id: string; chainId: string; request: JobRequest }
  | { op: 'cancel'; id: string }
  | { op: 'delete'; id: string }
  | { op: 'clearHistory' }
  /** An endpoint was removed: its own jobs go (schedules, runs, logs); jobs of several endpoints go on without it. */
  | { op: 'forgetEndpoint'; endpoint: string };

export type JobInput =
  | JobCommand
  /** A heartbeat or a timer: start what is due, prune the history. */
  | { op: 'tick' }
  /** A run of this window ended (see RunExecutor). */
  | { op: 'runFinished'; id: string; status: 'completed' | 'errored' | 'failed'; error?: string; result?: JobResult; interrupted: boolean }
  /** This window just became the scheduler: runs recorded as running whose runner is not in `live` are orphans. */
  | { op: 'adopt'; live: ReadonlySet<string>; reason: string };

export type JobEffect =
  /** Append to the job's log (the log book stamps the time and hides secrets). */
  | { type: 'log'; jobId: string; level: LogLevel; message: string }
  /** Write the job's log document now: its last lines, or the first lines of a new run other windows will follow. */
  | { type: 'flushLog'; jobId: string }
  /** The job is gone: forget its log and remove the document. */
  | { type: 'removeLog'; jobId: string }
  /** Stop the job's run in progress; it comes back as `runFinished` with `interrupted`. */
  | { type: 'abort'; jobId: string; reason: string }
  /** The job index changed: write it. Always before any `startRun` of the same step. */
  | { type: 'save' }
  /** Start the job's run (it is already marked running in the state, and saved). */
  | { type: 'startRun'; jobId: string };

export interface JobState {
  readonly jobs: ReadonlyMap<string, Job>;
  /** Chains ended (by delete, or by a replacing schedule) while their run was in progress: no successor. */
  readonly endedChains: ReadonlySet<string>;
  /** Jobs deleted while running: the record is removed once the run has wound down. */
  readonly deleteWhenDone: ReadonlySet<string>;
}

export interface MachineConfig {
  /** History kept: at most this many finished jobs... */
  maxCount: number;
  /** ...none older than this. */
  maxAgeMs: number;
  /** Ids for successors; time first so ids sort by creation. Tests give a counter. */
  newId: (now: number) => string;
}

export interface StepContext {
  now: number;
  config: MachineConfig;
  /** False while the service shuts down: due jobs stay scheduled for the next scheduler instead of starting. */
  startRuns?: boolean;
}

export interface StepResult {
  state: JobState;
  effects: JobEffect[];
  /** For 'schedule': the job as it stands after the step. */
  scheduled?: { job: Job; queued: boolean; kept: boolean };
  /** For 'clearHistory': how many finished jobs were removed. */
  removed?: number;
}

export function stateOf(jobs: Iterable<Job>): JobState {
  return { jobs: new Map([...jobs].map((j) => [j.id, j])), endedChains: new Set(), deleteWhenDone: new Set() };
}

/** Applies one input. Throws JobError (saying what to do instead) for a refused command; the state is then unchanged. */
export function step(state: JobState, input: JobInput, ctx: StepContext): StepResult {
  const d = new Draft(state, ctx);
  let scheduled: StepResult['scheduled'];
  let removed: number | undefined;
  switch (input.op) {
    case 'schedule':
      scheduled = d.schedule(input);
      break;
    case 'cancel':
      d.cancel(input.id);
      break;
    case 'delete':
      d.delete(input.id);
      break;
    case 'clearHistory':
      removed = d.clearHistory();
      break;
    case 'forgetEndpoint':
      d.forgetEndpoint(input.endpoint);
      break;
    case 'runFinished':
      d.runFinished(input);
      break;
    case 'adopt':
      d.adopt(input.live, input.reason);
      break;
    case 'tick':
      break;
  }
  d.runDue();
  d.prune();
  return { ...d.result(state), ...(scheduled ? { scheduled } : {}), ...(removed !== undefined ? { removed } : {}) };
}

/** When the earliest scheduled job is due, if any: the service sets its timer for it. */
export function nextDue(state: JobState): number | undefined {
  let due: number | undefined;
  for (const j of state.jobs.values()) if (j.status === 'scheduled' && (due === undefined || j.scheduledAt < due)) due = j.scheduledAt;
  return due;
}

/** Throws a JobError that says what is wrong with a request and what to do. */
export function checkRequest(request: JobRequest, now: number): void {
  if (!Array.isArray(request.endpoints) || request.endpoints.length === 0 || request.endpoints.some((e) => typeof e !== 'string' || !e)) {
    throw new JobError('A sync job needs at least one endpoint; add an endpoint first, then schedule its sync.');
  }
  if (!(request.syncType in SYNC_TYPE_STAGES) && request.syncType !== 'custom') {
    throw new JobError(`Unknown sync type '${request.syncType}'; use all, devices, virtual-machines, backups, backup-routines or custom.`);
  }
  if (request.syncType === 'custom' && (!request.stages || request.stages.length === 0)) {
    throw new JobError('A custom sync needs the list of stages to run.');
  }
  validateSchedule(request.schedule, now);
}

/** A copy of the request with only the fields a job keeps (a request document must not carry anything else). */
export function normalizeRequest(r: JobRequest): JobRequest {
  return {
    syncType: r.syncType,
    ...(r.stages ? { stages: [...r.stages] } : {}),
    endpoints: [...r.endpoints],
    schedule: { ...r.schedule } as ScheduleSpec,
    ...(r.key ? { key: r.key } : {}),
    ...(r.interactive ? { interactive: true } : {}),
  };
}

/** The job a schedule command will create, as a window that forwards the command shows it until the scheduler has it. */
export function provisionalJob(command: Extract<JobCommand, { op: 'schedule' }>, now: number): Job {
  return newJob(command.id, command.chainId, command.request, firstRun(command.request.schedule, now), now, command.request.interactive === true);
}

/** The records of a job's schedule that have not ended yet (running, queued, scheduled): what cancel and delete stop. */
export function liveOfChain(jobs: ReadonlyMap<string, Job>, id: string): Job[] {
  const job = jobs.get(id);
  if (!job) return [];
  return [...jobs.values()].filter((j) => j.chainId === job.chainId && !isTerminal(j.status));
}

/**
 * Throws the JobError for cancelling a job whose schedule has nothing left to run, with what to do instead. Also used
 * by a window that does not run the schedule, so the user gets the answer at once instead of a request that would be
 * refused silently.
 */
export function checkCancellable(jobs: ReadonlyMap<string, Job>, id: string): void {
  const job = jobs.get(id);
  if (!job || liveOfChain(jobs, id).length) return;
  const when = job.completedAt !== undefined ? ` at ${iso(job.completedAt)}` : '';
  throw new JobError(
    `Job ${id} has already finished (${job.status}${when}) and its schedule has no further run, so there is nothing to cancel. ` +
      'Open its log to see how it ended; "Proxbox: Clear Sync History" removes it from the list.',
  );
}

/** A mutable working copy for one step; the input state is never touched, so a refused command changes nothing. */
class Draft {
  readonly jobs: Map<string, Job>;
  private readonly endedChains: Set<string>;
  private readonly deleteWhenDone: Set<string>;
  private readonly effects: JobEffect[] = [];
  private readonly starts: string[] = [];
  private readonly now: number;

  constructor(state: JobState, private readonly ctx: StepContext) {
    this.jobs = new Map([...state.jobs].map(([id, j]) => [id, structuredClone(j)]));
    this.endedChains = new Set(state.endedChains);
    this.deleteWhenDone = new Set(state.deleteWhenDone);
    this.now = ctx.now;
  }

  result(before: JobState): { state: JobState; effects: JobEffect[] } {
    const state: JobState = { jobs: this.jobs, endedChains: this.endedChains, deleteWhenDone: this.deleteWhenDone };
    const changed = JSON.stringify([...before.jobs.values()]) !== JSON.stringify([...this.jobs.values()]);
    // On disk before the first request of a run: if the process dies mid-run, the next scheduler sees "running"
    // and records the interruption, instead of seeing the run as still due and running it a second time.
    return { state, effects: [...this.effects, ...(changed ? [{ type: 'save' } as const] : []), ...this.starts.map((jobId) => ({ type: 'startRun', jobId }) as const)] };
  }

  schedule(command: Extract<JobCommand, { op: 'schedule' }>): NonNullable<StepResult['scheduled']> {
    const { request } = command;
    if (request.key) {
      // A record being stopped belongs to a schedule that is ending: it can neither be kept nor replaced.
      const same = [...this.jobs.values()].find((j) => j.key === request.key && !isTerminal(j.status) && !j.stopping);
      if (same) {
        if (sameSchedule(same, request)) return { job: structuredClone(same), queued: same.status === 'pending', kept: true };
        // Enqueue once: a changed schedule replaces the old chain.
        this.endChain(same, 'Replaced by a new schedule with the same key.');
      }
    }
    if (request.schedule.mode === 'now' && request.endpoints.some((e) => this.isBusy(e))) {
      const queued = this.queuedFor(request.endpoints);
      if (queued) {
        throw new JobError(
          `A sync of ${request.endpoints.filter((e) => this.isBusy(e)).join(', ')} is running and another one ` +
            `(${queued.id}) is already queued, so this request was not added. Wait for the queued sync, or cancel it first.`,
        );
      }
    }
    const job = newJob(command.id, command.chainId, request, firstRun(request.schedule, this.now), this.now, request.interactive === true);
    this.jobs.set(job.id, job);
    this.log(job, 'info', `Scheduled: ${syncLabel(job)}, ${describeSchedule(job.schedule)}; first run ${iso(job.scheduledAt)}.`);
    this.runDue();
    const fresh = this.jobs.get(job.id) ?? job;
    return { job: structuredClone(fresh), queued: fresh.status === 'pending', kept: false };
  }

  /**
   * Cancels the job's schedule: its run in progress is aborted, its queued or scheduled run will not happen, and no
   * further run is made. The records stay in the history, marked cancelled.
   */
  cancel(id: string): void {
    const job = this.jobs.get(id);
    if (!job) throw new JobError(`No job ${id}: it may have finished and been removed from the history. Refresh the Proxbox view to see the current syncs.`);
    checkCancellable(this.jobs, id);
    for (const live of liveOfChain(this.jobs, id)) {
      if (live.status === 'running') {
        this.stopRun(live, 'cancel', 'Cancelled by user; its schedule ends here.');
        continue;
      }
      this.log(live, 'warning', 'Cancelled by user before it ran; its schedule ends here.');
      Object.assign(live, { status: 'failed', error: 'Cancelled by user.', completedAt: this.now, interrupted: true });
      this.effects.push({ type: 'flushLog', jobId: live.id });
    }
  }

  /**
   * Deletes the job's schedule, whichever of its records `id` names: the records not yet run go, a run in progress is
   * aborted and its record goes once it has wound down; the history of past runs stays. A finished job whose schedule
   * has nothing left to run is one history record: only it goes.
   */
  delete(id: string): void {
    const job = this.jobs.get(id);
    if (!job) return;
    const live = liveOfChain(this.jobs, id);
    if (!live.length) {
      this.remove(id);
      return;
    }
    for (const j of live) {
      if (j.status === 'running') this.stopRun(j, 'delete', 'Deleted by user while running; its schedule ends here.');
      else this.remove(j.id);
    }
  }

  /** An endpoint is gone: every record of it alone goes (a run in progress first stops); others just lose it. */
  forgetEndpoint(endpoint: string): void {
    for (const job of [...this.jobs.values()]) {
      if (!job.endpoints.includes(endpoint)) continue;
      if (job.endpoints.length === 1) {
        if (job.status === 'running') this.stopRun(job, 'delete', `The endpoint ${endpoint} was removed; its schedule ends here.`);
        else this.remove(job.id);
        continue;
      }
      job.endpoints = job.endpoints.filter((e) => e !== endpoint);
      if (job.result) {
        job.result.stages = job.result.stages.filter((r) => r.endpoint !== endpoint);
        job.result.endpoints = job.result.endpoints.filter((r) => r.endpoint !== endpoint);
      }
      if (job.status === 'running') {
        // Stopped, not ended: its successor (built from this record) syncs the other endpoints on the schedule.
        this.effects.push({ type: 'abort', jobId: job.id, reason: `The endpoint ${endpoint} was removed; the schedule goes on with ${job.endpoints.join(', ')}.` });
      } else {
        this.log(job, 'info', `The endpoint ${endpoint} was removed: this job syncs ${job.endpoints.join(', ')} only.`);
      }
    }
  }

  clearHistory(): number {
    const done = [...this.jobs.values()].filter((j) => isTerminal(j.status));
    for (const j of done) this.remove(j.id);
    return done.length;
  }

  runFinished(input: Extract<JobInput, { op: 'runFinished' }>): void {
    const job = this.jobs.get(input.id);
    // Already settled (an orphan recorded when this window took the schedule back): nothing left to record.
    if (!job || job.status !== 'running') return;
    const stopping = job.stopping;
    const chainEnded = this.endedChains.delete(job.chainId) || stopping !== undefined;
    this.finish(job, { status: input.status, error: input.error, result: input.result, continueChain: !chainEnded, interrupted: input.interrupted });
    if (this.deleteWhenDone.delete(job.id) || stopping === 'delete') this.remove(job.id);
  }

  adopt(live: ReadonlySet<string>, reason: string): void {
    for (const job of this.jobs.values()) {
      if (job.status !== 'running' || live.has(job.id)) continue;
      // Its runner is gone with the window (or process) that ran it; the schedule goes on here, unless it was being
      // cancelled or deleted (a reload in the middle must not bring it back).
      const stopping = job.stopping;
      this.finish(job, { status: 'failed', error: stopping ? 'Cancelled by user.' : reason, continueChain: !stopping, interrupted: true });
      if (stopping === 'delete') this.remove(job.id);
    }
  }

  /** Moves due scheduled jobs to the queue (noting catch-ups and enqueue-once refusals) and starts what can start. */
  runDue(): void {
    if (this.ctx.startRuns === false) return;
    const now = this.now;
    const due = [...this.jobs.values()].filter((j) => j.status === 'scheduled' && j.scheduledAt <= now).sort((a, b) => a.scheduledAt - b.scheduledAt);
    for (const job of due) {
      const missed = missedSince(job.schedule, job.scheduledAt, now);
      const late = now - job.scheduledAt;
      if (missed > 0 || late > LATE_GRACE_MS) {
        job.catchUp = { missed, since: job.scheduledAt };
        this.log(job, 'warning', missed > 0
          ? `Catch-up run: this run was due at ${iso(job.scheduledAt)} and ${missed} more scheduled run${missed === 1 ? ' was' : 's were'} ` +
            `missed while the machine slept or VS Code was closed. Missed runs are not replayed one by one: one run now, ` +
            `then the normal schedule (like Proxmox's "repeat missed" option).`
          : `Late run: this run was due at ${iso(job.scheduledAt)} (the machine slept or VS Code was closed); it runs now, once.`);
      }
      const busy = job.endpoints.filter((e) => this.isBusy(e));
      if (busy.length && this.queuedFor(job.endpoints, job.id)) {
        this.log(job, 'warning', `Not run: a sync of ${busy.join(', ')} was running and another one was already queued (enqueue once).`);
        this.finish(job, { status: 'failed', error: `Not run: a sync of ${busy.join(', ')} was running and another one was already queued.`, continueChain: true, interrupted: true });
        continue;
      }
      job.status = 'pending';
      if (busy.length) this.log(job, 'info', `Queued: waiting for the running sync of ${busy.join(', ')} to finish.`);
    }
    const pending = [...this.jobs.values()].filter((j) => j.status === 'pending').sort((a, b) => a.scheduledAt - b.scheduledAt || a.createdAt - b.createdAt);
    for (const job of pending) {
      if (job.endpoints.some((e) => this.isBusy(e))) continue;
      job.status = 'running';
      job.startedAt = now;
      this.log(job, 'info', `Starting sync: ${syncLabel(job)}.`);
      this.starts.push(job.id);
    }
  }

  /**
   * Keeps at most maxCount finished jobs per schedule, none older than maxAgeMs. Each recurring schedule is bounded on
   * its own, and the one-off jobs (run now, once) together, so a schedule that runs often never pushes the runs of
   * another schedule, or of the manual syncs, out of the history.
   */
  prune(): void {
    const { maxCount, maxAgeMs } = this.ctx.config;
    const done = [...this.jobs.values()].filter((j) => isTerminal(j.status)).sort((a, b) => (b.completedAt ?? 0) - (a.completedAt ?? 0));
    const kept = new Map<string, number>();
    for (const j of done) {
      const group = historyGroup(j);
      const rank = kept.get(group) ?? 0;
      kept.set(group, rank + 1);
      if (rank >= maxCount || this.now - (j.completedAt ?? this.now) > maxAgeMs) this.remove(j.id);
    }
  }

  /** Ends a job record and, unless the chain is over, creates the chain's next run. */
  private finish(job: Job, outcome: { status: 'completed' | 'errored' | 'failed'; error?: string; result?: JobResult; continueChain: boolean; interrupted: boolean }): void {
    const now = this.now;
    job.status = outcome.status;
    job.completedAt = now;
    delete job.stopping;
    if (outcome.result) job.result = outcome.result;
    if (outcome.error) job.error = outcome.error;
    else delete job.error;
    // Stopped from outside or never run: the record says so, so that nobody reads it as a failed sync.
    if (outcome.interrupted) job.interrupted = true;
    else delete job.interrupted;
    const took = job.startedAt !== undefined ? ` in ${((now - job.startedAt) / 1000).toFixed(1)} s` : '';
    if (outcome.status === 'completed') this.log(job, 'info', `Sync completed${took}.`);
    else if (outcome.status === 'errored') this.log(job, 'error', `Sync ended with errors${took}: ${job.error}`);
    else this.log(job, 'error', `Job failed${took}: ${job.error}`);
    if (outcome.continueChain) {
      // The back-off is for syncs that failed; a run stopped from outside (cancel, a closed window) is not one.
      const succeeded = outcome.status === 'completed' || outcome.interrupted;
      const next = nextRun(job.schedule, { scheduledAt: job.scheduledAt, now, succeeded, catchUp: !!job.catchUp });
      if (next !== null) {
        const successor = newJob(this.ctx.config.newId(now), job.chainId, job, next, now, false);
        this.jobs.set(successor.id, successor);
        this.log(successor, 'info', `Scheduled: ${syncLabel(successor)}, ${describeSchedule(successor.schedule)}; next run ${iso(next)} (after job ${job.id}, ${outcome.status}).`);
        this.log(job, 'info', `Next run: ${iso(next)} (job ${successor.id}).`);
        this.effects.push({ type: 'flushLog', jobId: successor.id });
      }
    }
    this.effects.push({ type: 'flushLog', jobId: job.id });
  }

  /** Aborts a run and marks its record, so that its chain ends (and, for delete, the record goes) when it winds down. */
  private stopRun(job: Job, how: 'cancel' | 'delete', reason: string): void {
    // A delete wins over an earlier cancel: the user asked for the record to go.
    if (job.stopping !== 'delete') job.stopping = how;
    this.endedChains.add(job.chainId);
    if (how === 'delete') this.deleteWhenDone.add(job.id);
    this.log(job, 'warning', reason);
    this.effects.push({ type: 'abort', jobId: job.id, reason });
  }

  private endChain(job: Job, why: string): void {
    if (job.status === 'running') {
      // The run finishes; its schedule does not go on, after a reload either (the mark is saved with the record).
      this.endedChains.add(job.chainId);
      job.stopping ??= 'cancel';
      this.log(job, 'warning', why);
      return;
    }
    this.log(job, 'warning', why);
    this.delete(job.id);
  }

  private remove(id: string): void {
    this.jobs.delete(id);
    this.effects.push({ type: 'removeLog', jobId: id });
  }

  private isBusy(endpoint: string): boolean {
    for (const j of this.jobs.values()) if (j.status === 'running' && j.endpoints.includes(endpoint)) return true;
    return false;
  }

  private queuedFor(endpoints: string[], except?: string): Job | undefined {
    return [...this.jobs.values()].find((j) => j.id !== except && j.status === 'pending' && j.endpoints.some((e) => endpoints.includes(e)));
  }

  private log(job: Job, level: LogLevel, message: string): void {
    this.effects.push({ type: 'log', jobId: job.id, level, message });
  }
}

function newJob(id: string, chainId: string, from: JobRequest | Job, scheduledAt: number, now: number, interactive: boolean): Job {
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
    ...(interactive ? { interactive: true as const } : {}),
  };
}

/** Which history bound a finished job counts against: its own schedule, or the one-off jobs together. */
function historyGroup(job: Job): string {
  return job.schedule.mode === 'now' || job.schedule.mode === 'once' ? '' : `chain:${job.chainId}`;
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
