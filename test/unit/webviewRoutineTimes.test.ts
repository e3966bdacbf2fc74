// The routine detail's times (issue 11, items 4 and 7): "Next run" and "Next 10 runs" from one source, in the zone
// the setting chooses and named; a disagreement between Proxmox and the schedule engine said, not shown as two
// unrelated times; after "Sync now" the view reads the inventory again and shows the new synced time.
import { strict as assert } from 'node:assert';
import type { Job } from '../../src/core/jobs/types';
import type { SyncResult } from '../../src/ui/commands/sync';
import { WebviewChannel } from '../../src/ui/webviews/channel';
import { buildRoutineDetail } from '../../src/ui/webviews/routineDetail';
import { RoutineController, type RoutineActions } from '../../src/ui/webviews/routineController';
import type { WebviewServices } from '../../src/ui/webviews/services';
import type { InventoryInput } from '../../src/ui/webviews/viewInputs';
import { restoreRoutinePanel } from '../../src/webview/routine/persist';
import { detailModel, displayZones, routinePage, type Block } from '../../src/webview/routine/present';
import type { RoutineRequests, RoutineViewState, TimesZone } from '../../src/webview/routine/protocol';
import { initialRoutineState, reduceRoutine, type RoutineAction, type RoutineEffect, type RoutineUiState } from '../../src/webview/routine/state';
import { RpcClient } from '../../src/webview/shared/rpc';
import { inventory, job, parse } from './webviewFixtures';

// Tuesday 1 Dec 2026, 09:00 UTC: the next run of `mon,wed,fri 03:00` in Tokyo is Wed 2 Dec 03:00 JST, which is
// Tue 1 Dec 18:00 UTC and 19:00 in Berlin.
const NOW = Date.UTC(2026, 11, 1, 9) / 1000;
const TOKYO_NEXT = Date.UTC(2026, 11, 1, 18) / 1000;
const nightly = (extra: Parameters<typeof job>[0] = {}) =>
  job({ jobId: 'nightly', comment: 'Nightly backup', schedule: 'mon,wed,fri 03:00', timezone: 'Asia/Tokyo', nextRun: TOKYO_NEXT, nextRunSource: 'proxmox', ...extra });
const detailOf = (r: ReturnType<typeof job>) => buildRoutineDetail({ ...inventory([r]), nodes: [{ name: 'pve-a', timezone: 'Asia/Tokyo' }] }, r, parse, NOW);

function rowsOf(blocks: Block[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const b of blocks) if (b.kind === 'table') for (const r of b.rows) out[r.label] = r.value;
  return out;
}

