// Renders the health view's state into the DOM: status line, filters (status chips with counts, text, endpoint), the
// 14-day run strip with its legend, the detail of a guest or a run, and the virtualized table. Every string goes in
// as text (shared/dom.ts). Input becomes actions for the reducer; nothing here changes state itself.
// The table is one focusable grid (tabindex 0) whose selected row is its aria-activedescendant: with only the
// visible rows in the DOM, focus cannot live on a row, so it lives on the grid and survives every redraw.
import { h, replaceChildren } from '../shared/dom';
import {
  allOkMessage, findEndpoint, RUN_LABEL, RUN_LETTER, RUN_ORDER, STATUS_LABEL, STATUS_ORDER, statusCounts, stripRoutines, tableMemo,
  type HealthRow, type StripRoutine,
} from './model';
import { jobProblemLine, jobRows } from './jobs';
import { runLabel, statusText, timeText } from './present';
import type { HealthColumn, RoutineRun } from './protocol';
import type { HealthAction, HealthUiState } from './state';
import { moveIndex, ROW_HEIGHT, virtualWindow } from './virtual';

export type Dispatch = (action: HealthAction) => void;

const COLUMNS: { id: HealthColumn; label: string }[] = [
  { id: 'status', label: 'Status' }, { id: 'guest', label: 'Guest' }, { id: 'node', label: 'Node' },
  { id: 'endpoint', label: 'Endpoint' }, { id: 'reason', label: 'Reason' }, { id: 'lastBackup', label: 'Last backup' },
  { id: 'count', label: 'Count' }, { id: 'nextBackup', label: 'Next backup' }, { id: 'routines', label: 'Backup jobs' },
  { id: 'verification', label: 'Verification' },
];

export const GRID_ID = 'health-grid';

/** Row element ids: the key may hold any character an endpoint id does; ids are attribute values, never markup. */
export function rowId(key: string): string {
  return `row-${key}`;
}

/** What a full render leaves behind: a scroll redraws only the rows through it. */
export interface HealthRender {
  grid: HTMLElement | null;
  rows: HealthRow[];
  /** Redraws the rows of the current window (after a scroll), keeping everything else. */
  updateRows(state: HealthUiState, viewNow: number): void;
}

const memo = tableMemo();

export function renderHealth(app: HTMLElement, state: HealthUiState, viewNow: number, dispatch: Dispatch): HealthRender {
  const now = viewNow + state.skew;
  const data = state.data.value;
  const { all, shown } = memo(data, state.filter, state.sort);
  const status = statusText(state.data, state.zone, all.length, shown.length);
  app.setAttribute('aria-busy', String(status.busy));
  const parts: (HTMLElement | null)[] = [
    h('h1', { text: 'Backup Health' }),
    h('div', { class: 'status-area' },
      h('p', { class: status.kind === 'error' ? 'status error' : 'status', text: status.text, attrs: { role: status.kind === 'error' ? 'alert' : 'status' } }),
      status.retry ? h('button', { text: 'Try again', attrs: { id: 'retry' }, on: { click: () => dispatch({ type: 'retry' }) } }) : null,
      state.notice ? h('p', { class: 'notice', text: state.notice, attrs: { role: 'alert' } }) : null),
  ];
  const handle: HealthRender = { grid: null, rows: shown, updateRows: () => undefined };
  if (data && data.endpoints.length === 0) {
    parts.push(h('div', { class: 'empty' },
      h('p', { text: 'No endpoint synced yet — run Sync Now.' }),
      h('button', { text: 'Sync Now', attrs: { id: 'sync-all' }, on: { click: () => dispatch({ type: 'syncAll' }) } })));
  } else if (data) {
    const ok = allOkMessage(state.filter.endpointId === null ? all : all.filter((r) => r.endpointId === state.filter.endpointId));
    parts.push(filters(state, all, dispatch));
    if (ok) parts.push(h('p', { class: 'all-ok', text: ok, attrs: { role: 'status' } }));
    parts.push(strip(state, now, dispatch), pbsJobs(state, now), detail(state, all, now, dispatch));
    const grid = table(state, shown, now, dispatch);
    parts.push(grid.element);
    handle.grid = grid.element;
    handle.updateRows = (s, vn) => grid.fill(s, vn + s.skew);
  }
  replaceChildren(app, ...parts);
  return handle;
}

