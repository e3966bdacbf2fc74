// The health view's state and the one function that changes it (see calendar/state.ts for the pattern): every input
// (a reply, a push, a click, a key, a scroll) is an action; the reducer returns the next state and the effects, so
// main.ts only wires and the behaviour is tested in Node. A new report (a background sync) replaces only the data:
// filter, sort, selection, open detail and scroll position are the user's and stay.
import { failed, idle, loaded, loading, type Loadable } from '../shared/loadable';
import { DEFAULT_SORT, STATUS_ORDER, nextSort } from './model';
import type { GuestHealthStatus, HealthColumn, HealthFilter, HealthPersistedState, HealthPush, HealthSort, HealthViewData } from './protocol';
import { revealRow, ROW_HEIGHT } from './virtual';

export type HealthDetail =
  | { kind: 'guest'; key: string }
  /** A run is named by its routine, node and scheduled time, not by its index: a new report may shift indexes. */
  | { kind: 'run'; endpointId: string; jobId: string; node: string; scheduled: number };

export interface HealthUiState {
  zone: string;
  data: Loadable<HealthViewData>;
  /** Seconds the extension's clock is ahead of the view's. */
  skew: number;
  filter: HealthFilter;
  sort: HealthSort;
  /** The selected row's key (the table's active descendant); null before the user picks one. */
  selected: string | null;
  detail: HealthDetail | null;
  /** The table's scroll position and viewport height, px: the virtual window follows them. */
  scroll: { top: number; height: number };
  notice: string | null;
  requests: number;
}

export type HealthAction =
  | { type: 'start' }
  | { type: 'retry' }
  | { type: 'loaded'; request: number; data: HealthViewData; viewNow: number }
  | { type: 'loadFailed'; request: number; error: string }
  | { type: 'push'; message: HealthPush; viewNow: number }
  | { type: 'toggleStatus'; status: GuestHealthStatus }
  | { type: 'allStatuses' }
  | { type: 'text'; text: string }
  | { type: 'endpoint'; endpointId: string | null }
  | { type: 'sort'; column: HealthColumn }
  /** `index` is the row's place in the shown rows, so the selection can be scrolled into view. */
  | { type: 'select'; key: string; index: number; open?: boolean }
  | { type: 'openRun'; endpointId: string; jobId: string; node: string; scheduled: number }
  | { type: 'closeDetail' }
  | { type: 'scroll'; top: number; height: number }
  | { type: 'openRoutine'; endpointId: string; routineId: string }
  | { type: 'syncAll' }
  | { type: 'requestFailed'; error: string };

export type HealthEffect =
  | { kind: 'load'; request: number }
  | { kind: 'persist'; state: HealthPersistedState }
  | { kind: 'openRoutine'; endpointId: string; routineId: string }
  | { kind: 'syncAll' }
  /** Move the keyboard focus to a control after the render. */
  | { kind: 'focus'; id: string };

export interface HealthStep {
  state: HealthUiState;
  effects: HealthEffect[];
}

const COLUMNS: readonly HealthColumn[] = ['status', 'guest', 'node', 'endpoint', 'reason', 'lastBackup', 'count', 'nextBackup', 'routines', 'verification'];

/** Reads a saved state field by field; anything unreadable falls back to the default (problems first, no filter). */
export function restoreHealth(saved: unknown): { filter: HealthFilter; sort: HealthSort } {
  const s = (typeof saved === 'object' && saved !== null ? saved : {}) as Partial<Record<'filter' | 'sort', unknown>>;
  const f = (typeof s.filter === 'object' && s.filter !== null ? s.filter : {}) as Record<string, unknown>;
  const o = (typeof s.sort === 'object' && s.sort !== null ? s.sort : {}) as Record<string, unknown>;
  const statuses = Array.isArray(f.statuses) ? STATUS_ORDER.filter((x) => (f.statuses as unknown[]).includes(x)) : [];
  return {
    filter: {
      statuses,
      text: typeof f.text === 'string' ? f.text.slice(0, 200) : '',
      endpointId: typeof f.endpointId === 'string' ? f.endpointId : null,
    },
    sort: COLUMNS.includes(o.column as HealthColumn) && typeof o.descending === 'boolean'
      ? { column: o.column as HealthColumn, descending: o.descending } : DEFAULT_SORT,
  };
}

export function initialHealthState(saved: unknown, zone: string): HealthUiState {
  const { filter, sort } = restoreHealth(saved);
  return { zone, data: idle(), skew: 0, filter, sort, selected: null, detail: null, scroll: { top: 0, height: 0 }, notice: null, requests: 0 };
}

function persist(state: HealthUiState): HealthEffect {
  return { kind: 'persist', state: { version: 1, filter: state.filter, sort: state.sort } };
}

