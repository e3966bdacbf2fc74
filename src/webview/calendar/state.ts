// The calendar's state and the one function that changes it. Every input (a reply, a push from the extension, a
// click) is an action; the reducer returns the next state and the effects to run (requests, setState), so main.ts
// only wires and the whole behaviour is tested in Node. Loading and errors are part of the state: every request
// ends in data or in an error with a retry, and the view never spins forever.
import { failed, idle, loaded, loading, type Loadable } from '../shared/loadable';
import { dateKeyOf, sameMonth, stepAnchor, visibleRange, type DateKey } from './dates';
import { persistCalendarNav, restoreCalendarNav } from './persist';
import type { CalendarContext, CalendarData, CalendarKind, CalendarNav, CalendarPersistedState, CalendarPush, CalendarRequests, RunDetail } from './protocol';

/** The details of one past run, open beside the calendar. */
export interface RunDetailState {
  params: CalendarRequests['runDetail']['params'];
  /** The entry that opened it: the focus goes back there when it closes. */
  returnFocus: string;
  data: Loadable<RunDetail>;
}

export interface CalendarState {
  /** The zone the calendar shows: days, times and the range asked for are all in it. This computer's zone, or in
   * "node" mode (proxbox.times.zone) the jobs' node zone. */
  zone: string;
  /** This computer's zone, what "local" mode shows. */
  localZone: string;
  /** Which zone the setting asks for; 'local' until the context says otherwise. */
  zoneMode: 'local' | 'node';
  /** The month grid's one tab stop (roving tabindex): the day arrow keys move; null = today or the month's first. */
  cursor: DateKey | null;
  nav: CalendarNav;
  /** The anchor came from a saved state; otherwise it moves to the extension's "today" when the context arrives. */
  anchorSaved: boolean;
  /** Seconds the extension's clock is ahead of the view's (tests pin the extension's). */
  skew: number;
  context: Loadable<CalendarContext>;
  runs: Loadable<CalendarData>;
  /** A message beside the loading states: a job that could not be opened, a saved view that could not be read. */
  notice: string | null;
  /** The last request number handed out. */
  requests: number;
  /** The past run whose details are open, or null. */
  detail: RunDetailState | null;
}

export type CalendarAction =
  | { type: 'start' }
  | { type: 'contextLoaded'; request: number; context: CalendarContext; viewNow: number }
  | { type: 'contextFailed'; request: number; error: string }
  | { type: 'runsLoaded'; request: number; data: CalendarData }
  | { type: 'runsFailed'; request: number; error: string }
  | { type: 'push'; message: CalendarPush; viewNow: number }
  | { type: 'navigate'; change: Partial<CalendarNav>; focus?: string }
  /** The Month/Week buttons: Week opens on today's week when the month shown has today, else the month's first week. */
  | { type: 'setView'; view: CalendarNav['view']; viewNow: number }
  /** An arrow key in the month grid moved to another day (the focus follows, see main.ts). */
  | { type: 'cursor'; date: DateKey; focus: string }
  | { type: 'step'; direction: -1 | 1 }
  | { type: 'today'; viewNow: number }
  | { type: 'showDisabled'; show: boolean }
  /** A kind filter switched: its entries, legend items and overlaps hide or show (no request: the data has them). */
  | { type: 'showKind'; kind: CalendarKind; show: boolean }
  | { type: 'retry' }
  | { type: 'openRoutine'; endpointId: string; routineId: string }
  | { type: 'openFailed'; error: string }
  | { type: 'openRun'; endpointId: string; routineId: string; at: number; returnFocus: string }
  | { type: 'runDetailLoaded'; request: number; detail: RunDetail }
  | { type: 'runDetailFailed'; request: number; error: string }
  | { type: 'closeRun' };

export type CalendarEffect =
  | { kind: 'fetchContext'; request: number }
  | { kind: 'fetchRuns'; request: number; params: CalendarRequests['occurrences']['params'] }
  | { kind: 'persist'; state: CalendarPersistedState }
  | { kind: 'openRoutine'; params: CalendarRequests['openRoutine']['params'] }
  | { kind: 'fetchRunDetail'; request: number; params: CalendarRequests['runDetail']['params'] }
  /** Move the keyboard focus to a control after the render (a render replaces the page, and with it the focus). */
  | { kind: 'focus'; id: string };

export interface CalendarStep {
  state: CalendarState;
  effects: CalendarEffect[];
}

/** The state a (re)started view begins with: the saved navigation, checked field by field, and nothing loaded. */
export function initialCalendarState(saved: unknown, zone: string, viewNow: number): CalendarState {
  const restored = restoreCalendarNav(saved);
  const nav: CalendarNav = {
    view: restored.view,
    anchor: restored.anchor ?? dateKeyOf(viewNow, zone),
    endpointId: restored.endpointId,
    showDisabled: restored.showDisabled,
    hiddenKinds: restored.hiddenKinds,
  };
  return {
    zone, localZone: zone, zoneMode: 'local', cursor: null, nav, anchorSaved: restored.anchor !== null, skew: 0,
    context: idle(), runs: idle(),
    notice: restored.how === 'repaired' ? repairedNotice(restored.defaulted) : null,
    requests: 0,
    detail: null,
  };
}

