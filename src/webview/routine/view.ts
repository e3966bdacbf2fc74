// Renders the routine page model (present.ts) into the DOM, every string as text. Buttons become actions for the
// reducer; nothing here changes state itself.
import { definitionTable, h, replaceChildren } from '../shared/dom';
import type { Banner, Block, DetailModel, RoutinePage } from './present';
import type { RoutineAction, RoutineUiState } from './state';

export type Dispatch = (action: RoutineAction) => void;

export function renderRoutine(app: HTMLElement, page: RoutinePage, ui: RoutineUiState, dispatch: Dispatch): void {
  app.setAttribute('aria-busy', String(ui.routine.status === 'loading'));
  switch (page.kind) {
    case 'loading':
      replaceChildren(app, h('p', { class: 'status', text: page.text, attrs: { role: 'status' } }));
      return;
    case 'failed':
      replaceChildren(app,
        h('h1', { text: page.title }),
        h('p', { class: 'error', text: page.error, attrs: { role: 'alert' } }),
        h('div', { class: 'toolbar' }, retryButton(dispatch)));
      return;
    case 'no-target':
      replaceChildren(app,
        h('h1', { text: page.title }),
        h('p', { class: 'error', text: page.message, attrs: { role: 'alert' } }),
        h('div', { class: 'toolbar' },
          h('button', { text: 'Open a backup job…', attrs: { id: 'pick-routine' }, on: { click: () => dispatch({ type: 'pickRoutine' }) } }),
          message(ui)));
      return;
    case 'error':
      replaceChildren(app,
        h('h1', { text: page.title }),
        banner(page.banner, dispatch),
        h('p', { class: 'error', text: page.error, attrs: { role: 'alert' } }),
        toolbar(page.endpointId, ui, dispatch, true));
      return;
    case 'detail':
      replaceChildren(app, ...detailView(page.detail, page.endpointId, page.banner, ui, dispatch));
      return;
  }
}

function retryButton(dispatch: Dispatch): HTMLElement {
  return h('button', { text: 'Try again', attrs: { id: 'retry' }, on: { click: () => dispatch({ type: 'retry' }) } });
}

function message(ui: RoutineUiState): HTMLElement {
  const m = ui.sync.message;
  return h('span', { class: m?.error ? 'error' : 'note', text: m?.text ?? '', attrs: { role: 'status', 'aria-live': 'polite' } });
}

function banner(b: Banner | null, dispatch: Dispatch): HTMLElement | null {
  if (!b) return null;
  return h('p', { class: b.error ? 'banner error' : 'banner note', attrs: { role: b.error ? 'alert' : 'status' } },
    b.text, b.retry ? ' ' : null, b.retry ? retryButton(dispatch) : null);
}

function toolbar(endpointId: string, ui: RoutineUiState, dispatch: Dispatch, retry: boolean): HTMLElement {
  const sync = h('button', {
    text: ui.sync.running ? 'Syncing…' : 'Sync now',
    title: 'Read this endpoint from Proxmox again',
    attrs: { id: 'sync-now' },
    on: { click: () => dispatch({ type: 'syncNow', endpointId }) },
  });
  sync.disabled = ui.sync.running;
  const calendar = h('button', {
    class: 'secondary', text: 'Open calendar', title: 'Show every run of this endpoint\'s jobs in the backup calendar',
    attrs: { id: 'open-calendar' },
    on: { click: () => dispatch({ type: 'openCalendar', endpointId }) },
  });
  return h('div', { class: 'toolbar' }, sync, calendar, retry ? retryButton(dispatch) : null, message(ui));
}

function block(b: Block): Node {
  switch (b.kind) {
    case 'text':
      return h('p', { text: b.text });
    case 'note':
      return h('p', { class: 'note', text: b.text });
    case 'error':
      return h('p', { class: 'error', text: b.text, attrs: { role: 'alert' } });
    case 'warning':
      return h('p', { class: 'warning', attrs: { role: 'alert' } }, h('span', { class: 'badge warn', text: b.label }), b.text);
    case 'subheading':
      return h('h3', { text: b.text });
    case 'table':
      return definitionTable(b.rows.map((r) => [r.label, r.code ? h('code', { text: r.value }) : r.value]), b.caption);
    case 'runs':
      return h('ol', { class: 'runs' }, ...b.runs.map((r) => h('li', {},
        h('time', { text: r.text, title: r.title, attrs: { datetime: r.iso } }), h('span', { class: 'note', text: ` ${r.relative}` }))));
    case 'guests':
      return h('table', { class: 'grid', attrs: { 'aria-label': b.caption } },
        h('thead', {}, h('tr', {}, ...['VMID', 'Name', 'Type', 'Node'].map((t) => h('th', { text: t, attrs: { scope: 'col' } })))),
        h('tbody', {}, ...b.guests.map((g) => h('tr', { class: g.missing ? 'missing' : '' },
          h('td', { text: g.vmid }), h('td', { text: g.name }), h('td', { text: g.type }), h('td', { text: g.node })))));
    case 'pre':
      return b.raw
        ? h('pre', { class: 'raw', text: b.text, attrs: { tabindex: '0', 'aria-label': 'Raw job configuration (JSON)' } })
        : h('pre', { text: b.text });
  }
}

function detailView(d: DetailModel, endpointId: string, b: Banner | null, ui: RoutineUiState, dispatch: Dispatch): Node[] {
  const badges = d.badges.flatMap((x, i) => [i ? ' ' : '', h('span', { class: `badge ${x.kind}`, text: x.text })]);
  return [
    h('header', {},
      h('h1', {}, d.title, h('span', { class: 'endpoint', text: d.endpoint })),
      banner(b, dispatch),
      h('p', { class: 'badges' }, ...badges),
      d.comment ? h('p', { class: 'comment', text: d.comment }) : null,
      toolbar(endpointId, ui, dispatch, false)),
    ...d.sections.map((s) => {
      const id = `s-${s.title.toLowerCase().replace(/[^a-z0-9]+/g, '-')}`;
      return h('section', { attrs: { 'aria-labelledby': id } }, h('h2', { text: s.title, attrs: { id } }), ...s.blocks.map(block));
    }),
  ];
}
