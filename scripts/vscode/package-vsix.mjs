// Packages the extension as a .vsix with vsce. Everything is bundled by esbuild, so --no-dependencies: the .vsix
// holds the bundles, media, README, LICENSE and package.json only (.vscodeignore lists them).
// Run directly (`npm run package`) it also prints the size and the file list.
import { statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { repoRoot, run } from './util.mjs';

export const VSIX = join(repoRoot, 'dist', 'proxbox.vsix');

export async function packageVsix(out = VSIX) {
  const vsce = join(repoRoot, 'node_modules', '.bin', 'vsce');
  const r = await run(vsce, ['package', '--no-dependencies', '--out', out]);
  if (r.code !== 0) throw new Error(`vsce package failed (exit ${r.code}):\n${r.out.trim()}`);
  const files = Number(/Packaged: .*\((\d+) files?,/.exec(r.out)?.[1] ?? NaN);
  return { path: out, bytes: statSync(out).size, listing: r.out.trim(), files };
}

export const kb = (bytes) => `${(bytes / 1024).toFixed(1)} KB`;

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const { path, bytes, listing } = await packageVsix();
  console.log(listing.split('\n').filter((l) => !/^\s*$/.test(l) && !/ DONE /.test(l)).join('\n'));
  console.log(`${relative(process.cwd(), path)}: ${kb(bytes)}`);
}
