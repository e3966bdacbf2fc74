// Messages between the routine detail webview and the extension. Types only, imports nothing: both sides import
// this file, and the browser bundle must never pull in code that imports vscode.

export interface GuestRef {
  vmid: number;
  /** Null when the guest is not in the inventory (deleted, or on a node the token cannot see). */
  name: string | null;
  node: string | null;
  type: 'qemu' | 'lxc' | null;
}

export interface LabelledValue {
  label: string;
  value: string;
}

export interface RoutineDetail {
  endpointId: string;
  endpointName: string;
  routineId: string;
  enabled: boolean;
  status: 'active' | 'stale';
  /** Epoch seconds. */
  firstSeen: number | null;
  lastSeen: number | null;
  schedule: {
    source: string;
    normalized: string | null;
    description: string | null;
    /** Why the schedule could not be read; null when it parsed. */
    error: string | null;
  };
  /** The zone Proxmox evaluates the schedule in (the node's zone). */
  timezone: string;
  timezoneAssumed: boolean;
  /** Why the zone is assumed (e.g. the job's node is not in the cluster, so nothing runs it); null when it is not. */
  timezoneNote: string | null;
  /** The stored next run or, when the pipeline stored none, the first of `nextRuns` (then the source is 'computed'). */
  nextRun: number | null;
  nextRunSource: 'proxmox' | 'computed' | null;
  /** The next runs from the schedule engine, epoch seconds; empty when the schedule never fires again. */
  nextRuns: number[];
  node: string | null;
  storage: string | null;
  selection: {
    mode: 'all' | 'vmids' | 'pool';
    pool: string | null;
    /** The guests vzdump selects (node and exclude applied), plus listed vmids the inventory lacks (name null). */
    guests: GuestRef[];
    /** The guests left out by `exclude`: only ever set for mode 'all', the one mode vzdump applies it in. */
    excluded: GuestRef[];
    /** A sentence about the selection the user should read (an `exclude` vzdump ignores); null when none. */
    note: string | null;
  };
  /** keep-* settings; empty means the storage's retention applies. */
  retention: LabelledValue[];
  advanced: LabelledValue[];
  comment: string;
  notesTemplate: string;
  /** The job's configuration as Proxmox returned it, pretty-printed JSON. */
  rawConfig: string;
  /** Epoch seconds of the inventory this detail comes from. */
  syncedAt: number | null;
}

export interface RoutineViewState {
  status: 'loading' | 'ready' | 'error';
  endpointId: string;
  routineId: string;
  /** What went wrong and what to do next, when status is 'error'. */
  error: string | null;
  detail: RoutineDetail | null;
}

export interface SyncNowResult {
  /** False when no sync started (e.g. one is already running for this endpoint). */
  started: boolean;
  ok: boolean;
  message: string;
}

export interface RoutineRequests {
  /** Resolves when the sync has ended; `message` says how it went and, on failure, what to do next. */
  syncNow: { params: { endpointId: string }; result: SyncNowResult };
  openCalendar: { params: { endpointId: string }; result: null };
}

export type RoutineMethod = keyof RoutineRequests;

export type RoutineRequestMessage = {
  [M in RoutineMethod]: { type: 'request'; seq: number; method: M; params: RoutineRequests[M]['params'] };
}[RoutineMethod];

export type RoutineToExtension =
  | { type: 'ready' }
  | RoutineRequestMessage
  /** A plain-text snapshot of what is on screen, for tests and accessibility checks. */
  | { type: 'rendered'; text: string };

export type RoutineReply =
  | { type: 'reply'; seq: number; ok: true; result: RoutineRequests[RoutineMethod]['result'] }
  | { type: 'reply'; seq: number; ok: false; error: string };

export type RoutineToWebview = { type: 'state'; state: RoutineViewState } | RoutineReply;

/** Kept with vscode.setState: which routine the panel shows (the serializer reopens it after a reload) and the last
 * state, so the reloaded view shows content at once instead of a spinner. */
export interface RoutinePersistedState {
  endpointId: string;
  routineId: string;
  state: RoutineViewState | null;
}