describe('webview routine: times in the chosen zone (issue 11, item 4)', () => {
  it('shows Next run and the first of the next runs as the same instant, in the viewer\'s zone, naming both zones', () => {
    const m = detailModel(detailOf(nightly()), NOW, 'Europe/Berlin', 'local');
    const next = rowsOf(m.sections[0].blocks)['Next run'];
    assert.equal(next, 'Tue 1 Dec 2026, 19:00 Europe/Berlin (in 9 h); Wed 2 Dec 2026, 03:00 Asia/Tokyo — as Proxmox reports it, and as Proxbox computes it');
    assert.equal(m.sections[1].title, 'Next 10 runs (Europe/Berlin, your time)');
    const runs = m.sections[1].blocks[0];
    assert.ok(runs.kind === 'runs');
    assert.equal(runs.runs[0].text, 'Tue 1 Dec 2026, 19:00', 'the list starts with the run "Next run" names');
    assert.equal(runs.runs[0].title, 'Wed 2 Dec 2026, 03:00 Asia/Tokyo', 'the node\'s time in the tooltip');
    assert.equal(runs.runs[0].relative, 'in 9 h');
    assert.match(rowsOf(m.sections[2].blocks)['Inventory synced'], /^Mon 23 Nov 2026, 12:00 Europe\/Berlin \(/);
  });

  it('shows the node\'s time when the setting says so, with the viewer\'s as the other zone', () => {
    const m = detailModel(detailOf(nightly()), NOW, 'Europe/Berlin', 'node');
    assert.match(rowsOf(m.sections[0].blocks)['Next run'], /^Wed 2 Dec 2026, 03:00 Asia\/Tokyo \(in 9 h\); Tue 1 Dec 2026, 19:00 Europe\/Berlin — as Proxmox reports it/);
    assert.equal(m.sections[1].title, 'Next 10 runs (Asia/Tokyo, the node\'s time)');
    const runs = m.sections[1].blocks[0];
    assert.ok(runs.kind === 'runs');
    assert.deepEqual(runs.runs.slice(0, 3).map((r) => r.text), ['Wed 2 Dec 2026, 03:00', 'Fri 4 Dec 2026, 03:00', 'Mon 7 Dec 2026, 03:00']);
    assert.equal(runs.runs[0].title, 'Tue 1 Dec 2026, 19:00 Europe/Berlin');
  });

  it('says so when Proxmox\'s next run and the computed one differ, instead of two unrelated times', () => {
    // The case: Proxmox's next-run read as Wed 03:00 UTC, nine hours after the run the schedule gives.
    const wrong = Date.UTC(2026, 11, 2, 3) / 1000;
    const next = rowsOf(detailModel(detailOf(nightly({ nextRun: wrong })), NOW, 'Europe/Berlin').sections[0].blocks)['Next run'];
    assert.match(next, /^Proxmox reports Wed 2 Dec 2026, 04:00 Europe\/Berlin \(in 18 h\).*, but Proxbox computes Tue 1 Dec 2026, 19:00 Europe\/Berlin \(in 9 h\).* from the schedule in Asia\/Tokyo\. They differ/);
    assert.match(next, /Check the time zone of the job's node in Proxmox, then sync\.$/);
  });

  it('says a reported next run has passed rather than showing it as the next one', () => {
    const passed = NOW - 3600;
    const next = rowsOf(detailModel(detailOf(nightly({ nextRun: passed })), NOW, 'UTC').sections[0].blocks)['Next run'];
    assert.match(next, /^Tue 1 Dec 2026, 18:00 UTC \(in 9 h\).* — computed by Proxbox; Proxmox reported Tue 1 Dec 2026, 08:00 UTC at the last sync, which has passed\. Sync/);
  });

  it('names one zone only when the viewer is in the node\'s zone', () => {
    assert.deepEqual(displayZones('local', 'Asia/Tokyo', 'Asia/Tokyo').shown, 'Asia/Tokyo');
    const next = rowsOf(detailModel(detailOf(nightly()), NOW, 'Asia/Tokyo').sections[0].blocks)['Next run'];
    assert.equal(next, 'Wed 2 Dec 2026, 03:00 Asia/Tokyo (in 9 h) — as Proxmox reports it, and as Proxbox computes it');
  });

  it('takes the zone from the state the extension sends, and reads a saved state without it as local', () => {
    const d = detailOf(nightly());
    const ui = (timesZone?: TimesZone): RoutineUiState => ({
      ...initialRoutineState(undefined),
      routine: { status: 'ready', value: { status: 'ready', endpointId: 'pve1', routineId: 'nightly', error: null, detail: d, ...(timesZone ? { timesZone } : {}) }, error: null, request: 1 },
    });
    const title = (s: RoutineUiState) => {
      const page = routinePage(s, NOW, 'Europe/Berlin');
      return page.kind === 'detail' ? page.detail.sections[1].title : page.kind;
    };
    assert.equal(title(ui('node')), 'Next 10 runs (Asia/Tokyo, the node\'s time)');
    assert.equal(title(ui()), 'Next 10 runs (Europe/Berlin, your time)');
    const saved = { version: 1, endpointId: 'pve1', routineId: 'nightly' };
    assert.ok(restoreRoutinePanel({ ...saved, state: ui('node').routine.value }).cached);
    assert.equal(restoreRoutinePanel({ ...saved, state: { ...ui('node').routine.value, timesZone: 'Mars' } }).cached, null);
  });
});

describe('webview routine: "Sync now" shows the new inventory (issue 11, item 7)', () => {
  const completed: Job = {
    id: 'j1', chainId: 'j1', syncType: 'all', endpoints: ['pve1'], status: 'completed', schedule: { mode: 'now' },
    createdAt: 0, scheduledAt: 0, startedAt: 1, completedAt: 2,
  };

  it('reads the routine again when the sync ends, with no push from the extension, and shows the new synced time', async () => {
    let current: InventoryInput = { ...inventory([job()]), syncedAt: '2026-11-23T11:00:00.000Z' };
    const services: WebviewServices = {
      listEndpoints: () => [current.endpoint],
      loadInventory: async () => current,
      // No push: the view must not depend on one (it may come from another window, or before the store has it).
      onDidChangeInventory: () => ({ dispose: () => undefined }),
      routineRuns: () => undefined,
      parseSchedule: parse,
      now: () => NOW,
      log: () => undefined,
    };
    const actions: RoutineActions = {
      syncEndpoint: async (): Promise<SyncResult> => {
        current = { ...current, syncedAt: '2026-12-01T08:59:00.000Z', backupRoutines: [job({ comment: 'Renamed in Proxmox' })] };
        return { job: completed };
      },
      openCalendar: async () => undefined,
      pickRoutine: async () => undefined,
      timesZone: () => 'local',
    };
    const controller = new RoutineController(services, { endpointId: 'pve1', routineId: 'backup-daily' }, actions);
    // The view and the extension's side, through the real envelope and channel (postMessage clones: JSON here).
    const channel: WebviewChannel<unknown, RoutineRequests> = new WebviewChannel<unknown, RoutineRequests>({
      handlers: controller.handlers, post: (m) => void rpc.handleReply(JSON.parse(JSON.stringify(m))),
    });
    const rpc: RpcClient<RoutineRequests> = new RpcClient<RoutineRequests>((m) => void channel.receive(JSON.parse(JSON.stringify(m))), 1000);
    void channel.receive({ type: 'ready' });
    let state = initialRoutineState(undefined);
    const dispatch = async (a: RoutineAction): Promise<void> => {
      const step = reduceRoutine(state, a);
      state = step.state;
      await Promise.all(step.effects.map((e) => run(e)));
    };
    const run = async (e: RoutineEffect): Promise<void> => {
      if (e.kind === 'load') {
        const s: RoutineViewState = await rpc.request('load', null);
        await dispatch({ type: 'loaded', request: e.request, state: s });
      } else if (e.kind === 'syncNow') {
        await dispatch({ type: 'syncEnded', result: await rpc.request('syncNow', { endpointId: e.endpointId }) });
      }
    };
    const synced = () => {
      const page = routinePage(state, NOW, 'UTC');
      assert.equal(page.kind, 'detail');
      return page.kind === 'detail' ? { at: rowsOf(page.detail.sections[2].blocks)['Inventory synced'], comment: page.detail.comment } : null;
    };
    await dispatch({ type: 'start' });
    assert.deepEqual(synced(), { at: 'Mon 23 Nov 2026, 11:00 UTC (7 d 22 h ago)', comment: job().comment });
    await dispatch({ type: 'syncNow', endpointId: 'pve1' });
    assert.deepEqual(synced(), { at: 'Tue 1 Dec 2026, 08:59 UTC (1 min ago)', comment: 'Renamed in Proxmox' });
    assert.deepEqual(state.sync, { running: false, message: { text: 'Sync finished; this view shows the new inventory.', error: false } });
  });

  it('does not read again when no sync started', () => {
    const step = reduceRoutine(initialRoutineState(undefined), { type: 'syncEnded', result: { started: false, ok: false, message: 'No sync started.' } });
    assert.deepEqual(step.effects, []);
  });
});