/** Tells the user, in terms of what they see, which of their settings a damaged saved state could not bring back. */
function repairedNotice(defaulted: readonly (keyof CalendarNav)[]): string {
  const what: Record<keyof CalendarNav, string> = {
    view: 'the month view', anchor: 'today', endpointId: 'every endpoint', showDisabled: 'disabled jobs too', hiddenKinds: 'every kind of job',
  };
  return `Part of this calendar's saved view could not be read, so it shows ${defaulted.map((d) => what[d]).join(', ')}.`;
}

/** The extension's "today" in the viewer's zone. */
export function todayOf(state: CalendarState, viewNow: number): DateKey {
  return dateKeyOf(viewNow + state.skew, state.zone);
}

export function reduceCalendar(state: CalendarState, action: CalendarAction): CalendarStep {
  switch (action.type) {
    case 'start':
      return fetchContext(state);
    case 'contextLoaded': {
      const context = loaded(state.context, action.request, action.context);
      if (context === state.context) return unchanged(state); // an answer to an older request
      return applyContext(state, context, action.viewNow);
    }
    case 'contextFailed':
      return { state: { ...state, context: failed(state.context, action.request, action.error) }, effects: [] };
    case 'runsLoaded':
      return { state: { ...state, runs: loaded(state.runs, action.request, action.data) }, effects: [] };
    case 'runsFailed':
      return { state: { ...state, runs: failed(state.runs, action.request, action.error) }, effects: [] };
    case 'push':
      return push(state, action.message, action.viewNow);
    case 'navigate':
      return navigate(state, action.change, action.focus ?? null);
    case 'setView':
      return setView(state, action.view, action.viewNow);
    case 'cursor':
      return { state: { ...state, cursor: action.date }, effects: [focus(action.focus)] };
    case 'step':
      return navigate(state, { anchor: stepAnchor(state.nav.view, state.nav.anchor, action.direction) }, action.direction < 0 ? 'prev' : 'next');
    case 'today':
      return navigate(state, { anchor: todayOf(state, action.viewNow) }, 'today');
    case 'showDisabled': {
      // Disabled routines are in the data already: hiding them needs no request.
      const nav = { ...state.nav, showDisabled: action.show };
      return { state: { ...state, nav }, effects: [persist(nav), focus('show-disabled')] };
    }
    case 'showKind': {
      const hidden = state.nav.hiddenKinds.filter((k) => k !== action.kind);
      const nav = { ...state.nav, hiddenKinds: action.show ? hidden : [...hidden, action.kind] };
      return { state: { ...state, nav }, effects: [persist(nav), focus(`kind-${action.kind}`)] };
    }
    case 'retry':
      if (state.context.status !== 'ready') return fetchContext(state);
      return fetchRuns(state, true);
    case 'openRoutine':
      return { state: { ...state, notice: null }, effects: [{ kind: 'openRoutine', params: { endpointId: action.endpointId, routineId: action.routineId } }] };
    case 'openFailed':
      return { state: { ...state, notice: `The backup job could not be opened: ${action.error}` }, effects: [] };
    case 'openRun': {
      const request = state.requests + 1;
      const params = { endpointId: action.endpointId, routineId: action.routineId, at: action.at };
      const detail: RunDetailState = { params, returnFocus: action.returnFocus, data: loading(idle<RunDetail>(), request, false) };
      // The focus moves into the details, so a keyboard user lands on them and Escape or Close brings it back.
      return { state: { ...state, requests: request, detail }, effects: [{ kind: 'fetchRunDetail', request, params }, focus('run-detail-close')] };
    }
    case 'runDetailLoaded':
    case 'runDetailFailed': {
      if (!state.detail) return unchanged(state); // closed before the answer came
      const data = action.type === 'runDetailLoaded'
        ? loaded(state.detail.data, action.request, action.detail)
        : failed(state.detail.data, action.request, action.error);
      if (data === state.detail.data) return unchanged(state); // an answer for a run no longer open
      return { state: { ...state, detail: { ...state.detail, data } }, effects: [] };
    }
    case 'closeRun':
      if (!state.detail) return unchanged(state);
      return { state: { ...state, detail: null }, effects: [focus(state.detail.returnFocus)] };
  }
}

function setView(state: CalendarState, view: CalendarNav['view'], viewNow: number): CalendarStep {
  const change: Partial<CalendarNav> = { view };
  if (view === 'week' && state.nav.view === 'month') {
    // The anchor of a month is often its first day, whose week starts in the month before; this week is what a user
    // switching to Week wants to see when the month has it.
    const today = todayOf(state, viewNow);
    change.anchor = sameMonth(today, state.nav.anchor) ? today : `${state.nav.anchor.slice(0, 7)}-01`;
  }
  return navigate(state, change, `view-${view}`);
}

function unchanged(state: CalendarState): CalendarStep {
  return { state, effects: [] };
}

