// The NetBox sink end to end: the Proxmox simulator (real HTTPS, real API shapes) synced through the pipeline with a
// netbox step into the schema-validating fake NetBox (test/helpers/netbox). Every request body and every response is
// checked against NetBox's official OpenAPI schema by the fake; each test also asserts it found no violation.
import { strict as assert } from 'node:assert';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startSimulator, type RunningSimulator } from '../../../src/sim';
import { runSync, type CompleteData, type PipelineEvent } from '../../../src/core/pipeline';
import { netboxSinkFor, type NetBoxTargetSettings, type PlannedWrite } from '../../../src/core/netbox';
import type { EndpointRef } from '../../../src/core/inventory/model';
import { startFakeNetBox, type FakeNetBox } from '../../helpers/netbox/server';

const VMS = '/api/virtualization/virtual-machines/';
const DEVICES = '/api/dcim/devices/';
const IPS = '/api/ipam/ip-addresses/';
const VMIFS = '/api/virtualization/interfaces/';

type Obj = Record<string, unknown> & { id: number };
const cf = (o: Obj, name: string): unknown => {
  const v = (o.custom_fields as Record<string, unknown> | undefined)?.[name];
  return v && typeof v === 'object' && 'value' in (v as object) ? (v as { value: unknown }).value : v;
};
const idOf = (v: unknown): unknown => (v && typeof v === 'object' ? (v as { id?: unknown }).id : v);
const ours = (o: Obj, endpoint: string): boolean => cf(o, 'proxbox_endpoint') === endpoint;

