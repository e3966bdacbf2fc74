// The backup calendar (browser side): month and week grids in the viewer's local time. The view owns navigation
// (month/week, date, endpoint filter, disabled toggle) and asks the extension for the runs of the range it shows.
import { h, replaceChildren, textSnapshot } from '../shared/dom';
import { formatDuration, formatTime, localZone } from '../shared/format';
import { RpcClient } from '../shared/rpc';
import { vscodeApi } from '../shared/vscodeApi';
import type {
  CalendarContext, CalendarData, CalendarEntry, CalendarPersistedState, CalendarRequests, CalendarRoutine,
  CalendarToWebview, CalendarViewMode,
} from './protocol';

const vscode = vscodeApi<CalendarPersistedState>();
const rpc = new RpcClient<CalendarRequests>((m) => vscode.postMessage(m));
const app = document.getElementById('app') as HTMLElement;
const MONTH_CELL_ENTRIES = 4;
const WEEKDAYS = Array.from({ length: 7 }, (_, i) =>
  new Intl.DateTimeFormat(undefined, { weekday: 'short' }).format(new Date(2024, 0, 1 + i))); // 2024-01-01 is a Monday
const monthTitle = new Intl.DateTimeFormat(undefined, { month: 'long', year: 'numeric' });
const dayTitle = new Intl.DateTimeFormat(undefined, { weekday: 'long', day: 'numeric', month: 'long', year: 'numeric' });
const shortDay = new Intl.DateTimeFormat(undefined, { day: 'numeric', month: 'short' });

interface Loaded {
  status: 'idle' | 'loading' | 'ready' | 'error';
  data: CalendarData | null;
  error: string | null;
}

const saved = vscode.getState();
let nav: CalendarPersistedState = {
  view: saved?.view === 'week' ? 'week' : 'month',
  anchor: saved?.anchor ?? dateKey(new Date()),
  endpointId: saved?.endpointId ?? null,
  showDisabled: saved?.showDisabled ?? true,
};
let context: CalendarContext | null = null;
let loaded: Loaded = { status: 'idle', data: null, error: null };
let requestToken = 0;
/** Focus to restore after a re-render (the id of the control the user was on). */
let focusId: string | null = null;

function dateKey(d: Date): string {
  return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;
}

function parseKey(key: string): Date {
  const [y, m, d] = key.split('-').map(Number);
  return new Date(y, m - 1, d);
}

function addDays(d: Date, n: number): Date {
  return new Date(d.getFullYear(), d.getMonth(), d.getDate() + n);
}

function mondayOf(d: Date): Date {
  return addDays(d, -((d.getDay() + 6) % 7));
}

/** The visible days: six whole weeks around the month, or one week. */
function visibleDays(): Date[] {
  const anchor = parseKey(nav.anchor);
  const start = nav.view === 'month' ? mondayOf(new Date(anchor.getFullYear(), anchor.getMonth(), 1)) : mondayOf(anchor);
  return Array.from({ length: nav.view === 'month' ? 42 : 7 }, (_, i) => addDays(start, i));
}

function todayKey(): string {
  return dateKey(context ? new Date(context.now * 1000) : new Date());
}

function persist(): void {
  vscode.setState(nav);
}

async function load(): Promise<void> {
  if (!context) return;
  const days = visibleDays();
  const from = Math.floor(days[0].getTime() / 1000);
  const to = Math.floor(addDays(days[days.length - 1], 1).getTime() / 1000);
  const token = ++requestToken;
  loaded = { status: 'loading', data: loaded.data, error: null };
  render();
  try {
    const data = await rpc.request('occurrences', { from, to, timeZone: localZone(), endpointId: nav.endpointId });
    if (token !== requestToken) return; // the user moved on; a newer request is under way
    loaded = { status: 'ready', data, error: null };
  } catch (e) {
    if (token !== requestToken) return;
    loaded = { status: 'error', data: null, error: (e as Error).message };
  }
  render();
}

