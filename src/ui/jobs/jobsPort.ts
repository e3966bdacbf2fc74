// The jobs service (src/core/jobs) as the UI uses it: structurally JobService plus its recurrence helpers.
// Kept narrow so the UI code reads as "format and forward", and so the tree can be fed without the core.

export type ScheduleSpecLike =
  | { mode: 'now' }
  | { mode: 'once'; at: number }
  | { mode: 'interval'; minutes: number; startAt?: number }
  | { mode: 'seconds'; seconds: number; backoffSeconds?: number }
  | { mode: 'cron'; expr: string; tz: string; backoffSeconds?: number }
  | { mode: 'continuous'; backoffSeconds?: number };

export type JobStatusLike = 'scheduled' | 'pending' | 'running' | 'completed' | 'errored' | 'failed';

export interface JobStageLike {
  endpoint: string; stage: string; status: 'completed' | 'failed'; count?: number; created?: number; updated?: number;
  deleted?: number; durationSeconds?: number;
}

export interface JobLike {
  id: string;
  chainId: string;
  syncType: string;
  stages?: string[];
  endpoints: string[];
  status: JobStatusLike;
  schedule: ScheduleSpecLike;
  createdAt: number;
  scheduledAt: number;
  startedAt?: number;
  completedAt?: number;
  catchUp?: { missed: number; since: number };
  result?: { stages: JobStageLike[]; endpoints: { endpoint: string; ok: boolean; message?: string; durationSeconds: number }[] };
  error?: string;
}

export interface JobLogEntryLike { time: number; level: string; message: string }

export interface JobRequestLike {
  syncType: 'all' | 'devices' | 'virtual-machines' | 'backups' | 'backup-routines' | 'custom';
  stages?: string[];
  endpoints: string[];
  schedule: ScheduleSpecLike;
  key?: string;
}

export interface SyncRunnerLike {
  run(request: { endpointId: string; stages: readonly string[] | undefined; signal: AbortSignal; onEvent: (e: { event: string; data?: unknown }) => void }):
    Promise<{ ok: boolean; message?: string }>;
}

export interface JobsPort {
  readonly isScheduler: boolean;
  start(): Promise<void>;
  list(): JobLike[];
  get(id: string): JobLike | undefined;
  log(id: string): Promise<JobLogEntryLike[]>;
  onDidChange(listener: (change: { kind: string; jobId?: string }) => void): { dispose(): void };
  schedule(request: JobRequestLike): Promise<{ job: JobLike; queued: boolean; kept: boolean; forwarded: boolean }>;
  cancel(id: string): Promise<void>;
  delete(id: string): Promise<void>;
  clearHistory(): Promise<number>;
  dispose(reason?: string): Promise<void>;
  /** Throws an error that says what is wrong with the spec. */
  validate(spec: ScheduleSpecLike, nowMs: number): void;
  describe(spec: ScheduleSpecLike): string;
  /** The next `count` run times (epoch ms) if every run succeeded on time; empty for "now". */
  preview(spec: ScheduleSpecLike, nowMs: number, count: number): number[];
}

export interface JobsOptions {
  runner: SyncRunnerLike;
  history: { maxCount: number; maxAgeDays: number };
  secrets: () => readonly string[];
}

export const isTerminalJob = (j: JobLike): boolean => j.status === 'completed' || j.status === 'errored' || j.status === 'failed';
