// Job records, as NetBox keeps them (one record per run; a recurring schedule is a chain of records), plus
// what a scheduler needs from the outside world: a sync runner and a clock.
import type { PipelineEvent } from '../pipeline/events';

/** NetBox's job statuses. errored = the sync ran and ended with `complete ok=false`; failed = the job itself broke
 * (the runner threw, it was cancelled, or the window running it closed). */
export type JobStatus = 'scheduled' | 'pending' | 'running' | 'completed' | 'errored' | 'failed';

export const TERMINAL_STATUSES: readonly JobStatus[] = ['completed', 'errored', 'failed'];
export const isTerminal = (s: JobStatus): boolean => TERMINAL_STATUSES.includes(s);

/** A finished job that really synced (completed or failed on its own), as opposed to one stopped or never run. */
export const isFinishedSync = (j: Pick<Job, 'status' | 'interrupted' | 'startedAt'>): boolean =>
  isTerminal(j.status) && !j.interrupted && j.startedAt !== undefined;

/** Named stage sets; 'custom' uses the request's `stages`. */
export type SyncType = 'all' | 'devices' | 'virtual-machines' | 'backups' | 'backup-routines' | 'custom';

export const SYNC_TYPE_STAGES: Record<Exclude<SyncType, 'custom'>, readonly string[] | undefined> = {
  all: undefined, // the pipeline's full list
  devices: ['devices'],
  'virtual-machines': ['virtual-machines'],
  backups: ['backups'],
  'backup-routines': ['backup-routines'],
};

/** When a job runs. Times are epoch milliseconds. */
export type ScheduleSpec =
  | { mode: 'now' }
  | { mode: 'once'; at: number }
  /** NetBox semantics: N ≥ 1 minutes, anchored on the previous scheduled time, never sooner than 1 minute after a run. */
  | { mode: 'interval'; minutes: number; startAt?: number }
  /** Sub-minute or any seconds interval (the scheduler container's `interval=<s>`), measured from each trigger. */
  | { mode: 'seconds'; seconds: number; backoffSeconds?: number }
  | { mode: 'cron'; expr: string; tz: string; backoffSeconds?: number }
  /**
   * Run after run, with `pauseSeconds` (default 30) between the end of one and the start of the next; after a run
   * that did not complete, the longer of the pause and `backoffSeconds` (default 30).
   */
  | { mode: 'continuous'; backoffSeconds?: number; pauseSeconds?: number };

export type LogLevel = 'debug' | 'info' | 'warning' | 'error';

export interface LogEntry {
  /** Epoch milliseconds. */
  time: number;
  level: LogLevel;
  message: string;
}

export interface StageResult {
  endpoint: string;
  stage: string;
  status: 'completed' | 'failed' | 'skipped';
  count?: number;
  created?: number;
  updated?: number;
  deleted?: number;
  failed?: number;
  skipped?: number;
  durationSeconds?: number;
}

export interface JobResult {
  stages: StageResult[];
  /** Per endpoint: whether its run ended with complete ok=true, and its message. */
  endpoints: { endpoint: string; ok: boolean; message?: string; durationSeconds: number }[];
}

export interface Job {
  id: string;
  /** Shared by every run of one schedule; deleting a scheduled job ends its chain. */
  chainId: string;
  /** Optional identity for "enqueue once": scheduling the same key again keeps or replaces, never duplicates. */
  key?: string;
  syncType: SyncType;
  stages?: string[];
  endpoints: string[];
  status: JobStatus;
  schedule: ScheduleSpec;
  createdAt: number;
  scheduledAt: number;
  startedAt?: number;
  completedAt?: number;
  /** Set on a run that stands for one or more runs missed while the machine slept or no window was open. */
  catchUp?: { missed: number; since: number };
  result?: JobResult;
  error?: string;
  /**
   * Set on a finished job whose sync was stopped from outside (cancelled, deleted, its window closed, the lease lost)
   * or never ran (cancelled before its time, refused by enqueue once): not a failure of the sync itself.
   */
  interrupted?: true;
  /** Requested from the UI by a user who is watching; absent on every other job (successors included). */
  interactive?: true;
  /**
   * Set on a running job whose schedule was cancelled or deleted while it ran: its run is being stopped, and it gets
   * no successor ('delete': the record goes too). Saved, so a reload or a take-over before the run has wound down
   * does not start the schedule again.
   */
  stopping?: 'cancel' | 'delete';
}

export interface JobRequest {
  syncType: SyncType;
  stages?: string[];
  endpoints: string[];
  schedule: ScheduleSpec;
  key?: string;
  /** The user started it from the UI and is watching (progress notification, failure toast). */
  interactive?: boolean;
}

/** The final `complete` data of one endpoint's run. */
export interface SyncOutcome {
  ok: boolean;
  message?: string;
  result?: unknown;
  errors?: unknown[];
}

/** One endpoint's part of a job's run, as the runner is asked to do it. */
export interface SyncRunRequest {
  jobId: string;
  endpointId: string;
  stages: readonly string[] | undefined;
  /** The user started it from the UI and is watching (progress notification, failure toast). */
  interactive: boolean;
  /** 'manual' for a "now" job, 'schedule' for every other mode. */
  trigger: 'manual' | 'schedule';
  signal: AbortSignal;
  onEvent: (event: PipelineEvent) => void;
}

/** Runs one endpoint's sync. The real one wraps the pipeline's runSync (and looks up the endpoint and secret). */
export interface SyncRunner {
  run(request: SyncRunRequest): Promise<SyncOutcome>;
}

export interface Clock {
  /** Epoch milliseconds. */
  now(): number;
  /** Calls fn once after ms; returns a function that cancels it. */
  setTimer(ms: number, fn: () => void): () => void;
}

export class JobError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'JobError';
  }
}
