import { strict as assert } from 'node:assert';
import { textSnapshot } from '../../src/webview/shared/dom';
import { buildRows, DEFAULT_SORT, sortRows } from '../../src/webview/health/model';
import type { HealthViewData } from '../../src/webview/health/protocol';
import { initialHealthState, reduceHealth, type HealthAction, type HealthUiState } from '../../src/webview/health/state';
import { redrawHealth, renderHealth, rowId } from '../../src/webview/health/view';
import { FakeElement, useFakeDom } from './webviewFakeDom';
import { guest, largeData, NOW, report, routine, run, viewData, XSS } from './webviewHealthFixtures';

const ZONE = 'Europe/Berlin';

function loaded(data: HealthViewData, actions: HealthAction[] = []): HealthUiState {
  let s = reduceHealth(initialHealthState(undefined, ZONE), { type: 'start' }).state;
  s = reduceHealth(s, { type: 'loaded', request: 1, data, viewNow: NOW }).state;
  for (const a of actions) s = reduceHealth(s, a).state;
  return s;
}

function render(state: HealthUiState): { app: FakeElement; actions: HealthAction[] } {
  const app = new FakeElement('main');
  const actions: HealthAction[] = [];
  renderHealth(app as unknown as HTMLElement, state, NOW, (a) => actions.push(a));
  return { app, actions };
}

const text = (app: FakeElement) => textSnapshot(app as unknown as HTMLElement);

/** The listeners of a fake element, to hand a keydown its key (the fake's fire() sends none). */
function press(el: FakeElement, key: string): void {
  const listeners = (el as unknown as { listeners: Map<string, ((e: unknown) => void)[]> }).listeners.get('keydown') ?? [];
  for (const l of listeners) l({ type: 'keydown', key, target: el, preventDefault: () => undefined });
}

const failedRun = run(1, 'failed', {
  failedGuests: [101], taskStatus: 'job errors',
  failures: [{ vmid: 101, reason: `unable to open ${XSS}`, lines: ['INFO: Starting Backup of VM 101 (qemu)', `ERROR: Backup of VM 101 failed - unable to open ${XSS}`] }],
});

function cluster(): HealthViewData {
  return viewData({
    id: 'pve1', name: 'Lab',
    report: report([
      guest(100, 'ok', { name: 'web' }),
      guest(101, 'failed', { name: XSS, reason: `vzdump said ${XSS}` }),
      guest(102, 'not-covered', { name: 'scratch' }),
      guest(103, 'overdue', { name: 'mail' }),
    ], [routine('backup-daily', [run(3, 'ok'), run(2, 'warnings'), failedRun, run(0, 'missed')])]),
    names: { 'backup-daily': `Nightly ${XSS}` },
  });
}

