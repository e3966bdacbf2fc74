// The embedded sync pipeline: the public surface the UI, the jobs and the CLI use.
export { STAGES, PBS_STAGES, eventToJsonLine } from './events';
export type {
  StageName, PbsStageName, PipelineStageName, PipelineEvent, PipelineEventName, StepData, StepStatus, DiscoveryData, ItemProgressData, PhaseSummaryData, PhaseCounts,
  ErrorDetailData, ErrorData, CompleteData, StageOutcome, StageResult, ErrorCategory, ItemInfo, Progress,
} from './events';
export {
  resolveStages, resolveStagesFor, isStageName, isPbsStageName, stagesOfKind, STAGE_DEPENDENCIES, PBS_STAGE_DEPENDENCIES, StageSelectionError,
} from './dependencies';
export { DEFAULT_OPTIONS, resolveOptions } from './options';
export type { PipelineOptions, PipelineOptionsInput, ConcurrencyOptions } from './options';
export type { PveApi } from './api';
export { runSync } from './runner';
export type { SyncRequest } from './runner';
