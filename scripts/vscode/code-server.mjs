// Runs code-server for one test run: a contained home, a fresh extensions folder with our .vsix installed, and the
// server on a free 127.0.0.1 port. Everything it writes (config, logs, sockets, caches) stays in the run folder.
import { mkdirSync, writeFileSync, readdirSync, readFileSync, existsSync, openSync, closeSync } from 'node:fs';
import { join } from 'node:path';
import { request } from 'node:http';
import { spawn } from 'node:child_process';
import { groupAlive, killGroup, run, sleep } from './util.mjs';

const SETTINGS = {
  'security.workspace.trust.enabled': false,
  'workbench.startupEditor': 'none',
  'workbench.tips.enabled': false,
  'workbench.enableExperiments': false,
  'telemetry.telemetryLevel': 'off',
  'update.mode': 'none',
  'extensions.autoCheckUpdates': false,
  'extensions.autoUpdate': false,
  'extensions.ignoreRecommendations': true,
  'chat.commandCenter.enabled': false,
  'window.commandCenter': false,
  'workbench.colorTheme': 'Default Dark Modern',
};

/** Folders for one run; HOME, TMPDIR and the XDG dirs all point inside `runDir`. */
export function runLayout(runDir) {
  const d = (...p) => join(runDir, ...p);
  const layout = {
    runDir,
    home: d('home'),
    tmp: d('tmp'),
    userData: d('user-data'),
    extensions: d('extensions'),
    workspace: d('workspace'),
    config: d('code-server.yaml'),
    log: d('code-server.log'),
  };
  for (const k of ['home', 'tmp', 'userData', 'extensions', 'workspace']) mkdirSync(layout[k], { recursive: true });
  mkdirSync(join(layout.userData, 'User'), { recursive: true });
  writeFileSync(join(layout.userData, 'User', 'settings.json'), JSON.stringify(SETTINGS, null, 2));
  writeFileSync(layout.config, 'auth: none\ncert: false\n');
  layout.env = {
    ...process.env,
    HOME: layout.home,
    TMPDIR: layout.tmp,
    XDG_CONFIG_HOME: d('home', '.config'),
    XDG_DATA_HOME: d('home', '.local', 'share'),
    XDG_CACHE_HOME: d('home', '.cache'),
    XDG_RUNTIME_DIR: layout.tmp,
  };
  delete layout.env.VSCODE_IPC_HOOK_CLI; // when run from a VS Code terminal, never talk to that VS Code
  return layout;
}

const baseArgs = (l) => ['--config', l.config, '--user-data-dir', l.userData, '--extensions-dir', l.extensions];

/**
 * Installs the .vsix the way a user would and returns the folder VS Code unpacked it into, so the tests run the
 * packaged bundle (not the working tree). The install also proves engines.vscode accepts this VS Code version.
 */
export async function installVsix(cs, layout, vsix, extensionId) {
  const r = await run(cs.bin, [...baseArgs(layout), '--install-extension', vsix, '--force'], { env: layout.env });
  if (r.code !== 0 || !/successfully installed/i.test(r.out)) {
    throw new Error(`code-server could not install ${vsix} (exit ${r.code}):\n${r.out.trim()}\n` +
      'If it says "not compatible", engines.vscode in package.json is newer than the VS Code in code-server.');
  }
  const prefix = `${extensionId.toLowerCase()}-`;
  const dir = readdirSync(layout.extensions).find((f) => f.toLowerCase().startsWith(prefix));
  if (!dir) throw new Error(`installed ${vsix}, but no ${prefix}* folder appeared in the extensions folder`);
  return join(layout.extensions, dir);
}

function healthy(url) {
  return new Promise((resolve) => {
    const req = request(new URL('healthz', url), { timeout: 2000 }, (res) => {
      res.resume();
      resolve(res.statusCode === 200);
    });
    req.on('error', () => resolve(false));
    req.on('timeout', () => { req.destroy(); resolve(false); });
    req.end();
  });
}

/**
 * Starts code-server and resolves once /healthz answers. Port 0 lets the kernel pick a free port with no race;
 * code-server logs the address it bound, which we read back.
 */
export async function startCodeServer(cs, layout, { extraEnv = {}, timeoutMs = 60_000 } = {}) {
  // The log is appended to (a second server of the same run writes after the first): read only this server's part.
  const earlier = readIfExists(layout.log).length;
  const out = openSync(layout.log, 'a');
  const child = spawn(cs.bin, [
    ...baseArgs(layout),
    '--bind-addr', '127.0.0.1:0',
    '--auth', 'none',
    '--disable-telemetry', '--disable-update-check', '--disable-workspace-trust', '--disable-getting-started-override',
    '--ignore-last-opened',
    layout.workspace,
  ], { env: { ...layout.env, ...extraEnv }, stdio: ['ignore', out, out], detached: true });
  closeSync(out);
  const pid = child.pid;
  let exited = null;
  child.on('exit', (code, signal) => { exited = { code, signal }; });
  const server = {
    pid,
    url: '',
    log: layout.log,
    async stop() {
      if (!groupAlive(pid)) return;
      killGroup(pid, 'SIGTERM');
      for (let i = 0; i < 40 && groupAlive(pid); i++) await sleep(100);
      killGroup(pid, 'SIGKILL');
    },
  };
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (exited) break;
    if (!server.url) {
      const m = /HTTP server listening on (http:\/\/127\.0\.0\.1:\d+)\/?/.exec(readIfExists(layout.log).slice(earlier));
      if (m) server.url = `${m[1]}/`;
    }
    if (server.url && (await healthy(server.url))) return server;
    await sleep(150);
  }
  await server.stop();
  throw new Error(`code-server did not come up ${exited ? `(it exited: ${JSON.stringify(exited)})` : `within ${timeoutMs / 1000} s`}; its log:\n` +
    readIfExists(layout.log).split('\n').slice(-30).join('\n'));
}

function readIfExists(f) {
  return existsSync(f) ? readFileSync(f, 'utf8') : '';
}