describe('NetBox sink (simulator → pipeline → schema-validating NetBox)', function () {
  this.timeout(120_000);
  let sim: RunningSimulator;
  let nb: FakeNetBox;
  let store: string;
  let endpoint: EndpointRef;

  beforeEach(async () => {
    sim = await startSimulator({ seed: 11, nodes: 3, guests: 24, jobs: 4 });
    nb = await startFakeNetBox({ version: '4.6' });
    store = mkdtempSync(join(tmpdir(), 'proxbox-nb-'));
    endpoint = { id: 'lab', name: 'Lab', url: sim.url, tokenId: sim.tokenId, fingerprint: sim.fingerprint };
  });
  afterEach(async () => {
    await sim.close();
    await nb.close();
    rmSync(store, { recursive: true, force: true });
  });

  function target(extra: Partial<NetBoxTargetSettings> = {}): NetBoxTargetSettings {
    return { url: nb.url, fingerprint: nb.fingerprint, site: 'Lab site', ...extra };
  }

  async function sync(opts: { ep?: EndpointRef; simulator?: RunningSimulator; token?: string; target?: Partial<NetBoxTargetSettings>; plan?: (w: PlannedWrite) => void; stages?: string[] } = {}): Promise<{ complete: CompleteData; events: PipelineEvent[] }> {
    const ep = opts.ep ?? endpoint;
    const s = opts.simulator ?? sim;
    const events: PipelineEvent[] = [];
    const token = opts.token ?? nb.token;
    const complete = await runSync({
      endpoint: ep, secret: s.tokenSecret, store, onEvent: (e) => events.push(e), options: { timeoutMs: 5000, retries: 0 },
      sinks: [netboxSinkFor(ep, target(opts.target), token, { timeoutMs: 5000, retries: 0, maxResponseBytes: 64 * 1024 * 1024 }, opts.plan)],
      redact: [token], ...(opts.stages ? { stages: opts.stages } : {}),
    });
    return { complete, events };
  }

  const writes = (): number => nb.requests.filter((r) => r.method !== 'GET').length;
  const netboxStep = (events: PipelineEvent[]) => events.filter((e) => e.event === 'step' && e.data.step === 'netbox').map((e) => (e.data as { status: string }).status);

  it('first sync: writes the cluster, nodes, guests, interfaces, MACs, disks and addresses in bulk, each ours by tag and custom fields', async () => {
    const { complete, events } = await sync();
    assert.equal(complete.ok, true, JSON.stringify(complete.errors));
    assert.deepEqual(netboxStep(events), ['started', 'completed']);
    assert.deepEqual(nb.violations, []);
    const guests = sim.cluster.guests;
    const vms = nb.all(VMS) as Obj[];
    assert.equal(vms.length, guests.length);
    for (const g of guests) {
      const vm = vms.find((v) => cf(v, 'proxbox_vmid') === g.vmid);
      assert.ok(vm, `no VM for guest ${g.vmid}`);
      assert.equal(vm.name, g.name);
      assert.ok(ours(vm, 'lab'));
      assert.ok((vm.tags as Array<{ slug: string }>).some((t) => t.slug === 'proxbox-vscode'));
    }
    assert.equal((nb.all(DEVICES) as Obj[]).length, sim.cluster.nodes.length);
    const nics = guests.flatMap((g) => g.nics);
    assert.equal((nb.all(VMIFS) as Obj[]).length, nics.length);
    assert.equal((nb.all('/api/dcim/mac-addresses/') as Obj[]).length, nics.length);
    assert.ok((nb.all(IPS) as Obj[]).length > 0);
    // Bulk: one POST per collection for 24 guests, never one per object.
    const vmPosts = nb.requests.filter((r) => r.method === 'POST' && r.path === VMS);
    assert.equal(vmPosts.length, 1);
    assert.ok(Array.isArray(vmPosts[0].body));
    // A journal entry on each created VM says where it came from.
    const journal = nb.all('/api/extras/journal-entries/') as Obj[];
    assert.ok(journal.length >= guests.length);
    assert.match(String(journal[0].comments), /Proxbox for VS Code/);
  });

  it('no change in Proxmox: the re-sync only reads NetBox, zero writes', async () => {
    assert.equal((await sync()).complete.ok, true);
    nb.requests.length = 0;
    const { complete } = await sync();
    assert.equal(complete.ok, true, JSON.stringify(complete.errors));
    assert.equal(writes(), 0, JSON.stringify(nb.requests.filter((r) => r.method !== 'GET').map((r) => [r.method, r.path, r.body])));
    assert.deepEqual(nb.violations, []);
  });

  it('a renamed guest is updated in place (same NetBox id), a moved guest gets its new host device', async () => {
    await sync();
    const g = sim.cluster.guests[0];
    const before = (nb.all(VMS) as Obj[]).find((v) => cf(v, 'proxbox_vmid') === g.vmid)!;
    g.name = 'renamed-guest';
    const other = sim.cluster.nodes.find((n) => n.name !== g.node)!;
    g.node = other.name;
    nb.requests.length = 0;
    const { complete } = await sync();
    assert.equal(complete.ok, true, JSON.stringify(complete.errors));
    const after = (nb.all(VMS) as Obj[]).find((v) => cf(v, 'proxbox_vmid') === g.vmid)!;
    assert.equal(after.id, before.id);
    assert.equal(after.name, 'renamed-guest');
    const device = (nb.all(DEVICES) as Obj[]).find((d) => cf(d, 'proxbox_node') === other.name)!;
    assert.equal(idOf(after.device), device.id);
    assert.equal(nb.requests.filter((r) => r.method === 'POST' && r.path === VMS).length, 0);
    assert.deepEqual(nb.violations, []);
  });

  it('a deleted guest is deleted from NetBox with what hangs off it; a changed IP replaces the old address', async () => {
    await sync();
    // Guests whose address the sync saw (a running agent, or a running container): their addresses are in NetBox.
    const seen = new Set((nb.all(IPS) as Obj[]).map((a) => String(a.address)));
    const [gone, changed] = sim.cluster.guests.filter((g) => g.nics.some((n) => n.ip && seen.has(n.ip)));
    sim.cluster.guests = sim.cluster.guests.filter((g) => g !== gone);
    const nic = changed.nics.find((n) => n.ip && seen.has(n.ip))!;
    const oldIp = nic.ip!;
    nic.ip = '10.99.99.7/24';
    const { complete } = await sync();
    assert.equal(complete.ok, true, JSON.stringify(complete.errors));
    const vms = nb.all(VMS) as Obj[];
    assert.equal(vms.some((v) => cf(v, 'proxbox_vmid') === gone.vmid), false);
    assert.equal((nb.all(VMIFS) as Obj[]).some((i) => String(cf(i, 'proxbox_key')).startsWith(`vmif/${gone.vmid}/`)), false);
    const addresses = (nb.all(IPS) as Obj[]).map((a) => String(a.address));
    assert.ok(addresses.includes('10.99.99.7/24'), addresses.join(' '));
    assert.equal(addresses.includes(oldIp), false);
    // The VM whose primary address went got the new one in the same run: the next sync has nothing left to write.
    nb.requests.length = 0;
    assert.equal((await sync()).complete.ok, true);
    assert.equal(writes(), 0, JSON.stringify(nb.requests.filter((r) => r.method !== 'GET').map((r) => [r.method, r.path, r.body])));
    assert.deepEqual(nb.violations, []);
  });

  it('a Proxmox listing that failed deletes nothing in NetBox', async () => {
    await sync();
    const count = (nb.all(VMS) as Obj[]).length;
    sim.cluster.guests = sim.cluster.guests.slice(0, 3);
    sim.setFaults(['/cluster/resources:500']);
    const { complete } = await sync();
    assert.equal(complete.ok, false);
    assert.equal((nb.all(VMS) as Obj[]).length, count);
    assert.equal(nb.requests.filter((r) => r.method === 'DELETE').length, 0);
  });

  it('two endpoints with the same node names never touch each other\'s objects', async () => {
    const sim2 = await startSimulator({ seed: 12, nodes: 3, guests: 6, jobs: 1 });
    try {
      assert.deepEqual(sim2.cluster.nodes.map((n) => n.name), sim.cluster.nodes.map((n) => n.name));
      const ep2: EndpointRef = { id: 'prod', name: 'Prod', url: sim2.url, tokenId: sim2.tokenId, fingerprint: sim2.fingerprint };
      assert.equal((await sync()).complete.ok, true);
      const r2 = await sync({ ep: ep2, simulator: sim2 });
      assert.equal(r2.complete.ok, true, JSON.stringify(r2.complete.errors));
      const devices = nb.all(DEVICES) as Obj[];
      assert.equal(devices.length, 6);
      assert.equal(devices.filter((d) => ours(d, 'lab')).length, 3);
      assert.equal(devices.filter((d) => ours(d, 'prod')).length, 3);
      // A re-sync of the first endpoint writes nothing: the second endpoint's objects are not "its" to fix or delete.
      nb.requests.length = 0;
      assert.equal((await sync()).complete.ok, true);
      assert.equal(writes(), 0);
      assert.equal((nb.all(VMS) as Obj[]).filter((v) => ours(v, 'prod')).length, 6);
      assert.deepEqual(nb.violations, []);
    } finally {
      await sim2.close();
    }
  });

  it('a foreign VM with a guest\'s name fails that guest only, untouched; "adopt" takes it over in place', async () => {
    await sync({ stages: ['devices'] });
    const cluster = (nb.all('/api/virtualization/clusters/') as Obj[]).find((c) => ours(c, 'lab'))!;
    const victim = sim.cluster.guests[2];
    const foreign = nb.seed(VMS, { name: victim.name, cluster: cluster.id, status: 'active' }) as Obj;
    const { complete, events } = await sync();
    assert.equal(complete.ok, false);
    assert.equal(complete.failed_stage, 'netbox');
    assert.match(complete.errors![0].detail, new RegExp(`${victim.name}.*\\(vmid ${victim.vmid}\\)`));
    assert.ok(events.some((e) => e.event === 'error_detail' && e.data.phase === 'netbox'));
    const vms = nb.all(VMS) as Obj[];
    assert.equal(vms.filter((v) => ours(v, 'lab')).length, sim.cluster.guests.length - 1);
    const still = vms.find((v) => v.id === foreign.id)!;
    assert.equal(cf(still, 'proxbox_endpoint') ?? null, null);

    const adopted = await sync({ target: { adopt: true } });
    assert.equal(adopted.complete.ok, true, JSON.stringify(adopted.complete.errors));
    const now = (nb.all(VMS) as Obj[]).find((v) => v.id === foreign.id)!;
    assert.equal(cf(now, 'proxbox_vmid'), victim.vmid);
    assert.deepEqual(nb.violations, []);
  });

  it('a token NetBox refuses (403) fails the netbox step as authentication; the Proxmox inventory is still saved', async () => {
    const { complete } = await sync({ token: 'nbt_wrongkey.wrongtoken0000' });
    assert.equal(complete.ok, false);
    assert.equal(complete.failed_stage, 'netbox');
    assert.equal(complete.errors![0].category, 'authentication');
    assert.ok(complete.stages.filter((s) => s.step !== 'netbox').every((s) => s.status === 'completed'));
    assert.equal(JSON.stringify(complete).includes('wrongtoken0000'), false);
  });

  it('NetBox down mid-sync: the step fails naming the cause; the next sync finishes the job without duplicates', async () => {
    nb.downAfter(60, '503');
    const { complete } = await sync();
    assert.equal(complete.ok, false);
    assert.equal(complete.failed_stage, 'netbox');
    assert.equal(complete.errors![0].category, 'connection');
    // What reached NetBox before it went down is counted and said, not lost behind the error.
    assert.match(complete.errors![0].detail, /Written before it stopped: \d+ created/);
    assert.ok(complete.stages.find((s) => s.step === 'netbox')!.created > 0);
    await nb.setDown(false);
    const again = await sync();
    assert.equal(again.complete.ok, true, JSON.stringify(again.complete.errors));
    const vms = nb.all(VMS) as Obj[];
    assert.equal(vms.length, sim.cluster.guests.length);
    assert.equal(new Set(vms.map((v) => cf(v, 'proxbox_vmid'))).size, vms.length);
  });

  it('dry run: plans every write as a real run would, sends none', async () => {
    const planned: PlannedWrite[] = [];
    const { complete } = await sync({ plan: (w) => planned.push(w) });
    assert.equal(complete.ok, true, JSON.stringify(complete.errors));
    assert.equal(writes(), 0);
    const vmPost = planned.find((w) => w.method === 'POST' && w.path === VMS);
    assert.equal(vmPost?.body.length, sim.cluster.guests.length);
  });

  it('with the netbox-proxbox plugin: its backup routines, storages and backups are written; without it, none is asked for', async () => {
    await nb.close();
    nb = await startFakeNetBox({ version: '4.6', plugin: true });
    const { complete } = await sync();
    assert.equal(complete.ok, true, JSON.stringify(complete.errors));
    const routines = nb.all('/api/plugins/proxbox/backup-routines/') as Obj[];
    assert.equal(routines.length, sim.cluster.jobs.length);
    assert.ok(routines.every((r) => r.status === 'active' || (r.status as { value?: string })?.value === 'active'));
    assert.ok((nb.all('/api/plugins/proxbox/storage/') as Obj[]).length > 0);
    nb.requests.length = 0;
    assert.equal((await sync()).complete.ok, true);
    assert.equal(writes(), 0, JSON.stringify(nb.requests.filter((r) => r.method !== 'GET').map((r) => [r.method, r.path, r.body]).slice(0, 3)));
    assert.deepEqual(nb.violations, []);

    await nb.close();
    nb = await startFakeNetBox({ version: '4.6', plugin: false });
    assert.equal((await sync()).complete.ok, true);
    assert.deepEqual(nb.requests.filter((r) => r.path.startsWith('/api/plugins/proxbox/') && r.path !== '/api/plugins/proxbox/').map((r) => r.path), []);
  });

  for (const version of ['4.4', '4.5', '4.7'] as const) {
    it(`NetBox ${version}: the same first sync (${version === '4.4' ? 'v1 token, offset pages' : version === '4.7' ? 'select values read as {value, label}' : 'v2 token, offset pages'}) and a re-sync without writes`, async () => {
      await nb.close();
      nb = await startFakeNetBox({ version });
      const { complete } = await sync();
      assert.equal(complete.ok, true, JSON.stringify(complete.errors));
      assert.equal((nb.all(VMS) as Obj[]).length, sim.cluster.guests.length);
      nb.requests.length = 0;
      assert.equal((await sync()).complete.ok, true);
      assert.equal(writes(), 0);
      assert.equal(nb.requests.some((r) => 'start' in r.query), version === '4.7');
      assert.deepEqual(nb.violations, []);
    });
  }
});
