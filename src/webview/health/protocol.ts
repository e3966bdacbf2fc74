// Messages between the Backup Health webview and the extension. Types only, imports nothing: both sides import this
// file, and the browser bundle must never pull in code that imports vscode. The envelope around requests and replies
// (sequence numbers, errors, timeouts) is src/webview/shared/rpc.ts.
// The report shapes mirror src/core/health/types.ts (HealthReport is a JSON contract);
// test/unit/webviewHealthProtocol.test.ts fails to compile when the two drift apart.

export type GuestHealthStatus = 'excluded' | 'not-covered' | 'never' | 'failed' | 'overdue' | 'verify-failed' | 'ok';

export interface GuestHealth {
  endpoint: string;
  vmid: number;
  name: string;
  node: string;
  type: 'qemu' | 'lxc';
  status: GuestHealthStatus;
  reason: string;
  lastBackup: number | null;
  backupCount: number;
  nextBackup: number | null;
  routines: string[];
  verification: string | null;
  policyRule?: number;
}

export type RunOutcome = 'ok' | 'warnings' | 'failed' | 'running' | 'missed';

export interface RunFailure {
  vmid: number;
  reason: string;
  lines: string[];
}

export interface RoutineRun {
  scheduled: number;
  node: string;
  status: RunOutcome;
  task: string | null;
  failedGuests: readonly number[];
  started: number | null;
  ended: number | null;
  taskStatus: string | null;
  failures: readonly RunFailure[];
  jobError: string | null;
}

export interface RoutineProblem {
  kind: 'schedule-stops' | 'schedule-error' | 'disabled' | 'stale';
  message: string;
}

export interface RoutineHealth {
  endpoint: string;
  jobId: string;
  runs: RoutineRun[];
  lastRun: RoutineRun | null;
  dueRun: number | null;
  nextRun: number | null;
  problems: RoutineProblem[];
}

export type HealthSummary = Record<GuestHealthStatus, number>;

export interface PolicyViolation {
  rule: number;
  endpoint: string;
  vmid: number;
  name: string;
  message: string;
}

export interface JobHealth {
  endpoint: string;
  kind: 'prune' | 'gc' | 'verify' | 'sync';
  id: string;
  store: string;
  schedule: string | null;
  status: RunOutcome | null;
  problem: boolean;
  reason: string;
  lastRun: number | null;
  lastRunUpid: string | null;
  nextRun: number | null;
  enabled: boolean;
  lifecycle: 'active' | 'stale';
}

export interface HealthReport {
  now: number;
  graceSeconds: number;
  historyDays: number;
  summary: HealthSummary;
  guests: GuestHealth[];
  routines: RoutineHealth[];
  jobs: JobHealth[];
  violations: PolicyViolation[];
}

/** One endpoint's report, with what the view needs to name things. */
export interface EndpointHealth {
  endpointId: string;
  endpointName: string;
  report: HealthReport;
  /** Job id → display name (the job's comment, or its id when it has none). */
  routineNames: Record<string, string>;
}

/** Everything the view shows: one report per synced endpoint. */
export interface HealthViewData {
  /** Empty when no endpoint has been synced yet. */
  endpoints: EndpointHealth[];
  /** The extension's clock, epoch seconds: relative ages follow it. */
  now: number;
}

export type HealthColumn =
  | 'status' | 'guest' | 'node' | 'endpoint' | 'reason' | 'lastBackup' | 'count' | 'nextBackup' | 'routines' | 'verification';

export interface HealthSort {
  column: HealthColumn;
  descending: boolean;
}

export interface HealthFilter {
  /** The statuses shown; empty shows every status. */
  statuses: GuestHealthStatus[];
  /** Matched, case-insensitively, against the guest's name and vmid, its node and the reason. */
  text: string;
  /** Only this endpoint's guests and routines; null for all. */
  endpointId: string | null;
}

/** Kept with vscode.setState, so a re-shown or reloaded panel keeps its filter and sort. */
export interface HealthPersistedState {
  version: 1;
  filter: HealthFilter;
  sort: HealthSort;
}

/** Requests the view makes; each carries a sequence number and gets exactly one reply. */
export interface HealthRequests {
  /** Every endpoint's report; the first thing a (re)started view asks, and its retry. */
  load: { params: null; result: HealthViewData };
  openRoutine: { params: { endpointId: string; routineId: string }; result: null };
  /** Starts a sync of every endpoint (the empty state's button); resolves once it has been started. */
  syncAll: { params: null; result: null };
  /** Saves the guests (of one endpoint, or all: null) as CSV, one row per guest (the host asks where); `saved` is
   * null when cancelled. */
  exportCsv: { params: { endpointId: string | null }; result: { saved: string | null } };
}

/** What the extension sends on its own (replies to requests travel in the shared envelope). */
export type HealthPush =
  /** A sync produced new reports: the view swaps them in, keeping its filter, selection, focus and scroll. */
  | { type: 'report'; data: HealthViewData; reason: string }
  /** The panel was opened for one endpoint (or for all, null). */
  | { type: 'filter'; endpointId: string | null };