function focus(id: string): CalendarEffect {
  return { kind: 'focus', id };
}

function persist(nav: CalendarNav): CalendarEffect {
  return { kind: 'persist', state: persistCalendarNav(nav) };
}

function fetchContext(state: CalendarState): CalendarStep {
  const request = state.requests + 1;
  return {
    state: { ...state, requests: request, context: loading(state.context, request, true) },
    effects: [{ kind: 'fetchContext', request }],
  };
}

/** Asks for the runs of the visible range; `keep` shows the old runs meanwhile (same range, refreshed data). */
function fetchRuns(state: CalendarState, keep: boolean): CalendarStep {
  const request = state.requests + 1;
  const { view, anchor, endpointId } = state.nav;
  const params = { ...visibleRange(view, anchor, state.zone), timeZone: state.zone, endpointId };
  return {
    state: { ...state, requests: request, runs: loading(state.runs, request, keep) },
    effects: [{ kind: 'fetchRuns', request, params }],
  };
}

/** A new context (the answer to the view's request, or pushed after a sync). The first one decides where the view
 * opens; a filter on an endpoint that no longer exists is dropped rather than showing an empty calendar. */
function applyContext(state: CalendarState, context: Loadable<CalendarContext>, viewNow: number): CalendarStep {
  const value = context.value as CalendarContext;
  const first = state.context.value === null;
  const zoneMode = value.zoneMode ?? 'local';
  const zone = zoneMode === 'node' && value.nodeZone ? value.nodeZone : state.localZone;
  let next: CalendarState = { ...state, context, skew: value.now - viewNow, zone, zoneMode };
  const effects: CalendarEffect[] = [];
  let nav = next.nav;
  if (first && !state.anchorSaved) nav = { ...nav, anchor: todayOf(next, viewNow) };
  if (nav.endpointId !== null && !value.endpoints.some((e) => e.id === nav.endpointId)) {
    next = { ...next, notice: `The endpoint '${nav.endpointId}' is no longer configured; the calendar shows all endpoints.` };
    nav = { ...nav, endpointId: null };
  }
  if (nav !== next.nav) effects.push(persist(nav));
  next = { ...next, nav };
  // The first context opens the calendar; a later one means the inventory changed, so the same range is asked again
  // and the runs on screen stay until the new ones arrive.
  // Runs of another zone fall on other days: those on screen go when the zone changes.
  const fetched = fetchRuns(next, !first && nav.endpointId === state.nav.endpointId && zone === state.zone);
  return { state: fetched.state, effects: [...effects, ...fetched.effects] };
}

function push(state: CalendarState, message: CalendarPush, viewNow: number): CalendarStep {
  switch (message.type) {
    case 'inventoryChanged': {
      // Newer than anything a request under way would bring: numbering it last makes such an answer stale.
      const request = state.requests + 1;
      const context: Loadable<CalendarContext> = { status: 'ready', value: message.context, error: null, request };
      return applyContext({ ...state, requests: request }, context, viewNow);
    }
    case 'filter': {
      const nav = { ...state.nav, endpointId: message.endpointId };
      if (state.context.status !== 'ready') return { state: { ...state, nav }, effects: [persist(nav)] };
      return navigate(state, { endpointId: message.endpointId }, null);
    }
  }
}

function navigate(state: CalendarState, change: Partial<CalendarNav>, focusId: string | null): CalendarStep {
  const nav = { ...state.nav, ...change };
  // Another page may not show the run whose details are open: they close with the page they belong to.
  const next: CalendarState = { ...state, nav, notice: null, anchorSaved: true, detail: null, cursor: change.anchor ?? state.cursor };
  const moved = focusId ? [focus(focusId)] : [];
  // Before the context there is nothing to ask for yet; its arrival fetches the runs of wherever the user is then.
  if (state.context.status !== 'ready') return { state: next, effects: [persist(nav), ...moved] };
  const fetched = fetchRuns(next, false);
  return { state: fetched.state, effects: [persist(nav), ...fetched.effects, ...moved] };
}

/** Whether a message from the extension is one of the calendar's pushes (anything else is ignored, not trusted). */
export function isCalendarPush(m: unknown): m is CalendarPush {
  if (typeof m !== 'object' || m === null) return false;
  const p = m as { type?: unknown; context?: { endpoints?: unknown; now?: unknown }; endpointId?: unknown };
  if (p.type === 'filter') return p.endpointId === null || typeof p.endpointId === 'string';
  return p.type === 'inventoryChanged' && Array.isArray(p.context?.endpoints) && typeof p.context?.now === 'number';
}

/** What a key pressed anywhere in the view does: Escape closes a run's details (the focus returns to the run),
 * PageUp/PageDown page through months or weeks as in most calendars. Null: the key is left to the browser. */
export function keyAction(state: CalendarState, key: string): CalendarAction | null {
  if (key === 'Escape') return state.detail ? { type: 'closeRun' } : null;
  if (key === 'PageUp' || key === 'PageDown') return { type: 'step', direction: key === 'PageUp' ? -1 : 1 };
  return null;
}
