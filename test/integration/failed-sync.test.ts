// Issue 11, item 3, in a real VS Code: an endpoint whose syncs never succeeded must not look like an empty, healthy
// cluster. The simulator answers a wrong secret with 401 as PVE 9.1 does ("Authentication failed!"); the tree is read
// back as data, as the sidebar shows it.
import { strict as assert } from 'node:assert';
import * as vscode from 'vscode';
import { startSimulator, type RunningSimulator } from '../../src/sim';
import { testing } from './extension';

type Snap = Awaited<ReturnType<Awaited<ReturnType<typeof testing>>['treeSnapshot']>>[number];
const find = (nodes: Snap[] | undefined, label: string | RegExp): Snap | undefined =>
  nodes?.find((n) => (typeof label === 'string' ? n.label === label : label.test(n.label)));
const labels = (n: Snap | undefined) => (n?.children ?? []).map((c) => c.label);
const WRONG = '00000000-0000-0000-0000-000000000000';
/** The groups a cluster's inventory shows; none of them may stand for a cluster nobody could read. */
const INVENTORY_GROUPS = ['Backup Jobs', 'Guests', 'Backup Health'];

describe('failed first sync: the tree shows the endpoint\'s state, not an empty cluster', function () {
  this.timeout(90_000);
  let sim: RunningSimulator;
  let api: Awaited<ReturnType<typeof testing>>;
  const NEVER = 'failed-sync-never';
  const BAD = 'failed-sync-bad-secret';
  const LATER = 'failed-sync-after-success';
  const endpoint = (id: string, name: string) => ({ id, name, url: sim.url, tokenId: sim.tokenId, fingerprint: sim.fingerprint });
  const node = async (name: string) => {
    const tree = await api.treeSnapshot();
    const ep = find(tree, name);
    assert.ok(ep, `${name} is not in the tree: ${JSON.stringify(tree.map((n) => n.label))}`);
    return ep;
  };

  before(async () => {
    api = await testing();
    sim = await startSimulator({ seed: 23, nodes: 2, guests: 6, jobs: 3, pveVersion: '9.1' });
    await vscode.commands.executeCommand('workbench.view.extension.proxbox');
  });

  after(async () => {
    for (const id of [NEVER, BAD, LATER]) await api?.removeEndpoint(id).catch(() => undefined);
    await sim?.close();
  });

  it('an endpoint never synced says so and offers Sync Now, with no inventory groups and no empty Syncs', async () => {
    await api.addEndpoint(endpoint(NEVER, 'Never synced cluster'), sim.tokenSecret);
    const ep = await node('Never synced cluster');
    assert.match(ep.description ?? '', /· never synced$/);
    const row = find(ep.children, 'Not synced yet');
    assert.ok(row, JSON.stringify(ep.children));
    assert.match(row.description ?? '', /never synced · click to sync now/);
    for (const g of [...INVENTORY_GROUPS, 'Syncs']) assert.ok(!labels(ep).includes(g), `"${g}" shown before any sync: ${labels(ep).join(', ')}`);
  });

  it('a wrong secret: "last sync failed" with a short label, the whole cause once in the tooltip, Edit Endpoint, and the failed run', async () => {
    await api.addEndpoint(endpoint(BAD, 'Wrong secret cluster'), WRONG);
    const result = await api.sync(BAD);
    assert.equal(result?.ok, false, JSON.stringify(result));
    assert.equal(result?.error?.category, 'authentication');
    const ep = await node('Wrong secret cluster');
    assert.match(ep.description ?? '', /· last sync failed$/);

    for (const g of INVENTORY_GROUPS) assert.ok(!labels(ep).includes(g), `an empty "${g}" reads as a healthy cluster: ${labels(ep).join(', ')}`);
    assert.ok(!find(ep.children, 'Not synced yet'), 'it did sync, and failed');

    const error = find(ep.children, /^Last sync failed/);
    assert.ok(error, JSON.stringify(ep.children));
    assert.equal(error.label, 'Last sync failed: API token rejected');
    assert.equal(error.contextValue, 'proxbox.error');
    assert.equal(error.description, 'Edit Endpoint…');
    // The tooltip is markdown with every foreign character escaped; read it as the user does.
    const tooltip = (error.tooltip ?? '').replace(/\\(.)/g, '$1');
    assert.match(tooltip, /rejected the API token \(HTTP 401 for GET \S+ on Wrong secret cluster\)/);
    assert.match(tooltip, /privilege separation/);
    assert.equal((tooltip.match(/authentication failed/gi) ?? []).length, 0, `the cause is said twice:\n${tooltip}`);

    const jobs = find(ep.children, 'Syncs');
    assert.ok(jobs, `the failed run is not listed: ${labels(ep).join(', ')}`);
    assert.match(jobs.description ?? '', /1 recent/);
    const run = jobs.children?.[0];
    assert.equal(run?.icon, 'error', JSON.stringify(jobs.children));
    assert.ok(run?.children?.some((c) => c.contextValue === 'proxbox.error' && /authentication/.test(c.label)), JSON.stringify(run?.children));
  });

  it('a failure after a success keeps the last good inventory, under an error row that is readable whole', async () => {
    await api.addEndpoint(endpoint(LATER, 'Later failing cluster'), sim.tokenSecret);
    const ok = await api.sync(LATER);
    assert.ok(ok?.ok, `the first sync failed: ${JSON.stringify(ok)}`);
    await api.addEndpoint(endpoint(LATER, 'Later failing cluster'), WRONG);
    const failed = await api.sync(LATER);
    assert.equal(failed?.ok, false, JSON.stringify(failed));

    const ep = await node('Later failing cluster');
    assert.match(ep.description ?? '', /· last sync failed/);
    const error = ep.children?.[0];
    assert.equal(error?.label, 'Last sync failed: API token rejected', 'the error row comes first');
    assert.match((error?.tooltip ?? '').replace(/\\(.)/g, '$1'), /rejected the API token/);

    const routines = find(ep.children, 'Backup Jobs');
    assert.equal(routines?.children?.length, sim.cluster.jobs.length, 'the routines of the last good sync are gone');
    assert.match(find(ep.children, 'Guests')?.description ?? '', new RegExp(`^${sim.cluster.guests.length} \\(`));
    const jobs = find(ep.children, 'Syncs');
    assert.match(jobs?.description ?? '', /2 recent/);
    assert.deepEqual(jobs?.children?.slice(0, 2).map((j) => j.icon), ['error', 'pass'], 'newest first: the failure, then the success');
  });
});