/** The part of `document` a redraw needs: tests hand in a fake one. */
export interface FocusDocument {
  activeElement: Element | null;
  body: HTMLElement | null;
  getElementById(id: string): HTMLElement | null;
  /** Whether the page has the keyboard (see keepPlace.ts: a background redraw must not take it back). */
  hasFocus(): boolean;
}

/**
 * Renders the page and puts back what the user had: the focused control (or the one the action sent the focus to),
 * the caret in the text filter, and the table's scroll position. A background sync redraws through this, so the
 * user keeps their place.
 */
export function redrawHealth(app: HTMLElement, doc: FocusDocument, state: HealthUiState, viewNow: number, dispatch: Dispatch, focus?: string): HealthRender {
  const activeEl = doc.activeElement && doc.activeElement !== doc.body ? doc.activeElement as HTMLInputElement : null;
  const active = activeEl?.id ?? '';
  const caret = activeEl && activeEl.tagName.toLowerCase() === 'input' ? [activeEl.selectionStart, activeEl.selectionEnd] : null;
  const drawn = renderHealth(app, state, viewNow, dispatch);
  if (drawn.grid) drawn.grid.scrollTop = state.scroll.top;
  // An action's target always gets the focus; the element the user was on only when the page has the keyboard: a
  // background redraw must never pull it from the command palette or an editor.
  const target = focus ?? (doc.hasFocus() ? active : '');
  const el = target ? doc.getElementById(target) : null;
  if (el) {
    el.focus({ preventScroll: true });
    if (caret && caret[0] !== null && caret[1] !== null && typeof (el as HTMLInputElement).setSelectionRange === 'function') {
      (el as HTMLInputElement).setSelectionRange(caret[0], caret[1]);
    }
  }
  return drawn;
}

function filters(state: HealthUiState, all: HealthRow[], dispatch: Dispatch): HTMLElement {
  const counts = statusCounts(all, state.filter);
  const total = STATUS_ORDER.reduce((s, k) => s + counts[k], 0);
  const chip = (id: string, text: string, pressed: boolean, cls: string, action: HealthAction) => h('button', {
    class: `chip ${cls}${pressed ? ' on' : ''}`, text,
    attrs: { id, 'aria-pressed': String(pressed) },
    on: { click: () => dispatch(action) },
  });
  const input = h('input', {
    attrs: { type: 'search', id: 'filter-text', 'aria-label': 'Filter by guest, node or reason', placeholder: 'Filter by guest, node or reason' },
    on: { input: (ev) => dispatch({ type: 'text', text: (ev.target as HTMLInputElement).value }) },
  });
  input.value = state.filter.text;
  const endpoints = state.data.value?.endpoints ?? [];
  const select = h('select', {
    attrs: { id: 'endpoint', 'aria-label': 'Endpoint' },
    on: { change: (ev) => dispatch({ type: 'endpoint', endpointId: (ev.target as HTMLSelectElement).value || null }) },
  }, h('option', { text: 'All endpoints', attrs: { value: '' } }),
  ...endpoints.map((e) => h('option', { text: e.endpointName, attrs: { value: e.endpointId } })));
  select.value = state.filter.endpointId ?? '';
  return h('div', { class: 'toolbar', attrs: { role: 'toolbar', 'aria-label': 'Filters' } },
    h('div', { class: 'chips', attrs: { role: 'group', 'aria-label': 'Status' } },
      chip('chip-all', `All ${total}`, state.filter.statuses.length === 0, 'all', { type: 'allStatuses' }),
      ...STATUS_ORDER.map((s) => chip(`chip-${s}`, `${STATUS_LABEL[s]} ${counts[s]}`, state.filter.statuses.includes(s), `st-${s}`, { type: 'toggleStatus', status: s }))),
    input, select,
    // Wired in main.ts: it saves the guests of the endpoint filter as CSV.
    h('button', { text: 'Export CSV', title: 'Save one row per guest as a CSV file', attrs: { id: 'export-csv' } }));
}

