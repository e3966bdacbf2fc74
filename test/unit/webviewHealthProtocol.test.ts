import { strict as assert } from 'node:assert';
import type * as Core from '../../src/core/health/types';
import type { EndpointHealthReport } from '../../src/ui/webviews/healthController';
import type * as View from '../../src/webview/health/protocol';
import { isHealthPush, reduceHealth, initialHealthState, restoreHealth } from '../../src/webview/health/state';
import { guest, NOW, report, viewData } from './webviewHealthFixtures';

// The health protocol.ts may import nothing, so it repeats the core's report types. These checks fail to compile
// (tsc --noEmit) the moment the two differ in any field, in either direction.
type Same<A, B> = (<T>() => T extends A ? 1 : 2) extends (<T>() => T extends B ? 1 : 2) ? true : false;

const checks: {
  status: Same<Core.GuestHealthStatus, View.GuestHealthStatus>;
  guest: Same<Core.GuestHealth, View.GuestHealth>;
  run: Same<Core.RoutineRun, View.RoutineRun>;
  routine: Same<Core.RoutineHealth, View.RoutineHealth>;
  report: Same<Core.HealthReport, View.HealthReport>;
  endpoint: Same<EndpointHealthReport, View.EndpointHealth>;
} = { status: true, guest: true, run: true, routine: true, report: true, endpoint: true };

describe('webview health protocol', () => {
  it('mirrors the core health report types exactly', () => {
    assert.deepEqual(Object.values(checks), [true, true, true, true, true, true]);
  });

  it('trusts only well-formed pushes', () => {
    assert.ok(isHealthPush({ type: 'report', data: viewData(), reason: 'x' }));
    assert.ok(isHealthPush({ type: 'filter', endpointId: null }));
    assert.ok(isHealthPush({ type: 'filter', endpointId: 'pve1' }));
    for (const bad of [null, 'report', { type: 'report' }, { type: 'report', data: { endpoints: {}, now: 1 } }, { type: 'filter', endpointId: 3 }, { type: 'reply', seq: 1 }]) {
      assert.ok(!isHealthPush(bad), JSON.stringify(bad));
    }
  });

  it('restores a saved filter and sort field by field, and drops what it cannot read', () => {
    assert.deepEqual(restoreHealth({ version: 1, filter: { statuses: ['ok', 'bogus', 'failed'], text: 'db', endpointId: 'pve1' }, sort: { column: 'node', descending: true } }),
      { filter: { statuses: ['failed', 'ok'], text: 'db', endpointId: 'pve1' }, sort: { column: 'node', descending: true } });
    assert.deepEqual(restoreHealth({ filter: 'x', sort: { column: 'rm -rf', descending: true } }),
      { filter: { statuses: [], text: '', endpointId: null }, sort: { column: 'status', descending: false } });
    assert.deepEqual(restoreHealth(undefined).sort, { column: 'status', descending: false });
  });
});

describe('webview health state', () => {
  const data = viewData({ id: 'pve1', name: 'Lab', report: report([guest(100, 'ok'), guest(101, 'failed')]) });

  function ready() {
    let s = initialHealthState(undefined, 'UTC');
    const start = reduceHealth(s, { type: 'start' });
    assert.deepEqual(start.effects, [{ kind: 'load', request: 1 }]);
    s = reduceHealth(start.state, { type: 'loaded', request: 1, data, viewNow: NOW - 5 }).state;
    return s;
  }

  it('loads, notes the clock skew, and fails into an error that keeps the old data under it', () => {
    const s = ready();
    assert.equal(s.data.status, 'ready');
    assert.equal(s.skew, 5);
    const retry = reduceHealth(s, { type: 'retry' }).state;
    const failed = reduceHealth(retry, { type: 'loadFailed', request: retry.requests, error: 'boom' }).state;
    assert.equal(failed.data.status, 'error');
    assert.equal(failed.data.value, data);
  });

  it('keeps filter, sort, selection, detail and scroll when a new report is pushed', () => {
    let s = ready();
    s = reduceHealth(s, { type: 'text', text: 'guest' }).state;
    s = reduceHealth(s, { type: 'sort', column: 'node' }).state;
    s = reduceHealth(s, { type: 'scroll', top: 520, height: 260 }).state;
    s = reduceHealth(s, { type: 'select', key: 'pve1/101', index: 25, open: true }).state;
    const before = { filter: s.filter, sort: s.sort, selected: s.selected, detail: s.detail, scroll: s.scroll };
    const fresh = viewData({ id: 'pve1', name: 'Lab', report: report([guest(100, 'ok'), guest(101, 'ok')]) });
    const after = reduceHealth(s, { type: 'push', message: { type: 'report', data: fresh, reason: 'sync' }, viewNow: NOW }).state;
    assert.equal(after.data.value, fresh);
    assert.deepEqual({ filter: after.filter, sort: after.sort, selected: after.selected, detail: after.detail, scroll: after.scroll }, before);
    // An answer to a request sent before the push is older than it and is dropped.
    assert.equal(reduceHealth(after, { type: 'loaded', request: s.requests, data, viewNow: NOW }).state.data.value, fresh);
  });

  it('starts a changed filter or sort at the top, persists it and keeps the focus on the control', () => {
    let s = reduceHealth(ready(), { type: 'scroll', top: 900, height: 260 }).state;
    const step = reduceHealth(s, { type: 'toggleStatus', status: 'failed' });
    s = step.state;
    assert.deepEqual(s.filter.statuses, ['failed']);
    assert.equal(s.scroll.top, 0);
    assert.deepEqual(step.effects, [{ kind: 'persist', state: { version: 1, filter: s.filter, sort: s.sort } }, { kind: 'focus', id: 'chip-failed' }]);
    assert.deepEqual(reduceHealth(s, { type: 'toggleStatus', status: 'failed' }).state.filter.statuses, []);
  });

  it('drops an endpoint filter whose endpoint has no report, and says so', () => {
    let s = initialHealthState({ version: 1, filter: { statuses: [], text: '', endpointId: 'gone' }, sort: { column: 'status', descending: false } }, 'UTC');
    s = reduceHealth(s, { type: 'start' }).state;
    s = reduceHealth(s, { type: 'loaded', request: 1, data, viewNow: NOW }).state;
    assert.equal(s.filter.endpointId, null);
    assert.match(s.notice ?? '', /'gone' has no health report/);
  });

  it('scrolls a row selected by keyboard into view', () => {
    let s = reduceHealth(ready(), { type: 'scroll', top: 0, height: 260 }).state;
    s = reduceHealth(s, { type: 'select', key: 'pve1/100', index: 20 }).state;
    assert.equal(s.scroll.top, 21 * 26 - 260);
    assert.equal(s.detail, null, 'moving the selection does not open the detail; Enter does');
  });
});
