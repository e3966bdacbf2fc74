import { strict as assert } from 'node:assert';
import { HEALTH_STATUS_ORDER } from '../../src/core/health/types';
import {
  allOkMessage, buildRows, DEFAULT_SORT, filterRows, nextSort, sortRows, statusCounts, STATUS_ORDER, stripRoutines, tableMemo,
} from '../../src/webview/health/model';
import type { HealthFilter } from '../../src/webview/health/protocol';
import { moveIndex, revealRow, virtualWindow } from '../../src/webview/health/virtual';
import { DAY, guest, NOW, report, routine, run, viewData } from './webviewHealthFixtures';

const ALL: HealthFilter = { statuses: [], text: '', endpointId: null };

function sample() {
  return viewData(
    { id: 'pve1', name: 'Lab', report: report([
      guest(100, 'ok', { name: 'web' }), guest(101, 'failed', { name: 'db', reason: 'vzdump: storage full' }),
      guest(102, 'never', { name: 'scratch', node: 'pve-b' }), guest(103, 'ok', { name: 'web10', lastBackup: NOW - 100 }),
      guest(104, 'ok', { name: 'web2', lastBackup: null }),
    ]), names: { 'backup-daily': 'Nightly' } },
    { id: 'pve2', name: 'Branch', report: report([guest(100, 'overdue', { endpoint: 'pve2', name: 'fileserver' })]) },
  );
}

describe('webview health: model', () => {
  it('keeps the view\'s status order the same as the core\'s rule reading order', () => {
    assert.deepEqual([...STATUS_ORDER], [...HEALTH_STATUS_ORDER]);
  });

  it('builds one row per guest over every endpoint, keyed by endpoint and vmid, with routine display names', () => {
    const rows = buildRows(sample());
    assert.deepEqual(rows.map((r) => r.key), ['pve1/100', 'pve1/101', 'pve1/102', 'pve1/103', 'pve1/104', 'pve2/100']);
    assert.deepEqual(rows[0].routineNames, ['Nightly']);
    // pve2 has no name for the job: its id stands in.
    assert.deepEqual(rows[5].routineNames, ['backup-daily']);
  });

  it('opens with problems first: failed, overdue, never … ok, ties by name', () => {
    const sorted = sortRows(buildRows(sample()), DEFAULT_SORT).map((r) => r.guest.name);
    assert.deepEqual(sorted, ['db', 'fileserver', 'scratch', 'web', 'web2', 'web10']);
  });

  it('sorts names numerically, flips on a second click, and puts never-backed-up first when sorting by last backup', () => {
    const rows = buildRows(sample());
    assert.deepEqual(sortRows(rows, { column: 'guest', descending: false }).map((r) => r.guest.name), ['db', 'fileserver', 'scratch', 'web', 'web2', 'web10']);
    const flipped = nextSort({ column: 'guest', descending: false }, 'guest');
    assert.deepEqual(flipped, { column: 'guest', descending: true });
    assert.equal(sortRows(rows, flipped)[0].guest.name, 'web10');
    assert.deepEqual(nextSort(flipped, 'node'), { column: 'node', descending: false });
    const byLast = sortRows(rows, { column: 'lastBackup', descending: false }).map((r) => r.guest.vmid);
    // scratch (never) and web2 (null) first, then the 31 h old ones, then the newest.
    assert.deepEqual(byLast.slice(0, 2).sort(), [102, 104]);
    assert.equal(byLast[byLast.length - 1], 103);
  });

  it('does not depend on the order the reports arrive in', () => {
    const rows = buildRows(sample());
    const a = sortRows(rows, { column: 'node', descending: false }).map((r) => r.key);
    const b = sortRows([...rows].reverse(), { column: 'node', descending: false }).map((r) => r.key);
    assert.deepEqual(a, b);
  });

  it('filters by status, by text on name, vmid, node and reason (any case), and by endpoint', () => {
    const rows = buildRows(sample());
    const keys = (f: Partial<HealthFilter>) => filterRows(rows, { ...ALL, ...f }).map((r) => r.key);
    assert.deepEqual(keys({ statuses: ['failed', 'overdue'] }), ['pve1/101', 'pve2/100']);
    assert.deepEqual(keys({ text: 'STORAGE FULL' }), ['pve1/101']);
    assert.deepEqual(keys({ text: 'pve-b' }), ['pve1/102']);
    assert.deepEqual(keys({ text: ' 103 ' }), ['pve1/103']);
    assert.deepEqual(keys({ endpointId: 'pve2' }), ['pve2/100']);
    assert.deepEqual(keys({ text: 'web', statuses: ['failed'] }), []);
  });

  it('counts each status under the text and endpoint filters but not the status filter, so a chip says what it would show', () => {
    const rows = buildRows(sample());
    const counts = statusCounts(rows, { statuses: ['failed'], text: 'web', endpointId: null });
    assert.deepEqual(counts, { failed: 0, overdue: 0, never: 0, 'not-covered': 0, 'verify-failed': 0, excluded: 0, ok: 3 });
    assert.equal(statusCounts(rows, { ...ALL, endpointId: 'pve1' }).overdue, 0);
    assert.equal(statusCounts(rows, ALL).overdue, 1);
  });

  it('remembers the last table and recomputes only when data, filter or sort change', () => {
    const memo = tableMemo();
    const data = sample();
    const a = memo(data, ALL, DEFAULT_SORT);
    assert.equal(memo(data, ALL, DEFAULT_SORT), a);
    const b = memo(data, { ...ALL, text: 'web' }, DEFAULT_SORT);
    assert.notEqual(b, a);
    assert.equal(b.all, a.all, 'the rows are built once per data');
    assert.equal(b.shown.length, 3);
  });

  it('puts the last 14 days of each routine\'s runs in the strip, and nothing older or scheduled later', () => {
    const data = viewData({ id: 'pve1', name: 'Lab', report: report([], [routine('backup-daily', [run(20, 'ok'), run(13, 'failed'), run(1, 'missed'), run(0, 'running'), run(-1, 'ok')])]), names: { 'backup-daily': 'Nightly' } });
    const [r] = stripRoutines(data, null, NOW);
    assert.equal(r.name, 'Nightly');
    assert.deepEqual(r.runs.map((x) => [x.index, x.run.status]), [[1, 'failed'], [2, 'missed'], [3, 'running']]);
    assert.deepEqual(stripRoutines(data, 'other', NOW), []);
    assert.ok(NOW - r.runs[0].run.scheduled <= 14 * DAY);
  });

  it('says all is well only when every guest is ok or excluded', () => {
    const ok = buildRows(viewData({ id: 'a', name: 'A', report: report([guest(1, 'ok'), guest(2, 'ok'), guest(3, 'excluded')]) }));
    assert.equal(allOkMessage(ok), 'All 2 guests backed up on schedule (1 excluded).');
    assert.equal(allOkMessage(buildRows(sample())), null);
    assert.equal(allOkMessage([]), null);
  });
});

