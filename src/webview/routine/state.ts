// The routine view's state and the one function that changes it (see calendar/state.ts for the pattern). The view
// asks the extension for its routine when it starts and on "Try again"; until the answer comes it shows the state
// it saved last time, marked as such, so a re-shown panel is never empty and never spins forever.
import { failed, idle, loaded, loading, type Loadable } from '../shared/loadable';
import { isRoutineViewState, persistRoutine, restoreRoutinePanel } from './persist';
import type { RoutinePersistedState, RoutinePush, RoutineViewState, SyncNowResult } from './protocol';

export interface RoutineUiState {
  /** The routine as the extension last answered, or as saved until it does. */
  routine: Loadable<RoutineViewState>;
  /** routine.value is the saved one: the extension has not answered yet (or could not). */
  cached: boolean;
  sync: { running: boolean; message: { text: string; error: boolean } | null };
  requests: number;
}

export type RoutineAction =
  | { type: 'start' }
  | { type: 'loaded'; request: number; state: RoutineViewState }
  | { type: 'loadFailed'; request: number; error: string }
  | { type: 'push'; message: RoutinePush }
  | { type: 'retry' }
  | { type: 'syncNow'; endpointId: string }
  | { type: 'syncEnded'; result: SyncNowResult }
  | { type: 'syncFailed'; error: string }
  | { type: 'openCalendar'; endpointId: string }
  | { type: 'pickRoutine' }
  | { type: 'requestFailed'; error: string };

export type RoutineEffect =
  | { kind: 'load'; request: number }
  | { kind: 'persist'; state: RoutinePersistedState }
  | { kind: 'syncNow'; endpointId: string }
  | { kind: 'openCalendar'; endpointId: string }
  | { kind: 'pickRoutine' };

export interface RoutineStep {
  state: RoutineUiState;
  effects: RoutineEffect[];
}

export function initialRoutineState(saved: unknown): RoutineUiState {
  const { cached } = restoreRoutinePanel(saved);
  return { routine: idle(cached), cached: cached !== null, sync: { running: false, message: null }, requests: 0 };
}

export function reduceRoutine(state: RoutineUiState, action: RoutineAction): RoutineStep {
  switch (action.type) {
    case 'start':
    case 'retry': {
      const request = state.requests + 1;
      return { state: { ...state, requests: request, routine: loading(state.routine, request, true) }, effects: [{ kind: 'load', request }] };
    }
    case 'loaded': {
      const routine = loaded(state.routine, action.request, action.state);
      if (routine === state.routine) return { state, effects: [] };
      return show({ ...state, routine, cached: false }, action.state);
    }
    case 'loadFailed':
      return { state: { ...state, routine: failed(state.routine, action.request, action.error) }, effects: [] };
    case 'push': {
      // Newer than any answer under way: numbering it last makes such an answer stale.
      const request = state.requests + 1;
      const routine: Loadable<RoutineViewState> = { status: 'ready', value: action.message.state, error: null, request };
      return show({ ...state, requests: request, routine, cached: false }, action.message.state);
    }
    case 'syncNow':
      if (state.sync.running) return { state, effects: [] };
      return { state: { ...state, sync: { running: true, message: { text: 'Sync started.', error: false } } }, effects: [{ kind: 'syncNow', endpointId: action.endpointId }] };
    case 'syncEnded': {
      const sync = { running: false, message: { text: action.result.message, error: !action.result.ok } };
      if (!action.result.started) return { state: { ...state, sync }, effects: [] };
      // The page promises the new inventory: read it now rather than count on the push of another listener, which
      // may have come before the store had it. The old content stays on the page while it loads.
      const request = state.requests + 1;
      return { state: { ...state, sync, requests: request, routine: loading(state.routine, request, true) }, effects: [{ kind: 'load', request }] };
    }
    case 'syncFailed':
      return { state: { ...state, sync: { running: false, message: { text: `Sync failed: ${action.error}`, error: true } } }, effects: [] };
    case 'openCalendar':
      return { state, effects: [{ kind: 'openCalendar', endpointId: action.endpointId }] };
    case 'pickRoutine':
      return { state, effects: [{ kind: 'pickRoutine' }] };
    case 'requestFailed':
      return { state: { ...state, sync: { ...state.sync, message: { text: action.error, error: true } } }, effects: [] };
  }
}

function show(state: RoutineUiState, shown: RoutineViewState): RoutineStep {
  const saved = persistRoutine(shown);
  return { state, effects: saved ? [{ kind: 'persist', state: saved }] : [] };
}

/** Whether a message from the extension is the routine view's push (anything else is ignored, not trusted). */
export function isRoutinePush(m: unknown): m is RoutinePush {
  if (typeof m !== 'object' || m === null) return false;
  const p = m as { type?: unknown; state?: unknown };
  return p.type === 'state' && isRoutineViewState(p.state);
}