function runButton(r: StripRoutine, run: RoutineRun, state: HealthUiState, dispatch: Dispatch): HTMLButtonElement {
  const label = runLabel(run, r.name, state.zone);
  const d = state.detail;
  const current = d?.kind === 'run' && d.endpointId === r.endpointId && d.jobId === r.jobId && d.node === run.node && d.scheduled === run.scheduled;
  return h('button', {
    class: `run run-${run.status}${current ? ' current' : ''}`, text: RUN_LETTER[run.status], title: label,
    attrs: { 'aria-label': label, ...(current ? { 'aria-current': 'true' } : {}) },
    on: { click: () => dispatch({ type: 'openRun', endpointId: r.endpointId, jobId: r.jobId, node: run.node, scheduled: run.scheduled }) },
  });
}

function strip(state: HealthUiState, now: number, dispatch: Dispatch): HTMLElement | null {
  const data = state.data.value;
  if (!data) return null;
  const routines = stripRoutines(data, state.filter.endpointId, now);
  if (routines.length === 0) return null;
  const many = data.endpoints.length > 1;
  return h('section', { class: 'strip', attrs: { 'aria-label': 'Runs of the last 14 days' } },
    h('h2', { text: 'Runs of the last 14 days' }),
    h('ul', { class: 'legend', attrs: { 'aria-label': 'Legend' } },
      ...RUN_ORDER.map((o) => h('li', {}, h('span', { class: `run run-${o}`, text: RUN_LETTER[o], attrs: { 'aria-hidden': 'true' } }), ` ${RUN_LABEL[o]}`))),
    h('ul', { class: 'strip-rows' }, ...routines.map((r) => h('li', { class: 'strip-row' },
      h('button', {
        class: 'link routine-name', text: many ? `${r.name} (${r.endpointName})` : r.name,
        title: `Open the backup job ${r.jobId}`,
        on: { click: () => dispatch({ type: 'openRoutine', endpointId: r.endpointId, routineId: r.jobId }) },
      }),
      h('span', { class: 'runs' }, ...(r.runs.length ? r.runs.map(({ run }) => runButton(r, run, state, dispatch)) : [h('span', { class: 'note', text: 'no runs in 14 days' })])),
      ...r.problems.map((p) => h('span', { class: 'problem', text: p }))))));
}

/** The jobs of the PBS endpoints, shown when there are any: kind, job, datastore, last result in PBS's words, last
 * and next run. Text only, in the look of the run strip (its status letters and shapes). */
function pbsJobs(state: HealthUiState, now: number): HTMLElement | null {
  const data = state.data.value;
  if (!data) return null;
  const rows = jobRows(data, state.filter.endpointId);
  if (rows.length === 0) return null;
  const many = data.endpoints.filter((e) => (e.report.jobs ?? []).length > 0).length > 1;
  const problems = jobProblemLine(rows);
  return h('section', { class: 'strip pbs-jobs', attrs: { 'aria-label': 'PBS jobs', id: 'pbs-jobs' } },
    h('h2', { text: 'PBS jobs' }),
    problems ? h('p', { class: 'problem', text: problems }) : null,
    h('ul', { class: 'strip-rows' }, ...rows.map((r) => {
      const last = timeText(r.job.lastRun, now, state.zone, 'never');
      const next = timeText(r.job.nextRun, now, state.zone, 'none');
      return h('li', { class: `strip-row job-row${r.job.problem ? ' job-problem' : ''}`, attrs: { 'data-key': r.key } },
        h('span', { class: `run ${r.markClass}`, text: r.letter, title: r.result, attrs: { 'aria-hidden': 'true' } }),
        h('span', { class: 'job-kind', text: r.kind }),
        h('span', { class: 'routine-name job-name', text: many ? `${r.name} (${r.endpointName})` : r.name }),
        h('span', { class: 'job-store', text: `datastore ${r.job.store}` }),
        h('span', { class: `job-result status-mark ${r.markClass}`, text: r.reason ? `${r.result}: ${r.reason}` : r.result }),
        h('span', { class: 'note job-last', text: `last run ${last.text}`, title: last.title }),
        h('span', { class: 'note job-next', text: `next run ${next.text}`, title: next.title }));
    })));
}

