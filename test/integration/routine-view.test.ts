// The routine detail in a real VS Code (issue 11, items 4 and 7): the setting proxbox.times.zone chooses the zone the
// page shows times in, "Next run" agrees with the simulated Proxmox's next-run, and a sync through the command the
// view's "Sync now" runs leaves the page showing the new inventory and its synced time.
import { strict as assert } from 'node:assert';
import * as vscode from 'vscode';
import { startSimulator, type RunningSimulator, type SimBackupJob } from '../../src/sim';
import { testing } from './extension';

const ENDPOINT = 'routine-view-sim';

describe('routine detail view: zones and Sync now (issue 11)', function () {
  this.timeout(90_000);
  let sim: RunningSimulator;
  let job: SimBackupJob;
  let api: Awaited<ReturnType<typeof testing>>;
  const render = (until: (t: string) => boolean) => api.webviews.waitForRoutineRender(ENDPOINT, job.id, until, 30_000);

  before(async () => {
    api = await testing();
    sim = await startSimulator({ seed: 11, nodes: 2, guests: 6, jobs: 3 });
    // The case: the nodes run in Tokyo, far from where the tests run.
    for (const n of sim.cluster.nodes) n.timezone = 'Asia/Tokyo';
    job = sim.cluster.jobs.find((j) => j.enabled === 1) ?? sim.cluster.jobs[0];
    job.comment = 'Nightly backup';
    await api.addEndpoint({ id: ENDPOINT, name: 'Routine view cluster', url: sim.url, tokenId: sim.tokenId, fingerprint: sim.fingerprint }, sim.tokenSecret);
    const result = await api.sync(ENDPOINT);
    assert.ok(result?.ok, `the sync failed: ${JSON.stringify(result)}`);
  });

  after(async () => {
    await vscode.workspace.getConfiguration('proxbox').update('times.zone', undefined, vscode.ConfigurationTarget.Global);
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    await api?.removeEndpoint(ENDPOINT).catch(() => undefined);
    await sim?.close();
  });

  it('shows Next run and the next runs in the chosen zone, named, and as one instant with Proxmox\'s', async () => {
    await vscode.commands.executeCommand('proxbox.routine.open', ENDPOINT, job.id);
    let text = await render((t) => t.includes('Raw configuration') && /your time/.test(t));
    assert.match(text, /Next 10 runs \([A-Za-z_/+-]+, your time\)/);
    const nextRun = /Next run\s+(.*)/.exec(text)?.[1] ?? '';
    assert.doesNotMatch(nextRun, /differ/, `Proxmox's next run and the computed one disagree: ${nextRun}`);
    assert.match(nextRun, /Asia\/Tokyo/, `the node's time is not named: ${nextRun}`);
    await vscode.workspace.getConfiguration('proxbox').update('times.zone', 'node', vscode.ConfigurationTarget.Global);
    text = await render((t) => /the node's time/.test(t));
    assert.match(text, /Next 10 runs \(Asia\/Tokyo, the node's time\)/);
    assert.match(/Next run\s+(.*)/.exec(text)?.[1] ?? '', /^\w{3} \d+ \w{3} \d{4}, \d\d:\d\d Asia\/Tokyo \(/);
    await vscode.workspace.getConfiguration('proxbox').update('times.zone', undefined, vscode.ConfigurationTarget.Global);
    await render((t) => /your time/.test(t));
  });

  it('shows the new inventory and its synced time after a sync through the command "Sync now" runs', async () => {
    await vscode.commands.executeCommand('proxbox.routine.open', ENDPOINT, job.id);
    const before = await render((t) => t.includes('Nightly backup'));
    assert.match(before, /Inventory synced/);
    job.comment = 'Renamed in Proxmox';
    // What the view's "Sync now" request does (RoutineActions.syncEndpoint): the command, with the endpoint's id.
    await vscode.commands.executeCommand('proxbox.sync.endpoint', ENDPOINT);
    const after = await render((t) => t.includes('Renamed in Proxmox'));
    const synced = /Inventory synced\s+(.*)/.exec(after)?.[1] ?? '';
    assert.match(synced, /\((now|1 min ago)\)$/, `the synced time is not the new one: ${synced}`);
    assert.ok(!after.includes('Nightly backup'), 'the old comment is still shown');
  });
});
