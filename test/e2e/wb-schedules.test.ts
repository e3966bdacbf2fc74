// Sync schedules and Remove Endpoint as a user meets them (issue 11, items 1 and 2): a "Continuously" schedule
// deleted from the palette stops for good, and a removed endpoint leaves nothing behind across Reload Window: no
// schedule restarts, no old runs come back when the simulated cluster is added again, the status bar does not name it.
// Sets up what it needs (the simulated cluster) and leaves it synced, with no schedule, for the files after it.
import { strict as assert } from 'node:assert';

import type { Locator } from 'playwright-core';
import { SLOW, useWorkbench } from './workbench';

describe('Sync schedules and Remove Endpoint in the workbench (issue 11, items 1 and 2)', function () {
  this.timeout(SLOW * 4);
  const wb = useWorkbench();
  const endpointRow = () => wb().sidebar.locator('.monaco-list-row[aria-level="1"]', { hasText: 'Simulated cluster' }).first();
  const syncsRow = () => wb().sidebar.locator('.monaco-list-row[aria-level="2"]', { hasText: /^\s*Syncs/ }).first();
  const dialogButton = (label: string): Locator => wb().page.locator('.monaco-dialog-box .monaco-button', { hasText: label }).first();

  async function showSimulatedCluster(): Promise<void> {
    // Editors an earlier file left open (a backup job's details redrawing after each sync) would take the focus.
    await wb().runCommand('View: Close All Editors');
    await wb().showViewContainer('Proxbox');
    if (!(await endpointRow().isVisible())) await wb().runCommand('Proxbox: Try with a Simulated Cluster');
    await endpointRow().waitFor();
    // A redraw (a sync ending) can undo a click's expansion: expand until the Syncs group shows.
    for (let attempt = 1; ; attempt++) {
      if ((await endpointRow().getAttribute('aria-expanded')) !== 'true') await endpointRow().locator('.monaco-tl-twistie').click();
      if (await syncsRow().waitFor({ timeout: 10_000 }).then(() => true, () => false)) return;
      if (attempt === 3) throw new Error('the Syncs group of the simulated cluster never showed');
    }
  }

  /** The Syncs group's description, e.g. "1 running · 3 recent". */
  async function syncsText(): Promise<string> {
    return (await syncsRow().locator('.label-description').innerText().catch(() => '')).trim();
  }

  async function waitForSyncs(test: (text: string) => boolean, what: string, timeoutMs = SLOW): Promise<string> {
    const end = Date.now() + timeoutMs;
    let text = '';
    while (Date.now() < end) {
      text = await syncsText();
      if (test(text)) return text;
      await wb().page.waitForTimeout(250);
    }
    throw new Error(`the Syncs group never showed ${what}; it shows "${text}"`);
  }

  /** From the palette, as the calendar's file schedules (with several endpoints it offers them all, as given). */
  async function scheduleContinuously(): Promise<void> {
    const quickInput = wb().page.locator('.quick-input-widget');
    const what = quickInput.locator('.monaco-list-row', { hasText: 'Full sync' });
    const endpoints = quickInput.locator('input.input[placeholder="Endpoints to sync"]');
    const first = await wb().runCommandUntil('Proxbox: Schedule Sync…', { 'the "What to sync" pick': what, 'the endpoints pick': endpoints });
    if (first === 'the endpoints pick') await wb().page.keyboard.press('Enter');
    await what.click();
    await quickInput.locator('.monaco-list-row', { hasText: 'Continuously' }).click();
    await dialogButton('Schedule').click();
    await wb().page.locator('.monaco-dialog-box').waitFor({ state: 'hidden' });
  }

  it('deletes a "Continuously" schedule from the palette: its run stops, no run follows, its history stays', async () => {
    await showSimulatedCluster();
    const before = await syncsText();
    await scheduleContinuously();
    // The first run starts at once; after it the schedule waits its pause (30 s by default) as "1 scheduled".
    await waitForSyncs((t) => /running|scheduled/.test(t) && t !== before, 'the continuous schedule');
    // With several candidates the command asks which; the continuous one is the only one here.
    // Whichever comes first, the pick or the confirmation: a fixed wait for the pick lost the race on a busy machine.
    const pick = wb().page.locator('.quick-input-widget input.input[placeholder="Sync schedule to delete"]');
    const confirm = dialogButton('Delete');
    const first = await wb().runCommandUntil('Proxbox: Delete Sync Schedule', { 'the schedule pick': pick, 'the confirmation': confirm });
    if (first === 'the schedule pick') await wb().page.locator('.quick-input-list .monaco-list-row', { hasText: /continuous/i }).first().click();
    await confirm.click();
    const after = await waitForSyncs((t) => !/running|scheduled/.test(t), 'no running or scheduled sync');
    assert.match(after, /\d+ recent/, 'the history of past runs was not kept');
    // Longer than a run of the simulated cluster: had anything of the schedule survived, it would show by now.
    await wb().page.waitForTimeout(5_000);
    assert.equal(await syncsText(), after, 'a run of the deleted schedule started');
  });

  it('Remove Endpoint leaves nothing behind across Reload Window: adding the cluster again starts from one run', async () => {
    await showSimulatedCluster();
    await scheduleContinuously();
    await waitForSyncs((t) => /running|scheduled/.test(t), 'the continuous schedule');
    await wb().chooseFromContextMenu(endpointRow(), 'Remove Endpoint');
    await dialogButton('Remove').click();
    await endpointRow().waitFor({ state: 'detached' });

    await wb().runCommand('Developer: Reload Window');
    await wb().page.locator('.monaco-workbench').waitFor();
    await wb().activityItem('Proxbox').waitFor();
    await wb().showViewContainer('Proxbox');
    // Other endpoints an earlier file left may still be there; the removed one must not be.
    await Promise.any([wb().sidebar.getByText('No Proxmox endpoint yet.').waitFor(), wb().sidebar.locator('.monaco-list-row[aria-level="1"]').first().waitFor()]);
    await wb().settled();
    assert.equal(await endpointRow().count(), 0, 'the removed endpoint is back after the reload');
    const status = await wb().page.locator('.statusbar').innerText();
    assert.doesNotMatch(status, /Simulated cluster/i, `the status bar still speaks of the removed endpoint: ${status}`);

    await wb().runCommand('Proxbox: Try with a Simulated Cluster');
    await endpointRow().waitFor();
    if ((await endpointRow().getAttribute('aria-expanded')) !== 'true') await endpointRow().click();
    await syncsRow().waitFor();
    // The demo's own sync, and nothing else: no old runs, no continuous schedule restarted.
    const text = await waitForSyncs((t) => t === '1 recent', 'exactly the one new run', SLOW);
    await wb().page.waitForTimeout(3_000);
    assert.equal(await syncsText(), text, 'a schedule of the removed endpoint came back');
  });
});
