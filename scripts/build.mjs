// Bundles the extension, the headless command, the webview scripts, the tests and the benchmarks with esbuild.
// Tests are bundled too, so that ESM-only dependencies (p-limit) run under plain mocha without a loader.
import * as esbuild from 'esbuild';
import { readdirSync, existsSync, chmodSync } from 'node:fs';
import { join, relative } from 'node:path';

const root = new URL('..', import.meta.url).pathname;
const watch = process.argv.includes('--watch');

function files(dir, test) {
  const abs = join(root, dir);
  if (!existsSync(abs)) return [];
  return readdirSync(abs, { recursive: true })
    .map((f) => join(dir, String(f)))
    .filter((f) => test(f.replaceAll('\\', '/')));
}

const node = {
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  sourcemap: 'linked',
  absWorkingDir: root,
  logLevel: 'warning',
  external: ['vscode'],
  // undici and cron-parser ship CommonJS; p-limit is ESM-only and is converted here.
  mainFields: ['module', 'main'],
};

const builds = [
  { ...node, entryPoints: ['src/extension.ts'], outfile: 'dist/extension.js' },
  { ...node, entryPoints: ['src/cli/main.ts'], outfile: 'dist/cli.js', banner: { js: '#!/usr/bin/env node' } },
];

const webviews = files('src/webview', (f) => /\/main\.ts$/.test(f));
if (webviews.length) {
  builds.push({
    bundle: true, platform: 'browser', format: 'iife', target: 'es2022', sourcemap: false, absWorkingDir: root,
    logLevel: 'warning', entryPoints: Object.fromEntries(webviews.map((f) => [relative('src/webview', f).replace(/\/main\.ts$/, ''), f])),
    outdir: 'media/webview',
  });
}

const tests = files('test', (f) => /^test\/(unit|integration|e2e|helpers)\/.*\.ts$/.test(f) && !f.endsWith('.d.ts'));
const benches = files('bench', (f) => f.endsWith('.ts'));
if (tests.length || benches.length) {
  builds.push({
    ...node,
    entryPoints: [...tests, ...benches],
    outbase: '.',
    outdir: 'out',
    external: ['vscode', 'mocha', 'playwright-core'],
  });
}

if (watch) {
  for (const b of builds) (await esbuild.context(b)).watch();
} else {
  await Promise.all(builds.map((b) => esbuild.build(b)));
  chmodSync(join(root, 'dist/cli.js'), 0o755);
}
