// Parsers under hostile server text: every exported parser and decoder fed every adversarial shape (about 100,000
// characters each, test/helpers/hostileText.ts). Prints the slowest calls and the slowest parse of all; nothing here
// passes or fails on speed (the hardening unit test holds each call to a bound).
import { fieldCases, HOSTILE_LENGTH, SHAPES, TEXT_CASES, timed } from '../test/helpers/hostileText';

interface Row { parser: string; shape: string; ms: number; outcome: string }

function outcome(error: unknown): string {
  if (error === undefined) return 'returned';
  return error instanceof Error ? error.name : typeof error;
}

const rows: Row[] = [];
const cases = [...TEXT_CASES, ...fieldCases()];
const started = performance.now();
for (const c of cases) {
  for (const [shape, text] of Object.entries(SHAPES)) {
    // The slower of two calls: the first may include compiling the pattern or warming the function up.
    const a = timed(c, text);
    const b = timed(c, text);
    rows.push({ parser: c.name, shape, ms: Math.max(a.ms, b.ms), outcome: outcome(b.error) });
  }
}
const total = performance.now() - started;
rows.sort((x, y) => y.ms - x.ms);
console.log(`${cases.length} entry points × ${Object.keys(SHAPES).length} shapes of ~${HOSTILE_LENGTH.toLocaleString('en')} characters: ${rows.length} parses (each twice) in ${(total / 1000).toFixed(1)} s`);
console.log('slowest ten:');
for (const r of rows.slice(0, 10)) console.log(`  ${r.ms.toFixed(2).padStart(8)} ms  ${r.parser} ← ${r.shape} (${r.outcome})`);
const worst = rows[0];
console.log(`slowest parse: ${worst.parser} on "${worst.shape}", ${worst.ms.toFixed(2)} ms`);
