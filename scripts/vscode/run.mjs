#!/usr/bin/env node
// `npm run test:vscode`: the extension's tests inside a real VS Code (code-server), driven by Chromium.
//
//   1. code-server from the machine-wide cache (installed on first use, see install-code-server.mjs)
//   2. esbuild, then `vsce package` -> dist/proxbox.vsix
//   3. a contained run folder (HOME, TMPDIR, XDG dirs, user data, extensions) in the system temp dir
//   4. the .vsix installed with code-server's --install-extension, as a user would
//   5. code-server on a free 127.0.0.1 port
//   6. integration suite (out/test/integration, mocha) inside the Node extension host
//   7. UI suite (out/test/e2e, mocha + playwright-core) against the workbench; screenshots into out/screenshots
//   8. always: close Chromium, kill code-server's process group, remove the run folder (logs are kept in out/)
//
// Why the installed .vsix is what the integration suite tests: the test payload needs an extensionDevelopmentPath,
// and we point it at the folder code-server unpacked the .vsix into. So the bundle, manifest and files under test are
// exactly those of the package (the suite checks that no sources came along), while VS Code still runs our tests
// module in the same extension host. The UI suite needs no payload: it sees the extension as installed.
//
// Options: --suite integration|e2e (default both), --grep <regexp>, --screenshots <dir>, --no-build, --keep (keep
// the run folder), --serve (start code-server with the .vsix installed and wait, to look at it or write a UI test).
// Exit code: 0 when every suite passed.
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { spawn } from 'node:child_process';
import { ensureCodeServer } from './install-code-server.mjs';
import { installVsix, runLayout, startCodeServer } from './code-server.mjs';
import { packageVsix, kb } from './package-vsix.mjs';
import { runIntegration } from './run-integration.mjs';
import { CHROMIUM_ARGS, VIEWPORT, chromiumPath } from './chromium.mjs';
import { fmt, info, killChildren, killGroup, repoRoot, run, tick } from './util.mjs';

const { values: opts } = parseArgs({
  options: {
    suite: { type: 'string', default: 'all' },
    grep: { type: 'string' },
    screenshots: { type: 'string', default: 'out/screenshots' },
    'no-build': { type: 'boolean', default: false },
    keep: { type: 'boolean', default: false },
    serve: { type: 'boolean', default: false },
  },
});
if (!['all', 'integration', 'e2e'].includes(opts.suite)) {
  console.error(`unknown --suite ${opts.suite}: use integration, e2e or all`);
  process.exit(64);
}

const manifest = JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8'));
const extensionId = `${manifest.publisher}.${manifest.name}`;
const logsOut = join(repoRoot, 'out', 'vscode-test');
const cleanups = [];
const results = [];
const metrics = [];
const started = Date.now();

/** Collects `metric: name = value` lines that tests print, for the summary at the end. */
function scan(line) {
  const m = /^metric: (.+?) = (.+)$/.exec(line.trim());
  if (m) metrics.push([m[1], m[2]]);
}

async function main() {
  const cs = await ensureCodeServer();
  tick(`code-server ${cs.version}${cs.cached ? ' (cached)' : ' (installed into the cache)'}`);

  if (!opts['no-build']) {
    const b = await run(process.execPath, [join(repoRoot, 'scripts', 'build.mjs')]);
    if (b.code !== 0) throw new Error(`build failed:\n${b.out}`);
  }
  for (const f of ['dist/extension.js', 'out/test/integration/index.js']) {
    if (!existsSync(join(repoRoot, f))) throw new Error(`${f} is missing: run \`npm run build\` first (or drop --no-build).`);
  }
  const vsix = await packageVsix();
  tick(`packaged ${relative(repoRoot, vsix.path)}: ${kb(vsix.bytes)}, ${vsix.files} files`);

  const layout = runLayout(mkdtempSync(join(tmpdir(), 'proxbox-vscode-')));
  cleanups.push(() => saveLogs(layout));
  if (!opts.keep) cleanups.push(() => rmSync(layout.runDir, { recursive: true, force: true }));
  else info(`run folder kept: ${layout.runDir}`);
  const extensionPath = await installVsix(cs, layout, vsix.path, extensionId);
  tick(`installed the .vsix into a fresh extensions folder (${relative(layout.runDir, extensionPath)})`);

  const serverEnv = { extraEnv: opts.grep ? { PROXBOX_TEST_GREP: opts.grep } : {} };
  let server = await startCodeServer(cs, layout, serverEnv);
  cleanups.unshift(() => server.stop());
  tick(`code-server listening on ${server.url} (pid ${server.pid})`);

  if (opts.serve) {
    info(`serving the installed .vsix: open ${server.url}?folder=${encodeURIComponent(layout.workspace)} (Ctrl-C stops)`);
    await new Promise(() => {});
  }

  if (opts.suite !== 'e2e') {
    const { chromium } = await import('playwright-core');
    const browser = await chromium.launch({ executablePath: chromiumPath(), args: CHROMIUM_ARGS, headless: true });
    cleanups.unshift(() => browser.close().catch(() => {}));
    const code = await runIntegration({
      browser,
      serverUrl: server.url,
      extensionPath,
      testsPath: join(repoRoot, 'out', 'test', 'integration', 'index.js'),
      workspace: layout.workspace,
      logsDir: join(logsOut, 'integration-logs'),
      onLine: scan,
    });
    await browser.close().catch(() => {});
    results.push(['integration (extension host)', code]);
    tick(`integration suite ${code === 0 ? 'passed' : `FAILED (exit ${code})`}`);
  }

  if (opts.suite !== 'integration') {
    if (opts.suite !== 'e2e') {
      // code-server keeps the extension host of the integration suite's closed page running (minutes to hours), and
      // that window would hold the sync schedule the UI suite's window needs: a new server process starts it clean.
      await server.stop();
      server = await startCodeServer(cs, layout, serverEnv);
      tick(`code-server restarted for the UI suite on ${server.url} (pid ${server.pid})`);
    }
    const code = await runE2E(server, layout);
    results.push(['UI (Playwright)', code]);
    tick(`UI suite ${code === 0 ? 'passed' : `FAILED (exit ${code})`}`);
  }
}

