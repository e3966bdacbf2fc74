// The routine detail and the tree from the keyboard (issue 11, item 5): a background sync redraws the detail without
// taking the focus from "Open calendar" (Enter still opens the calendar), and Shift+F10 on a job row or a routine
// row opens a context menu with that row's actions. Sets up what it needs: the simulated cluster (started here when
// an earlier file did not leave it) and a sync scheduled every few seconds, cancelled at the end from that menu.
import { strict as assert } from 'node:assert';
import type { Frame, Locator } from 'playwright-core';
import { SLOW, useWorkbench } from './workbench';

interface Counted { redraws: number }

describe('Routine detail and tree from the keyboard (issue 11, item 5)', function () {
  this.timeout(SLOW * 4);
  const webview = () => wb().page.frameLocator('iframe.webview.ready').frameLocator('iframe#active-frame');
  const endpointRow = () => wb().sidebar.locator('.monaco-list-row[aria-level="1"]', { hasText: 'Simulated cluster' }).first();
  const routineRow = () => wb().sidebar.locator('.monaco-list-row[aria-level="3"]', { hasText: /next in|next run pending/ }).first();
  const focusedRow = () => wb().sidebar.locator('.monaco-list-row.focused').first();
  let cancelled = false;

  // The files after this one share the code-server: a schedule a failed test left running is cancelled here.
  after(async () => {
    if (cancelled) return;
    try {
      await wb().page.keyboard.press('Escape');
      await wb().sidebar.click();
      // With one job to cancel the command takes it; with several it asks (best effort: the first listed).
      await wb().runCommand('Proxbox: Cancel Sync', { keepOpen: true });
      const choice = wb().page.locator('.quick-input-widget input.input[placeholder="Sync to cancel"]');
      if (await choice.waitFor({ timeout: 5_000 }).then(() => true, () => false)) await wb().page.keyboard.press('Enter');
    } catch (e) {
      console.log(`    could not cancel the scheduled sync: ${(e as Error).message.split('\n')[0]}`);
    }
  });
  const wb = useWorkbench();

  /** The page inside the webview's two iframes, to read document.activeElement where the user's focus is. */
  async function webviewFrame(): Promise<Frame> {
    const outer = await (await wb().page.locator('iframe.webview.ready').first().elementHandle())?.contentFrame();
    const inner = await (await outer?.waitForSelector('iframe#active-frame'))?.contentFrame();
    if (!inner) throw new Error('the webview has no active frame');
    return inner;
  }

  /** The context menu (VS Code draws it in a shadow root; Playwright's CSS locators look inside). */
  const menuItem = (label: string): Locator => wb().page.locator('.monaco-menu .action-item .action-label', { hasText: label });

  /** Moves the tree's focus with the arrow keys until the focused row matches (rows have no focus of their own). */
  async function arrowTo(key: 'ArrowUp' | 'ArrowDown', matches: (text: string, level: string | null) => boolean): Promise<void> {
    for (let i = 0; i < 60; i++) {
      const row = focusedRow();
      if (matches(await row.innerText(), await row.getAttribute('aria-level'))) return;
      await wb().page.keyboard.press(key);
    }
    throw new Error(`no tree row matched after 60 presses of ${key}; focused: ${await focusedRow().innerText()}`);
  }

  it('has the simulated cluster synced and a sync scheduled every 10 seconds (set-up)', async () => {
    await wb().showViewContainer('Proxbox');
    if (!(await endpointRow().isVisible())) await wb().runCommand('Proxbox: Try with a Simulated Cluster');
    await endpointRow().waitFor();
    if ((await endpointRow().getAttribute('aria-expanded')) !== 'true') await endpointRow().click();
    await routineRow().waitFor();
    // From the endpoint's context menu, so the schedule syncs this endpoint only.
    await wb().scheduleSyncOf(endpointRow(), 'Every N seconds', '10');
  });

  it('keeps the focus on "Open calendar" while background syncs redraw the detail, and Enter opens the calendar', async () => {
    await wb().runCommand('View: Close All Editors');
    // From the palette's list of jobs rather than a click on the tree: the scheduled syncs redraw the tree's rows
    // every few seconds, and a click whose row is redrawn between mouse down and up opens nothing.
    await wb().runCommand('Proxbox: Open Backup Job Details', { keepOpen: true });
    await wb().page.locator('.quick-input-widget', { hasText: 'Open Backup Job' }).locator('.quick-input-list .monaco-list-row').first().waitFor();
    await wb().page.keyboard.press('Enter');
    await webview().locator('#open-calendar').waitFor();
    // Into the webview as a user would (a click on the heading), then to the button.
    await webview().locator('h1').first().click();
    await webview().locator('#open-calendar').focus();
    const frame = await webviewFrame();
    assert.equal(await frame.evaluate(() => document.activeElement?.id), 'open-calendar');
    // Count the redraws of the page from now on: each sync's end replaces the page's content.
    await frame.evaluate(() => {
      const w = window as unknown as Counted;
      w.redraws = 0;
      const app = document.getElementById('app');
      if (app) new MutationObserver(() => { w.redraws++; }).observe(app, { childList: true });
    });
    await frame.waitForFunction(() => (window as unknown as Counted).redraws >= 2, undefined, { timeout: SLOW * 1.5 });
    assert.deepEqual(await frame.evaluate(() => ({ id: document.activeElement?.id, focused: document.hasFocus() })), { id: 'open-calendar', focused: true },
      'the focus left "Open calendar" during the redraws');
    await wb().page.keyboard.press('Enter');
    await wb().page.locator('.tab', { hasText: 'Backup Calendar' }).waitFor();
  });

  it('opens a job row\'s context menu with Shift+F10, listing Cancel Sync and Show Sync Log, and a routine row\'s with its actions', async () => {
    // The focus is in the calendar's webview, which does not pass F1 on: start from the tree with a click.
    const jobs = wb().sidebar.locator('.monaco-list-row[aria-level="2"]', { hasText: 'Syncs' }).first();
    await jobs.click();
    if ((await jobs.getAttribute('aria-expanded')) !== 'true') await wb().page.keyboard.press('ArrowRight');
    await wb().sidebar.locator('.monaco-list-row[aria-level="3"]', { hasText: /scheduled|running/ }).first().waitFor();
    await arrowTo('ArrowDown', (text, level) => level === '3' && /scheduled|running/.test(text));
    await wb().page.keyboard.press('Shift+F10');
    await menuItem('Show Sync Log').waitFor();
    assert.equal(await menuItem('Cancel Sync').count(), 1, 'no Cancel Sync in the job row\'s context menu');
    // Cancelling from the menu ends this file's schedule.
    await menuItem('Cancel Sync').click();
    cancelled = true;
    // The schedule is over: nothing of it is scheduled any more (its records stay in the history).
    await wb().page.waitForFunction((row) => !!row && !/scheduled|running/.test(row.textContent ?? ''), await jobs.elementHandle(), { timeout: SLOW });

    await arrowTo('ArrowUp', (text, level) => level === '3' && /next in|next run pending/.test(text));
    await wb().page.keyboard.press('Shift+F10');
    await menuItem('Open Backup Job Details').waitFor();
    assert.equal(await menuItem('Open Backup Calendar').count(), 1, 'no Open Backup Calendar in the routine row\'s context menu');
    await wb().page.keyboard.press('Escape');
  });
});