function detail(state: HealthUiState, all: HealthRow[], now: number, dispatch: Dispatch): HTMLElement | null {
  const d = state.detail;
  const data = state.data.value;
  if (!d || !data) return null;
  const close = h('button', { class: 'secondary', text: 'Close', attrs: { id: 'detail-close' }, on: { click: () => dispatch({ type: 'closeDetail' }) } });
  const section = (title: string, ...children: (HTMLElement | null)[]) =>
    h('section', { class: 'detail', attrs: { 'aria-label': title, id: 'detail' } }, h('div', { class: 'detail-head' }, h('h2', { text: title }), close), ...children);
  if (d.kind === 'guest') {
    const row = all.find((r) => r.key === d.key);
    if (!row) return section('Guest', h('p', { class: 'note', text: 'This guest is not in the latest report (deleted, or its endpoint was removed).' }));
    const g = row.guest;
    const endpoint = findEndpoint(data, row.endpointId);
    const items = g.routines.map((id) => {
      const routine = endpoint?.report.routines.find((r) => r.jobId === id);
      const name = endpoint?.routineNames[id] ?? id;
      const last = routine?.lastRun ?? null;
      const s: StripRoutine = { key: `${row.endpointId}/${id}`, endpointId: row.endpointId, endpointName: row.endpointName, jobId: id, name, runs: [], problems: [] };
      const failure = last?.failures.find((f) => f.vmid === g.vmid);
      return h('li', {},
        h('button', { class: 'link', text: name, on: { click: () => dispatch({ type: 'openRoutine', endpointId: row.endpointId, routineId: id }) } }),
        ' — last run: ',
        last ? runButton(s, last, state, dispatch) : null,
        last ? ` ${RUN_LABEL[last.status]}, ${timeText(last.scheduled, now, state.zone, '').text}` : 'none in the history window',
        last?.failedGuests.includes(g.vmid) ? h('span', { class: 'error', text: ` — this guest failed${failure ? `: ${failure.reason}` : ''}` }) : null);
    });
    return section(`${g.name} (${g.vmid})`,
      h('p', {}, h('span', { class: `status-mark st-${g.status}`, text: STATUS_LABEL[g.status] }), g.reason ? ` ${g.reason}` : ''),
      h('p', { class: 'note', text: `${g.type === 'qemu' ? 'VM' : 'Container'} on ${g.node}, ${row.endpointName}` }),
      h('h3', { text: 'Backup jobs' }),
      items.length ? h('ul', { class: 'routines' }, ...items) : h('p', { class: 'note', text: 'No enabled backup job selects this guest.' }));
  }
  const endpoint = findEndpoint(data, d.endpointId);
  const routine = endpoint?.report.routines.find((r) => r.jobId === d.jobId);
  const run = routine?.runs.find((r) => r.node === d.node && r.scheduled === d.scheduled);
  const name = endpoint?.routineNames[d.jobId] ?? d.jobId;
  if (!run) return section(`Run of ${name}`, h('p', { class: 'note', text: 'This run is no longer in the report\'s history window.' }));
  const guestName = (vmid: number) => endpoint?.report.guests.find((g) => g.vmid === vmid)?.name;
  return section(`${RUN_LABEL[run.status]} run of ${name} on ${run.node}`,
    h('p', { text: `Scheduled ${timeText(run.scheduled, now, state.zone, '').title}` }),
    run.taskStatus ? h('p', { text: `Task status: ${run.taskStatus}` }) : null,
    run.task ? h('p', { class: 'note', text: `Task ${run.task}` }) : null,
    run.jobError ? h('p', { class: 'error', text: `Job error: ${run.jobError}` }) : null,
    run.failedGuests.length ? h('h3', { text: `Failed guests (${run.failedGuests.length})` }) : h('p', { class: 'note', text: 'No guest failed in this run.' }),
    ...run.failedGuests.map((vmid) => {
      const f = run.failures.find((x) => x.vmid === vmid);
      const n = guestName(vmid);
      return h('div', { class: 'failure' },
        h('p', {}, h('strong', { text: n ? `${n} (${vmid})` : String(vmid) }), f ? `: ${f.reason}` : ''),
        f && f.lines.length ? h('pre', { class: 'log', text: f.lines.join('\n') }) : h('p', { class: 'note', text: 'The task log of this run was not read.' }));
    }));
}

function cell(text: string, cls: string, title?: string): HTMLElement {
  return h('div', { class: `cell ${cls}`, text, title, attrs: { role: 'gridcell' } });
}