/** A filter or sort change: the table starts again from its top (the old position means nothing in another list). */
function refiltered(state: HealthUiState, change: Partial<Pick<HealthUiState, 'filter' | 'sort'>>, focus: string): HealthStep {
  const next = { ...state, ...change, scroll: { ...state.scroll, top: 0 }, notice: null };
  return { state: next, effects: [persist(next), { kind: 'focus', id: focus }] };
}

/** Data that has come (answer or push): an endpoint filter that no longer exists is dropped, with a word why. */
function withData(state: HealthUiState, data: Loadable<HealthViewData>, viewNow: number): HealthStep {
  const value = data.value as HealthViewData;
  let next: HealthUiState = { ...state, data, skew: value.now - viewNow };
  const { endpointId } = next.filter;
  if (endpointId !== null && value.endpoints.length > 0 && !value.endpoints.some((e) => e.endpointId === endpointId)) {
    next = { ...next, filter: { ...next.filter, endpointId: null }, notice: `The endpoint '${endpointId}' has no health report; the table shows every endpoint.` };
    return { state: next, effects: [persist(next)] };
  }
  return { state: next, effects: [] };
}

export function reduceHealth(state: HealthUiState, action: HealthAction): HealthStep {
  switch (action.type) {
    case 'start':
    case 'retry': {
      const request = state.requests + 1;
      return { state: { ...state, requests: request, data: loading(state.data, request, true) }, effects: [{ kind: 'load', request }] };
    }
    case 'loaded': {
      const data = loaded(state.data, action.request, action.data);
      if (data === state.data) return { state, effects: [] };
      return withData(state, data, action.viewNow);
    }
    case 'loadFailed':
      return { state: { ...state, data: failed(state.data, action.request, action.error) }, effects: [] };
    case 'push':
      if (action.message.type === 'report') {
        // Newer than any answer under way: numbering it last makes such an answer stale.
        const request = state.requests + 1;
        return withData({ ...state, requests: request }, { status: 'ready', value: action.message.data, error: null, request }, action.viewNow);
      }
      return refiltered(state, { filter: { ...state.filter, endpointId: action.message.endpointId } }, 'endpoint');
    case 'toggleStatus': {
      const on = state.filter.statuses.includes(action.status);
      const statuses = STATUS_ORDER.filter((s) => (s === action.status ? !on : state.filter.statuses.includes(s)));
      return refiltered(state, { filter: { ...state.filter, statuses } }, `chip-${action.status}`);
    }
    case 'allStatuses':
      return refiltered(state, { filter: { ...state.filter, statuses: [] } }, 'chip-all');
    case 'text':
      return refiltered(state, { filter: { ...state.filter, text: action.text } }, 'filter-text');
    case 'endpoint':
      return refiltered(state, { filter: { ...state.filter, endpointId: action.endpointId } }, 'endpoint');
    case 'sort':
      return refiltered(state, { sort: nextSort(state.sort, action.column) }, `sort-${action.column}`);
    case 'select': {
      const top = revealRow(action.index, state.scroll.top, state.scroll.height, ROW_HEIGHT);
      const detail: HealthDetail | null = action.open ? { kind: 'guest', key: action.key } : state.detail;
      return { state: { ...state, selected: action.key, detail, scroll: { ...state.scroll, top } }, effects: [{ kind: 'focus', id: 'health-grid' }] };
    }
    case 'openRun': {
      const { endpointId, jobId, node, scheduled } = action;
      return { state: { ...state, detail: { kind: 'run', endpointId, jobId, node, scheduled } }, effects: [{ kind: 'focus', id: 'detail-close' }] };
    }
    case 'closeDetail':
      return { state: { ...state, detail: null }, effects: [{ kind: 'focus', id: 'health-grid' }] };
    case 'scroll':
      if (action.top === state.scroll.top && action.height === state.scroll.height) return { state, effects: [] };
      return { state: { ...state, scroll: { top: action.top, height: action.height } }, effects: [] };
    case 'openRoutine':
      return { state: { ...state, notice: null }, effects: [{ kind: 'openRoutine', endpointId: action.endpointId, routineId: action.routineId }] };
    case 'syncAll':
      return { state: { ...state, notice: 'Sync started; the table updates when it ends.' }, effects: [{ kind: 'syncAll' }] };
    case 'requestFailed':
      return { state: { ...state, notice: action.error }, effects: [] };
  }
}

/** Whether a message from the extension is one of the health view's pushes (anything else is ignored, not trusted). */
export function isHealthPush(m: unknown): m is HealthPush {
  if (typeof m !== 'object' || m === null) return false;
  const p = m as { type?: unknown; data?: { endpoints?: unknown; now?: unknown }; endpointId?: unknown };
  if (p.type === 'filter') return p.endpointId === null || typeof p.endpointId === 'string';
  return p.type === 'report' && Array.isArray(p.data?.endpoints) && typeof p.data?.now === 'number';
}
