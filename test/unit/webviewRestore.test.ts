import { strict as assert } from 'node:assert';
import { CalendarController, noteRestoredCalendar } from '../../src/ui/webviews/calendarController';
import { WebviewChannel } from '../../src/ui/webviews/channel';
import { restoredRoutineController, routineTitle, type RoutineActions } from '../../src/ui/webviews/routineController';
import type { WebviewServices } from '../../src/ui/webviews/services';
import type { InventoryInput } from '../../src/ui/webviews/viewInputs';
import { RpcClient, type RequestMap, type Handlers } from '../../src/webview/shared/rpc';
import type { CalendarRequests } from '../../src/webview/calendar/protocol';
import { initialCalendarState, reduceCalendar, type CalendarAction, type CalendarState } from '../../src/webview/calendar/state';
import { statusModel } from '../../src/webview/calendar/present';
import type { RoutineRequests, RoutineViewState } from '../../src/webview/routine/protocol';
import { routinePage } from '../../src/webview/routine/present';
import { initialRoutineState, reduceRoutine, type RoutineAction, type RoutineUiState } from '../../src/webview/routine/state';
import { inventory, job, NOW, parse } from './webviewFixtures';

function services(inventories: InventoryInput[], extra: Partial<WebviewServices> = {}): WebviewServices & { logs: string[] } {
  const logs: string[] = [];
  return {
    listEndpoints: () => inventories.map((i) => i.endpoint),
    loadInventory: async (id) => inventories.find((i) => i.endpoint.id === id),
    onDidChangeInventory: () => ({ dispose: () => undefined }),
    routineRuns: () => undefined,
    parseSchedule: parse,
    now: () => NOW,
    log: (m) => logs.push(m),
    logs,
    ...extra,
  };
}

const lab = inventory([job(), job({ jobId: 'weekly', schedule: 'sat 03:00', comment: 'Weekly' })]);
const prod: InventoryInput = { ...inventory([job({ jobId: 'prod-nightly' })]), endpoint: { id: 'pve2', name: 'Production' } };

/** A view and the extension's side of its panel, wired through the real envelope and channel (postMessage is a
 * structured clone, here JSON). Returns a function that runs an action through the view's reducer and its effects. */
function wire<R extends RequestMap<R>, S, A>(
  handlers: Handlers<R>,
  state: S,
  reduce: (s: S, a: A) => { state: S; effects: unknown[] },
  effect: (e: unknown, rpc: RpcClient<R>, dispatch: (a: A) => Promise<void>) => Promise<void> | undefined,
) {
  const channel: WebviewChannel<unknown, R> = new WebviewChannel<unknown, R>({ handlers, post: (m) => void rpc.handleReply(JSON.parse(JSON.stringify(m))) });
  const rpc: RpcClient<R> = new RpcClient<R>((m) => void channel.receive(JSON.parse(JSON.stringify(m))), 1000);
  const view = { state };
  const dispatch = async (a: A): Promise<void> => {
    const step = reduce(view.state, a);
    view.state = step.state;
    await Promise.all(step.effects.map((e) => effect(e, rpc, dispatch)));
  };
  void channel.receive({ type: 'ready' });
  return { view, dispatch };
}

const noActions: RoutineActions = {
  syncEndpoint: async () => undefined,
  openCalendar: async () => undefined,
  pickRoutine: async () => undefined,
};

function restoredRoutine(saved: unknown, svc: WebviewServices, actions: RoutineActions = noActions, onRetarget?: (t: { endpointId: string; routineId: string }) => void) {
  const controller = restoredRoutineController(svc, saved, actions, onRetarget);
  const w = wire<RoutineRequests, RoutineUiState, RoutineAction>(controller.handlers, initialRoutineState(saved), reduceRoutine, (e, rpc, dispatch) => {
    const effect = e as { kind: string; request?: number };
    if (effect.kind !== 'load') return undefined;
    return rpc.request('load', null).then(
      (state) => dispatch({ type: 'loaded', request: effect.request as number, state }),
      (err: Error) => dispatch({ type: 'loadFailed', request: effect.request as number, error: err.message }));
  });
  return { controller, ...w };
}

