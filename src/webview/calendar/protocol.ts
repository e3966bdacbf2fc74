// Messages between the backup calendar webview and the extension. Types only, imports nothing: both sides import
// this file, and the browser bundle must never pull in code that imports vscode.
// The data shapes mirror src/core/calendar/; the extension side's type check keeps them in step.

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
  color: number;
  pattern: number;
  badge: string;
  runs: number;
  truncated: boolean;
  error: string | undefined;
}

export type CalendarEntry =
  | { kind: 'run'; routine: string; at: number }
  | { kind: 'band'; routine: string; start: number; end: number; count: number; every: number | null };

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
}

export type CalendarViewMode = 'month' | 'week';

/** Kept with vscode.setState so a reloaded window shows the same month, week and filter. */
export interface CalendarPersistedState {
  view: CalendarViewMode;
  /** Any local date inside the visible month or week, YYYY-MM-DD. */
  anchor: string;
  endpointId: string | null;
  showDisabled: boolean;
}

/** Requests the view makes; each carries a sequence number and gets exactly one reply. */
export interface CalendarRequests {
  occurrences: {
    params: { from: number; to: number; timeZone: string; endpointId: string | null };
    result: CalendarData;
  };
  openRoutine: { params: { endpointId: string; routineId: string }; result: null };
}

export type CalendarMethod = keyof CalendarRequests;

export type CalendarRequestMessage = {
  [M in CalendarMethod]: { type: 'request'; seq: number; method: M; params: CalendarRequests[M]['params'] };
}[CalendarMethod];

export type CalendarToExtension =
  | { type: 'ready' }
  | CalendarRequestMessage
  /** A plain-text snapshot of what is on screen, for tests and accessibility checks. */
  | { type: 'rendered'; text: string };

export type CalendarReply =
  | { type: 'reply'; seq: number; ok: true; result: CalendarRequests[CalendarMethod]['result'] }
  | { type: 'reply'; seq: number; ok: false; error: string };

export type CalendarToWebview =
  | { type: 'context'; context: CalendarContext }
  /** The inventory changed (a sync finished): the view asks again for what it shows. */
  | { type: 'invalidate'; reason: string }
  /** The calendar was opened for one endpoint (e.g. from its tree item): show only its routines. */
  | { type: 'filter'; endpointId: string | null }
  | CalendarReply;
