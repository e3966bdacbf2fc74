// Issue 14 in a real VS Code: an endpoint with a NetBox target writes its inventory to NetBox after each sync. The
// NetBox is the schema-validating fake (test/helpers/netbox), started in this extension host; the Proxmox side is the
// simulator. What the user sees (the tree's rows and tooltip, the output channel) is read back as data.
import { strict as assert } from 'node:assert';
import * as vscode from 'vscode';
import { startSimulator, type RunningSimulator } from '../../src/sim';
import { startFakeNetBox, type FakeNetBox } from '../helpers/netbox/server';
import { fullRun, startSseBackend, type SseBackend } from '../helpers/sseBackend';
import { testing } from './extension';

type Snap = Awaited<ReturnType<Awaited<ReturnType<typeof testing>>['treeSnapshot']>>[number];
const VMS = '/api/virtualization/virtual-machines/';

describe('NetBox target: each sync of the endpoint writes the differences to NetBox', function () {
  this.timeout(120_000);
  let sim: RunningSimulator;
  let nb: FakeNetBox;
  let api: Awaited<ReturnType<typeof testing>>;
  const ID = 'netbox-target-cluster';
  const NAME = 'NetBox target cluster';

  const endpointRow = async (): Promise<Snap> => {
    const tree = await api.treeSnapshot(4);
    const ep = tree.find((n) => n.label === NAME);
    assert.ok(ep, JSON.stringify(tree.map((n) => n.label)));
    return ep;
  };
  const writes = () => nb.requests.filter((r) => r.method !== 'GET').length;

  before(async () => {
    api = await testing();
    sim = await startSimulator({ seed: 31, nodes: 2, guests: 5, jobs: 2, pveVersion: '9.1' });
    nb = await startFakeNetBox({ version: '4.6' });
    await api.addEndpoint({ id: ID, name: NAME, url: sim.url, tokenId: sim.tokenId, fingerprint: sim.fingerprint }, sim.tokenSecret);
    await api.setNetBox(ID, { url: nb.url, fingerprint: nb.fingerprint, site: 'VS Code site' }, nb.token);
    await vscode.commands.executeCommand('workbench.view.extension.proxbox');
  });

  after(async () => {
    await api?.removeEndpoint(ID).catch(() => undefined);
    await nb?.close();
    await sim?.close();
  });

  it('a sync writes the guests to NetBox (schema-valid requests), and the output channel names what it wrote', async () => {
    const result = await api.sync(ID);
    assert.equal(result?.ok, true, JSON.stringify(result));
    const vms = nb.all(VMS);
    assert.equal(vms.length, sim.cluster.guests.length);
    assert.deepEqual(nb.violations, []);
    const lines = api.outputLines().join('\n');
    assert.match(lines, /NetBox virtual machines: summary — created 5/);
    assert.match(lines, /NetBox: completed/);
    assert.equal(lines.includes(nb.token), false, 'the NetBox token leaked into the output channel');
  });

  it('the endpoint row names its NetBox target and offers Open in NetBox on it and on its guests', async () => {
    api.flushTree();
    const ep = await endpointRow();
    assert.match(ep.contextValue ?? '', /\.netbox$/);
    assert.match(ep.tooltip ?? '', /NetBox: .*site VS Code site/);
    const guests = ep.children?.find((c) => c.label === 'Guests');
    const guestRows = (guests?.children ?? []).flatMap((n) => n.children ?? []);
    assert.ok(guestRows.length > 0, JSON.stringify(guests));
    assert.ok(guestRows.every((g) => /^proxbox\.guest\.(qemu|lxc)\.netbox$/.test(g.contextValue ?? '')), JSON.stringify(guestRows.map((g) => g.contextValue)));
  });

  it('a second sync with no change in Proxmox makes no write to NetBox', async () => {
    nb.requests.length = 0;
    const result = await api.sync(ID);
    assert.equal(result?.ok, true, JSON.stringify(result));
    assert.ok(nb.requests.length > 0);
    assert.equal(writes(), 0);
  });

  it('without a target the sync sends NetBox nothing', async () => {
    await api.setNetBox(ID, undefined);
    nb.requests.length = 0;
    const result = await api.sync(ID);
    assert.equal(result?.ok, true, JSON.stringify(result));
    assert.equal(nb.requests.length, 0);
    assert.equal(api.listEndpoints().find((e) => e.id === ID)?.netbox, undefined);
  });
});

describe('proxbox-api backend (remote mode): its syncs show like our own', function () {
  this.timeout(60_000);
  let backend: SseBackend;
  let api: Awaited<ReturnType<typeof testing>>;
  const ID = 'remote-backend';
  const NAME = 'Remote proxbox-api';

  before(async () => {
    api = await testing();
    backend = await startSseBackend({ 'full-update/stream': fullRun() });
    await api.addEndpoint({ id: ID, name: NAME, url: backend.url, tokenId: '', backend: 'proxbox-api' }, backend.apiKey);
  });

  after(async () => {
    await api?.removeEndpoint(ID).catch(() => undefined);
    await backend?.close();
  });

  it('a sync streams the backend\'s events into the run, the output channel and the tree, with the key sent and never shown', async () => {
    const result = await api.sync(ID);
    assert.equal(result?.ok, true, JSON.stringify(result));
    assert.equal(backend.requests.length, 1);
    assert.equal(backend.requests[0].apiKey, backend.apiKey);
    const run = api.runs().find((r) => r.endpointId === ID);
    assert.ok(run?.lines.some((l) => /Virtual machines: completed/.test(l)), JSON.stringify(run?.lines.slice(0, 20)));
    const out = api.outputLines().join('\n');
    assert.equal(out.includes(backend.apiKey), false, 'the API key leaked into the output channel');
    api.flushTree();
    const ep = (await api.treeSnapshot(3)).find((n) => n.label === NAME);
    assert.ok(ep, 'the backend endpoint is not in the tree');
    assert.match(ep.description ?? '', /^proxbox-api · /);
    assert.ok(ep.children?.some((c) => c.label === 'Syncs run in proxbox-api'), JSON.stringify(ep.children?.map((c) => c.label)));
    assert.ok(ep.children?.some((c) => c.label === 'Syncs'), JSON.stringify(ep.children?.map((c) => c.label)));
  });
});
