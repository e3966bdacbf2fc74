import { strict as assert } from 'node:assert';
import { buildCalendar, type CalendarRoutineInput } from '../../src/core/calendar';
import type { RoutineRun } from '../../src/core/health/types';
import { CalendarController } from '../../src/ui/webviews/calendarController';
import type { WebviewServices } from '../../src/ui/webviews/services';
import { dayStart } from '../../src/webview/calendar/dates';
import type { RunDetail } from '../../src/webview/calendar/protocol';
import { initialCalendarState, keyAction, reduceCalendar, type CalendarAction, type CalendarState } from '../../src/webview/calendar/state';
import { renderCalendar } from '../../src/webview/calendar/view';
import { FakeElement, useFakeDom } from './webviewFakeDom';
import { inventory, job, NOW, parse, XSS } from './webviewFixtures';

const ZONE = 'Europe/Berlin';
const TODAY = Date.UTC(2026, 10, 25, 11) / 1000; // Wednesday 25 Nov 2026, 12:00 in Berlin
const NOV24 = Date.UTC(2026, 10, 24, 1, 30) / 1000; // 02:30 in Berlin: past
const NOV23 = NOV24 - 86_400;
const NOV26 = NOV24 + 2 * 86_400; // future

function run(scheduled: number, status: RoutineRun['status'], extra: Partial<RoutineRun> = {}): RoutineRun {
  return {
    scheduled, node: 'pve-a', status, task: `UPID:pve-a:${scheduled}`, failedGuests: [], started: scheduled + 2, ended: scheduled + 300,
    taskStatus: status === 'ok' ? 'OK' : 'job errors', failures: [], jobError: null, ...extra,
  };
}

const nightly: CalendarRoutineInput = {
  endpointId: 'pve1', endpointName: 'Lab', routineId: 'nightly', label: 'nightly', scheduleText: '02:30', timezone: ZONE, enabled: true, status: 'active',
};

function weekState(runs: RoutineRun[]): CalendarState {
  let s = initialCalendarState({ version: 1, view: 'week', anchor: '2026-11-25', endpointId: null, showDisabled: true }, ZONE, TODAY);
  s = reduceCalendar(s, { type: 'start' }).state;
  s = reduceCalendar(s, { type: 'contextLoaded', request: s.requests, viewNow: TODAY, context: { endpoints: [{ id: 'pve1', name: 'Lab', syncedAt: 1 }], now: TODAY } }).state;
  const data = buildCalendar([nightly], {
    from: dayStart('2026-11-23', ZONE), to: dayStart('2026-11-30', ZONE), timeZone: ZONE, parse, now: TODAY,
    outcomes: new Map([['pve1/nightly', runs]]),
  });
  return reduceCalendar(s, { type: 'runsLoaded', request: s.requests, data }).state;
}

function render(state: CalendarState): { app: FakeElement; actions: CalendarAction[] } {
  const app = new FakeElement('main');
  const actions: CalendarAction[] = [];
  renderCalendar(app as unknown as HTMLElement, state, TODAY, (a) => actions.push(a));
  return { app, actions };
}

const failedDetail: RunDetail = {
  endpointId: 'pve1', routineId: 'nightly', at: NOV24, outcome: 'failed',
  runs: [{
    node: 'pve-a', status: 'failed', task: 'UPID:x', started: NOV24 + 2, ended: NOV24 + 300, taskStatus: 'job errors', jobError: null,
    failures: [{ vmid: 101, name: XSS, reason: `unable to open ${XSS}`, lines: ['INFO: Starting Backup of VM 101', `ERROR: ${XSS}`] }],
  }],
};

