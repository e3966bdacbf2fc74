// The packaged extension as a user meets it in the workbench: its activity-bar icon, the welcome view, the palette.
import { strict as assert } from 'node:assert';
import { readManifest } from '../helpers/manifest';
import { metric, useWorkbench, type Workbench } from './workbench';

interface Manifest {
  displayName: string;
  contributes: { commands: { command: string; title: string; category?: string }[]; menus?: { commandPalette?: { command: string; when?: string }[] } };
}
const manifest = readManifest<Manifest>();

describe('Proxbox in the workbench', () => {
  const wb = useWorkbench();

  it('opens from its activity-bar icon and shows the welcome view with its buttons', async () => {
    await wb().showViewContainer('Proxbox');
    const sidebar = wb().sidebar;
    await sidebar.getByText('No Proxmox endpoint yet.').waitFor();
    for (const button of ['Add Endpoint', 'Try with a Simulated Cluster']) {
      assert.equal(await sidebar.locator('.welcome-view .monaco-button', { hasText: button }).count(), 1, `no "${button}" button`);
    }
    await wb().settled();
    await wb().screenshot('sidebar-welcome');
  });

  // Issue 11, item 8: before any endpoint exists the palette offers only what applies then (Add Endpoint, Try with a
  // Simulated Cluster, Show Log); every other command has a when-clause (endpoints, syncs) and stays out of it.
  it('offers only the commands that apply before any endpoint exists, and hides the rest until they do', async () => {
    const gated = new Set((manifest.contributes.menus?.commandPalette ?? []).filter((m) => m.when !== undefined).map((m) => m.command));
    const title = (c: { title: string; category?: string }) => `${c.category ? `${c.category}: ` : ''}${c.title}`;
    const offered = manifest.contributes.commands.filter((c) => !gated.has(c.command)).map(title);
    assert.ok(offered.includes('Proxbox: Add Endpoint') && offered.includes('Proxbox: Try with a Simulated Cluster'), offered.join(' | '));
    assert.ok(offered.length <= 5, `too many commands before an endpoint exists: ${offered.join(' | ')}`);
    const missing: string[] = [];
    for (const t of offered) {
      const labels = await wb().openPalette(t);
      if (!labels.includes(t)) missing.push(`${t} (palette shows: ${labels.slice(0, 3).join(' | ') || 'nothing'})`);
    }
    assert.deepEqual(missing, []);
    // Of our commands, the palette lists under "Proxbox:" only those: no Cancel Sync, no Edit Endpoint. (VS Code adds
    // its own, such as "Proxbox: Focus on Endpoints View".)
    const ours = new Set(manifest.contributes.commands.map(title));
    const shown = [...new Set((await wb().openPalette('Proxbox:')).filter((l) => ours.has(l)))];
    assert.deepEqual(shown.filter((l) => !offered.includes(l)), [], 'commands that cannot act yet are offered');
    assert.ok(shown.length > 0, 'the palette shows no Proxbox command at all');
    await wb().screenshot('command-palette');
    await wb().closePalette();
  });

  it('starts the Add Endpoint wizard from F1', async () => {
    await wb().runCommand('Proxbox: Add Endpoint', { keepOpen: true });
    const input = wb().page.locator('.quick-input-widget');
    await input.getByText('Add Proxmox Endpoint').waitFor();
    // First the kind: a Proxmox VE cluster or a Proxmox Backup Server.
    await input.locator('.quick-input-list .monaco-list-row', { hasText: 'Proxmox Backup Server' }).waitFor();
    await input.locator('.quick-input-list .monaco-list-row', { hasText: 'Proxmox VE' }).first().click();
    await input.getByText('A name for this cluster').waitFor();
    await wb().screenshot('add-endpoint');
    await wb().closePalette();
  });

  it('is listed as activated in Running Extensions, with the time VS Code measured', async () => {
    // The Running Extensions editor shows VS Code's own activation time for each extension.
    const row = await wb().runningExtension(manifest.displayName);
    const time = (await row.locator('.activation-time').innerText()).trim();
    assert.match(time, /\d+\s*ms/, `no activation time shown for ${manifest.displayName}: "${time}"`);
    metric('activation (VS Code Running Extensions)', `${time} (${(await row.locator('.activation-time').getAttribute('title')) ?? ''})`.replace(/ \(\)$/, ''));
    await wb().runCommand('View: Close All Editors');
  });

  // Last: it adds an endpoint, after which the welcome view is gone for the rest of this workbench's tests.
  it('"Try with a Simulated Cluster" in the welcome view syncs a simulated cluster into the tree', async () => {
    await wb().showViewContainer('Proxbox');
    const sidebar = wb().sidebar;
    await sidebar.locator('.welcome-view .monaco-button', { hasText: 'Try with a Simulated Cluster' }).click();
    const endpoint = sidebar.locator('.monaco-list-row', { hasText: 'Simulated cluster' });
    await endpoint.waitFor();
    if ((await endpoint.getAttribute('aria-expanded')) !== 'true') await endpoint.click();
    const routines = sidebar.locator('.monaco-list-row', { hasText: 'Backup Jobs' });
    await routines.waitFor();
    // Backup job rows sit right under "Backup Jobs" once the sync has filled the inventory; an enabled one shows
    // when it runs next, which needs the schedule engine to work inside the packaged bundle.
    await sidebar.locator('.monaco-list-row[aria-level="3"]', { hasText: /next in/ }).first().waitFor();
    await wb().settled();
    await wb().setSidebarWidth(560);
    await wb().screenshot('demo-tree');
  });

  // Webviews render in nested iframes; their text is read from there, as a user sees it.
  const webview = (): ReturnType<Workbench['page']['frameLocator']> =>
    wb().page.frameLocator('iframe.webview.ready').frameLocator('iframe#active-frame');

  it('opens a routine\'s detail from the tree, with its schedule in words and its next runs', async () => {
    const sidebar = wb().sidebar;
    const routine = sidebar.locator('.monaco-list-row[aria-level="3"]', { hasText: /next in/ }).first();
    await routine.click();
    const heading = webview().locator('h1', { hasText: /Backup job/ });
    await heading.waitFor();
    await webview().getByText(/Next \d+ runs/).first().waitFor();
    await wb().settled();
    await wb().screenshot('routine-detail');
  });

  it('opens the backup calendar from the palette, with today marked and runs of the synced routines', async () => {
    await wb().runCommand('Proxbox: Open Backup Calendar');
    await wb().page.locator('.tab', { hasText: 'Backup Calendar' }).waitFor();
    await webview().locator('.toolbar h1').waitFor();
    await webview().locator('.today-mark', { hasText: 'Today' }).first().waitFor();
    // The health notification of the demo's sync was seen in the tree's screenshot; here it would hide the month.
    await wb().runCommand('Notifications: Clear All Notifications');
    await wb().settled();
    await wb().screenshot('backup-calendar');
  });

  it('opens Backup Health from the palette, problems first, with the runs of each job', async () => {
    await wb().runCommand('Proxbox: Open Backup Health');
    await wb().page.locator('.tab', { hasText: 'Backup Health' }).waitFor();
    // The simulated cluster is the health scenario: a guest whose backup failed, with Proxmox's words.
    await webview().getByText(/No space left on device/).first().waitFor();
    await wb().settled();
    await wb().screenshot('backup-health');
  });
});
