// Small helpers shared by the VS Code test scripts: timed log lines, child processes, paths.
import { spawn } from 'node:child_process';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { setTimeout } from 'node:timers';

export const repoRoot = new URL('../..', import.meta.url).pathname.replace(/\/$/, '');

const t0 = Date.now();
let last = t0;
/** One progress line with the step's own duration and the running total, so slow steps stand out in CI logs. */
export function tick(message) {
  const now = Date.now();
  console.log(`[vscode-test] ${message} (${fmt(now - last)}, total ${fmt(now - t0)})`);
  last = now;
}
export function info(message) {
  console.log(`[vscode-test] ${message}`);
}
export const fmt = (ms) => (ms >= 10_000 ? `${(ms / 1000).toFixed(0)} s` : ms >= 1000 ? `${(ms / 1000).toFixed(1)} s` : `${ms} ms`);

/**
 * The cache survives between runs on one machine and lives outside the repository, so a fresh clone reuses the
 * ~300 MB code-server install. PROXBOX_VSCODE_CACHE overrides it (e.g. a CI cache volume).
 */
export function cacheRoot() {
  if (process.env.PROXBOX_VSCODE_CACHE) return process.env.PROXBOX_VSCODE_CACHE;
  const xdg = process.env.XDG_CACHE_HOME || join(homedir(), '.cache');
  return join(xdg, 'proxbox-vscode-test');
}

/**
 * Runs a command and resolves with its exit code and captured output. `stdio: 'inherit'` streams instead.
 * The child gets its own process group (detached), so `killGroup` can end it together with everything it spawned.
 */
export function run(cmd, args, { cwd = repoRoot, env = process.env, stdio = 'pipe', onSpawn } = {}) {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { cwd, env, stdio: stdio === 'inherit' ? 'inherit' : ['ignore', 'pipe', 'pipe'], detached: true });
    if (child.pid) live.add(child.pid);
    child.on('exit', () => live.delete(child.pid));
    onSpawn?.(child);
    let out = '';
    child.stdout?.on('data', (d) => { out += d; });
    child.stderr?.on('data', (d) => { out += d; });
    child.on('error', (e) => reject(new Error(`could not start ${cmd}: ${e.message}`)));
    child.on('close', (code, signal) => resolve({ code: code ?? (signal ? 128 : 1), signal, out }));
  });
}

// Detached children still running. A detached child outlives us unless killed, so an interrupted run (Ctrl-C during
// the code-server install, say) ends them here, even when the process exits without running its cleanup.
const live = new Set();
export function killChildren() {
  for (const pid of live) killGroup(pid, 'SIGKILL');
  live.clear();
}
process.on('exit', killChildren);

/** Ends a detached child and all its descendants; silent when they are already gone. */
export function killGroup(pid, signal = 'SIGTERM') {
  if (!pid) return;
  try {
    process.kill(-pid, signal);
  } catch {
    // ESRCH: the group has already exited.
  }
}

export function groupAlive(pid) {
  try {
    process.kill(-pid, 0);
    return true;
  } catch {
    return false;
  }
}

export const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
