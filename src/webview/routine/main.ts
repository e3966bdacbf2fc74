// The routine detail view (browser side). Renders the state the extension posts; every Proxmox string goes in as
// text. The last state is kept with setState, so a reloaded or re-shown panel has content before the extension answers.
import { definitionTable, h, replaceChildren, textSnapshot } from '../shared/dom';
import { formatDateTime, formatRelative, localZone } from '../shared/format';
import { RpcClient } from '../shared/rpc';
import { vscodeApi } from '../shared/vscodeApi';
import type {
  GuestRef, RoutineDetail, RoutinePersistedState, RoutineRequests, RoutineToWebview, RoutineViewState,
} from './protocol';

const vscode = vscodeApi<RoutinePersistedState>();
const rpc = new RpcClient<RoutineRequests>((m) => vscode.postMessage(m));
const app = document.getElementById('app') as HTMLElement;

let state: RoutineViewState | null = vscode.getState()?.state ?? null;
let syncMessage: { text: string; error: boolean } | null = null;
let syncing = false;

function render(): void {
  app.setAttribute('aria-busy', String(!state || state.status === 'loading'));
  if (!state || state.status === 'loading') {
    replaceChildren(app, h('p', { class: 'status', text: 'Loading the backup job…', attrs: { role: 'status' } }));
  } else if (state.status === 'error' || !state.detail) {
    replaceChildren(app,
      h('h1', { text: `Backup job ${state.routineId}` }),
      h('p', { class: 'error', text: state.error ?? 'The backup job could not be shown.', attrs: { role: 'alert' } }),
      toolbar(state.endpointId));
  } else {
    replaceChildren(app, ...detailView(state.detail));
  }
  vscode.postMessage({ type: 'rendered', text: textSnapshot(app) });
}

function toolbar(endpointId: string): HTMLElement {
  const sync = h('button', {
    text: syncing ? 'Syncing…' : 'Sync now',
    title: 'Read this endpoint from Proxmox again',
    on: { click: () => void syncNow(endpointId) },
  });
  sync.disabled = syncing;
  const calendar = h('button', {
    class: 'secondary', text: 'Open calendar', title: 'Show every run of this endpoint\'s jobs in the backup calendar',
    on: { click: () => void rpc.request('openCalendar', { endpointId }).catch((e: Error) => showSyncMessage(e.message, true)) },
  });
  return h('div', { class: 'toolbar' }, sync, calendar,
    h('span', { class: syncMessage?.error ? 'error' : 'note', text: syncMessage?.text ?? '', attrs: { role: 'status', 'aria-live': 'polite' } }));
}

async function syncNow(endpointId: string): Promise<void> {
  syncing = true;
  syncMessage = { text: 'Sync started.', error: false };
  render();
  try {
    // A sync of a large cluster takes minutes; it has its own progress and cancel in VS Code.
    const result = await rpc.request('syncNow', { endpointId }, 3_600_000);
    syncMessage = { text: result.message, error: !result.ok };
  } catch (e) {
    syncMessage = { text: `Sync failed: ${(e as Error).message}`, error: true };
  } finally {
    syncing = false;
    render();
  }
}

function showSyncMessage(text: string, error: boolean): void {
  syncMessage = { text, error };
  render();
}

function badge(text: string, kind: string): HTMLElement {
  return h('span', { class: `badge ${kind}`, text });
}

function when(epoch: number | null, now: number): string | null {
  return epoch === null ? null : `${formatDateTime(epoch)} (${formatRelative(epoch, now)})`;
}

function guestTable(guests: GuestRef[], caption: string): HTMLElement {
  if (guests.length === 0) return h('p', { class: 'note', text: 'None.' });
  return h('table', { class: 'grid', attrs: { 'aria-label': caption } },
    h('thead', {}, h('tr', {}, ...['VMID', 'Name', 'Type', 'Node'].map((t) => h('th', { text: t, attrs: { scope: 'col' } })))),
    h('tbody', {}, ...guests.map((g) => h('tr', { class: g.name === null ? 'missing' : '' },
      h('td', { text: String(g.vmid) }),
      h('td', { text: g.name ?? 'not in the inventory' }),
      h('td', { text: g.type === 'qemu' ? 'VM' : g.type === 'lxc' ? 'Container' : '' }),
      h('td', { text: g.node ?? '' })))));
}

function section(title: string, ...content: (Node | null)[]): HTMLElement {
  const id = `s-${title.toLowerCase().replace(/[^a-z0-9]+/g, '-')}`;
  return h('section', { attrs: { 'aria-labelledby': id } }, h('h2', { text: title, attrs: { id } }), ...content);
}