/** The UI suite runs under its own mocha (plain Node), which gets the server and browser settings in one variable. */
function runE2E(server, layout) {
  const screenshots = resolve(repoRoot, opts.screenshots);
  mkdirSync(screenshots, { recursive: true });
  const settings = {
    url: `${server.url}?folder=${encodeURIComponent(layout.workspace)}`,
    chromium: chromiumPath(),
    args: CHROMIUM_ARGS,
    viewport: VIEWPORT,
    screenshots,
  };
  const mocha = join(repoRoot, 'node_modules', 'mocha', 'bin', 'mocha.js');
  const args = [mocha, '--no-config', '--reporter', 'spec', '--no-color', '--timeout', '60000', '--enable-source-maps', 'out/test/e2e/**/*.test.js'];
  if (opts.grep) args.push('--grep', opts.grep);
  return new Promise((resolvePromise) => {
    const child = spawn(process.execPath, args, {
      cwd: repoRoot,
      // Chromium's profile and crash reports go into the run folder too.
      env: { ...layout.env, PROXBOX_E2E: JSON.stringify(settings) },
      stdio: ['ignore', 'pipe', 'inherit'],
      detached: true,
    });
    cleanups.unshift(() => killGroup(child.pid, 'SIGKILL'));
    let rest = '';
    child.stdout.on('data', (d) => {
      process.stdout.write(d);
      const lines = (rest + d).split('\n');
      rest = lines.pop();
      lines.forEach(scan);
    });
    child.on('close', (code, signal) => {
      if (rest) scan(rest);
      // Playwright's Chromium lives in the child's process group; nothing of it may outlive the suite.
      killGroup(child.pid, 'SIGKILL');
      resolvePromise(code ?? (signal ? 128 : 1));
    });
  });
}

function saveLogs(layout) {
  mkdirSync(logsOut, { recursive: true });
  if (existsSync(layout.log)) cpSync(layout.log, join(logsOut, 'code-server.log'));
  const userLogs = join(layout.userData, 'logs');
  if (existsSync(userLogs)) cpSync(userLogs, join(logsOut, 'vscode-logs'), { recursive: true });
}

let cleaning;
function cleanup() {
  cleaning ??= (async () => {
    killChildren();
    for (const c of cleanups) {
      try {
        await c();
      } catch (e) {
        console.error(`[vscode-test] cleanup: ${e.message}`);
      }
    }
  })();
  return cleaning;
}

for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
  process.on(sig, () => {
    console.error(`[vscode-test] ${sig}: stopping code-server and Chromium`);
    void cleanup().then(() => process.exit(130));
  });
}

let exitCode = 0;
try {
  rmSync(logsOut, { recursive: true, force: true });
  await main();
} catch (e) {
  console.error(`[vscode-test] ${e.message}`);
  exitCode = 1;
} finally {
  await cleanup();
}
for (const [name, value] of metrics) info(`${name}: ${value}`);
for (const [name, code] of results) info(`${name}: ${code === 0 ? 'passed' : `failed (exit ${code})`}`);
if (results.some(([, code]) => code !== 0)) exitCode = 1;
info(`${exitCode === 0 ? 'all VS Code suites passed' : 'FAILED'} in ${fmt(Date.now() - started)}; logs in ${relative(process.cwd(), logsOut) || '.'}`);
process.exit(exitCode);
