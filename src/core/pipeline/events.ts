// The event protocol of a sync run. Names and fields follow proxbox-api's SSE frames, so that anyone who knows
// Proxbox reads them at once; one emitter feeds the output channel, the status bar, the job log and `--json`.
// On the wire an event is one JSON object per line: {"event": "step", "data": {...}}.
import type { ErrorCategory } from '../errors/explain';

export type { ErrorCategory };

export const STAGES = [
  'devices', 'storage', 'virtual-machines', 'virtual-disks', 'task-history', 'backups', 'snapshots',
  'node-interfaces', 'vm-interfaces', 'vm-ip-addresses', 'replications', 'backup-routines',
] as const;
export type StageName = (typeof STAGES)[number];
/** The stages of a Proxmox Backup Server endpoint's sync, in pipeline order (a PVE run never has them). */
export const PBS_STAGES = ['datastores', 'namespaces', 'backup-groups', 'pbs-snapshots', 'pbs-jobs'] as const;
export type PbsStageName = (typeof PBS_STAGES)[number];
/** A stage of either kind of endpoint. `StageName` stays the PVE stages: the proxbox-api backend knows only those. */
export type PipelineStageName = StageName | PbsStageName;
/** Steps after the Proxmox stages that send the inventory somewhere else (a sink); each runs once the stages ended. */
export const SINK_STEPS = ['netbox'] as const;
export type SinkName = (typeof SINK_STEPS)[number];
/** A Proxmox stage (PVE or PBS) or a sink. */
export type StepName = PipelineStageName | SinkName;


export interface ItemInfo {
  name: string;
  item_type: string;
  extra?: Record<string, unknown>;
}

export interface Progress {
  current: number;
  total: number;
  percent: number;
}

export interface StageResult {
  count: number;
  created?: number;
  updated?: number;
  deleted?: number;
  stale?: number;
  failed?: number;
  skipped?: number;
  warnings?: string[];
}

/**
 * A stage's steps: `started`, then exactly one of `completed` or `failed`; or only `skipped` (never started, because
 * a stage it depends on failed). A stage that never started because the whole run ended first (cancelled, bad
 * token) has no step at all; `complete` lists it as `not_run`.
 */
export type StepStatus = 'started' | 'completed' | 'failed' | 'skipped';

export interface StepData {
  /** A stage or sink name, or 'sync' for the run itself. */
  step: StepName | 'sync';
  status: StepStatus;
  message: string;
  result?: StageResult;
  duration_seconds?: number;
  /** On a `skipped` step: the failed stage it depends on (directly or through a skipped stage). */
  failed_dependency?: PipelineStageName;
  metadata?: Record<string, unknown>;
}

export interface DiscoveryData {
  event: 'discovery';
  phase: string;
  status: 'discovered';
  message: string;
  count: number;
  items: ItemInfo[];
  progress: Progress;
  metadata?: Record<string, unknown>;
}

export type ItemOperation = 'created' | 'updated' | 'deleted' | 'skipped' | 'failed';

export interface ItemProgressData {
  event: 'item_progress';
  phase: string;
  status: 'processing' | 'completed' | 'failed';
  message: string;
  item?: ItemInfo;
  operation?: ItemOperation;
  progress: Progress;
  error?: string;
  warning?: string;
}

export interface PhaseCounts {
  created: number;
  updated: number;
  deleted: number;
  failed: number;
  skipped: number;
  total: number;
}

export interface PhaseSummaryData {
  event: 'phase_summary';
  phase: string;
  status: 'completed' | 'completed_with_errors';
  message: string;
  result: PhaseCounts & { stale?: number };
  timing: { elapsed_ms: number };
  /** A sink's summary per kind of object it wrote ("virtual machines"); absent on a stage's own summary. */
  object_type?: string;
}

export interface ErrorDetailData {
  event: 'error_detail';
  phase: string;
  item?: ItemInfo;
  category: ErrorCategory;
  message: string;
  detail: string;
  suggestion: string;
  /** How many items failed with this same cause (item failures are grouped, not one event each). */
  occurrences?: number;
}

export interface ErrorData {
  step: StepName | 'sync';
  status: 'failed';
  error: string;
  detail: string;
  category: ErrorCategory;
}

export interface StageOutcome {
  step: StepName;
  /** `skipped`: a stage it depends on failed; `not_run`: the run ended (cancelled, bad token) before it started. */
  status: 'completed' | 'failed' | 'skipped' | 'not_run';
  count: number;
  created: number;
  updated: number;
  deleted: number;
  stale: number;
  failed: number;
  skipped: number;
  duration_seconds: number;
  /** On a skipped stage: the failed stage it depends on. */
  failed_dependency?: PipelineStageName;
}

export interface CompleteData {
  ok: boolean;
  message: string;
  /** True when the run was stopped by its AbortSignal. */
  cancelled: boolean;
  endpoint: string;
  /** One outcome per selected stage, in pipeline order. */
  stages: StageOutcome[];
  /** Items that could not be read in stages that completed, in pipeline order. */
  warnings: string[];
  /** The first failed stage in pipeline order (the same in every run with the same faults), when one failed. */
  failed_stage?: StepName;
  /** Every stage that failed, in pipeline order (stages stopped by a cancel or another stage's bad token included). */
  failed_stages: StepName[];
  /** Every stage skipped because a stage it depends on failed, in pipeline order. */
  skipped_stages: StepName[];
  /** One per stage that failed of its own error, in pipeline order, then the run's own (cancel, store). */
  errors?: { detail: string; step?: StepName | 'sync'; category?: ErrorCategory }[];
  /** Totals over every stage. */
  result: PhaseCounts & { stale: number; requests: number; written: number };
  duration_seconds: number;
}

export type PipelineEvent =
  | { event: 'step'; data: StepData }
  | { event: 'discovery'; data: DiscoveryData }
  | { event: 'item_progress'; data: ItemProgressData }
  | { event: 'phase_summary'; data: PhaseSummaryData }
  | { event: 'error_detail'; data: ErrorDetailData }
  | { event: 'error'; data: ErrorData }
  | { event: 'complete'; data: CompleteData };

export type PipelineEventName = PipelineEvent['event'];

/** One event as a line of JSON (the `--json` and job-log wire format). */
export function eventToJsonLine(e: PipelineEvent): string {
  return JSON.stringify(e);
}

export function progress(current: number, total: number): Progress {
  return { current, total, percent: total > 0 ? Math.round((current / total) * 100) : 100 };
}

/**
 * Wraps a listener so that a throwing listener (a UI bug) can never break a sync, and so that exactly one
 * `complete` leaves the emitter whatever happens inside the runner.
 */
export class EventEmitterOnce {
  private completed = false;
  constructor(private readonly listener: ((e: PipelineEvent) => void) | undefined, private readonly onListenerError?: (err: unknown) => void) {}

  emit(e: PipelineEvent): void {
    if (this.completed) return;
    if (e.event === 'complete') this.completed = true;
    if (!this.listener) return;
    try {
      this.listener(e);
    } catch (err) {
      this.onListenerError?.(err);
    }
  }

  get hasCompleted(): boolean {
    return this.completed;
  }
}
