// Takes the README's screenshot of the static backup report: syncs the simulator's health scenario into a temporary
// store with the built CLI (`proxbox demo --store`), writes `proxbox report`, opens the page in Chromium (Debian's,
// driven by playwright-core, as the UI tests do) and saves docs/screenshots/report.png. Run after `node scripts/build.mjs`.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium } from 'playwright-core';
import { CHROMIUM_ARGS, chromiumPath } from './vscode/chromium.mjs';

const root = resolve(import.meta.dirname, '..');
const cli = join(root, 'dist', 'cli.js');
const store = mkdtempSync(join(tmpdir(), 'proxbox-report-shot-'));
try {
  execFileSync(process.execPath, [cli, 'demo', '--store', store], { stdio: 'ignore' });
  const page = join(store, 'report.html');
  execFileSync(process.execPath, [cli, 'report', '--store', store, '--out', page, '--zone', 'UTC'], { stdio: 'inherit' });
  const browser = await chromium.launch({ executablePath: chromiumPath(), args: CHROMIUM_ARGS, headless: true });
  try {
    const tab = await browser.newPage({ viewport: { width: 1100, height: 900 } });
    // The page loads nothing: any request besides the file itself would be a remote resource, so it fails the run.
    tab.on('request', (r) => { if (!r.url().startsWith('file:')) throw new Error(`the report requested ${r.url()}`); });
    await tab.goto(pathToFileURL(page).href);
    await tab.screenshot({ path: join(root, 'docs', 'screenshots', 'report.png'), fullPage: true });
  } finally {
    await browser.close();
  }
  console.log('docs/screenshots/report.png written');
} finally {
  rmSync(store, { recursive: true, force: true });
}