describe('webview restore after a window reload: the routine panel', () => {
  const saved = { version: 1, endpointId: 'pve1', routineId: 'weekly', state: null };

  it('reopens the routine the saved state names, with its current detail', async () => {
    const svc = services([lab]);
    const { controller, view, dispatch } = restoredRoutine(saved, svc);
    assert.deepEqual(controller.target, { endpointId: 'pve1', routineId: 'weekly' });
    await dispatch({ type: 'start' });
    const page = routinePage(view.state, NOW, 'UTC');
    assert.ok(page.kind === 'detail', `got a ${page.kind} page`);
    assert.equal(page.detail.title, 'Backup job weekly');
    assert.equal(page.detail.comment, 'Weekly');
    assert.equal(page.banner, null);
    // The tab: the job's comment and the endpoint's name, not its id (issue 11, item 8).
    assert.equal(routineTitle(view.state.routine.value, controller.target), 'Weekly · Lab cluster');
  });

  it('reads a state saved before states had a version', async () => {
    const { view, dispatch } = restoredRoutine({ endpointId: 'pve1', routineId: 'backup-daily', state: { status: 'loading' } }, services([lab]));
    await dispatch({ type: 'start' });
    assert.equal(routinePage(view.state, NOW, 'UTC').kind, 'detail');
  });

  it('shows the saved detail at once, then the current one', async () => {
    const svc = services([lab]);
    const controller = restoredRoutineController(svc, saved, noActions);
    const current = await controller.load();
    const older: RoutineViewState = { ...current, detail: { ...current.detail!, comment: 'as it was yesterday' } };
    const { view, dispatch } = restoredRoutine({ ...saved, state: older }, svc);
    const before = routinePage(view.state, NOW, 'UTC');
    assert.ok(before.kind === 'detail' && before.detail.comment === 'as it was yesterday', 'the saved content shows before any answer');
    await dispatch({ type: 'start' });
    const after = routinePage(view.state, NOW, 'UTC');
    assert.ok(after.kind === 'detail' && after.detail.comment === 'Weekly');
  });

  for (const [what, broken] of [
    ['nothing', undefined], ['an empty object', {}], ['a string', 'pve1/weekly'], ['ids of the wrong type', { endpointId: 1, routineId: ['weekly'] }],
  ] as const) {
    it(`opens a panel that offers to choose a job when the saved state holds ${what}`, async () => {
      const svc = services([lab]);
      const { controller, view, dispatch } = restoredRoutine(broken, svc);
      assert.equal(controller.target, null);
      await dispatch({ type: 'start' });
      const page = routinePage(view.state, NOW, 'UTC');
      assert.equal(page.kind, 'no-target');
      assert.match(page.kind === 'no-target' ? page.message : '', /cannot tell which backup job it showed \(.+\)\. Choose a job to show here, or close the panel\./);
      assert.match(svc.logs.join('\n'), /saved state is unreadable/);
      assert.equal(routineTitle(null, controller.target), 'Backup job');
    });
  }

  it('shows the chosen job in the same panel once the user picks one', async () => {
    const svc = services([lab]);
    const retargeted: unknown[] = [];
    const actions = { ...noActions, pickRoutine: async () => ({ endpointId: 'pve1', routineId: 'backup-daily' }) };
    const { controller } = restoredRoutine({}, svc, actions, (t) => retargeted.push(t));
    assert.equal(await controller.handlers.pickRoutine(null), null);
    assert.deepEqual(retargeted, [{ endpointId: 'pve1', routineId: 'backup-daily' }]);
    assert.equal((await controller.load()).status, 'ready');
    assert.ok(controller.showsEndpoint('pve1'));
    const cancelled = restoredRoutine({}, svc, noActions, (t) => retargeted.push(t));
    await cancelled.controller.handlers.pickRoutine(null);
    assert.equal(retargeted.length, 1, 'a cancelled pick changes nothing');
    assert.equal(cancelled.controller.target, null);
  });

  it('explains a restored routine that is gone, or whose endpoint is', async () => {
    const gone = restoredRoutine({ ...saved, routineId: 'deleted-job' }, services([lab]));
    await gone.dispatch({ type: 'start' });
    const page = routinePage(gone.view.state, NOW, 'UTC');
    assert.ok(page.kind === 'error');
    assert.match(page.error, /'deleted-job' is not in the inventory of Lab cluster\. It may have been deleted in Proxmox; sync the endpoint/);
    const noEndpoint = restoredRoutine(saved, services([prod]));
    await noEndpoint.dispatch({ type: 'start' });
    const p2 = routinePage(noEndpoint.view.state, NOW, 'UTC');
    assert.ok(p2.kind === 'error' && /'pve1' is no longer configured/.test(p2.error));
  });

  it('turns an inventory that cannot be read into an error the view shows, not a hung request', async () => {
    const svc = services([lab], { loadInventory: async () => { throw new Error('EACCES: permission denied'); } });
    const { view, dispatch } = restoredRoutine(saved, svc);
    await dispatch({ type: 'start' });
    const page = routinePage(view.state, NOW, 'UTC');
    assert.ok(page.kind === 'error' && /^Could not read the inventory: EACCES: permission denied\. Sync the endpoint again/.test(page.error));
  });
});

