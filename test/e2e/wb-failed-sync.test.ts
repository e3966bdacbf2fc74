// An endpoint whose first sync failed, as a user meets it (issue 11, items 3 and 9): the Add Endpoint wizard's
// failure is a modal that keeps its choices (Save Anyway only because the host cannot be reached), and the endpoint
// then shows its state, "never synced" and after a sync "Last sync failed: …", not an empty, healthy cluster.
// Leaves nothing behind: the endpoint is removed at the end.
import { strict as assert } from 'node:assert';

import type { Locator } from 'playwright-core';
import { SLOW, useWorkbench } from './workbench';

const NAME = 'Unreachable lab';

describe('An endpoint whose first sync failed (issue 11, items 3 and 9)', function () {
  this.timeout(SLOW * 4);
  const endpointRow = () => wb().sidebar.locator('.monaco-list-row[aria-level="1"]', { hasText: NAME }).first();
  const childRows = () => wb().sidebar.locator('.monaco-list-row[aria-level="2"]');
  const dialog = () => wb().page.locator('.monaco-dialog-box');
  const dialogButton = (label: string): Locator => dialog().locator('.monaco-button', { hasText: label }).first();

  after(async () => {
    try {
      if (!(await endpointRow().isVisible())) return;
      // From the palette (one endpoint among several: it asks which), as a keyboard user would.
      await wb().runCommand('Proxbox: Remove Endpoint', { keepOpen: true });
      await wb().page.locator('.quick-input-widget input.input[placeholder="Endpoint to remove"]').waitFor();
      await wb().page.locator('.quick-input-list .monaco-list-row', { hasText: NAME }).first().click();
      await dialogButton('Remove').click();
      await endpointRow().waitFor({ state: 'detached' });
    } catch (e) {
      console.log(`    could not remove "${NAME}": ${(e as Error).message.split('\n')[0]} (${await wb().screenshot('failed-cleanup-unreachable-lab').catch(() => '')})`);
    }
  });
  const wb = useWorkbench();

  /** Collapses the other endpoints (an earlier file leaves the simulated cluster), so level-2 rows are this one's. */
  async function collapseOthers(): Promise<void> {
    const open = wb().sidebar.locator('.monaco-list-row[aria-level="1"][aria-expanded="true"]').filter({ hasNotText: NAME });
    while (await open.count()) await open.first().locator('.monaco-tl-twistie').click();
  }

  /** Types one step of the Add Endpoint wizard and goes on. */
  async function answer(step: string, value: string): Promise<void> {
    await wb().page.locator('.quick-input-widget', { hasText: `(${step}/5)` }).waitFor();
    await wb().page.locator('.quick-input-widget input.input').fill(value);
    await wb().page.keyboard.press('Enter');
  }

  it('offers Edit Again and Save Anyway in a modal for a host that cannot be reached, and saves only when asked', async () => {
    await wb().showViewContainer('Proxbox');
    await wb().runCommand('Proxbox: Add Endpoint', { keepOpen: true });
    // Step 1 is the kind: a Proxmox VE cluster.
    const kindRow = wb().page.locator('.quick-input-widget .quick-input-list .monaco-list-row', { hasText: 'Proxmox VE' }).first();
    await kindRow.waitFor();
    await kindRow.click();
    await answer('2', NAME);
    // Port 9 on this machine: nothing listens, the connection is refused at once.
    await answer('3', '127.0.0.1:9');
    await answer('4', 'root@pam!proxbox');
    await answer('5', '0b2f6d7e-5c1a-4e0b-9a3d-2f4c6b8e1a70');
    await dialog().waitFor();
    const text = await dialog().innerText();
    assert.match(text, /could not reach Unreachable lab/, `the modal does not say what happened: ${text}`);
    assert.equal(await dialogButton('Edit Again').count(), 1, 'no Edit Again');
    await dialogButton('Save Anyway').click();
    await endpointRow().waitFor();
  });

  it('shows "never synced" before its first sync, and no empty inventory groups', async () => {
    await wb().settled();
    await collapseOthers();
    assert.match(await endpointRow().innerText(), /never synced/);
    if ((await endpointRow().getAttribute('aria-expanded')) !== 'true') await endpointRow().click();
    await childRows().filter({ hasText: 'Not synced yet' }).first().waitFor();
    for (const group of ['Backup Jobs', 'Guests', 'Backup Health']) {
      assert.equal(await childRows().filter({ hasText: group }).count(), 0, `"${group}" is shown before any sync`);
    }
  });

  it('after a failed sync shows the cause in a short row with its fix, the failed run under Syncs, and still no empty groups', async () => {
    await wb().chooseFromContextMenu(endpointRow(), 'Sync Endpoint');
    const error = childRows().filter({ hasText: 'Last sync failed' }).first();
    await error.waitFor();
    assert.match(await error.innerText(), /connection refused|host unreachable/i, `the row does not name the cause: ${await error.innerText()}`);
    assert.match(await endpointRow().innerText(), /last sync failed/);
    await childRows().filter({ hasText: /Syncs/ }).filter({ hasText: '1 recent' }).first().waitFor();
    for (const group of ['Backup Jobs', 'Guests', 'Backup Health']) {
      assert.equal(await childRows().filter({ hasText: group }).count(), 0, `"${group}" is shown although no sync succeeded`);
    }
    await wb().runCommand('Notifications: Clear All Notifications');
    await wb().settled();
    await wb().screenshot('failed-first-sync');
  });
});
