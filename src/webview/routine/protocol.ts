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
  /**
   * Why Proxmox will stop scheduling this job (its engine gives up at a daylight-saving change in a zone with negative
   * DST, e.g. Europe/Dublin), one sentence from the schedule engine; null when Proxmox keeps scheduling it.
   */
  scheduleStop: string | null;
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

/** The setting `proxbox.times.zone`: the viewer's clock or the job's node's. */
export type TimesZone = 'local' | 'node';

/** What the extension answers for the panel's routine. */
export interface RoutineViewState {
  /** Which zone the page shows times in; absent in a state saved before the setting existed (then 'local'). */
  timesZone?: TimesZone;
  /** 'no-target': the panel does not know which routine it shows (a restored panel whose saved state is unreadable). */
  status: 'ready' | 'error' | 'no-target';
  /** Empty when status is 'no-target'. */
  endpointId: string;
  routineId: string;
  /** What went wrong and what to do next, when status is 'error' or 'no-target'. */
  error: string | null;
  detail: RoutineDetail | null;
}

export interface SyncNowResult {
  /** False when no sync started (e.g. one is already running for this endpoint). */
  started: boolean;
  ok: boolean;
  message: string;
}

/** Requests the view makes; each carries a sequence number and gets exactly one reply. */
export interface RoutineRequests {
  /** The routine as the inventory has it now; the first thing a (re)started view asks, and its retry. */
  load: { params: null; result: RoutineViewState };
  /** Resolves when the sync has ended; `message` says how it went and, on failure, what to do next. */
  syncNow: { params: { endpointId: string }; result: SyncNowResult };
  openCalendar: { params: { endpointId: string }; result: null };
  /** Lets the user choose a backup job (the panel could not tell which one it showed). */
  pickRoutine: { params: null; result: null };
}

/** What the extension sends on its own: the routine changed (a sync finished). */
export type RoutinePush = { type: 'state'; state: RoutineViewState };

/** Kept with vscode.setState: which routine the panel shows (the serializer reopens it after a reload) and the last
 * state, so the reloaded view shows content at once instead of a spinner. Version 1; states without a version were
 * written before it and carry the same fields. */
export interface RoutinePersistedState {
  version: 1;
  endpointId: string;
  routineId: string;
  state: RoutineViewState | null;
}
