// Renders the calendar's state into the DOM: toolbar, status line, month or week grid, legend. Every string goes in
// as text (shared/dom.ts); the words come from present.ts and the positions from layout.ts. User input becomes
// actions for the reducer; nothing here changes state itself.
import { h, replaceChildren } from '../shared/dom';
import { formatTime } from '../../core/text/time';
import { dateKeyOf, dayLabel, pageLabel, WEEKDAY_LABELS, weekdayLabel } from './dates';
import { dayCellId, dayKeyTarget, entryKeyTarget, tabStopDay } from './grid';
import { monthCells, routineIndex, weekColumns } from './layout';
import {
  detailNodeHeading, entryId, entryModel, kindFilters, legendGroups, overlapHeading, overlapItems, OUTCOME_KEY, OUTCOME_LABELS, OUTCOME_SYMBOLS, showsClusters, statusModel,
  zoneNote, type EntryModel, type EntryOptions, type StatusModel,
} from './present';
import { todayOf, type CalendarAction, type CalendarState, type RunDetailState } from './state';
import type { CalendarEntry, CalendarRoutine, CalendarViewMode, RunDetailNode } from './protocol';

export type Dispatch = (action: CalendarAction) => void;

const OVERLAPS_SHOWN = 100;
const HOURS = Array.from({ length: 24 }, (_, hour) => `${String(hour).padStart(2, '0')}:00`);

export function renderCalendar(app: HTMLElement, state: CalendarState, viewNow: number, dispatch: Dispatch): void {
  const status = statusModel(state);
  app.setAttribute('aria-busy', String(status.busy));
  replaceChildren(app,
    toolbar(state, dispatch),
    statusLine(status, state.notice, dispatch),
    h('p', { class: 'zone-note', text: zoneNote(state), attrs: { id: 'zone-note' } }),
    state.detail ? runDetailPanel(state.detail, state, dispatch) : null,
    problems(state),
    state.nav.view === 'month' ? monthGrid(state, todayOf(state, viewNow), dispatch) : weekGrid(state, viewNow + state.skew, dispatch),
    overlapList(state),
    legend(state, dispatch));
}

function entryOptions(state: CalendarState): EntryOptions {
  return { zoneMode: state.zoneMode, showCluster: showsClusters(state.runs.value, state.nav.showDisabled, state.nav.hiddenKinds) };
}

function entryButton(e: CalendarEntry, m: EntryModel, r: CalendarRoutine, dispatch: Dispatch, tabindex?: string): HTMLButtonElement {
  const id = entryId(e, r);
  // A past run opens what happened at it (a button, so Enter and Space do the same); anything else opens the job.
  // Other kinds have no job view: their button only carries the tooltip and the keyboard focus.
  const open = m.past && e.kind === 'run'
    ? () => dispatch({ type: 'openRun', endpointId: r.endpointId, routineId: r.routineId, at: e.at, returnFocus: id })
    : m.opens ? () => dispatch({ type: 'openRoutine', endpointId: r.endpointId, routineId: r.routineId }) : () => undefined;
  const button = h('button', {
    class: m.classes.join(' '),
    title: m.title,
    attrs: { 'aria-label': m.label, id, ...(tabindex === undefined ? {} : { tabindex }) },
    on: { click: open },
  }, h('span', { class: 'kind', text: m.kindGlyph, attrs: { 'aria-hidden': 'true' } }),
  h('span', { class: 'mark', text: m.badge, attrs: { 'aria-hidden': 'true' } }),
  m.overlap ? h('span', { class: 'overlap-mark', text: '⚠', attrs: { 'aria-hidden': 'true' } }) : null,
  m.symbol === null ? null : h('span', { class: 'outcome', text: m.symbol, attrs: { 'aria-hidden': 'true' } }),
  // Name first (it may be cut), then the time and the cluster, which never are.
  h('span', { class: 'name', text: m.name }), ' ',
  h('span', { class: 'when', text: m.when }),
  m.cluster ? ' ' : null, m.cluster ? h('span', { class: 'cluster', text: m.cluster }) : null);
  if (m.past) button.setAttribute('aria-haspopup', 'dialog');
  customColor(button, r.customColor);
  return button;
}

/** A custom entry's own colour, as a CSS variable set from script (the CSP allows CSSOM, not style attributes). The
 * value was checked to be #rgb or #rrggbb where the entry was read. */
