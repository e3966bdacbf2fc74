import { strict as assert } from 'node:assert';
import { play } from '../helpers/calendarReducer';
import { dateKeyOf, dayStart, visibleRange } from '../../src/webview/calendar/dates';
import type { CalendarContext, CalendarData } from '../../src/webview/calendar/protocol';
import {
  initialCalendarState, isCalendarPush, type CalendarEffect,
} from '../../src/webview/calendar/state';
import { statusModel } from '../../src/webview/calendar/present';

const ZONE = 'Europe/Berlin';
const HOST_NOW = Date.UTC(2026, 10, 23, 12) / 1000; // Monday 23 Nov 2026, 13:00 in Berlin
const VIEW_NOW = HOST_NOW - 3 * 86_400; // the view's clock is three days behind (tests pin the extension's)
const context = (extra: Partial<CalendarContext> = {}): CalendarContext => ({
  endpoints: [{ id: 'pve1', name: 'Lab', syncedAt: HOST_NOW - 3600 }, { id: 'pve2', name: 'Backup site', syncedAt: null }],
  now: HOST_NOW, ...extra,
});
const data = (from: number, to: number): CalendarData => ({ from, to, timeZone: ZONE, routines: [], days: [], totalRuns: 0, overlaps: [], overlapWindowSeconds: 1800, overlapsLeftOut: 0 });

function lastFetch(effects: CalendarEffect[]) {
  const f = effects.filter((e) => e.kind === 'fetchRuns').pop();
  assert.ok(f && f.kind === 'fetchRuns', 'no runs were asked for');
  return f;
}

/** A calendar that has its context and is waiting for the runs of its first range. */
function opened(saved?: unknown) {
  const s0 = initialCalendarState(saved, ZONE, VIEW_NOW);
  const started = play(s0, { type: 'start' });
  const fetch = started.effects[0];
  assert.ok(fetch.kind === 'fetchContext');
  return play(started.state, { type: 'contextLoaded', request: fetch.request, context: context(), viewNow: VIEW_NOW });
}