function navigate(change: Partial<CalendarPersistedState>, focus?: string): void {
  nav = { ...nav, ...change };
  focusId = focus ?? null;
  persist();
  loaded = { status: 'loading', data: null, error: null };
  void load();
}

function step(direction: -1 | 1): void {
  const a = parseKey(nav.anchor);
  const next = nav.view === 'month'
    ? new Date(a.getFullYear(), a.getMonth() + direction, 1)
    : addDays(a, 7 * direction);
  navigate({ anchor: dateKey(next) }, direction < 0 ? 'prev' : 'next');
}

function routinesByKey(): Map<string, CalendarRoutine> {
  return new Map((loaded.data?.routines ?? []).map((r) => [r.key, r]));
}

function visible(r: CalendarRoutine | undefined): boolean {
  return !!r && (nav.showDisabled || r.enabled);
}

function openRoutine(r: CalendarRoutine): void {
  rpc.request('openRoutine', { endpointId: r.endpointId, routineId: r.routineId }).catch((e: Error) => {
    loaded = { ...loaded, error: e.message };
    render();
  });
}

function routineFlags(r: CalendarRoutine): string[] {
  const flags: string[] = [];
  if (!r.enabled) flags.push('disabled, will not run');
  if (r.status === 'stale') flags.push('stale, gone from Proxmox at the last sync');
  if (r.truncated) flags.push(`more than ${r.runs} runs in this range; later ones not shown`);
  if (r.timezoneAssumed) flags.push('node time zone unknown, UTC assumed');
  return flags;
}

function entryClass(r: CalendarRoutine, extra: string): string {
  return ['entry', `c${r.color}`, extra, r.enabled ? '' : 'is-disabled', r.status === 'stale' ? 'is-stale' : ''].filter(Boolean).join(' ');
}

function entryView(e: CalendarEntry, r: CalendarRoutine, compact: boolean): HTMLElement {
  const flags = routineFlags(r);
  const marker = r.status === 'stale' ? '⚠ ' : !r.enabled ? '⊘ ' : '';
  let text: string;
  let label: string;
  if (e.kind === 'run') {
    text = `${formatTime(e.at)} ${marker}${r.label}`;
    label = `${r.label} (${r.endpointName}) runs at ${formatTime(e.at)}`;
  } else {
    const every = e.every === null ? 'irregular' : `every ${formatDuration(e.every)}`;
    const span = `${formatTime(e.start)}–${formatTime(e.end)}`;
    // The name first: in a narrow month cell the end of the text is what gets cut.
    text = compact ? `${marker}${r.label} · ${every} · ${e.count}×` : `${marker}${r.label}\n${span} · ${every} · ${e.count}×`;
    label = `${r.label} (${r.endpointName}) runs ${e.count} times from ${formatTime(e.start)} to ${formatTime(e.end)}, ${every}`;
  }
  if (flags.length) label += ` — ${flags.join('; ')}`;
  return h('button', {
    class: entryClass(r, e.kind === 'band' ? 'band' : 'run'),
    text,
    title: `${label}\nSchedule: ${r.schedule}${r.description ? ` (${r.description})` : ''}\nClick to open the job.`,
    attrs: { 'aria-label': label },
    on: { click: () => openRoutine(r) },
  });
}

