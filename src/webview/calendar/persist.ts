// What the calendar keeps with vscode.setState and how it reads it back. VS Code hands the same object to the view
// (getState) when a hidden panel is shown again and to the extension's serializer after a window reload. It may come
// from an older Proxbox, or be damaged: every field is checked on its own, and an unreadable one falls back to its
// default, so a restored calendar always opens on a real month instead of a blank or broken grid.
import { parseDateKey, type DateKey } from './dates';
import type { CalendarKind, CalendarNav, CalendarPersistedState, CalendarViewMode } from './protocol';

const KINDS: readonly CalendarKind[] = ['backup', 'replication', 'prune', 'gc', 'verify', 'sync', 'custom'];

export const CALENDAR_STATE_VERSION = 1;

export interface RestoredNav {
  view: CalendarViewMode;
  /** Null when nothing usable was saved: the view opens on today once it knows the extension's clock. */
  anchor: DateKey | null;
  endpointId: string | null;
  showDisabled: boolean;
  hiddenKinds: CalendarKind[];
  /** 'default': nothing was saved; 'saved': all of it was read; 'repaired': some of it was unreadable. */
  how: 'default' | 'saved' | 'repaired';
  /** Which saved fields were dropped and why, for the log. */
  problems: string[];
  /** The settings that start from their defaults because their saved value was unreadable. */
  defaulted: (keyof CalendarNav)[];
}

const DEFAULTS = { view: 'month' as CalendarViewMode, anchor: null, endpointId: null, showDisabled: true, hiddenKinds: [] as CalendarKind[] };

export function restoreCalendarNav(saved: unknown): RestoredNav {
  if (saved === undefined || saved === null) return { ...DEFAULTS, how: 'default', problems: [], defaulted: [] };
  if (typeof saved !== 'object' || Array.isArray(saved)) {
    return {
      ...DEFAULTS, how: 'repaired', problems: [`the saved state is ${Array.isArray(saved) ? 'a list' : `a ${typeof saved}`}, not an object`],
      defaulted: ['view', 'anchor', 'endpointId', 'showDisabled', 'hiddenKinds'],
    };
  }
  const s = saved as Record<string, unknown>;
  const problems: string[] = [];
  const defaulted: (keyof CalendarNav)[] = [];
  // The version is not checked on its own: states from before it (no version) have the same fields, and whatever a
  // later version wrote is judged field by field like anything else.
  const field = <T>(name: keyof CalendarNav, ok: (v: unknown) => boolean, fallback: T): T => {
    if (name in s && ok(s[name])) return s[name] as T;
    problems.push(name in s ? `${name} ${JSON.stringify(s[name])?.slice(0, 40)} is not valid` : `${name} is missing`);
    defaulted.push(name);
    return fallback;
  };
  const view = field<CalendarViewMode>('view', (v) => v === 'month' || v === 'week', DEFAULTS.view);
  const anchor = field<DateKey | null>('anchor', (v) => plausibleDate(v), DEFAULTS.anchor);
  const endpointId = field<string | null>('endpointId', (v) => v === null || (typeof v === 'string' && v !== ''), DEFAULTS.endpointId);
  const showDisabled = field<boolean>('showDisabled', (v) => typeof v === 'boolean', DEFAULTS.showDisabled);
  // States saved before the kind filter have no hiddenKinds: every kind shows, and nothing needs repairing.
  const hiddenKinds = 'hiddenKinds' in s
    ? field<CalendarKind[]>('hiddenKinds', (v) => Array.isArray(v) && v.every((k) => (KINDS as readonly unknown[]).includes(k)), [])
    : [];
  return { view, anchor, endpointId, showDisabled, hiddenKinds: [...new Set(hiddenKinds)], how: problems.length ? 'repaired' : 'saved', problems, defaulted };
}

/** A real date in the years a backup calendar can show (the schedule engine and Intl agree there). */
function plausibleDate(v: unknown): boolean {
  const d = parseDateKey(v);
  return d !== null && d.year >= 1970 && d.year <= 9999;
}

export function persistCalendarNav(nav: CalendarNav): CalendarPersistedState {
  return { version: CALENDAR_STATE_VERSION, view: nav.view, anchor: nav.anchor, endpointId: nav.endpointId, showDisabled: nav.showDisabled, hiddenKinds: [...nav.hiddenKinds] };
}