function customColor(el: HTMLElement, color: string | null): void {
  if (color && /^#[0-9a-fA-F]{3,6}$/.test(color)) el.style.setProperty('--custom-color', color);
}

/** Custom entries from the setting that could not be read: named with their fix, above the grid. */
function problems(state: CalendarState): HTMLElement | null {
  const list = state.context.value?.problems ?? [];
  if (list.length === 0) return null;
  return h('section', { class: 'problems', attrs: { 'aria-label': 'Custom entries that could not be read', id: 'calendar-problems' } },
    h('ul', {}, ...list.map((p) => h('li', { class: 'error', text: p }))));
}

/** Under the grid: every overlap of the page, both runs, the resource and how far apart. */
function overlapList(state: CalendarState): HTMLElement | null {
  const data = state.runs.value;
  if (!data) return null;
  const items = overlapItems(data, state.nav, state.zone);
  // A storage every job writes to at night gives hundreds of pairs: the first ones say enough, the count says the rest.
  const shown = items.slice(0, OVERLAPS_SHOWN);
  return h('section', { class: 'overlaps', attrs: { 'aria-labelledby': 'overlaps-title', id: 'overlaps' } },
    h('h2', { text: overlapHeading(items.length, data, state.nav.view), attrs: { id: 'overlaps-title' } }),
    shown.length ? h('ul', {}, ...shown.map((i) => h('li', { class: 'overlap-item', text: `⚠ ${i.text}` }))) : null,
    items.length > shown.length ? h('p', { class: 'note', text: `${items.length - shown.length} more overlaps not listed here (proxbox calendar --json lists them).` }) : null);
}

/** The details of one past run: per node its outcome, task status and failed guests with Proxmox's words and log
 * lines. Not modal: the calendar stays usable; Close or Escape returns the focus to the run. */
function runDetailPanel(detail: RunDetailState, state: CalendarState, dispatch: Dispatch): HTMLElement {
  const { params, data } = detail;
  const r = state.runs.value?.routines.find((x) => x.endpointId === params.endpointId && x.routineId === params.routineId);
  const name = r ? `${r.label} (job ${r.badge}, ${r.endpointName})` : params.routineId;
  const when = `${dayLabel(dateKeyOf(params.at, state.zone))} ${formatTime(params.at, state.zone)}`;
  const value = data.value;
  const body: (HTMLElement | null)[] = [];
  if (data.status === 'error') body.push(h('p', { class: 'status error', text: `The run's details could not be read: ${data.error ?? ''}`, attrs: { role: 'alert' } }));
  else if (!value) body.push(h('p', { class: 'status', text: 'Reading the run…', attrs: { role: 'status' } }));
  else if (value.runs.length === 0) {
    body.push(h('p', { text: 'No record of this run: it lies before the backup health history (see proxbox.health settings), or health was not evaluated yet after the sync.' }));
  } else {
    body.push(h('p', { class: `summary o-${value.outcome}` },
      h('span', { class: 'outcome', text: OUTCOME_SYMBOLS[value.outcome], attrs: { 'aria-hidden': 'true' } }),
      `${OUTCOME_LABELS[value.outcome]} on ${value.runs.length} node${value.runs.length === 1 ? '' : 's'}`));
    for (const n of value.runs) body.push(nodeSection(n, state.zone));
  }
  return h('section', { class: 'run-detail', attrs: { role: 'dialog', 'aria-modal': 'false', 'aria-labelledby': 'run-detail-title', id: 'run-detail' } },
    h('div', { class: 'run-detail-head' },
      h('h2', { text: `${name}: run of ${when}`, attrs: { id: 'run-detail-title' } }),
      h('span', { class: 'spacer' }),
      h('button', {
        text: 'Open the job', attrs: { id: 'run-detail-open' },
        on: { click: () => dispatch({ type: 'openRoutine', endpointId: params.endpointId, routineId: params.routineId }) },
      }),
      h('button', { text: 'Close', title: 'Close (Escape)', attrs: { id: 'run-detail-close' }, on: { click: () => dispatch({ type: 'closeRun' }) } })),
    ...body);
}

function nodeSection(n: RunDetailNode, zone: string): HTMLElement {
  return h('div', { class: `run-node o-${n.status}` },
    h('h3', { text: detailNodeHeading(n, zone) }),
    n.jobError ? h('p', { class: 'job-error', text: `Job error: ${n.jobError}` }) : null,
    n.failures.length === 0 ? null : h('ul', { class: 'failures', attrs: { 'aria-label': `Failed guests on ${n.node}` } },
      ...n.failures.map((f) => h('li', {},
        h('span', { class: 'guest', text: `${f.vmid}${f.name ? ` ${f.name}` : ''}` }),
        f.reason ? `: ${f.reason}` : ': no reason recorded (the task log was not read)',
        // Log lines are Proxmox's text: one text node in a <pre>, never markup.
        f.lines.length ? h('pre', { class: 'log', text: f.lines.join('\n') }) : null))));
}

function endpointOptions(state: CalendarState): { id: string; text: string }[] {
  return (state.context.value?.endpoints ?? []).map((e) => ({ id: e.id, text: e.syncedAt === null ? `${e.name} (not synced)` : e.name }));
}

function toolbar(state: CalendarState, dispatch: Dispatch): HTMLElement {
  const { nav } = state;
  const unit = nav.view === 'month' ? 'month' : 'week';
  const viewButton = (mode: CalendarViewMode, text: string) => h('button', {
    class: nav.view === mode ? 'toggle on' : 'toggle', text,
    attrs: { 'aria-pressed': String(nav.view === mode), id: `view-${mode}` },
    on: { click: () => dispatch({ type: 'setView', view: mode, viewNow: Date.now() / 1000 }) },
  });
  const select = h('select', {
    attrs: { id: 'endpoint', 'aria-label': 'Endpoint' },
    on: { change: (ev) => dispatch({ type: 'navigate', change: { endpointId: (ev.target as HTMLSelectElement).value || null }, focus: 'endpoint' }) },
  }, h('option', { text: 'All endpoints', attrs: { value: '' } }),
  ...endpointOptions(state).map((o) => h('option', { text: o.text, attrs: { value: o.id } })));
  select.value = nav.endpointId ?? '';
  const toggle = h('input', {
    attrs: { type: 'checkbox', id: 'show-disabled' },
    on: { change: (ev) => dispatch({ type: 'showDisabled', show: (ev.target as HTMLInputElement).checked }) },
  });
  toggle.checked = nav.showDisabled;
  const kinds = kindFilters(state.runs.value, nav.hiddenKinds).map((f) => {
    const box = h('input', {
      attrs: { type: 'checkbox', id: `kind-${f.kind}` },
      on: { change: (ev) => dispatch({ type: 'showKind', kind: f.kind, show: (ev.target as HTMLInputElement).checked }) },
    });
    box.checked = f.shown;
    return h('label', { class: 'check kind-filter', attrs: { title: `${f.count} source(s)` } }, box, ` ${f.text}`);
  });
  const filters = kinds.length > 1 ? h('div', { class: 'kind-filters', attrs: { role: 'group', 'aria-label': 'Kinds of job shown' } }, ...kinds) : null;
  return h('div', { class: 'toolbar', attrs: { role: 'toolbar', 'aria-label': 'Calendar navigation' } },
    h('button', { text: '‹', title: `Previous ${unit}`, attrs: { id: 'prev', 'aria-label': `Previous ${unit}` }, on: { click: () => dispatch({ type: 'step', direction: -1 }) } }),
    // The time of the click, not of the last render: a panel left open overnight moves to the new day.
    h('button', { text: 'Today', attrs: { id: 'today' }, on: { click: () => dispatch({ type: 'today', viewNow: Date.now() / 1000 }) } }),
    h('button', { text: '›', title: `Next ${unit}`, attrs: { id: 'next', 'aria-label': `Next ${unit}` }, on: { click: () => dispatch({ type: 'step', direction: 1 }) } }),
    h('h1', { text: pageLabel(nav.view, nav.anchor), attrs: { 'aria-live': 'polite' } }),
    h('span', { class: 'spacer' }),
    viewButton('month', 'Month'), viewButton('week', 'Week'),
    select,
    h('label', { class: 'check' }, toggle, ' Show disabled'),
    // Wired in main.ts: it saves what the page shows, not a navigation step.
    h('button', { text: 'Export .ics', title: 'Save the runs shown as an iCalendar file', attrs: { id: 'export-ics' } }),
    filters);
}

function statusLine(status: StatusModel, notice: string | null, dispatch: Dispatch): HTMLElement {
  const cls = status.kind === 'error' ? 'status error' : 'status';
  return h('div', { class: 'status-area' },
    h('p', { class: cls, text: status.text, attrs: { role: status.kind === 'error' ? 'alert' : 'status' } }),
    status.retry ? h('button', { text: 'Try again', attrs: { id: 'retry' }, on: { click: () => dispatch({ type: 'retry' }) } }) : null,
    notice ? h('p', { class: 'notice', text: notice, attrs: { role: 'alert' } }) : null);
}

function dayHeader(text: string, today: boolean): HTMLElement {
  return h('div', { class: 'date' }, h('span', { text }), today ? h('span', { class: 'today-mark', text: 'Today' }) : null);
}

function monthGrid(state: CalendarState, today: string, dispatch: Dispatch): HTMLElement {
  const data = state.runs.value;
  const routines = routineIndex(data);
  const cells = monthCells(state.nav, data, today);
  const days = cells.map((c) => c.date);
  // One tab stop for the whole grid: the cursor's day; arrow keys move it, Enter goes into the day's runs.
  const stop = tabStopDay(days, state.nav.anchor, state.cursor, today);
  const options = entryOptions(state);
  const grid = h('div', { class: 'grid month', attrs: { role: 'grid', 'aria-label': 'Month: arrow keys move by day and week, Enter opens the day\'s runs' } },
    h('div', { class: 'row head', attrs: { role: 'row' } }, ...WEEKDAY_LABELS.map((d) => h('div', { class: 'weekday', text: d, attrs: { role: 'columnheader' } }))));
  for (let w = 0; w < 6; w++) {
    const row = h('div', { class: 'row', attrs: { role: 'row' } });
    for (const cell of cells.slice(w * 7, w * 7 + 7)) {
      const count = cell.entries.length + cell.more;
      const el = h('div', {
        class: ['day', cell.today ? 'today' : '', cell.outside ? 'outside' : ''].filter(Boolean).join(' '),
        attrs: {
          role: 'gridcell', id: dayCellId(cell.date), tabindex: cell.date === stop ? '0' : '-1',
          'aria-label': `${dayLabel(cell.date)}${cell.today ? ', today' : ''}: ${count ? `${count} entr${count === 1 ? 'y' : 'ies'}` : 'no runs'}`,
          'data-date': cell.date,
        },
      }, dayHeader(String(cell.day), cell.today));
      if (cell.today) el.setAttribute('aria-current', 'date');
      for (const e of cell.entries) {
        const r = routines.get(e.routine);
        // Inside the grid only the tab stop is reached with Tab; the runs with the arrow keys.
        if (r) el.append(entryButton(e, entryModel(e, r, true, state.zone, options), r, dispatch, '-1'));
      }
      if (cell.more) {
        el.append(h('button', {
          class: 'more', text: `+${cell.more} more`,
          attrs: { 'aria-label': `${cell.more} more on ${dayLabel(cell.date)}: show the week`, id: `more-${cell.date}`, tabindex: '-1' },
          on: { click: () => dispatch({ type: 'navigate', change: { view: 'week', anchor: cell.date }, focus: 'view-week' }) },
        }));
      }
      // Inside the grid only the tab stop is reached with Tab; the rest with the arrow keys.
      row.append(el);
    }
    grid.append(row);
  }
  grid.addEventListener('keydown', (ev) => monthKey(ev, days, dispatch));
  return grid;
}

/** The month grid's keys (see grid.ts): move between days, into a day's runs and back out. */
function monthKey(ev: KeyboardEvent, days: readonly string[], dispatch: Dispatch): void {
  const target = ev.target as HTMLElement;
  const cell = target.closest<HTMLElement>('[data-date]');
  const date = cell?.dataset.date;
  if (!cell || !date) return;
  const items = Array.from(cell.querySelectorAll<HTMLButtonElement>('button'));
  const toDay = (to: string) => {
    // A day off the page turns the page (the month of that day), with the cursor on it.
    if (days.includes(to)) dispatch({ type: 'cursor', date: to, focus: dayCellId(to) });
    else dispatch({ type: 'navigate', change: { anchor: to }, focus: dayCellId(to) });
  };
  let handled = true;
  if (target === cell) {
    const to = dayKeyTarget(ev.key, date);
    if (to) toDay(to);
    else if (ev.key === 'Enter' || ev.key === ' ') {
      if (items.length) items[0].focus();
      else dispatch({ type: 'navigate', change: { view: 'week', anchor: date }, focus: 'view-week' });
    } else handled = false;
  } else {
    const move = entryKeyTarget(ev.key, items.indexOf(target as HTMLButtonElement), items.length);
    if (move?.to === 'item') items[move.index]?.focus();
    else if (move?.to === 'cell') cell.focus();
    else if (move?.to === 'day') toDay(dayKeyTarget(move.key, date) as string);
    else handled = false;
  }
  if (handled) {
    ev.preventDefault();
    ev.stopPropagation();
  }
}

const pct = (fraction: number) => `${(fraction * 100).toFixed(3)}%`;

function weekGrid(state: CalendarState, now: number, dispatch: Dispatch): HTMLElement {
  const data = state.runs.value;
  const routines = routineIndex(data);
  const columns = weekColumns(state.nav, data, state.zone, now);
  const options = entryOptions(state);
  const head = h('div', { class: 'row head', attrs: { role: 'row' } }, h('div', { class: 'axis' }),
    ...columns.map((c) => {
      const cell = h('div', {
        class: c.today ? 'weekday today' : 'weekday',
        attrs: { role: 'columnheader', 'aria-label': dayLabel(c.date) + (c.today ? ', today' : '') },
      }, dayHeader(`${weekdayLabel(c.date)} ${Number(c.date.slice(8))}`, c.today));
      if (c.today) cell.setAttribute('aria-current', 'date');
      return cell;
    }));
  const body = h('div', { class: 'row body', attrs: { role: 'row' } },
    h('div', { class: 'axis', attrs: { 'aria-hidden': 'true' } }, ...HOURS.map((text) => h('div', { class: 'hour', text }))));
  for (const c of columns) {
    const column = h('div', {
      class: c.today ? 'day today' : 'day',
      // An id and tabindex -1: a focused run that a redraw leaves out hands the focus to its day, not to the page.
      attrs: {
        role: 'gridcell', id: dayCellId(c.date), tabindex: '-1',
        'aria-label': `${dayLabel(c.date)}: ${c.placed.length ? `${c.placed.length} entries` : 'no runs'}`, 'data-date': c.date,
      },
    });
    for (const p of c.placed) {
      const r = routines.get(p.entry.routine);
      if (!r) continue;
      const el = entryButton(p.entry, entryModel(p.entry, r, false, state.zone, options), r, dispatch);
      // CSSOM assignments, not style attributes: the CSP forbids inline styles in markup, not positioning from script.
      el.style.top = pct(p.top);
      el.style.height = pct(p.height);
      el.style.left = pct(p.left);
      el.style.width = pct(p.width);
      column.append(el);
    }
    if (c.now !== null) {
      const line = h('div', { class: 'now-line', attrs: { 'aria-hidden': 'true' } });
      line.style.top = pct(c.now);
      column.append(line);
    }
    body.append(column);
  }
  return h('div', { class: 'grid week', attrs: { role: 'grid', 'aria-label': 'Week' } }, head, body);
}

function legend(state: CalendarState, dispatch: Dispatch): HTMLElement | null {
  const groups = legendGroups(state.runs.value, state.nav);
  if (groups.length === 0) return null;
  return h('section', { class: 'legend', attrs: { 'aria-label': 'Backup jobs' } },
    h('h2', { class: 'visually-hidden', text: 'Backup jobs' }),
    h('p', { class: 'outcome-key', attrs: { 'aria-label': 'Run outcomes' } },
      ...OUTCOME_KEY.flatMap((k, i) => [
        i ? ' · ' : '',
        h('span', { class: `key-item ${k.outcome === 'planned' ? 'planned' : `o-${k.outcome}`}` },
          k.symbol ? h('span', { class: 'outcome', text: k.symbol }) : h('span', { class: 'planned-swatch', attrs: { 'aria-hidden': 'true' } }),
          ` ${k.text}`),
      ]),
      '. Click a past run for what happened.'),
    ...groups.map((g) => h('div', { class: `legend-group k-${g.kind}` },
      h('h3', { text: `${g.glyph} ${g.heading}` }),
      h('ul', {}, ...g.items.map((item) => {
        const button = h('button', {
          class: item.classes.join(' '),
          attrs: { 'aria-label': item.label, 'data-routine': item.key, ...(item.opens ? {} : { 'aria-disabled': 'true' }) },
          on: { click: () => { if (item.opens) dispatch({ type: 'openRoutine', endpointId: item.endpointId, routineId: item.routineId }); } },
        },
        h('span', { class: 'kind', text: item.kindGlyph, attrs: { 'aria-hidden': 'true' } }),
        h('span', { class: 'mark', text: item.badge, attrs: { 'aria-hidden': 'true' } }),
        h('span', { class: 'name', text: item.name }),
        h('span', { class: 'note', text: item.note }),
        ...item.flags.map((f) => h('span', { class: 'flag', text: f })));
        customColor(button, item.customColor);
        return h('li', {}, button, item.error ? h('p', { class: 'error', text: item.error }) : null);
      })))));
}