function toolbar(): HTMLElement {
  const days = visibleDays();
  const anchor = parseKey(nav.anchor);
  const title = nav.view === 'month'
    ? monthTitle.format(anchor)
    : `${shortDay.format(days[0])} – ${shortDay.format(days[6])} ${days[6].getFullYear()}`;
  const viewButton = (mode: CalendarViewMode, text: string) => h('button', {
    class: nav.view === mode ? 'toggle on' : 'toggle', text,
    attrs: { 'aria-pressed': String(nav.view === mode), id: `view-${mode}` },
    on: { click: () => navigate({ view: mode }, `view-${mode}`) },
  });
  const select = h('select', {
    attrs: { id: 'endpoint', 'aria-label': 'Endpoint' },
    on: { change: (ev) => navigate({ endpointId: (ev.target as HTMLSelectElement).value || null }, 'endpoint') },
  }, h('option', { text: 'All endpoints', attrs: { value: '' } }),
  ...(context?.endpoints ?? []).map((e) => h('option', { text: e.syncedAt === null ? `${e.name} (not synced)` : e.name, attrs: { value: e.id } })));
  select.value = nav.endpointId ?? '';
  const toggle = h('input', {
    attrs: { type: 'checkbox', id: 'show-disabled' },
    on: { change: (ev) => { nav = { ...nav, showDisabled: (ev.target as HTMLInputElement).checked }; focusId = 'show-disabled'; persist(); render(); } },
  });
  toggle.checked = nav.showDisabled;
  return h('div', { class: 'toolbar', attrs: { role: 'toolbar', 'aria-label': 'Calendar navigation' } },
    h('button', { text: '‹', title: nav.view === 'month' ? 'Previous month' : 'Previous week', attrs: { id: 'prev', 'aria-label': nav.view === 'month' ? 'Previous month' : 'Previous week' }, on: { click: () => step(-1) } }),
    h('button', { text: 'Today', attrs: { id: 'today' }, on: { click: () => navigate({ anchor: todayKey() }, 'today') } }),
    h('button', { text: '›', title: nav.view === 'month' ? 'Next month' : 'Next week', attrs: { id: 'next', 'aria-label': nav.view === 'month' ? 'Next month' : 'Next week' }, on: { click: () => step(1) } }),
    h('h1', { text: title, attrs: { 'aria-live': 'polite' } }),
    h('span', { class: 'spacer' }),
    viewButton('month', 'Month'), viewButton('week', 'Week'),
    select,
    h('label', { class: 'check' }, toggle, ' Show disabled'));
}

function statusLine(): HTMLElement {
  const data = loaded.data;
  let text = '';
  let cls = 'status';
  if (!context) text = 'Waiting for the extension…';
  else if (context.endpoints.length === 0) text = 'No Proxmox endpoint yet. Add one (Proxbox: Add Endpoint) or try the simulated cluster, then sync it.';
  else if (loaded.status === 'loading') text = 'Computing the runs…';
  else if (loaded.status === 'error') { text = `The runs could not be computed: ${loaded.error}`; cls = 'status error'; }
  else if (data) {
    const shown = data.routines.filter(visible);
    const runs = shown.reduce((n, r) => n + r.runs, 0);
    text = data.routines.length === 0
      ? 'No backup jobs in the synced inventory. Sync an endpoint to read its jobs.'
      : `${runs} runs of ${shown.length} backup job(s) in this ${nav.view}, times in ${localZone()}.`;
    const hidden = data.routines.length - shown.length;
    if (hidden) text += ` ${hidden} disabled job(s) hidden.`;
    const unsynced = (context.endpoints ?? []).filter((e) => e.syncedAt === null && (nav.endpointId === null || nav.endpointId === e.id));
    if (unsynced.length) text += ` Not synced yet: ${unsynced.map((e) => e.name).join(', ')}.`;
  }
  const line = h('p', { class: cls, text, attrs: { role: cls.includes('error') ? 'alert' : 'status' } });
  if (loaded.status === 'error') {
    return h('div', {}, line, h('button', { text: 'Try again', attrs: { id: 'retry' }, on: { click: () => navigate({}, 'retry') } }));
  }
  return line;
}

function legend(): HTMLElement | null {
  const routines = (loaded.data?.routines ?? []).filter(visible);
  if (routines.length === 0) return null;
  return h('section', { class: 'legend', attrs: { 'aria-label': 'Backup jobs' } },
    h('h2', { class: 'visually-hidden', text: 'Backup jobs' }),
    h('ul', {}, ...routines.map((r) => {
      const flags = routineFlags(r);
      return h('li', {},
        h('button', {
          class: entryClass(r, 'legend-item'),
          attrs: { 'aria-label': `${r.label} on ${r.endpointName}: ${r.schedule}, ${r.runs} runs${flags.length ? `; ${flags.join('; ')}` : ''}. Open the job.` },
          on: { click: () => openRoutine(r) },
        },
        h('span', { class: 'swatch', attrs: { 'aria-hidden': 'true' } }),
        h('span', { class: 'name', text: r.label }),
        h('span', { class: 'note', text: ` ${r.endpointName} · ${r.schedule}${r.description ? ` (${r.description})` : ''} · ${r.runs} runs` }),
        ...flags.map((f) => h('span', { class: 'flag', text: f }))),
        r.error ? h('p', { class: 'error', text: r.error }) : null);
    })));
}

