// The packaged extension as a user meets it in the workbench: its activity-bar icon, the welcome view, the palette.
import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { repoRoot } from '../helpers/paths';
import { useWorkbench } from './workbench';

const manifest = JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8')) as {
  contributes: { commands: { title: string; category?: string }[] };
};

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

  it('lists every contributed command in the command palette', async () => {
    const labels = await wb().openPalette('Proxbox:');
    const expected = manifest.contributes.commands.map((c) => `${c.category ? `${c.category}: ` : ''}${c.title}`);
    assert.deepEqual(expected.filter((t) => !labels.includes(t)), [], `palette shows: ${labels.join(' | ')}`);
    await wb().screenshot('command-palette');
    await wb().closePalette();
  });

  it('runs "Proxbox: Add Endpoint" from F1', async () => {
    await wb().runCommand('Proxbox: Add Endpoint');
    await wb().notification('adding an endpoint is not available yet');
    await wb().screenshot('add-endpoint');
  });
});