function rowElement(row: HealthRow, index: number, state: HealthUiState, now: number, dispatch: Dispatch): HTMLElement {
  const g = row.guest;
  const last = timeText(g.lastBackup, now, state.zone, 'never');
  const next = timeText(g.nextBackup, now, state.zone, 'none');
  const selected = row.key === state.selected;
  const el = h('div', {
    class: `row st-${g.status}${selected ? ' selected' : ''}`,
    attrs: { role: 'row', id: rowId(row.key), 'aria-rowindex': String(index + 2), 'aria-selected': String(selected), 'data-key': row.key },
    on: { click: () => dispatch({ type: 'select', key: row.key, index, open: true }) },
  },
  h('div', { class: 'cell status', attrs: { role: 'gridcell' } }, h('span', { class: `status-mark st-${g.status}`, text: STATUS_LABEL[g.status] })),
  cell(`${g.name} (${g.vmid})`, 'guest'),
  cell(g.node, 'node'),
  cell(row.endpointName, 'endpoint'),
  cell(g.reason, 'reason', g.reason || undefined),
  cell(last.text, 'time', last.title),
  cell(String(g.backupCount), 'count'),
  cell(next.text, 'time', next.title),
  cell(row.routineNames.join(', '), 'routines'),
  cell(g.verification ?? '—', 'verification'));
  el.style.top = `${index * ROW_HEIGHT}px`;
  return el;
}

function table(state: HealthUiState, rows: HealthRow[], now: number, dispatch: Dispatch): { element: HTMLElement; fill(s: HealthUiState, now: number): void } {
  const sorted = state.sort;
  const head = h('div', { class: 'row head', attrs: { role: 'row', 'aria-rowindex': '1' } }, ...COLUMNS.map((c) => {
    const active = sorted.column === c.id;
    const label = c.id === 'lastBackup' || c.id === 'nextBackup' ? `${c.label} (${state.zone})` : c.label;
    return h('div', {
      class: `cell ${c.id}`,
      attrs: { role: 'columnheader', 'aria-sort': active ? (sorted.descending ? 'descending' : 'ascending') : 'none' },
    }, h('button', {
      class: 'sort', text: `${label}${active ? (sorted.descending ? ' ▼' : ' ▲') : ''}`,
      attrs: { id: `sort-${c.id}`, 'aria-label': `Sort by ${c.label}` },
      on: { click: () => dispatch({ type: 'sort', column: c.id }) },
    }));
  }));
  const body = h('div', { class: 'rows', attrs: { role: 'rowgroup' } });
  const grid = h('div', {
    class: 'grid-table',
    attrs: {
      id: GRID_ID, role: 'grid', tabindex: '0', 'aria-label': 'Guests', 'aria-rowcount': String(rows.length + 1),
    },
    on: {
      scroll: () => dispatch({ type: 'scroll', top: grid.scrollTop, height: grid.clientHeight - ROW_HEIGHT }),
      keydown: (ev) => {
        const page = Math.max(1, Math.floor((state.scroll.height || 10 * ROW_HEIGHT) / ROW_HEIGHT) - 1);
        const current = state.selected === null ? -1 : rows.findIndex((r) => r.key === state.selected);
        if ((ev.key === 'Enter' || ev.key === ' ') && current >= 0) {
          ev.preventDefault();
          dispatch({ type: 'select', key: rows[current].key, index: current, open: true });
          return;
        }
        const next = moveIndex(current, ev.key, rows.length, page);
        if (next === null) return;
        ev.preventDefault();
        dispatch({ type: 'select', key: rows[next].key, index: next });
      },
    },
  }, head, rows.length ? body : h('p', { class: 'note empty-rows', text: 'No guest matches the filters.' }));
  const fill = (s: HealthUiState, n: number) => {
    const w = virtualWindow(rows.length, s.scroll.top, s.scroll.height, ROW_HEIGHT);
    body.style.height = `${w.totalHeight}px`;
    const drawn: HTMLElement[] = [];
    for (let i = w.start; i < w.end; i++) drawn.push(rowElement(rows[i], i, s, n, dispatch));
    replaceChildren(body, ...drawn);
    // The active descendant must be an element in the page: a selected row scrolled out of the window is not.
    const sel = s.selected === null ? -1 : rows.findIndex((r) => r.key === s.selected);
    grid.setAttribute('aria-activedescendant', sel >= w.start && sel < w.end ? rowId(rows[sel].key) : '');
  };
  fill(state, now);
  return { element: grid, fill };
}