function detailView(d: RoutineDetail): Node[] {
  const now = Math.floor(Date.now() / 1000);
  const status = [
    d.enabled ? badge('enabled', 'ok') : badge('disabled — will not run', 'off'),
    d.status === 'stale' ? badge('stale — gone from Proxmox at the last sync', 'warn') : badge('active', 'ok'),
  ];
  const selectionText = d.selection.mode === 'all' ? 'All guests' + (d.selection.excluded.length ? ' except the excluded ones' : '')
    : d.selection.mode === 'pool' ? `Pool ${d.selection.pool ?? ''}` : `${d.selection.guests.length} selected guest(s)`;
  const zone = d.timezoneNote ? `${d.timezone} (assumed: ${d.timezoneNote})`
    : d.timezoneAssumed ? `${d.timezone} (assumed: the node's time zone is not known yet)` : d.timezone;
  const nextRuns = d.nextRuns.length
    ? h('ol', { class: 'runs' }, ...d.nextRuns.map((t) => h('li', {}, h('time', { text: formatDateTime(t), attrs: { datetime: new Date(t * 1000).toISOString() } }), h('span', { class: 'note', text: ` ${formatRelative(t, now)}` }))))
    : h('p', { class: 'note', text: d.schedule.error ? 'No runs: the schedule cannot be read.' : 'This schedule has no further runs.' });

  return [
    h('header', {},
      h('h1', {}, `Backup job ${d.routineId}`, h('span', { class: 'endpoint', text: ` on ${d.endpointName}` })),
      h('p', { class: 'badges' }, status[0], ' ', status[1]),
      d.comment ? h('p', { class: 'comment', text: d.comment }) : null,
      toolbar(d.endpointId)),
    section('Schedule',
      d.schedule.error ? h('p', { class: 'error', text: d.schedule.error, attrs: { role: 'alert' } }) : null,
      definitionTable([
        ['As written', h('code', { text: d.schedule.source })],
        ['Normalized', d.schedule.normalized === null ? null : h('code', { text: d.schedule.normalized })],
        ['In plain words', d.schedule.description],
        ['Time zone', zone],
        ['Next run', d.nextRun === null ? (d.enabled ? 'none' : 'none (disabled)') : `${when(d.nextRun, now)} — ${d.nextRunSource === 'proxmox' ? 'as Proxmox reports it' : 'computed by Proxbox'}`],
      ], 'Schedule')),
    section(`Next ${d.nextRuns.length || ''} runs (local time, ${localZone()})`.replace('  ', ' '),
      d.enabled ? null : h('p', { class: 'note', text: 'The job is disabled: these are the times it would run if enabled.' }),
      nextRuns),
    section('Status', definitionTable([
      ['Enabled', d.enabled ? 'yes' : 'no'],
      ['Status', d.status],
      ['First seen', when(d.firstSeen, now)],
      ['Last seen', when(d.lastSeen, now)],
      ['Inventory synced', when(d.syncedAt, now)],
    ], 'Status')),
    section('Target', definitionTable([
      ['Node', d.node ?? 'All nodes'],
      ['Storage', d.storage ?? 'not set'],
    ], 'Target')),
    section('Selection',
      h('p', { text: selectionText }),
      d.selection.note ? h('p', { class: 'note', text: d.selection.note }) : null,
      guestTable(d.selection.guests, 'Selected guests'),
      d.selection.excluded.length ? h('h3', { text: 'Excluded' }) : null,
      d.selection.excluded.length ? guestTable(d.selection.excluded, 'Excluded guests') : null),
    section('Retention', d.retention.length
      ? definitionTable(d.retention.map((r) => [r.label, r.value]), 'Retention')
      : h('p', { class: 'note', text: 'The job sets no retention: the storage\'s prune settings apply.' })),
    section('Advanced options', d.advanced.length
      ? definitionTable(d.advanced.map((r) => [r.label, r.value]), 'Advanced options')
      : h('p', { class: 'note', text: 'Proxmox defaults.' })),
    section('Notes template', d.notesTemplate ? h('pre', { text: d.notesTemplate }) : h('p', { class: 'note', text: 'None.' })),
    section('Raw configuration', h('pre', { class: 'raw', text: d.rawConfig, attrs: { tabindex: '0', 'aria-label': 'Raw job configuration (JSON)' } })),
  ];
}

window.addEventListener('message', (event: MessageEvent<RoutineToWebview>) => {
  const m = event.data;
  if (m.type === 'state') {
    state = m.state;
    vscode.setState({ endpointId: m.state.endpointId, routineId: m.state.routineId, state: m.state });
    render();
  } else if (m.type === 'reply') {
    rpc.handleReply(m);
  }
});

render();
vscode.postMessage({ type: 'ready' });
