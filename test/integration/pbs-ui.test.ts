// A Proxmox Backup Server endpoint in a real VS Code: the simulator's PBS is added through the test API (its secret to
// SecretStorage, its lower-case fingerprint pinned), tested with the Test Connection command, synced, and the tree's
// Datastores, Jobs and Backup Groups are read back and compared with what the PBS itself answers to its own client.
import { strict as assert } from 'node:assert';
import * as vscode from 'vscode';
import { startSimulator, type RunningPbs, type RunningSimulator } from '../../src/sim';
import { PbsClient } from '../../src/core/pbs/client';
import { testing } from './extension';

type Snap = Awaited<ReturnType<Awaited<ReturnType<typeof testing>>['treeSnapshot']>>[number];
const find = (nodes: Snap[] | undefined, label: string | RegExp): Snap | undefined =>
  nodes?.find((n) => (typeof label === 'string' ? n.label === label : label.test(n.label)));

describe('ui: a Proxmox Backup Server endpoint', function () {
  this.timeout(120_000);
  let sim: RunningSimulator;
  let pbs: RunningPbs;
  let api: Awaited<ReturnType<typeof testing>>;
  const ID = 'pbs-ui';
  const NAME = 'PBS UI test';

  before(async () => {
    api = await testing();
    sim = await startSimulator({ seed: 13, nodes: 2, guests: 8, jobs: 3, pbs: true });
    assert.ok(sim.pbs, 'startSimulator({ pbs: true }) gave no PBS handle');
    pbs = sim.pbs;
    await vscode.commands.executeCommand('workbench.view.extension.proxbox');
  });

  after(async () => {
    await api?.removeEndpoint(ID).catch(() => undefined);
    await sim?.close();
  });

  it('stores the PBS endpoint with its kind, its secret in SecretStorage only, and marks its row .pbs', async () => {
    // PBS prints its fingerprint in lower case: the pin must work as given.
    assert.equal(pbs.fingerprint, pbs.fingerprint.toLowerCase());
    await api.addEndpoint({ id: ID, name: NAME, url: pbs.url, tokenId: pbs.tokenId, fingerprint: pbs.fingerprint, kind: 'pbs' }, pbs.tokenSecret);
    const stored = JSON.stringify(vscode.workspace.getConfiguration('proxbox').inspect<unknown[]>('endpoints')?.globalValue);
    assert.ok(stored.includes('"kind":"pbs"'), stored);
    assert.ok(!stored.includes(pbs.tokenSecret), 'the secret leaked into the settings');
    const ep = find(await api.treeSnapshot(), NAME);
    assert.ok(ep, 'the PBS endpoint is not in the tree');
    assert.match(ep.contextValue ?? '', /^proxbox\.endpoint(\.demo)?\.pbs$/);
    assert.match(ep.tooltip ?? '', /Proxmox Backup Server/);
    assert.ok(find(ep.children, 'Not synced yet'));
  });

  it('Test Connection reaches the PBS through the pinned certificate', async () => {
    const ok = await vscode.commands.executeCommand<boolean>('proxbox.endpoint.testConnection', ID);
    assert.equal(ok, true, api.outputLines().slice(-5).join('\n'));
    assert.ok(api.outputLines().some((l) => /Connection to PBS UI test .* works: Proxmox Backup Server /.test(l)));
  });

  it('syncs, then shows Datastores, Jobs and Backup Groups as the PBS lists them', async () => {
    const result = await api.sync(ID);
    assert.ok(result?.ok, `the sync failed: ${JSON.stringify(result)}`);
    api.flushTree();
    const ep = find(await api.treeSnapshot(8), NAME);
    assert.ok(ep?.children, 'the endpoint has no children');
    assert.equal(find(ep.children, 'Backup Jobs'), undefined, 'a PBS has no vzdump jobs group');
    assert.equal(find(ep.children, 'Guests'), undefined, 'a PBS has no guests group');

    const client = new PbsClient({ id: ID, name: NAME, url: pbs.url, tokenId: pbs.tokenId, fingerprint: pbs.fingerprint }, pbs.tokenSecret);
    try {
      const stores = await client.datastores();
      const datastores = find(ep.children, 'Datastores');
      assert.ok(datastores?.children, JSON.stringify(ep.children.map((c) => c.label)));
      assert.deepEqual(datastores.children.map((d) => d.label).sort(), stores.map((s) => s.store).sort());
      for (const d of datastores.children) {
        assert.match(d.description ?? '', /^([▰▱]{10} \d+ % · \S+ \S+ of \S+ \S+|usage unknown)/);
        assert.match(d.tooltip ?? '', /Estimated full: /);
      }

      const [prune, gc, verify, sync] = await Promise.all([client.pruneJobs(), client.gcJobs(), client.verifyJobs(), client.syncJobs()]);
      const jobs = find(ep.children, 'Jobs');
      assert.ok(jobs?.children);
      const expected = [...prune.map((j) => `Prune ${j.id}`), ...gc.map((j) => `Garbage collection ${j.store}`),
        ...verify.map((j) => `Verify ${j.id}`), ...sync.map((j) => `Sync ${j.id}`)];
      assert.deepEqual(jobs.children.map((j) => j.label).sort(), expected.sort());
      // The simulator's failed verify reads as a failure in PBS's words, with the problem icon.
      const failedVerify = verify.filter((j) => j.lastRunState && j.lastRunState.toLowerCase() !== 'ok');
      assert.ok(failedVerify.length > 0, 'the simulated PBS has no failed verify job');
      for (const j of failedVerify) {
        const row = find(jobs.children, `Verify ${j.id}`);
        assert.equal(row?.icon, 'error', JSON.stringify(row));
        assert.ok(row?.description?.includes(j.lastRunState!), JSON.stringify(row));
        assert.match(row?.contextValue ?? '', /^proxbox\.pbs\.job\.problem$/);
      }

      const groups = find(ep.children, 'Backup Groups');
      assert.ok(groups?.children?.length, 'no namespaces');
      assert.match(groups.children[0]!.label, /Root namespace$/, 'the root namespace comes first');
      const rows = groups.children.flatMap((n) => n.children ?? []);
      const listed = (await Promise.all(stores.map(async (s) => {
        const spaces = await client.namespaces(s.store);
        return (await Promise.all(spaces.map((n) => client.groups(s.store, n.ns)))).flat();
      }))).flat();
      assert.equal(rows.length, listed.length);
      for (const r of rows) assert.match(r.description ?? '', /^\d+ snapshots? · (newest .+|no snapshot)/);
    } finally {
      await client.close();
    }
  });

  it('counts failed or missed PBS jobs in the status bar, as the health report judges them', async () => {
    const reports = await api.health();
    const mine = reports.find((r) => r.endpointId === ID);
    assert.ok(mine, 'no health report for the PBS endpoint');
    const jobProblems = mine.report.jobs.filter((j) => j.problem).length;
    assert.ok(jobProblems > 0, `the failed verify is no job problem: ${JSON.stringify(mine.report.jobs)}`);
    const total = reports.reduce((n, r) => n + r.report.guests.filter((g) => g.status !== 'ok' && g.status !== 'excluded').length +
      r.report.jobs.filter((j) => j.problem).length, 0);
    const status = api.healthStatus();
    assert.equal(status.visible, true);
    assert.match(status.text, new RegExp(`\\b${total} backup problems?$`));
    const ep = find(await api.treeSnapshot(1), NAME);
    assert.match(ep?.description ?? '', new RegExp(`${jobProblems} backup problems?`));
  });
});
