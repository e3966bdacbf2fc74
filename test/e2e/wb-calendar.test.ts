// The backup calendar as a keyboard user meets it (issue 11, items 5 and 6): the month grid is one tab stop, a run
// keeps the focus while a background sync redraws the page and Enter still opens it, Week opens on this week, and a
// chip names its job before its time.
import { strict as assert } from 'node:assert';
import { localZone } from '../../src/core/text/time';
import { dateKeyOf, pageLabel } from '../../src/webview/calendar/dates';
import { SLOW, useWorkbench } from './workbench';

describe('Backup calendar: keyboard and readable pages', () => {
  const wb = useWorkbench();
  const webview = () => wb().page.frameLocator('iframe.webview.ready').frameLocator('iframe#active-frame');
  const quickInput = () => wb().page.locator('.quick-input-widget');

  /** The simulated cluster, synced: what ui.test.ts leaves, or set up here when this file runs alone. */
  async function demoCluster(): Promise<void> {
    // Other files' panels stay open in the shared user data; one webview at a time keeps the frame unambiguous.
    await wb().runCommand('View: Close All Editors');
    await wb().showViewContainer('Proxbox');
    const sidebar = wb().sidebar;
    // The command reuses the simulated cluster an earlier file left, or starts it.
    await wb().runCommand('Proxbox: Try with a Simulated Cluster');
    await sidebar.locator('.monaco-list-row[aria-level="1"]', { hasText: 'Simulated cluster' }).first().waitFor();
  }

  /** Schedules a full sync of every endpoint every 10 seconds (what a user schedules): syncs that happen while the
   * user is in the calendar, without touching it. */
  async function scheduleBackgroundSyncs(): Promise<void> {
    const what = quickInput().locator('.monaco-list-row', { hasText: 'Full sync' });
    // A placeholder is an attribute, not text: getByText would never find it.
    const endpoints = quickInput().locator('input.input[placeholder="Endpoints to sync"]');
    const first = await wb().runCommandUntil('Proxbox: Schedule Sync…', { 'the "What to sync" pick': what, 'the endpoints pick': endpoints });
    if (first === 'the endpoints pick') await wb().page.keyboard.press('Enter'); // every endpoint, as offered
    await what.click();
    await quickInput().locator('.monaco-list-row', { hasText: 'Every N seconds' }).click();
    const input = quickInput().locator('input.input');
    await quickInput().getByText('Every how many seconds?').waitFor();
    await input.fill('10');
    await input.press('Enter');
    await wb().page.locator('.monaco-dialog-box .monaco-button', { hasText: 'Schedule' }).click();
  }

  async function cancelBackgroundSyncs(): Promise<void> {
    await wb().runCommand('Proxbox: Cancel Sync', { keepOpen: true });
    const row = quickInput().locator('.monaco-list-row', { hasText: /10 s|10 seconds/ }).first();
    if (await row.waitFor({ timeout: 5_000 }).then(() => true, () => false)) await row.click();
    else await quickInput().waitFor({ state: 'hidden' }).catch(() => wb().closePalette());
  }

  /** The first run chip of the month as laid out, measured in one step inside the page: the page redraws when the
   * runs of a sync arrive, and a chip measured in two steps (is the time shown, how wide is the name) can be replaced
   * between them. Waits up to 10 s for the layout asked for, then returns what there is for the assertion to name. */
  async function firstChip(expect: { timeShown: boolean }) {
    return webview().locator('body').evaluate(async (_body, want) => {
      const box = (el: Element | null | undefined) => {
        const r = el?.getBoundingClientRect();
        return { x: r?.x ?? 0, width: r?.width ?? 0 };
      };
      const measure = () => {
        const chip = document.querySelector('.grid.month .entry.run');
        const time = chip?.querySelector<HTMLElement>('.when');
        const timeShown = !!time && time.getClientRects().length > 0 && getComputedStyle(time).visibility !== 'hidden';
        return { name: box(chip?.querySelector('.name')), time: box(time), timeShown, timeText: time?.innerText ?? '' };
      };
      const deadline = Date.now() + 10_000;
      let seen = measure();
      while ((seen.name.width === 0 || seen.timeShown !== want.timeShown) && Date.now() < deadline) {
        await new Promise((r) => setTimeout(r, 100));
        seen = measure();
      }
      return seen;
    }, expect);
  }

  it('keeps the focus on a run while background syncs redraw the month, and Enter still opens it', async function () {
    this.timeout(SLOW * 4);
    await demoCluster();
    await scheduleBackgroundSyncs();
    try {
      await wb().runCommand('Proxbox: Open Backup Calendar');
      await webview().locator('.toolbar h1').waitFor();
      await webview().locator('#today').click();
      await webview().locator('#view-month').click();
      await webview().locator('.grid.month .entry.run').first().waitFor();
      // A past run if the month has one: Enter then opens its details inside the calendar.
      const pastRuns = webview().locator('.grid.month .entry.run.past');
      const run = (await pastRuns.count()) ? pastRuns.first() : webview().locator('.grid.month .entry.run').first();

      // One tab stop in the whole month grid (189 before): the day cell holding the roving tabindex.
      const tabStops = await webview().locator('.grid.month').evaluate((grid) =>
        Array.from(grid.querySelectorAll<HTMLElement>('button, [tabindex]')).filter((e) => e.tabIndex >= 0).map((e) => e.id));
      assert.equal(tabStops.length, 1, `tab stops in the month grid: ${tabStops.join(', ')}`);

      await run.focus();
      const before = await run.evaluate((el) => ({
        id: el.id, pushes: Number(document.body.dataset.pushes ?? 0), scroll: (document.scrollingElement ?? document.documentElement).scrollTop,
      }));
      assert.ok(before.id, 'a run has a stable id');
      // Two pushes: each sync posts a new context, the page is redrawn with it and again with the new runs.
      await webview().locator('body').evaluate(async (body, n) => {
        // Up to two minutes: a window closed by an earlier file may hold the schedule until VS Code's silence (30 s)
        // makes it leave the schedule to this one.
        const deadline = Date.now() + 120_000;
        while (Number(body.dataset.pushes ?? 0) < n + 2 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 250));
      }, before.pushes).catch(() => undefined);
      await wb().page.waitForTimeout(1500); // the runs of the last push come back and are drawn
      const after = await webview().locator('body').evaluate(() => ({
        id: document.activeElement?.id ?? '', tag: document.activeElement?.tagName ?? '',
        pushes: Number(document.body.dataset.pushes ?? 0), scroll: (document.scrollingElement ?? document.documentElement).scrollTop,
      }));
      assert.ok(after.pushes >= before.pushes + 2, `no background sync reached the calendar (pushes ${before.pushes} → ${after.pushes})`);
      assert.equal(after.id, before.id, `the focus moved to ${after.tag}#${after.id} during the redraws`);
      assert.equal(after.scroll, before.scroll, 'the page kept its scroll position');

      // Enter on the focused run does what a click does: a past run opens what happened, a planned one its job.
      const focused = webview().locator(`[id="${before.id}"]`);
      const past = await focused.evaluate((el) => el.classList.contains('past'));
      const tabs = await wb().page.locator('.tab').count();
      await focused.press('Enter');
      if (past) await webview().locator('#run-detail').waitFor();
      else await wb().page.waitForFunction((n) => document.querySelectorAll('.tab').length > n, tabs);
    } finally {
      await cancelBackgroundSyncs();
    }
  });

  it('opens Week on this week from the month of today, with each chip naming its job before its time', async function () {
    this.timeout(SLOW * 2);
    await demoCluster();
    await wb().runCommand('Proxbox: Open Backup Calendar');
    await webview().locator('.toolbar h1').waitFor();
    await webview().locator('#today').click();
    await webview().locator('#view-month').click();
    await webview().locator('.status', { hasText: /runs of \d+ backup job\(s\) in this month/ }).waitFor();
    await webview().locator('.zone-note', { hasText: /^Times in / }).waitFor();
    // A narrow day (the side bar open) gives the whole chip to the name; the time is in the run's tooltip.
    const narrow = await firstChip({ timeShown: false });
    assert.equal(narrow.timeShown, false, 'a narrow day still squeezes the time beside the name');
    assert.ok(narrow.name.width >= 60, `the name has ${narrow.name.width} px in a narrow day`);
    // A wide day (the side bar closed) shows both, the name first.
    await wb().runCommand('View: Toggle Primary Side Bar Visibility');
    const wide = await firstChip({ timeShown: true });
    assert.equal(wide.timeShown, true, 'a wide day has room for the time and does not show it');
    assert.ok(wide.name.x < wide.time.x, 'the name comes first, the time after it');
    assert.match(wide.timeText, /^\d{2}:\d{2}/);
    await wb().runCommand('View: Toggle Primary Side Bar Visibility');

    await webview().locator('#view-week').click();
    const today = dateKeyOf(Date.now() / 1000, localZone());
    await webview().locator('.toolbar h1', { hasText: pageLabel('week', today) }).waitFor({ timeout: 15_000 });
    await webview().locator('.grid.week .weekday.today').waitFor();
  });
});