describe('webview restore after a window reload: the calendar', () => {
  function restoredCalendar(saved: unknown, svc: WebviewServices, zone = 'Europe/Berlin') {
    const controller = new CalendarController(svc, { openRoutine: async () => undefined });
    return wire<CalendarRequests, CalendarState, CalendarAction>(controller.handlers, initialCalendarState(saved, zone, NOW), reduceCalendar, (e, rpc, dispatch) => {
      const effect = e as { kind: string; request: number; params: CalendarRequests['occurrences']['params'] };
      if (effect.kind === 'fetchContext') {
        return rpc.request('context', null).then(
          (context) => dispatch({ type: 'contextLoaded', request: effect.request, context, viewNow: NOW }),
          (err: Error) => dispatch({ type: 'contextFailed', request: effect.request, error: err.message }));
      }
      if (effect.kind === 'fetchRuns') {
        return rpc.request('occurrences', effect.params).then(
          (data) => dispatch({ type: 'runsLoaded', request: effect.request, data }),
          (err: Error) => dispatch({ type: 'runsFailed', request: effect.request, error: err.message }));
      }
      return undefined;
    });
  }

  it('reopens on the saved week and filter, with that endpoint\'s runs', async () => {
    const { view, dispatch } = restoredCalendar({ version: 1, view: 'week', anchor: '2026-12-09', endpointId: 'pve2', showDisabled: true }, services([lab, prod]));
    await dispatch({ type: 'start' });
    assert.equal(view.state.nav.anchor, '2026-12-09');
    assert.deepEqual(view.state.runs.value?.routines.map((r) => r.key), ['pve2/prod-nightly']);
    assert.match(statusModel(view.state).text, /^5 runs of 1 backup job\(s\) in this week, times in Europe\/Berlin\. Only Production\.$/);
  });

  it('opens the current month when the saved state is broken, and says so', async () => {
    const { view, dispatch } = restoredCalendar({ view: 3, anchor: 'yesterday' }, services([lab, prod]));
    await dispatch({ type: 'start' });
    assert.deepEqual([view.state.nav.view, view.state.nav.anchor], ['month', '2026-11-23']);
    assert.equal(view.state.runs.status, 'ready');
    assert.match(statusModel(view.state).text, /runs of 3 backup job\(s\) in this month/);
    assert.match(view.state.notice ?? '', /could not be read/);
  });

  it('keeps each job\'s look when filtered to one endpoint', async () => {
    const all = restoredCalendar(undefined, services([lab, prod]));
    await all.dispatch({ type: 'start' });
    const filtered = restoredCalendar({ version: 1, view: 'month', anchor: '2026-11-23', endpointId: 'pve2', showDisabled: true }, services([lab, prod]));
    await filtered.dispatch({ type: 'start' });
    const look = (r: { key: string; color: number; pattern: number; badge: string }) => [r.key, r.color, r.pattern, r.badge];
    assert.deepEqual(filtered.view.state.runs.value?.routines.map(look), all.view.state.runs.value?.routines.filter((r) => r.endpointId === 'pve2').map(look));
  });

  it('shows another endpoint\'s unreadable inventory as a log line, not as a failed calendar', async () => {
    const svc = services([lab, prod], {
      loadInventory: async (id) => { if (id === 'pve1') throw new Error('corrupt file'); return prod; },
    });
    const filtered = restoredCalendar({ version: 1, view: 'month', anchor: '2026-11-23', endpointId: 'pve2', showDisabled: true }, svc);
    await filtered.dispatch({ type: 'start' });
    assert.equal(filtered.view.state.runs.status, 'ready');
    assert.match(svc.logs.join('\n'), /inventory of pve1 could not be read \(corrupt file\)/);
    const everything = restoredCalendar(undefined, svc);
    await everything.dispatch({ type: 'start' });
    assert.equal(everything.view.state.runs.status, 'error');
    assert.match(statusModel(everything.view.state).text, /^The runs could not be computed: corrupt file$/);
    assert.equal(statusModel(everything.view.state).retry, true);
  });

  it('logs, on the extension side, a saved calendar state it had to repair', () => {
    const svc = services([lab]);
    noteRestoredCalendar(svc, { version: 1, view: 'month', anchor: '2026-11-01', endpointId: null, showDisabled: true });
    noteRestoredCalendar(svc, undefined);
    assert.deepEqual(svc.logs, []);
    noteRestoredCalendar(svc, { view: 'month', anchor: 'June' });
    assert.deepEqual(svc.logs, ['webview calendar: restored with defaults for unreadable saved settings (anchor "June" is not valid; endpointId is missing; showDisabled is missing)']);
  });
});
