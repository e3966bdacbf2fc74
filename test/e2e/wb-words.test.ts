// Issue 11, item 9 (part): the walkthrough shows the backup calendar and a backup job's details, and their buttons
// open them; the job's tab is named with its comment (or short id) and the endpoint's name (item 8).
import { strict as assert } from 'node:assert';
import { useWorkbench } from './workbench';

describe('words: the walkthrough opens the calendar and a backup job', () => {
  const wb = useWorkbench();

  it('has a step for each, whose button opens it', async function () {
    this.timeout(180_000);
    // Set up what the details step needs: a synced cluster (the demo is reused when it already runs).
    await wb().runCommand('Proxbox: Try with a Simulated Cluster');
    await wb().showViewContainer('Proxbox');
    const endpoint = wb().sidebar.locator('.monaco-list-row', { hasText: 'Simulated cluster' }).first();
    await endpoint.waitFor();
    if ((await endpoint.getAttribute('aria-expanded')) !== 'true') await endpoint.click();
    // Backup job rows show their next run once the demo's sync has filled the inventory.
    await wb().sidebar.locator('.monaco-list-row[aria-level="3"]', { hasText: /next in/ }).first().waitFor();

    const page = wb().page;
    // The walkthrough picker can close again while the page settles: open it until its input takes text.
    const walkthroughs = page.locator('.quick-input-widget input.input[placeholder="Select a walkthrough to open"]');
    for (let attempt = 1; ; attempt++) {
      await wb().openPalette('Welcome: Open Walkthrough');
      // The first row is the active one: Enter runs it whether or not the list has finished drawing.
      await page.keyboard.press('Enter');
      // Open long enough to be typed into: a picker that closes again in between is opened again.
      if (await walkthroughs.fill('Get started with Proxbox', { timeout: 5_000 }).then(() => true, () => false)) break;
      if (attempt === 3) throw new Error('the walkthrough picker never stayed open');
      await page.keyboard.press('Escape');
    }
    // The list may still be drawing its row when it is already the active one: Enter picks it either way.
    await page.locator('.quick-input-list .monaco-list-row', { hasText: 'Get started with Proxbox' }).first().waitFor({ state: 'attached' });
    await page.keyboard.press('Enter');
    const walkthrough = page.locator('.gettingStartedContainer');
    // Exact: the walkthrough's own description also says "see when every backup runs".
    const calendarStep = walkthrough.getByText('See when every backup runs', { exact: true }).first();
    await calendarStep.waitFor();
    await calendarStep.click();
    // A role query finds only the expanded step's button, not the hidden ones of the other steps.
    await walkthrough.getByRole('button', { name: 'Open Backup Calendar', exact: true }).click();
    await page.locator('.tab', { hasText: 'Backup Calendar' }).first().waitFor();

    await page.locator('.tab', { hasText: /Welcome|Walkthrough|Get started/ }).first().click();
    await walkthrough.getByText('Open a backup job\'s details', { exact: true }).first().click();
    const pick = page.locator('.quick-input-widget');
    const first = pick.locator('.quick-input-list .monaco-list-row:visible').first();
    let label = '';
    // A click, not Enter: the keyboard may still be on the walkthrough's button when the pick opens (then Enter
    // pressed the button again instead of picking). The pick keeps itself open when the focus moves (the product
    // asks for that); should it still close before the click lands, the button is pressed again.
    for (let attempt = 1; ; attempt++) {
      await walkthrough.getByRole('button', { name: 'Open Backup Job Details', exact: true }).click();
      await pick.getByText('Open Backup Job', { exact: true }).first().waitFor();
      label = (await first.locator('.label-name').innerText()).trim();
      if (await first.click({ timeout: 10_000 }).then(() => true, () => false)) break;
      if (attempt === 3) throw new Error(`the backup job pick closed three times before a job could be chosen (${await wb().describeScreen()})`);
    }
    assert.doesNotMatch(label, /^backup-[0-9a-f]{8}-[0-9a-f]{4}$/, 'the pick list names the job by its Proxmox id');
    const tab = page.locator('.tab', { hasText: `${label} · Simulated cluster` }).first();
    await tab.waitFor();
    await wb().screenshot('walkthrough-job-details');
    await wb().runCommand('View: Close All Editors');
  });
});
