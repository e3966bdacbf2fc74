// The sidebar, the output channel and the status bar in a real VS Code: a simulated cluster is added through the
// test API (its secret goes to SecretStorage like in the wizard), synced, and the tree is read back as data.
import { strict as assert } from 'node:assert';
import * as vscode from 'vscode';
import { startSimulator, type RunningSimulator } from '../../src/sim';
import { testing } from './extension';

type Snap = Awaited<ReturnType<Awaited<ReturnType<typeof testing>>['treeSnapshot']>>[number];
const find = (nodes: Snap[] | undefined, label: string | RegExp): Snap | undefined =>
  nodes?.find((n) => (typeof label === 'string' ? n.label === label : label.test(n.label)));

describe('ui: tree, output channel and status bar', function () {
  this.timeout(90_000);
  let sim: RunningSimulator;
  let api: Awaited<ReturnType<typeof testing>>;
  const GOOD = 'ui-sim';
  const BAD = 'ui-sim-wrong-token';

  before(async () => {
    api = await testing();
    sim = await startSimulator({ seed: 11, nodes: 3, guests: 14, jobs: 4 });
    await vscode.commands.executeCommand('workbench.view.extension.proxbox');
  });

  after(async () => {
    await api?.removeEndpoint(GOOD).catch(() => undefined);
    await api?.removeEndpoint(BAD).catch(() => undefined);
    await sim?.close();
  });

  it('stores the endpoint in the application setting and its secret in SecretStorage only', async () => {
    await api.addEndpoint({ id: GOOD, name: 'UI test cluster', url: sim.url, tokenId: sim.tokenId, fingerprint: sim.fingerprint }, sim.tokenSecret);
    const inspected = vscode.workspace.getConfiguration('proxbox').inspect<unknown[]>('endpoints');
    const stored = JSON.stringify(inspected?.globalValue);
    assert.ok(stored.includes(GOOD), 'the endpoint is not in the user settings');
    assert.ok(!stored.includes(sim.tokenSecret), 'the secret leaked into the settings');
    assert.equal(inspected?.workspaceValue, undefined);
    const tree = await api.treeSnapshot();
    const ep = find(tree, 'UI test cluster');
    assert.ok(ep, JSON.stringify(tree));
    assert.ok(find(ep.children, 'Not synced yet'), 'an unsynced endpoint offers to sync');
  });

  it('syncs, then shows routines, guests by node and the finished job with its stages', async () => {
    const result = await api.sync(GOOD);
    assert.ok(result?.ok, `the sync failed: ${JSON.stringify(result)}`);
    const ep = find(await api.treeSnapshot(), 'UI test cluster');
    assert.ok(ep?.children, 'the endpoint has no children');

    const routines = find(ep.children, 'Backup Jobs');
    assert.ok(routines?.children, JSON.stringify(ep.children));
    assert.equal(routines.children.length, sim.cluster.jobs.length);
    for (const r of routines.children) {
      assert.match(r.contextValue ?? '', /^proxbox\.routine\.(active|disabled|stale)$/);
      assert.match(r.tooltip ?? '', /Schedule: /);
    }
    const disabled = sim.cluster.jobs.filter((j) => j.enabled === 0).length;
    assert.equal(routines.children.filter((r) => r.contextValue === 'proxbox.routine.disabled').length, disabled);

    const guests = find(ep.children, 'Guests');
    assert.match(guests?.description ?? '', new RegExp(`^${sim.cluster.guests.length} \\(`));
    const nodeNames = [...new Set(sim.cluster.guests.map((g) => g.node))].sort();
    assert.deepEqual(guests?.children?.map((n) => n.label).sort(), nodeNames);
    const total = guests!.children!.reduce((n, g) => n + (g.children?.length ?? 0), 0);
    assert.equal(total, sim.cluster.guests.length);

    const jobs = find(ep.children, 'Syncs');
    const run = jobs?.children?.[0];
    assert.ok(run, JSON.stringify(jobs));
    assert.equal(run.icon, 'pass');
    assert.match(run.description ?? '', /^completed/);
    assert.equal(run.children?.filter((c) => c.contextValue?.startsWith('proxbox.stage.')).length, 12);
    assert.ok(run.children?.every((c) => !c.contextValue?.startsWith('proxbox.stage.') || /completed|skipped/.test(c.description ?? '')));
  });

  it('writes one readable line per event to the output channel, and never the secret', () => {
    const lines = api.outputLines();
    assert.ok(lines.some((l) => /\[UI test cluster\] Devices \(nodes, cluster\): completed, \d+ items?.* in \d/.test(l)), lines.join('\n'));
    assert.ok(lines.some((l) => /\[UI test cluster\] Backup jobs: completed/.test(l)));
    assert.ok(lines.some((l) => /\[UI test cluster\] sync finished OK/.test(l)));
    assert.ok(lines.every((l) => /^\d\d:\d\d:\d\d \[(trace|debug|info|warn|error)\] /.test(l)), 'every line is timestamped');
    assert.ok(lines.every((l) => !l.includes(sim.tokenSecret)));
  });

  it('shows the last result in the status bar', () => {
    const s = api.statusBar();
    assert.match(s.text, /^\$\(check\) Proxbox: synced \d\d:\d\d/);
    assert.match(s.tooltip, /UI test cluster succeeded/);
  });

  it('a wrong token ends in an error item with the cause and a Fix action, not a blank tree', async () => {
    await api.addEndpoint({ id: BAD, name: 'Wrong token', url: sim.url, tokenId: sim.tokenId, fingerprint: sim.fingerprint }, '00000000-0000-0000-0000-000000000000');
    const result = await api.sync(BAD);
    assert.equal(result?.ok, false);
    const ep = find(await api.treeSnapshot(), 'Wrong token');
    const error = find(ep?.children, /^Last sync failed: /);
    assert.ok(error, JSON.stringify(ep));
    assert.equal(error.contextValue, 'proxbox.error');
    assert.equal(error.description, 'Edit Endpoint…');
    assert.match(error.tooltip ?? '', /token/i);
    assert.match(api.statusBar().text, /sync failed/);
    assert.ok(api.outputLines().some((l) => /\[Wrong token\].*authentication/.test(l)));
  });

  it('removing an endpoint removes its secret, its tree and its sync jobs with their history', async () => {
    assert.ok(api.jobsOf(BAD).length > 0, 'the failed sync of the endpoint left no job to remove');
    await api.removeEndpoint(BAD);
    assert.deepEqual(api.jobsOf(BAD), [], 'its jobs outlived the endpoint');
    assert.equal(find(await api.treeSnapshot(), 'Wrong token'), undefined);
    assert.ok(!api.listEndpoints().some((e) => e.id === BAD));
  });
});
