// A yardstick printed beside absolute figures: how long this machine takes to sort 10,000 numbers. Benchmarks run on
// shared, loaded machines; a figure read against this one compares across machines and runs.
import { performance } from 'node:perf_hooks';

export function sortReferenceMs(): number {
  const a = Array.from({ length: 10_000 }, (_, i) => (i * 7919) % 10_007);
  const t0 = performance.now();
  for (let i = 0; i < 10; i++) [...a].sort((x, y) => x - y);
  return (performance.now() - t0) / 10;
}