describe('webview calendar: state', () => {
  it('asks for the context first, then the runs of the extension\'s current month in the viewer\'s zone', () => {
    const s0 = initialCalendarState(undefined, ZONE, VIEW_NOW);
    assert.equal(s0.nav.anchor, '2026-11-20', 'before the context, the view\'s own clock');
    assert.equal(statusModel(s0).text, 'Waiting for the extension…');
    const { state, effects } = opened();
    assert.equal(state.nav.anchor, '2026-11-23', 'the extension\'s today');
    const f = lastFetch(effects);
    assert.deepEqual(f.params, { ...visibleRange('month', '2026-11-23', ZONE), timeZone: ZONE, endpointId: null });
    assert.equal(f.params.from, dayStart('2026-10-26', ZONE));
    assert.equal(statusModel(state).text, 'Computing the runs…');
    assert.equal(statusModel(state).busy, true);
  });

  it('shows the runs when they come, and drops an answer to a request the user has moved past', () => {
    let { state, effects } = opened();
    const november = lastFetch(effects);
    ({ state, effects } = play(state, { type: 'step', direction: 1 }));
    const december = lastFetch(effects);
    assert.equal(state.nav.anchor, '2026-12-01');
    assert.deepEqual(effects[0], { kind: 'persist', state: { version: 1, view: 'month', anchor: '2026-12-01', endpointId: null, showDisabled: true, hiddenKinds: [] } });
    ({ state } = play(state, { type: 'runsLoaded', request: november.request, data: data(1, 2) }));
    assert.equal(state.runs.status, 'loading', 'November\'s late answer is not December');
    ({ state } = play(state, { type: 'runsLoaded', request: december.request, data: data(3, 4) }));
    assert.equal(state.runs.status, 'ready');
    assert.equal(state.runs.value?.from, 3);
    assert.match(statusModel(state).text, /No backup jobs in the synced inventory/);
  });

  it('ends a failed request in an error with a retry, never in a spinner', () => {
    let { state, effects } = opened();
    ({ state } = play(state, { type: 'runsFailed', request: lastFetch(effects).request, error: 'The endpoint is gone; choose "All endpoints".' }));
    const status = statusModel(state);
    assert.deepEqual([status.kind, status.retry, status.busy], ['error', true, false]);
    assert.match(status.text, /^The runs could not be computed: The endpoint is gone/);
    ({ state, effects } = play(state, { type: 'retry' }));
    assert.equal(state.runs.status, 'loading');
    ({ state } = play(state, { type: 'runsLoaded', request: lastFetch(effects).request, data: data(1, 2) }));
    assert.equal(statusModel(state).kind, 'status');
  });

  it('offers a retry when the extension does not answer the first request, and asks again', () => {
    const s0 = initialCalendarState(undefined, ZONE, VIEW_NOW);
    let { state, effects } = play(s0, { type: 'start' });
    ({ state } = play(state, { type: 'contextFailed', request: (effects[0] as { request: number }).request, error: 'The extension did not answer \'context\' within 60 s.' }));
    assert.deepEqual([statusModel(state).kind, statusModel(state).retry], ['error', true]);
    assert.match(statusModel(state).text, /could not reach the extension: The extension did not answer/);
    ({ state, effects } = play(state, { type: 'retry' }));
    assert.deepEqual(effects.map((e) => e.kind), ['fetchContext']);
    ({ state, effects } = play(state, { type: 'contextLoaded', request: (effects[0] as { request: number }).request, context: context(), viewNow: VIEW_NOW }));
    assert.deepEqual(effects.map((e) => e.kind), ['persist', 'fetchRuns']);
  });

  it('reopens where the user left it: saved view, date and filter survive, today is not forced', () => {
    const saved = { version: 1, view: 'week', anchor: '2026-02-11', endpointId: 'pve2', showDisabled: false };
    const { state, effects } = opened(saved);
    assert.deepEqual(state.nav, { view: 'week', anchor: '2026-02-11', endpointId: 'pve2', showDisabled: false, hiddenKinds: [] });
    assert.equal(state.notice, null);
    const f = lastFetch(effects);
    assert.deepEqual(f.params, { ...visibleRange('week', '2026-02-11', ZONE), timeZone: ZONE, endpointId: 'pve2' });
    assert.ok(!effects.some((e) => e.kind === 'persist'), 'nothing changed, nothing to save');
  });

  it('opens a broken saved state on defaults, says so, and saves a repaired one', () => {
    const { state, effects } = opened({ view: 'year', anchor: '2026-13-45', endpointId: 7, showDisabled: 'yes' });
    assert.deepEqual(state.nav, { view: 'month', anchor: '2026-11-23', endpointId: null, showDisabled: true, hiddenKinds: [] });
    assert.equal(state.notice, 'Part of this calendar\'s saved view could not be read, so it shows the month view, today, every endpoint, disabled jobs too.');
    assert.equal(opened({ version: 1, view: 'week', anchor: 'soon', endpointId: null, showDisabled: false }).state.notice,
      'Part of this calendar\'s saved view could not be read, so it shows today.', 'only what was lost is named');
    assert.ok(effects.some((e) => e.kind === 'persist' && e.state.anchor === '2026-11-23'));
    for (const junk of ['{', 42, [1, 2], true]) {
      const s = opened(junk).state;
      assert.equal(s.nav.anchor, '2026-11-23', JSON.stringify(junk));
      assert.equal(s.nav.view, 'month');
    }
  });

  it('drops a saved filter on an endpoint that is gone, rather than showing an empty calendar', () => {
    const { state, effects } = opened({ version: 1, view: 'month', anchor: '2026-11-02', endpointId: 'deleted', showDisabled: true });
    assert.equal(state.nav.endpointId, null);
    assert.match(state.notice ?? '', /'deleted' is no longer configured; the calendar shows all endpoints/);
    assert.equal(lastFetch(effects).params.endpointId, null);
    assert.ok(effects.some((e) => e.kind === 'persist' && e.state.endpointId === null));
  });

  it('reads a state saved before states had a version', () => {
    const { state } = opened({ view: 'week', anchor: '2026-01-07', endpointId: null, showDisabled: true });
    assert.deepEqual([state.nav.view, state.nav.anchor, state.notice], ['week', '2026-01-07', null]);
  });

  it('follows a sync: new context, the same range asked again, the old runs shown meanwhile', () => {
    let { state, effects } = opened();
    const first = lastFetch(effects);
    ({ state } = play(state, { type: 'runsLoaded', request: first.request, data: data(1, 2) }));
    const changed = context({ endpoints: [{ id: 'pve1', name: 'Lab', syncedAt: HOST_NOW }] });
    ({ state, effects } = play(state, { type: 'push', message: { type: 'inventoryChanged', context: changed, reason: 'sync' }, viewNow: VIEW_NOW }));
    assert.deepEqual(lastFetch(effects).params, first.params);
    assert.equal(state.runs.status, 'loading');
    assert.equal(state.runs.value?.from, 1, 'the runs on screen stay until the new ones arrive');
    assert.deepEqual(state.context.value, changed);
  });

  it('applies a filter from the extension, at once or when the context arrives', () => {
    const s0 = initialCalendarState(undefined, ZONE, VIEW_NOW);
    let { state, effects } = play(s0, { type: 'start' }, { type: 'push', message: { type: 'filter', endpointId: 'pve1' }, viewNow: VIEW_NOW });
    assert.deepEqual(effects.map((e) => e.kind), ['fetchContext', 'persist'], 'no runs asked for before the context');
    ({ state, effects } = play(state, { type: 'contextLoaded', request: 1, context: context(), viewNow: VIEW_NOW }));
    assert.equal(lastFetch(effects).params.endpointId, 'pve1');
    ({ state, effects } = play(state, { type: 'push', message: { type: 'filter', endpointId: null }, viewNow: VIEW_NOW }));
    assert.equal(lastFetch(effects).params.endpointId, null);
    assert.equal(state.runs.value, null, 'another filter, other runs: nothing stale on screen');
  });

  it('pages weeks, jumps to today by the extension\'s clock, and hides disabled jobs without asking again', () => {
    let { state, effects } = opened();
    ({ state, effects } = play(state, { type: 'navigate', change: { view: 'week', anchor: '2026-12-31' }, focus: 'view-week' }));
    assert.equal(lastFetch(effects).params.from, dayStart('2026-12-28', ZONE));
    ({ state, effects } = play(state, { type: 'step', direction: -1 }));
    assert.equal(state.nav.anchor, '2026-12-24');
    assert.deepEqual(effects.at(-1), { kind: 'focus', id: 'prev' }, 'the button the user pressed keeps the focus across the render');
    ({ state } = play(state, { type: 'today', viewNow: VIEW_NOW + 86_400 }));
    assert.equal(state.nav.anchor, dateKeyOf(HOST_NOW + 86_400, ZONE));
    ({ state, effects } = play(state, { type: 'showDisabled', show: false }));
    assert.deepEqual(effects.map((e) => e.kind), ['persist', 'focus']);
    assert.equal(state.nav.showDisabled, false);
  });

  it('opens a job through the extension and shows why when that fails', () => {
    let { state, effects } = opened();
    ({ state, effects } = play(state, { type: 'openRoutine', endpointId: 'pve1', routineId: 'backup-1' }));
    assert.deepEqual(effects, [{ kind: 'openRoutine', params: { endpointId: 'pve1', routineId: 'backup-1' } }]);
    ({ state } = play(state, { type: 'openFailed', error: 'The extension did not answer \'openRoutine\' within 60 s.' }));
    assert.match(state.notice ?? '', /^The backup job could not be opened: The extension did not answer/);
    ({ state } = play(state, { type: 'step', direction: 1 }));
    assert.equal(state.notice, null, 'moving on clears the notice');
  });

  it('accepts only well-formed pushes', () => {
    assert.ok(isCalendarPush({ type: 'filter', endpointId: null }));
    assert.ok(isCalendarPush({ type: 'inventoryChanged', context: context(), reason: 'x' }));
    for (const m of [null, 'filter', { type: 'filter', endpointId: 3 }, { type: 'inventoryChanged' }, { type: 'context', context: context() }, { type: 'reply', seq: 1, ok: true }]) {
      assert.equal(isCalendarPush(m), false, JSON.stringify(m));
    }
  });
});
