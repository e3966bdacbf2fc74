// The jobs and scheduled-syncs core, for the VS Code side and the headless command.
export * from './types';
export { JobService, DEFAULT_HEARTBEAT_MS, DEFAULT_HISTORY } from './jobService';
export type { JobServiceOptions, JobChange, ScheduleResult } from './jobService';
export { step, stateOf, nextDue, checkRequest, checkCancellable } from './jobMachine';
export type { JobCommand, JobInput, JobEffect, JobState, MachineConfig, StepContext, StepResult } from './jobMachine';
export { LeaseRole, defaultPickupTimeoutMs } from './leaseRole';
export type { Heartbeat, LeaseRoleOptions } from './leaseRole';
export { LogBook, JobLog } from './logBook';
export { RunExecutor } from './runExecutor';
export type { RunOutcome } from './runExecutor';

export { ManualClock, systemClock } from './clock';
export { Lease, DEFAULT_LEASE_TTL_MS } from './lease';
export type { LeaseInfo } from './lease';
export { describeSchedule, validateSchedule, nextRun, firstRun, missedSince, DEFAULT_BACKOFF_SECONDS } from './recurrence';
export { parseSyncMode } from './syncMode';
export { previewRuns } from './preview';