describe('webview calendar: planned and actual runs', () => {
  useFakeDom();

  it('shows a past run\'s outcome as a symbol and a class, and leaves future runs planned', () => {
    const { app } = render(weekState([run(NOV24, 'failed', { failedGuests: [101] })]));
    const past = app.byId(`run-A-${NOV24}`);
    assert.ok(past, 'the past run has a stable id');
    assert.ok(past.classList.includes('o-failed') && past.classList.includes('past'));
    assert.equal(past.byClass('outcome')[0]?.textContent, '✗');
    assert.match(past.getAttribute('aria-label') ?? '', /Failed, 1 guest failed/);
    // Nov 23 is in the past but health has no record of it: a neutral '?', not a tick.
    const unrecorded = app.byId(`run-A-${NOV23}`);
    assert.equal(unrecorded?.byClass('outcome')[0]?.textContent, '?');
    assert.ok(unrecorded?.classList.includes('o-unknown'));
    const future = app.byId(`run-A-${NOV26}`);
    assert.ok(future?.classList.includes('planned'));
    assert.equal(future?.byClass('outcome').length, 0, 'a planned run carries no outcome symbol');
  });

  it('keys the outcomes in the legend, planned runs included', () => {
    const { app } = render(weekState([]));
    const key = app.byClass('outcome-key')[0]?.textContent ?? '';
    for (const part of ['✓ ran OK', '! warnings', '✗ failed', '○ missed', 'planned (future)']) assert.ok(key.includes(part), `legend lacks "${part}": ${key}`);
  });

  it('a click on a past run opens its details, a click on a planned run opens the job', () => {
    const { app, actions } = render(weekState([run(NOV24, 'ok')]));
    app.byId(`run-A-${NOV24}`)?.fire('click');
    app.byId(`run-A-${NOV26}`)?.fire('click');
    assert.deepEqual(actions, [
      { type: 'openRun', endpointId: 'pve1', routineId: 'nightly', at: NOV24, returnFocus: `run-A-${NOV24}` },
      { type: 'openRoutine', endpointId: 'pve1', routineId: 'nightly' },
    ]);
  });

  it('opens, fills and closes the details: focus in on Close, back to the run on Escape', () => {
    let state = weekState([run(NOV24, 'failed', { failedGuests: [101] })]);
    const opened = reduceCalendar(state, { type: 'openRun', endpointId: 'pve1', routineId: 'nightly', at: NOV24, returnFocus: `run-A-${NOV24}` });
    state = opened.state;
    assert.deepEqual(opened.effects, [
      { kind: 'fetchRunDetail', request: state.requests, params: { endpointId: 'pve1', routineId: 'nightly', at: NOV24 } },
      { kind: 'focus', id: 'run-detail-close' },
    ]);
    assert.match(render(state).app.byId('run-detail')?.textContent ?? '', /Reading the run/);
    // An answer to an older request (another run clicked before) is dropped.
    assert.equal(reduceCalendar(state, { type: 'runDetailLoaded', request: state.requests - 1, detail: failedDetail }).state, state);
    state = reduceCalendar(state, { type: 'runDetailLoaded', request: state.requests, detail: failedDetail }).state;
    const { app } = render(state);
    const panel = app.byId('run-detail');
    assert.ok(panel && panel.getAttribute('role') === 'dialog');
    assert.ok(app.byId('run-detail-close'), 'Close is there to take the focus');
    assert.match(panel.find((e) => e.tagName === 'h3')?.textContent ?? '', /^pve-a: ✗ Failed · task status job errors · /);
    // Proxmox's words go in as text: the fake DOM has no parser, so an <img> element would be a real injection.
    assert.equal(app.find((e) => e.tagName === 'img'), undefined);
    assert.ok(panel.textContent.includes(`101 ${XSS}: unable to open ${XSS}`));
    assert.equal(panel.find((e) => e.tagName === 'pre')?.textContent, `INFO: Starting Backup of VM 101\nERROR: ${XSS}`);
    const escape = keyAction(state, 'Escape');
    assert.deepEqual(escape, { type: 'closeRun' });
    const closed = reduceCalendar(state, escape as CalendarAction);
    assert.equal(closed.state.detail, null);
    assert.deepEqual(closed.effects, [{ kind: 'focus', id: `run-A-${NOV24}` }]);
    assert.equal(render(closed.state).app.byId('run-detail'), undefined);
    assert.equal(keyAction(closed.state, 'Escape'), null, 'Escape with nothing open is left to the browser');
  });

  it('says so when there is no record of the run, and shows a failed request as an error', () => {
    let state = reduceCalendar(weekState([]), { type: 'openRun', endpointId: 'pve1', routineId: 'nightly', at: NOV23, returnFocus: 'x' }).state;
    const none = reduceCalendar(state, { type: 'runDetailLoaded', request: state.requests, detail: { ...failedDetail, at: NOV23, outcome: 'unknown', runs: [] } }).state;
    assert.match(render(none).app.byId('run-detail')?.textContent ?? '', /No record of this run/);
    state = reduceCalendar(state, { type: 'runDetailFailed', request: state.requests, error: 'The extension did not answer in 60 s.' }).state;
    assert.match(render(state).app.byId('run-detail')?.textContent ?? '', /could not be read: The extension did not answer/);
  });

  it('moving to another week closes the details', () => {
    let state = reduceCalendar(weekState([]), { type: 'openRun', endpointId: 'pve1', routineId: 'nightly', at: NOV24, returnFocus: 'x' }).state;
    state = reduceCalendar(state, { type: 'step', direction: 1 }).state;
    assert.equal(state.detail, null);
  });
});

describe('webview calendar host: outcomes and run details', () => {
  const lab = inventory([job({ jobId: 'nightly', schedule: '02:30' })]);
  const at = Date.UTC(2026, 10, 23, 1, 30) / 1000; // Mon 23 Nov 02:30 Berlin, before NOW (12:00 UTC)
  function controller(runs: RoutineRun[] | undefined): CalendarController {
    const services: WebviewServices = {
      listEndpoints: () => [lab.endpoint],
      loadInventory: async () => lab,
      onDidChangeInventory: () => ({ dispose: () => undefined }),
      routineRuns: (e, r) => (e === 'pve1' && r === 'nightly' ? runs : undefined),
      parseSchedule: parse,
      now: () => NOW,
      log: () => undefined,
    };
    return new CalendarController(services, { openRoutine: async () => undefined });
  }

  it('marks past runs with what health recorded and leaves later ones planned', async () => {
    const data = await controller([run(at, 'warnings')]).handlers.occurrences({ from: at - 86_400, to: at + 2 * 86_400, timeZone: 'UTC', endpointId: null });
    const outcomes = data.days.flatMap((d) => d.entries).map((e) => (e.kind === 'run' ? e.outcome ?? 'planned' : 'band'));
    assert.deepEqual(outcomes, ['unknown', 'warnings', 'planned']);
  });

  it('answers runDetail from health, naming failed guests from the inventory', async () => {
    const c = controller([run(at, 'failed', { failedGuests: [101, 555], failures: [{ vmid: 101, reason: 'disk full', lines: ['ERROR: disk full'] }] })]);
    const detail = await c.handlers.runDetail({ endpointId: 'pve1', routineId: 'nightly', at });
    assert.deepEqual(detail.runs[0].failures.map((f) => [f.vmid, f.name, f.reason]), [[101, 'db', 'disk full'], [555, null, '']]);
    const none = await controller(undefined).handlers.runDetail({ endpointId: 'pve1', routineId: 'nightly', at });
    assert.deepEqual([none.outcome, none.runs], ['unknown', []]);
  });
});
