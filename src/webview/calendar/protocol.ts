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

/** Where the user is in the calendar. */
export interface CalendarNav {
  view: CalendarViewMode;
  /** Any local date inside the visible month or week, YYYY-MM-DD. */
  anchor: string;
  endpointId: string | null;
  showDisabled: boolean;
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
}

/** What the extension sends on its own (replies to requests travel in the shared envelope). */
export type CalendarPush =
  /** The inventory changed (a sync finished, an endpoint was added or removed): new context, ask for the runs again. */
  | { type: 'inventoryChanged'; context: CalendarContext; reason: string }
  /** The calendar was opened for one endpoint (e.g. from its tree item): show only its routines. */
  | { type: 'filter'; endpointId: string | null };
