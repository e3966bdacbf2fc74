// Runs every bundled benchmark (out/bench/*.js) in turn, each in its own Node process; prints their figures.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';

const root = new URL('..', import.meta.url).pathname;
const dir = join(root, 'out', 'bench');
const benches = existsSync(dir) ? readdirSync(dir).filter((f) => f.endsWith('.js')).sort() : [];
if (benches.length === 0) {
  console.error('no benchmarks found in out/bench: run `npm run build` first (npm run bench does)');
  process.exit(1);
}
let failed = 0;
for (const file of benches) {
  console.log(`\n=== ${file.replace(/\.js$/, '')} ===`);
  const r = spawnSync(process.execPath, ['--enable-source-maps', join(dir, file)], { stdio: 'inherit', cwd: root });
  if (r.status !== 0) {
    failed++;
    console.error(`${file} exited with ${r.status ?? r.signal}`);
  }
}
process.exit(failed ? 1 : 0);
