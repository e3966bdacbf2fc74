// Backup Health figures: the cost of the view's pure model (rows, filter, sort, chip counts) and of its first render
// into the fake DOM at 10,000 guests, where only the visible rows (plus overscan) become elements. Prints ms.
import { performance } from 'node:perf_hooks';
import { buildRows, DEFAULT_SORT, filterRows, sortRows, statusCounts } from '../src/webview/health/model';
import { initialHealthState, reduceHealth } from '../src/webview/health/state';
import { renderHealth } from '../src/webview/health/view';
import { fakeDocument, FakeElement } from '../test/unit/webviewFakeDom';
import { largeData, NOW } from '../test/unit/webviewHealthFixtures';
import { sortReferenceMs } from './lib/machineReference';

(globalThis as { document?: unknown }).document = fakeDocument;

function time<T>(f: () => T): { ms: number; value: T } {
  const t0 = performance.now();
  const value = f();
  return { ms: performance.now() - t0, value };
}

function measure(n: number): void {
  const data = largeData(n);
  const filter = { statuses: [], text: '', endpointId: null };
  const rows = time(() => buildRows(data));
  const sorted = time(() => sortRows(filterRows(rows.value, filter), DEFAULT_SORT));
  const byName = time(() => sortRows(rows.value, { column: 'guest', descending: false }));
  const text = time(() => filterRows(rows.value, { ...filter, text: 'vm-12' }));
  const counts = time(() => statusCounts(rows.value, filter));
  let state = reduceHealth(initialHealthState(undefined, 'Europe/Berlin'), { type: 'start' }).state;
  state = reduceHealth(state, { type: 'loaded', request: 1, data, viewNow: NOW }).state;
  state = reduceHealth(state, { type: 'scroll', top: 0, height: 780 }).state;
  const app = new FakeElement('main');
  // The first render builds the rows, filters, sorts (the view's memo starts empty) and draws the page.
  const first = time(() => renderHealth(app as unknown as HTMLElement, state, NOW, () => undefined));
  const drawn = app.byClass('row').length - 1;
  const scrolled = reduceHealth(state, { type: 'scroll', top: 26 * Math.floor(n / 2), height: 780 }).state;
  const scroll = time(() => first.value.updateRows(scrolled, NOW));
  const again = time(() => renderHealth(app as unknown as HTMLElement, scrolled, NOW, () => undefined));
  console.log(`${String(n).padStart(6)} guests: rows ${rows.ms.toFixed(1)} ms, filter+sort by status ${sorted.ms.toFixed(1)} ms, ` +
    `sort by name ${byName.ms.toFixed(1)} ms, text filter ${text.ms.toFixed(1)} ms (${text.value.length} match), counts ${counts.ms.toFixed(1)} ms`);
  console.log(`${' '.repeat(14)}first render (model + DOM) ${first.ms.toFixed(1)} ms, ${drawn} row elements; ` +
    `scroll redraw ${scroll.ms.toFixed(2)} ms; full redraw (memoized model) ${again.ms.toFixed(1)} ms; first render = ${(first.ms / ref).toFixed(0)}x the reference sort`);
}

/** What this machine needs to sort 10,000 numbers: the figures below read as multiples of it on a loaded machine. */

console.log('health table: pure model and render into the fake DOM; only visible rows + overscan are drawn');
const ref = sortReferenceMs();
console.log(`machine reference: sorting 10,000 numbers takes ${ref.toFixed(2)} ms`);
measure(1000); // warms the JIT
for (const n of [1000, 10_000]) measure(n);