describe('webview health: virtual window', () => {
  it('draws the visible rows plus the overscan, clamped at both ends', () => {
    assert.deepEqual(virtualWindow(10_000, 0, 260, 26, 10), { start: 0, end: 20, totalHeight: 260_000 });
    assert.deepEqual(virtualWindow(10_000, 26_000, 260, 26, 10), { start: 990, end: 1020, totalHeight: 260_000 });
    // Scrolled past the end (the list shrank under a filter): the last screenful, not an empty window.
    assert.deepEqual(virtualWindow(100, 999_999, 260, 26, 5), { start: 85, end: 100, totalHeight: 2600 });
    assert.deepEqual(virtualWindow(0, 0, 260, 26), { start: 0, end: 0, totalHeight: 0 });
  });

  it('draws a screenful before the viewport is measured', () => {
    const w = virtualWindow(10_000, 0, 0, 26, 10);
    assert.equal(w.start, 0);
    assert.ok(w.end >= 30 && w.end < 100, String(w.end));
  });

  it('scrolls a selected row into view by the least amount', () => {
    assert.equal(revealRow(5, 0, 260, 26), 0);
    assert.equal(revealRow(10, 0, 260, 26), 26);
    assert.equal(revealRow(3, 260, 260, 26), 78);
  });

  it('moves the selection with the arrows, pages, Home and End, within the table', () => {
    assert.equal(moveIndex(-1, 'ArrowDown', 5, 3), 0);
    assert.equal(moveIndex(4, 'ArrowDown', 5, 3), 4);
    assert.equal(moveIndex(0, 'ArrowUp', 5, 3), 0);
    assert.equal(moveIndex(1, 'PageDown', 5, 3), 4);
    assert.equal(moveIndex(4, 'PageUp', 5, 3), 1);
    assert.equal(moveIndex(2, 'End', 5, 3), 4);
    assert.equal(moveIndex(2, 'Home', 5, 3), 0);
    assert.equal(moveIndex(2, 'x', 5, 3), null);
    assert.equal(moveIndex(-1, 'ArrowDown', 0, 3), null);
  });
});
