// Runs the mocha suite in out/test/integration INSIDE VS Code's Node extension host.
//
// The web workbench accepts a `payload` URL parameter carrying extensionDevelopmentPath and extensionTestsPath
// (the mechanism VS Code's own browser integration tests use). The workbench then loads the extension from that
// folder, calls `run()` of the tests module in the extension host, forwards the extension host's log lines to
// window.codeAutomationLog, and reports the result through window.codeAutomationExit(code, logs).
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { format } from 'node:util';
import { setTimeout, clearTimeout } from 'node:timers';

/** Printed by test/integration/index.ts around the mocha run. */
export const SUITE_START = 'proxbox-integration-suite: start';
export const SUITE_END = 'proxbox-integration-suite: end';

export async function runIntegration({ browser, serverUrl, extensionPath, testsPath, workspace, logsDir, onLine, timeoutMs = 180_000 }) {
  const base = new URL(serverUrl);
  // Paths are on the code-server side, so they are addressed through the remote authority.
  const remote = (p) => `vscode-remote://${base.host}${p}`;
  const payload = [
    ['extensionDevelopmentPath', remote(extensionPath)],
    ['extensionTestsPath', remote(testsPath)],
    ['skipWelcome', 'true'],
  ];
  const url = `${base.href}?folder=${encodeURIComponent(workspace)}&payload=${encodeURIComponent(JSON.stringify(payload))}`;

  const page = await browser.newPage();
  let finish;
  const done = new Promise((resolve) => { finish = resolve; });
  const timer = setTimeout(() => {
    console.error(`[vscode-test] the integration suite did not report within ${timeoutMs / 1000} s; see the code-server log and ${logsDir}`);
    finish(2);
  }, timeoutMs);
  page.on('crash', () => { console.error('[vscode-test] the workbench page crashed'); finish(3); });
  // Everything the workbench logs arrives here, the extension host's console (mocha's reporter) among it. Only the
  // suite's own lines, between the markers index.ts prints, go to the terminal; the rest goes to workbench.log.
  const workbenchLog = [];
  let inSuite = false;
  await page.exposeFunction('codeAutomationLog', (level, message) => {
    const text = Array.isArray(message) ? format(...message) : String(message);
    if (text.includes(SUITE_START)) { inSuite = true; return; }
    if (text.includes(SUITE_END)) { inSuite = false; return; }
    if (!inSuite && !process.env.PROXBOX_VSCODE_VERBOSE) { workbenchLog.push(`${level}: ${text}`); return; }
    console.log(text);
    for (const line of text.split('\n')) onLine?.(line);
  });
  await page.exposeFunction('codeAutomationExit', (code, logs) => {
    mkdirSync(logsDir, { recursive: true });
    writeFileSync(join(logsDir, 'workbench.log'), workbenchLog.join('\n') + '\n');
    for (const { relativePath, contents } of logs ?? []) {
      const file = join(logsDir, relativePath);
      mkdirSync(dirname(file), { recursive: true });
      writeFileSync(file, contents);
    }
    finish(code);
  });
  await page.goto(url);
  const code = await done;
  clearTimeout(timer);
  await page.close().catch(() => {});
  return code;
}
