// Messages between the backup calendar webview and the extension. Types only, imports nothing: both sides import
// this file, and the browser bundle must never pull in code that imports vscode. The envelope around requests and
// replies (sequence numbers, errors, timeouts) is src/webview/shared/rpc.ts.
// The data shapes mirror src/core/calendar/; test/unit/webviewCalendarProtocol.test.ts fails to compile when the two
// drift apart.

export interface CalendarRoutine {
  key: string;
  endpointId: string;
  endpointName: string;
  routineId: string;
  label: string;
  schedule: string;
  description: string | undefined;
  timezone: string;
  timezoneAssumed: boolean;
  enabled: boolean;
  status: 'active' | 'stale';
  /** Theme colour 0..11 (CSS class c<n>). */
  color: number;
  /** Pattern 0..3 (CSS class p<n>): with the colour, tells up to 48 routines apart. */
  pattern: number;
  /** "A", "B", ..., "AA": unique per routine, shown on its entries and in the legend. */
  badge: string;
  runs: number;
  truncated: boolean;
  error: string | undefined;
  kind: CalendarKind;
  /** What it writes to, in words, or null. */
  target: string | null;
  /** A custom entry's own colour ("#rrggbb"), or null (then color/pattern apply). */
  customColor: string | null;
  note: string | null;
  /** PBS jobs: the last run's state as PBS reports it ("ok" or an error text); null otherwise. */
  lastRunState: string | null;
}

/** What a calendar source is (src/core/calendar/kinds.ts). */
export type CalendarKind = 'backup' | 'replication' | 'prune' | 'gc' | 'verify' | 'sync' | 'custom';

export interface OverlapRun {
  routine: string;
  start: number;
  end: number;
}

/** Two runs of two sources writing to one storage or datastore within the window (src/core/calendar/overlaps.ts). */
export interface CalendarOverlap {
  resource: string;
  resourceLabel: string;
  first: OverlapRun;
  second: OverlapRun;
  apartSeconds: number;
}

/** What became of one scheduled run on one node (src/core/health/types.ts RunOutcome). */
export type RunOutcome = 'ok' | 'warnings' | 'failed' | 'running' | 'missed';

/** A past run's outcome, the worst over its nodes; 'unknown' when backup health has no record of it. */
export type CalendarOutcome = RunOutcome | 'unknown';

/** Past runs carry an outcome; planned (future) runs carry none. A band reaching into the past counts its past runs
 * per outcome and names the worst. */
export type CalendarEntry =
  | { kind: 'run'; routine: string; at: number; outcome?: CalendarOutcome; failedGuests?: number; overlap?: boolean }
  | {
    kind: 'band'; routine: string; start: number; end: number; count: number; every: number | null;
    outcomes?: Partial<Record<CalendarOutcome, number>>; worst?: CalendarOutcome;
    /** Another source writes to the same storage or datastore within the overlap window. */
    overlap?: boolean;
  };

export interface RunDetailFailure {
  vmid: number;
  /** The guest's name from the inventory; null when it is no longer there. */
  name: string | null;
  /** Proxmox's words; '' when the log was not read. */
  reason: string;
  /** The guest's lines of the task log, shown as text in a monospace block. */
  lines: string[];
}

export interface RunDetailNode {
  node: string;
  status: RunOutcome;
  task: string | null;
  started: number | null;
  ended: number | null;
  taskStatus: string | null;
  jobError: string | null;
  failures: RunDetailFailure[];
}

/** One past run of a routine, per node, as backup health recorded it. */
export interface RunDetail {
  endpointId: string;
  routineId: string;
  at: number;
  outcome: CalendarOutcome;
  /** Empty when there is no record of the run. */
  runs: RunDetailNode[];
}

export interface CalendarDay {
  date: string;
  entries: CalendarEntry[];
}

export interface CalendarData {
  from: number;
  to: number;
  timeZone: string;
  routines: CalendarRoutine[];
  days: CalendarDay[];
  totalRuns: number;
  overlaps: CalendarOverlap[];
  overlapWindowSeconds: number;
  overlapsLeftOut: number;
}

export interface EndpointSummary {
  id: string;
  name: string;
  /** Epoch seconds of the last sync with routines, or null when the endpoint was never synced. */
  syncedAt: number | null;
}

/** What the extension tells the view about the world; the view owns navigation (month/week, date, filter). */
export interface CalendarContext {
  endpoints: EndpointSummary[];
  /** The extension's clock, epoch seconds: "today" and the first visible range follow it. */
  now: number;
  /** The setting proxbox.times.zone: place runs in this computer's zone, or in the node's (as Proxmox shows them). */
  zoneMode?: 'local' | 'node';
  /** The node zone of the jobs in legend order's first; what "node" mode shows. Null when no job's zone is known. */
  nodeZone?: string | null;
  /** Custom entries that could not be read (the setting's; the policy file's are in the Problems panel too). */
  problems?: string[];
}

export type CalendarViewMode = 'month' | 'week';

/** Where the user is in the calendar. */
export interface CalendarNav {
  view: CalendarViewMode;
  /** Any local date inside the visible month or week, YYYY-MM-DD. */
  anchor: string;
  endpointId: string | null;
  showDisabled: boolean;
  /** Kinds the user switched off (filter per kind); empty = every kind shows. */
  hiddenKinds: CalendarKind[];
}

/** Kept with vscode.setState, so a re-shown or reloaded panel opens on the same month, week and filter. Version 1;
 * states without a version were written before it and are read field by field. */
export interface CalendarPersistedState extends CalendarNav {
  version: 1;
}

/** Requests the view makes; each carries a sequence number and gets exactly one reply. */
export interface CalendarRequests {
  /** The endpoints and the extension's clock; the first thing a (re)started view asks. */
  context: { params: null; result: CalendarContext };
  occurrences: {
    params: { from: number; to: number; timeZone: string; endpointId: string | null };
    result: CalendarData;
  };
  openRoutine: { params: { endpointId: string; routineId: string }; result: null };
  /** What happened at one past run (`at`, the scheduled time), per node, failed guests named. */
  runDetail: { params: { endpointId: string; routineId: string; at: number }; result: RunDetail };
  /** Saves the runs of the visible range as an iCalendar file (the host asks where); `saved` is null when cancelled. */
  exportIcs: { params: { from: number; to: number; timeZone: string; endpointId: string | null }; result: { saved: string | null } };
}

/** What the extension sends on its own (replies to requests travel in the shared envelope). */
export type CalendarPush =
  /** The inventory changed (a sync finished, an endpoint was added or removed): new context, ask for the runs again. */
  | { type: 'inventoryChanged'; context: CalendarContext; reason: string }
  /** The calendar was opened for one endpoint (e.g. from its tree item): show only its routines. */
  | { type: 'filter'; endpointId: string | null };
