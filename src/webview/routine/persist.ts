// What the routine panel keeps with vscode.setState and how it is read back, by the view (a hidden panel shown
// again) and by the extension's serializer (after a window reload: it needs to know which routine to reopen). The
// saved object may come from an older Proxbox or be damaged, so nothing in it is trusted: the target is read field
// by field, and the cached state is used only when it has every field the page needs.
import type { GuestRef, LabelledValue, RoutineDetail, RoutinePersistedState, RoutineViewState } from './protocol';

export const ROUTINE_STATE_VERSION = 1;

export interface RoutineTarget {
  endpointId: string;
  routineId: string;
}

export interface RestoredRoutine {
  /** Which routine the panel showed; null when the saved state does not say (the panel then offers to choose one). */
  target: RoutineTarget | null;
  /** The last state the panel showed, to show again at once while the extension is asked for the current one. */
  cached: RoutineViewState | null;
  /** Why the target could not be read, for the log and the page; null when it could (or nothing was saved). */
  problem: string | null;
}

const str = (v: unknown): v is string => typeof v === 'string';
const strOrNull = (v: unknown) => v === null || typeof v === 'string';
const numOrNull = (v: unknown) => v === null || (typeof v === 'number' && Number.isFinite(v));
const bool = (v: unknown) => typeof v === 'boolean';
const obj = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

function isGuest(v: unknown): v is GuestRef {
  return obj(v) && typeof v.vmid === 'number' && strOrNull(v.name) && strOrNull(v.node) && (v.type === null || v.type === 'qemu' || v.type === 'lxc');
}

function isLabelled(v: unknown): v is LabelledValue {
  return obj(v) && str(v.label) && str(v.value);
}

/** Every field the detail page reads, with its type: a cached detail missing one would break the page. */
export function isRoutineDetail(v: unknown): v is RoutineDetail {
  if (!obj(v)) return false;
  const s = v.schedule;
  const sel = v.selection;
  return str(v.endpointId) && str(v.endpointName) && str(v.routineId) && bool(v.enabled)
    && (v.status === 'active' || v.status === 'stale')
    && numOrNull(v.firstSeen) && numOrNull(v.lastSeen) && numOrNull(v.syncedAt) && numOrNull(v.nextRun)
    && obj(s) && str(s.source) && strOrNull(s.normalized) && strOrNull(s.description) && strOrNull(s.error)
    && str(v.timezone) && bool(v.timezoneAssumed)
    && (v.nextRunSource === null || v.nextRunSource === 'proxmox' || v.nextRunSource === 'computed')
    && Array.isArray(v.nextRuns) && v.nextRuns.every((t) => typeof t === 'number')
    // A panel saved before this field existed has none: it still restores (the host sends a fresh detail anyway).
    && (v.scheduleStop === undefined || strOrNull(v.scheduleStop))
    && strOrNull(v.node) && strOrNull(v.storage)
    && obj(sel) && (sel.mode === 'all' || sel.mode === 'vmids' || sel.mode === 'pool') && strOrNull(sel.pool)
    && Array.isArray(sel.guests) && sel.guests.every(isGuest) && Array.isArray(sel.excluded) && sel.excluded.every(isGuest)
    && Array.isArray(v.retention) && v.retention.every(isLabelled) && Array.isArray(v.advanced) && v.advanced.every(isLabelled)
    && str(v.comment) && str(v.notesTemplate) && str(v.rawConfig);
}

export function isRoutineViewState(v: unknown): v is RoutineViewState {
  if (!obj(v) || !str(v.endpointId) || !str(v.routineId) || !strOrNull(v.error)) return false;
  if (v.timesZone !== undefined && v.timesZone !== 'local' && v.timesZone !== 'node') return false;
  if (v.status === 'ready') return isRoutineDetail(v.detail);
  return (v.status === 'error' || v.status === 'no-target') && v.detail === null;
}

export function restoreRoutinePanel(saved: unknown): RestoredRoutine {
  if (saved === undefined || saved === null) return { target: null, cached: null, problem: 'nothing was saved' };
  if (!obj(saved)) return { target: null, cached: null, problem: `the saved state is ${Array.isArray(saved) ? 'a list' : `a ${typeof saved}`}, not an object` };
  // Before version 1 the same fields were saved without a version, and `state` could be a 'loading' one: the target
  // reads the same, and a cached state that does not pass the check is simply not used.
  const { endpointId, routineId } = saved;
  if (!str(endpointId) || endpointId === '' || !str(routineId) || routineId === '') {
    return { target: null, cached: null, problem: 'it does not say which endpoint and backup job the panel showed' };
  }
  const state = saved.state;
  const cached = isRoutineViewState(state) && state.status !== 'no-target' && state.endpointId === endpointId && state.routineId === routineId
    ? state : null;
  return { target: { endpointId, routineId }, cached, problem: null };
}

/** What the view saves for a state it shows; nothing for a panel that does not know its routine. */
export function persistRoutine(state: RoutineViewState): RoutinePersistedState | null {
  if (state.status === 'no-target' || !state.endpointId || !state.routineId) return null;
  return { version: ROUTINE_STATE_VERSION, endpointId: state.endpointId, routineId: state.routineId, state };
}