function dayCellHeader(day: Date, key: string, today: string): HTMLElement {
  const text = nav.view === 'month' ? String(day.getDate()) : `${WEEKDAYS[(day.getDay() + 6) % 7]} ${day.getDate()}`;
  return h('div', { class: 'date' }, h('span', { text }), key === today ? h('span', { class: 'today-mark', text: 'Today' }) : null);
}

function monthGrid(): HTMLElement {
  const days = visibleDays();
  const month = parseKey(nav.anchor).getMonth();
  const today = todayKey();
  const byDay = new Map((loaded.data?.days ?? []).map((d) => [d.date, d.entries]));
  const routines = routinesByKey();
  const table = h('div', { class: 'grid month', attrs: { role: 'grid', 'aria-label': 'Month' } },
    h('div', { class: 'row head', attrs: { role: 'row' } }, ...WEEKDAYS.map((d) => h('div', { class: 'weekday', text: d, attrs: { role: 'columnheader' } }))));
  for (let w = 0; w < 6; w++) {
    const row = h('div', { class: 'row', attrs: { role: 'row' } });
    for (const day of days.slice(w * 7, w * 7 + 7)) {
      const key = dateKey(day);
      const entries = (byDay.get(key) ?? []).filter((e) => visible(routines.get(e.routine)));
      const cls = ['day', key === today ? 'today' : '', day.getMonth() !== month ? 'outside' : ''].filter(Boolean).join(' ');
      const cell = h('div', { class: cls, attrs: { role: 'gridcell', 'aria-label': dayTitle.format(day) + (key === today ? ', today' : '') } },
        dayCellHeader(day, key, today));
      if (key === today) cell.setAttribute('aria-current', 'date');
      for (const e of entries.slice(0, MONTH_CELL_ENTRIES)) {
        const r = routines.get(e.routine);
        if (r) cell.append(entryView(e, r, true));
      }
      if (entries.length > MONTH_CELL_ENTRIES) {
        const more = entries.length - MONTH_CELL_ENTRIES;
        cell.append(h('button', {
          class: 'more', text: `+${more} more`,
          attrs: { 'aria-label': `${more} more on ${dayTitle.format(day)}: show the week` },
          on: { click: () => navigate({ view: 'week', anchor: key }, 'view-week') },
        }));
      }
      row.append(cell);
    }
    table.append(row);
  }
  return table;
}

/** Entries of one day laid out on a 24-hour column: top and height from the time of day, side-by-side lanes where
 * they would overlap. Returns the lane count too, so widths can be shared out. */
function layoutDay(entries: CalendarEntry[], dayStart: number, dayLength: number): { entry: CalendarEntry; top: number; height: number; lane: number }[] {
  const minVisual = dayLength / 32; // a single run still needs room for one line of text
  const laneEnds: number[] = [];
  return entries.map((entry) => {
    const start = entry.kind === 'run' ? entry.at : entry.start;
    const end = Math.max(entry.kind === 'run' ? entry.at : entry.end, start + minVisual);
    let lane = laneEnds.findIndex((t) => t <= start);
    if (lane < 0) lane = laneEnds.push(end) - 1;
    else laneEnds[lane] = end;
    return { entry, top: (start - dayStart) / dayLength, height: (end - start) / dayLength, lane };
  });
}