describe('webview health view in a DOM', () => {
  useFakeDom();

  it('opens with problems first, one row per guest, and Proxmox text as text', () => {
    const { app } = render(loaded(cluster()));
    const rows = app.byClass('row').filter((r) => !r.classList.includes('head'));
    assert.deepEqual(rows.map((r) => r.getAttribute('data-key')), ['pve1/101', 'pve1/103', 'pve1/102', 'pve1/100']);
    assert.ok(!app.find((e) => e.tagName === 'img'), 'markup in a name became an element');
    assert.equal(rows[0].byClass('guest')[0].textContent, `${XSS} (101)`);
    assert.ok(text(app).includes(`vzdump said ${XSS}`));
    assert.equal(rows[0].getAttribute('aria-rowindex'), '2');
    assert.equal(rows[0].style.top, '0px');
    assert.equal(rows[1].style.top, '26px');
  });

  it('shows times as absolute with the zone named and a relative age', () => {
    const { app } = render(loaded(cluster()));
    const row = app.byId(rowId('pve1/100'))!;
    const [last, next] = row.byClass('time');
    assert.equal(last.textContent, '2026-11-22 06:00 · 1 d 7 h ago');
    assert.equal(last.title, 'Sun 22 Nov 2026, 06:00 Europe/Berlin');
    assert.equal(next.textContent, '2026-11-24 03:00 · in 14 h');
    assert.ok(app.byId('sort-lastBackup')!.textContent.startsWith('Last backup (Europe/Berlin)'));
    assert.match(text(app), /4 guests on 1 endpoint; times in Europe\/Berlin\./);
  });

  it('shows a chip per status with its count, pressed when it filters, and sends the filter actions', () => {
    const state = loaded(cluster(), [{ type: 'toggleStatus', status: 'failed' }]);
    const { app, actions } = render(state);
    const chips = app.byClass('chip').map((c) => [c.textContent, c.getAttribute('aria-pressed')]);
    assert.deepEqual(chips, [['All 4', 'false'], ['Failed 1', 'true'], ['Overdue 1', 'false'], ['Never backed up 0', 'false'],
      ['Not covered 1', 'false'], ['Verify failed 0', 'false'], ['Excluded 0', 'false'], ['OK 1', 'false']]);
    assert.deepEqual(app.byClass('row').filter((r) => !r.classList.includes('head')).map((r) => r.getAttribute('data-key')), ['pve1/101']);
    app.byId('chip-overdue')!.fire('click');
    const input = app.byId('filter-text')!;
    input.value = 'mail';
    input.fire('input');
    app.byId('sort-node')!.fire('click');
    assert.deepEqual(actions, [{ type: 'toggleStatus', status: 'overdue' }, { type: 'text', text: 'mail' }, { type: 'sort', column: 'node' }]);
  });

  it('marks the sorted column with aria-sort on its header, whose label is a button', () => {
    const { app } = render(loaded(cluster(), [{ type: 'sort', column: 'guest' }, { type: 'sort', column: 'guest' }]));
    const headers = app.all().filter((e) => e.getAttribute('role') === 'columnheader');
    assert.equal(headers.length, 10);
    assert.deepEqual(headers.filter((h) => h.getAttribute('aria-sort') !== 'none').map((h) => [h.getAttribute('aria-sort'), h.children[0] instanceof FakeElement && h.children[0].tagName]), [['descending', 'button']]);
  });

  it('draws the 14-day strip with a letter per run, a legend, and opens a run\'s failed guests and log lines', () => {
    const { app, actions } = render(loaded(cluster()));
    const runs = app.byClass('strip-row')[0].byClass('run');
    assert.deepEqual(runs.map((r) => r.textContent), ['O', 'W', 'F', 'M']);
    assert.match(runs[2].getAttribute('aria-label') ?? '', /^Failed run of Nightly <img src=x onerror=alert\(1\)> on pve-a, /);
    assert.deepEqual(app.byClass('legend')[0].all().filter((e) => e.tagName === 'li').map((l) => l.textContent), ['O OK', 'W Warnings', 'F Failed', 'M Missed', 'R Running']);
    runs[2].fire('click');
    assert.deepEqual(actions[0], { type: 'openRun', endpointId: 'pve1', jobId: 'backup-daily', node: 'pve-a', scheduled: failedRun.scheduled });
    const opened = render(loaded(cluster(), [actions[0]])).app;
    const detail = opened.byId('detail')!;
    assert.match(detail.find((e) => e.tagName === 'h2')!.textContent, /^Failed run of Nightly .* on pve-a$/);
    const pre = detail.find((e) => e.tagName === 'pre')!;
    assert.equal(pre.textContent, `INFO: Starting Backup of VM 101 (qemu)\nERROR: Backup of VM 101 failed - unable to open ${XSS}`);
    assert.ok(pre.children.every((c) => !(c instanceof FakeElement)), 'the log is one text node');
    assert.ok(!opened.find((e) => e.tagName === 'img'));
    assert.ok(detail.textContent.includes(`${XSS} (101): unable to open ${XSS}`));
  });

  it('opens a guest on click with its routines and their last runs', () => {
    const { app, actions } = render(loaded(cluster()));
    app.byId(rowId('pve1/101'))!.fire('click');
    assert.deepEqual(actions, [{ type: 'select', key: 'pve1/101', index: 0, open: true }]);
    const opened = render(loaded(cluster(), actions)).app;
    const detail = opened.byId('detail')!;
    assert.equal(detail.find((e) => e.tagName === 'h2')!.textContent, `${XSS} (101)`);
    const item = detail.byClass('routines')[0].all().find((e) => e.tagName === 'li')!;
    // The last run with an outcome is the missed one (the newest); this guest did not fail in it.
    assert.match(item.textContent, /^Nightly <img src=x onerror=alert\(1\)> — last run: M Missed, /);
    assert.equal(opened.byId(rowId('pve1/101'))!.getAttribute('aria-selected'), 'true');
    assert.equal(opened.byId('health-grid')!.getAttribute('aria-activedescendant'), rowId('pve1/101'));
  });

  it('selects rows with the arrows and opens one with Enter', () => {
    let state = loaded(cluster());
    const step = (key: string) => {
      const { app, actions } = render(state);
      press(app.byId('health-grid')!, key);
      for (const a of actions) state = reduceHealth(state, a).state;
      return actions;
    };
    assert.deepEqual(step('ArrowDown'), [{ type: 'select', key: 'pve1/101', index: 0 }]);
    assert.deepEqual(step('ArrowDown'), [{ type: 'select', key: 'pve1/103', index: 1 }]);
    assert.deepEqual(step('End'), [{ type: 'select', key: 'pve1/100', index: 3 }]);
    assert.deepEqual(step('Enter'), [{ type: 'select', key: 'pve1/100', index: 3, open: true }]);
    assert.deepEqual(state.detail, { kind: 'guest', key: 'pve1/100' });
    const grid = render(state).app.byId('health-grid')!;
    assert.equal(grid.getAttribute('tabindex'), '0');
    assert.equal(grid.getAttribute('aria-rowcount'), '5');
  });

  it('renders only the visible rows of 10,000 guests, and the rows at the scroll position', () => {
    const data = largeData(10_000);
    let state = loaded(data, [{ type: 'scroll', top: 0, height: 520 }]);
    let drawn = render(state).app.byClass('row').filter((r) => !r.classList.includes('head'));
    assert.equal(drawn.length, 30, '20 visible + 10 overscan');
    state = reduceHealth(state, { type: 'scroll', top: 26 * 5000, height: 520 }).state;
    const { app } = render(state);
    drawn = app.byClass('row').filter((r) => !r.classList.includes('head'));
    assert.deepEqual([drawn[0].getAttribute('aria-rowindex'), drawn[drawn.length - 1].getAttribute('aria-rowindex')], [String(4990 + 2), String(5030 + 1)]);
    assert.equal(app.byClass('rows')[0].style.height, `${10_000 * 26}px`);
  });

  it('says when nothing is synced yet, offering Sync Now, and when every guest is fine', () => {
    const empty = render(loaded(viewData()));
    assert.match(text(empty.app), /No endpoint synced yet — run Sync Now\./);
    empty.app.byId('sync-all')!.fire('click');
    assert.deepEqual(empty.actions, [{ type: 'syncAll' }]);
    assert.ok(!empty.app.byId('health-grid'));
    const fine = render(loaded(viewData({ id: 'a', name: 'A', report: report(Array.from({ length: 40 }, (_, i) => guest(100 + i, 'ok'))) })));
    assert.equal(fine.app.byClass('all-ok')[0]?.textContent, 'All 40 guests backed up on schedule.');
    assert.ok(!render(loaded(cluster())).app.byClass('all-ok').length);
  });

  it('shows an error with Try again, and waits before anything has come', () => {
    let s = reduceHealth(initialHealthState(undefined, ZONE), { type: 'start' }).state;
    const waiting = render(s).app;
    assert.equal(waiting.getAttribute('aria-busy'), 'true');
    assert.match(text(waiting), /Waiting for the extension…/);
    s = reduceHealth(s, { type: 'loadFailed', request: 1, error: 'The inventory of pve1 could not be read.' }).state;
    const { app, actions } = render(s);
    assert.match(app.find((e) => e.getAttribute('role') === 'alert')!.textContent, /could not be loaded: The inventory of pve1 could not be read\./);
    app.byId('retry')!.fire('click');
    assert.deepEqual(actions, [{ type: 'retry' }]);
  });

  it('keeps the focus, the selection and the scroll position when a background sync pushes a new report', () => {
    const app = new FakeElement('main');
    const doc = {
      activeElement: null as FakeElement | null,
      body: null,
      getElementById: (id: string) => app.byId(id) ?? null,
      focused: true,
      hasFocus(): boolean { return this.focused; },
    };
    const focusable = FakeElement.prototype as unknown as { focus?: () => void };
    const hadFocus = focusable.focus;
    focusable.focus = function (this: FakeElement) { doc.activeElement = this; };
    try {
      const dispatch = () => undefined;
      const data = largeData(3000);
      const key = sortRows(buildRows(data), DEFAULT_SORT)[45].key;
      let state = loaded(data, [{ type: 'scroll', top: 0, height: 520 }]);
      state = reduceHealth(state, { type: 'select', key, index: 45 }).state;
      state = reduceHealth(state, { type: 'scroll', top: 1040, height: 520 }).state;
      const redraw = (s: HealthUiState, focus?: string) => redrawHealth(app as unknown as HTMLElement, doc as unknown as Parameters<typeof redrawHealth>[1], s, NOW, dispatch, focus);
      redraw(state, 'health-grid');
      const gridBefore = app.byId('health-grid')!;
      assert.equal(doc.activeElement, gridBefore);
      const pushed = reduceHealth(state, { type: 'push', message: { type: 'report', data: largeData(3000), reason: 'sync' }, viewNow: NOW }).state;
      redraw(pushed);
      const grid = app.byId('health-grid')!;
      assert.notEqual(grid, gridBefore, 'the page was redrawn');
      assert.equal(doc.activeElement, grid, 'the focus came back to the table');
      assert.equal((grid as unknown as { scrollTop: number }).scrollTop, 1040);
      assert.equal(grid.getAttribute('aria-activedescendant'), rowId(key));
      assert.equal(grid.byId(rowId(key))?.getAttribute('aria-selected'), 'true');
      // And a focused filter keeps its focus through the same redraw.
      doc.activeElement = app.byId('filter-text')!;
      redraw(pushed);
      assert.equal(doc.activeElement, app.byId('filter-text'));
      // With the keyboard elsewhere (the command palette), a background redraw leaves the focus alone.
      // The page keeps its activeElement while it lacks the keyboard: the redraw must not focus its new twin.
      doc.focused = false;
      const stale = app.byId('filter-text')!;
      doc.activeElement = stale;
      redraw(pushed);
      assert.notEqual(app.byId('filter-text'), stale, 'the page was redrawn');
      assert.equal(doc.activeElement, stale, 'a background redraw took the keyboard');
      // An action's own target still gets it.
      redraw(pushed, 'health-grid');
      assert.equal(doc.activeElement, app.byId('health-grid'));
    } finally {
      focusable.focus = hadFocus;
    }
  });
});