function weekGrid(): HTMLElement {
  const days = visibleDays();
  const today = todayKey();
  const byDay = new Map((loaded.data?.days ?? []).map((d) => [d.date, d.entries]));
  const routines = routinesByKey();
  const now = context?.now ?? Math.floor(Date.now() / 1000);
  const head = h('div', { class: 'row head', attrs: { role: 'row' } }, h('div', { class: 'axis' }),
    ...days.map((day) => {
      const key = dateKey(day);
      const cell = h('div', { class: key === today ? 'weekday today' : 'weekday', attrs: { role: 'columnheader', 'aria-label': dayTitle.format(day) + (key === today ? ', today' : '') } },
        dayCellHeader(day, key, today));
      if (key === today) cell.setAttribute('aria-current', 'date');
      return cell;
    }));
  const axis = h('div', { class: 'axis', attrs: { 'aria-hidden': 'true' } },
    ...Array.from({ length: 24 }, (_, hour) => h('div', { class: 'hour', text: formatTime(new Date(2024, 0, 1, hour).getTime() / 1000) })));
  const body = h('div', { class: 'row body', attrs: { role: 'row' } }, axis);
  for (const day of days) {
    const key = dateKey(day);
    const dayStart = Math.floor(day.getTime() / 1000);
    const dayLength = Math.floor(addDays(day, 1).getTime() / 1000) - dayStart; // 23 or 25 hours on DST days
    const entries = (byDay.get(key) ?? []).filter((e) => visible(routines.get(e.routine)));
    const column = h('div', { class: key === today ? 'day today' : 'day', attrs: { role: 'gridcell', 'aria-label': `${dayTitle.format(day)}: ${entries.length ? `${entries.length} entries` : 'no runs'}` } });
    const placed = layoutDay(entries, dayStart, dayLength);
    const lanes = Math.max(1, ...placed.map((p) => p.lane + 1));
    for (const p of placed) {
      const r = routines.get(p.entry.routine);
      if (!r) continue;
      const el = entryView(p.entry, r, false);
      // CSSOM assignments, not style attributes: the CSP forbids inline styles in markup, not positioning from script.
      el.style.top = `${(p.top * 100).toFixed(3)}%`;
      el.style.height = `${(p.height * 100).toFixed(3)}%`;
      el.style.left = `${((p.lane / lanes) * 100).toFixed(3)}%`;
      el.style.width = `${(100 / lanes).toFixed(3)}%`;
      column.append(el);
    }
    if (key === today && now >= dayStart && now < dayStart + dayLength) {
      const line = h('div', { class: 'now-line', attrs: { 'aria-hidden': 'true' } });
      line.style.top = `${(((now - dayStart) / dayLength) * 100).toFixed(3)}%`;
      column.append(line);
    }
    body.append(column);
  }
  return h('div', { class: 'grid week', attrs: { role: 'grid', 'aria-label': 'Week' } }, head, body);
}

function render(): void {
  app.setAttribute('aria-busy', String(loaded.status === 'loading' || !context));
  replaceChildren(app, toolbar(), statusLine(), nav.view === 'month' ? monthGrid() : weekGrid(), legend());
  if (focusId) document.getElementById(focusId)?.focus();
  if (loaded.status !== 'loading') vscode.postMessage({ type: 'rendered', text: textSnapshot(app) });
}

window.addEventListener('message', (event: MessageEvent<CalendarToWebview>) => {
  const m = event.data;
  switch (m.type) {
    case 'context': {
      const first = context === null;
      context = m.context;
      if (nav.endpointId !== null && !context.endpoints.some((e) => e.id === nav.endpointId)) nav = { ...nav, endpointId: null };
      if (first && !saved) nav = { ...nav, anchor: todayKey() };
      if (first) void load();
      else render();
      return;
    }
    case 'filter':
      nav = { ...nav, endpointId: m.endpointId };
      persist();
      if (context) void load();
      return;
    case 'invalidate':
      void load();
      return;
    case 'reply':
      rpc.handleReply(m);
      return;
  }
});

document.addEventListener('keydown', (ev) => {
  // PageUp/PageDown page through months or weeks, as in most calendars; plain Tab reaches every control.
  if (ev.key === 'PageUp' || ev.key === 'PageDown') {
    ev.preventDefault();
    step(ev.key === 'PageUp' ? -1 : 1);
  }
});

render();
vscode.postMessage({ type: 'ready' });
