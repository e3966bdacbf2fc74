// The fake NetBox itself, driven with plain undici requests (not the sink's client): it must answer the way the
// verified NetBox 4.6.8 behaviour says, and record schema violations of what it is sent.
import * as assert from 'node:assert/strict';
import { Agent, request } from 'undici';
import { certificates } from '../../../src/sim/certs';
import { startFakeNetBox, type FakeNetBox, type FakeNetBoxOptions } from '../../helpers/netbox/server';

const agent = new Agent({ connect: { ca: certificates.a.cert }, keepAliveTimeout: 10 });

interface Answer {
  status: number;
  body: unknown;
}

async function call(nb: FakeNetBox, method: string, path: string, body?: unknown, authorization: string | null = `Bearer ${nb.token}`): Promise<Answer> {
  const headers: Record<string, string> = { 'content-type': 'application/json', accept: 'application/json' };
  if (authorization !== null) headers.authorization = authorization;
  const res = await request(`${nb.url}${path}`, {
    method: method as 'GET',
    headers,
    body: body === undefined ? undefined : JSON.stringify(body),
    dispatcher: agent,
  });
  const text = await res.body.text();
  return { status: res.statusCode, body: text ? JSON.parse(text) : undefined };
}

type Obj = Record<string, unknown>;
const SITES = '/api/dcim/sites/';
const CLUSTERS = '/api/virtualization/clusters/';
const VMS = '/api/virtualization/virtual-machines/';
const VMIFS = '/api/virtualization/interfaces/';
const IPS = '/api/ipam/ip-addresses/';
const TAGS = '/api/extras/tags/';
const CFS = '/api/extras/custom-fields/';

describe('fake NetBox', function () {
  this.timeout(10_000);
  const open: FakeNetBox[] = [];
  async function start(options?: FakeNetBoxOptions): Promise<FakeNetBox> {
    const nb = await startFakeNetBox(options);
    open.push(nb);
    return nb;
  }
  after(() => agent.close());
  afterEach(async () => {
    for (const nb of open.splice(0)) {
      assert.deepEqual(nb.violations.filter((v) => v.direction === 'response'), [], 'the fake produced a response outside the schema');
      await nb.close();
    }
  });

  /** A cluster with its type, ready for VMs. */
  async function cluster(nb: FakeNetBox, name = 'pve1'): Promise<number> {
    const type = await call(nb, 'POST', '/api/virtualization/cluster-types/', { name: 'Proxmox VE', slug: 'proxmox-ve' });
    assert.equal(type.status, 201, JSON.stringify(type.body));
    const c = await call(nb, 'POST', CLUSTERS, { name, type: { slug: 'proxmox-ve' } });
    assert.equal(c.status, 201, JSON.stringify(c.body));
    return (c.body as Obj).id as number;
  }

  it('answers auth failures with 403 and NetBox\'s bodies; v1 and v2 tokens with any keyword case work', async () => {
    const nb = await start();
    assert.deepEqual(await call(nb, 'GET', '/api/status/', undefined, null), { status: 403, body: { detail: 'Authentication credentials were not provided.' } });
    assert.deepEqual(await call(nb, 'GET', '/api/status/', undefined, 'Bearer nbt_abc.def'), { status: 403, body: { detail: 'Invalid v2 token' } });
    assert.deepEqual(await call(nb, 'GET', '/api/status/', undefined, `Basic ${nb.tokenV1}`), { status: 403, body: { detail: 'Authentication credentials were not provided.' } });
    const v2 = await call(nb, 'GET', '/api/status/', undefined, `bEaReR ${nb.token}`);
    assert.equal(v2.status, 200);
    assert.equal((v2.body as Obj)['netbox-version'], '4.6.8');
    assert.equal((await call(nb, 'GET', SITES, undefined, `TOKEN ${nb.tokenV1}`)).status, 200);
  });

  it('refuses writes with a read-only token, and has no v2 tokens before 4.5', async () => {
    const ro = await start({ readOnlyToken: true });
    assert.equal((await call(ro, 'GET', SITES)).status, 200);
    const w = await call(ro, 'POST', SITES, { name: 'a', slug: 'a' });
    assert.equal(w.status, 403);
    assert.equal(ro.all(SITES).length, 0);
    const old = await start({ version: '4.4' });
    assert.equal(old.token, old.tokenV1);
    assert.equal((await call(old, 'GET', SITES, undefined, `Bearer nbt_${'a'.repeat(12)}.${'b'.repeat(40)}`)).status, 403);
    assert.equal((await call(old, 'GET', SITES, undefined, `Token ${old.tokenV1}`)).status, 200);
  });

  it('paginates by offset with a count and by cursor with count null and next carrying start=', async () => {
    const nb = await start({ maxPageSize: 3 });
    for (let i = 1; i <= 7; i++) nb.seed(SITES, { name: `s${i}`, slug: `s${i}` });
    const offset = await call(nb, 'GET', `${SITES}?limit=2&offset=2`);
    const o = offset.body as { count: number; next: string; previous: string; results: Obj[] };
    assert.equal(o.count, 7);
    assert.deepEqual(o.results.map((r) => r.name), ['s3', 's4']);
    assert.match(o.next, /offset=4/);
    const clamped = (await call(nb, 'GET', `${SITES}?limit=500`)).body as { results: Obj[]; next: string };
    assert.equal(clamped.results.length, 3, 'limit is clamped to maxPageSize');
    const names: unknown[] = [];
    let next: string | null = `${nb.url}${SITES}?start=0&limit=3`;
    let pages = 0;
    while (next) {
      const page = (await call(nb, 'GET', next.slice(nb.url.length))).body as { count: null; next: string | null; previous: null; results: Obj[] };
      assert.equal(page.count, null);
      assert.equal(page.previous, null);
      if (page.next) assert.match(page.next, /start=\d+/);
      names.push(...page.results.map((r) => r.name));
      next = page.next;
      pages++;
    }
    assert.deepEqual(names, ['s1', 's2', 's3', 's4', 's5', 's6', 's7']);
    assert.equal(pages, 3);
    const both = await call(nb, 'GET', `${SITES}?start=1&offset=2`);
    assert.deepEqual(both, { status: 400, body: ["'start' and 'offset' are mutually exclusive."] });
    // Before 4.6 `start` is an unknown parameter: ignored, offset mode with a count.
    const old = await start({ version: '4.5' });
    old.seed(SITES, { name: 'x', slug: 'x' });
    assert.equal(((await call(old, 'GET', `${SITES}?start=5`)).body as Obj).count, 1);
  });

  it('filters by id (OR), tag, custom field, relation id, and ignores unknown parameters; brief shortens', async () => {
    const nb = await start();
    const tag = nb.seed(TAGS, { name: 'Proxbox', slug: 'proxbox' });
    nb.seed(CFS, { name: 'proxmox_vmid', type: 'integer', object_types: ['virtualization.virtualmachine'] });
    const c = await cluster(nb);
    const made = await call(nb, 'POST', VMS, [
      { name: 'a', cluster: c, tags: [{ slug: 'proxbox' }], custom_fields: { proxmox_vmid: 100 } },
      { name: 'b', cluster: c, custom_fields: { proxmox_vmid: 101 } },
      { name: 'c', cluster: c },
    ]);
    assert.equal(made.status, 201, JSON.stringify(made.body));
    const ids = (made.body as Obj[]).map((v) => v.id as number);
    const names = async (q: string): Promise<unknown[]> => ((await call(nb, 'GET', `${VMS}?${q}`)).body as { results: Obj[] }).results.map((r) => r.name);
    assert.deepEqual(await names(`id=${ids[0]}&id=${ids[2]}`), ['a', 'c']);
    assert.deepEqual(await names('tag=proxbox'), ['a']);
    assert.deepEqual(await names('cf_proxmox_vmid=101'), ['b']);
    assert.deepEqual(await names(`cluster_id=${c}&bogus=1`), ['a', 'b', 'c']);
    assert.deepEqual(await names('cluster_id=999'), []);
    const full = (await call(nb, 'GET', `${VMS}?id=${ids[0]}`)).body as { results: Obj[] };
    assert.deepEqual(full.results[0].tags, [{ id: tag.id, url: `${nb.url}${TAGS}${String(tag.id)}/`, display_url: `${nb.url}/extras/tags/${String(tag.id)}/`, display: 'Proxbox', name: 'Proxbox', slug: 'proxbox', color: '9e9e9e' }]);
    assert.deepEqual(full.results[0].custom_fields, { proxmox_vmid: 100 });
    assert.deepEqual(full.results[0].status, { value: 'active', label: 'Active' });
    assert.equal((full.results[0].cluster as Obj).name, 'pve1');
    const brief = (await call(nb, 'GET', `${VMS}?brief=1&id=${ids[0]}`)).body as { results: Obj[] };
    assert.deepEqual(Object.keys(brief.results[0]).sort(), ['description', 'display', 'id', 'name', 'url']);
  });

  it('bulk create answers in pk order, and one bad item fails all with errors aligned to the input', async () => {
    const nb = await start();
    const ok = await call(nb, 'POST', SITES, [{ name: 'b', slug: 'b' }, { name: 'a', slug: 'a' }]);
    assert.equal(ok.status, 201);
    assert.deepEqual((ok.body as Obj[]).map((s) => [s.id, s.name]), [[1, 'b'], [2, 'a']]);
    const bad = await call(nb, 'POST', SITES, [{ name: 'c', slug: 'c' }, { name: 'd' }, { name: 'a', slug: 'e' }]);
    assert.equal(bad.status, 400);
    assert.deepEqual(bad.body, [{}, { slug: ['This field is required.'] }, { name: ['site with this name already exists.'] }]);
    assert.deepEqual(nb.all(SITES).map((s) => s.name), ['b', 'a'], 'nothing of the failed batch was created');
    // The schema-violating body (a missing required slug) is recorded as the client's bug.
    assert.deepEqual(nb.violations.map((v) => [v.direction, v.component, v.message]), [['request', 'WritableSiteRequest', "/ must have required property 'slug'"]]);
    nb.violations.length = 0;
  });

  it('bulk update skips unknown ids and is all-or-nothing', async () => {
    const nb = await start();
    await call(nb, 'POST', SITES, [{ name: 'a', slug: 'a' }, { name: 'b', slug: 'b' }]);
    const up = await call(nb, 'PATCH', SITES, [{ id: 1, description: 'first' }, { id: 999999, description: 'ghost' }]);
    assert.equal(up.status, 200);
    assert.deepEqual((up.body as Obj[]).map((s) => [s.id, s.description]), [[1, 'first']]);
    const clash = await call(nb, 'PATCH', SITES, [{ id: 1, description: 'again' }, { id: 2, name: 'a' }]);
    assert.equal(clash.status, 400);
    assert.deepEqual(clash.body, [{}, { name: ['site with this name already exists.'] }]);
    assert.equal(nb.all(SITES)[0].description, 'first', 'the valid item of the failed batch was rolled back');
  });

  it('bulk delete takes [{id}], rejects a bare id list, cascades, and answers 409 on protected dependents', async () => {
    const nb = await start();
    const c = await cluster(nb);
    const vm = ((await call(nb, 'POST', VMS, { name: 'vm1', cluster: c })).body as Obj).id as number;
    const iface = ((await call(nb, 'POST', VMIFS, { name: 'net0', virtual_machine: vm })).body as Obj).id as number;
    const ip = await call(nb, 'POST', IPS, { address: '10.0.0.5/24', assigned_object_type: 'virtualization.vminterface', assigned_object_id: iface });
    assert.equal(ip.status, 201, JSON.stringify(ip.body));
    assert.equal(((ip.body as Obj).assigned_object as Obj).name, 'net0');
    const bare = await call(nb, 'DELETE', VMS, [vm]);
    assert.deepEqual(bare, { status: 400, body: [{ non_field_errors: ['Invalid data. Expected a dictionary, but got int.'] }] });
    assert.ok(nb.violations.length > 0);
    assert.ok(nb.violations.every((v) => v.direction === 'request' && v.component === 'bulk delete [{id}]'));
    nb.violations.length = 0;
    const protectedDelete = await call(nb, 'DELETE', CLUSTERS, [{ id: c }]);
    assert.deepEqual(protectedDelete, { status: 409, body: { detail: `Unable to delete object. 1 dependent objects were found: vm1 (${vm})` } });
    assert.equal(nb.all(CLUSTERS).length, 1);
    assert.equal((await call(nb, 'DELETE', VMS, [{ id: vm }, { id: 4242 }])).status, 204);
    assert.equal(nb.all(VMIFS).length, 0, 'the VM\'s interfaces went with it');
    assert.equal(nb.all(IPS)[0].assigned_object, null, 'the IP stays, unassigned');
    assert.equal((await call(nb, 'DELETE', CLUSTERS, [{ id: c }])).status, 204);
  });

  it('rejects unknown tags, unknown custom fields, bad values and missing related objects with NetBox\'s 400s', async () => {
    const nb = await start();
    const c = await cluster(nb);
    nb.seed(CFS, { name: 'proxmox_vmid', type: 'integer', object_types: ['virtualization.virtualmachine'] });
    assert.deepEqual(await call(nb, 'POST', VMS, { name: 'a', cluster: c, tags: [{ name: 'nope' }] }), { status: 400, body: { tags: ["Related object not found using the provided attributes: {'name': 'nope'}"] } });
    assert.deepEqual(await call(nb, 'POST', VMS, { name: 'a', cluster: c, custom_fields: { x: 1 } }), { status: 400, body: { custom_fields: ["Unknown field name 'x' in custom field data."] } });
    assert.deepEqual(await call(nb, 'POST', VMS, { name: 'a', cluster: c, custom_fields: { proxmox_vmid: 'ten' } }), { status: 400, body: { custom_fields: ['Value must be an integer.'] } });
    assert.deepEqual(await call(nb, 'POST', VMS, { name: 'a', cluster: 77 }), { status: 400, body: { cluster: ['Related object not found using the provided numeric ID: 77'] } });
    assert.equal(nb.all(VMS).length, 0);
  });

  it('enforces uniqueness: VM names per cluster case-insensitively, the same name in another cluster is fine', async () => {
    const nb = await start();
    const c1 = await cluster(nb, 'one');
    const c2 = ((await call(nb, 'POST', CLUSTERS, { name: 'two', type: { slug: 'proxmox-ve' } })).body as Obj).id;
    assert.equal((await call(nb, 'POST', VMS, { name: 'web', cluster: c1 })).status, 201);
    assert.deepEqual(await call(nb, 'POST', VMS, { name: 'WEB', cluster: c1 }), { status: 400, body: { name: ['Virtual machine name must be unique per cluster.'] } });
    assert.equal((await call(nb, 'POST', VMS, { name: 'web', cluster: c2 })).status, 201);
  });

  it('reads selection custom fields as plain values before 4.7 and as {value, label} on 4.7', async () => {
    for (const [version, expected] of [['4.6', 'qemu'], ['4.7', { value: 'qemu', label: 'QEMU' }]] as const) {
      const nb = await start({ version });
      nb.seed(CFS, { name: 'proxmox_type', type: 'select', choices: [['qemu', 'QEMU'], ['lxc', 'LXC']], object_types: ['virtualization.virtualmachine'] });
      const c = await cluster(nb);
      assert.deepEqual(await call(nb, 'POST', VMS, { name: 'a', cluster: c, custom_fields: { proxmox_type: 'kvm' } }), { status: 400, body: { custom_fields: ['Invalid choice (kvm) for choice set proxmox_type.'] } });
      const made = await call(nb, 'POST', VMS, { name: 'a', cluster: c, custom_fields: { proxmox_type: 'qemu' } });
      assert.deepEqual((made.body as { custom_fields: Obj }).custom_fields.proxmox_type, expected);
    }
  });

  it('serves the netbox-proxbox API only when the plugin is installed', async () => {
    const without = await start();
    assert.deepEqual(await call(without, 'GET', '/api/plugins/proxbox/'), { status: 404, body: { detail: 'Not found.' } });
    assert.equal((await call(without, 'GET', '/api/plugins/proxbox/backups/')).status, 404);
    assert.deepEqual(((await call(without, 'GET', '/api/status/')).body as Obj).plugins, {});
    const withPlugin = await start({ plugin: true });
    const root = await call(withPlugin, 'GET', '/api/plugins/proxbox/');
    assert.equal(root.status, 200);
    assert.equal((root.body as Obj).backups, `${withPlugin.url}/api/plugins/proxbox/backups/`);
    const ep = await call(withPlugin, 'POST', '/api/plugins/proxbox/endpoints/proxmox/', { name: 'pve' });
    assert.equal(ep.status, 201, JSON.stringify(ep.body));
    const routine = await call(withPlugin, 'POST', '/api/plugins/proxbox/backup-routines/', [{ endpoint: (ep.body as Obj).id, job_id: 'backup-1', status: 'active' }]);
    assert.equal(routine.status, 201, JSON.stringify(routine.body));
    assert.deepEqual(((routine.body as Obj[])[0].status as Obj).value, 'active');
  });

  it('takes and reads every model the sink writes within the schema, both ways', async () => {
    const nb = await start({ plugin: true });
    const post = async (path: string, body: Obj): Promise<number> => {
      const r = await call(nb, 'POST', path, body);
      assert.equal(r.status, 201, `${path}: ${JSON.stringify(r.body)}`);
      return (r.body as Obj).id as number;
    };
    await post(TAGS, { name: 'Proxbox', slug: 'proxbox', color: 'ff5722' });
    await post(CFS, { name: 'proxmox_endpoint', type: 'text', object_types: ['virtualization.virtualmachine', 'dcim.device'] });
    const site = await post(SITES, { name: 'DC1', slug: 'dc1' });
    await post('/api/dcim/manufacturers/', { name: 'Proxmox', slug: 'proxmox' });
    const type = await post('/api/dcim/device-types/', { manufacturer: { slug: 'proxmox' }, model: 'PVE node', slug: 'pve-node' });
    const role = await post('/api/dcim/device-roles/', { name: 'Hypervisor', slug: 'hypervisor', vm_role: true });
    const platform = await post('/api/dcim/platforms/', { name: 'Linux', slug: 'linux' });
    const device = await post('/api/dcim/devices/', { name: 'pve1', device_type: type, role, site, platform, status: 'active', tags: [{ slug: 'proxbox' }], custom_fields: { proxmox_endpoint: 'e1' } });
    const nic = await post('/api/dcim/interfaces/', { device, name: 'vmbr0', type: 'bridge' });
    await post('/api/dcim/mac-addresses/', { mac_address: 'BC:24:11:00:00:01', assigned_object_type: 'dcim.interface', assigned_object_id: nic });
    const c = await cluster(nb);
    const vm = await post(VMS, { name: 'web', cluster: c, site, role, platform, status: 'offline', vcpus: 2, memory: 2048, tags: [{ slug: 'proxbox' }] });
    const vmif = await post(VMIFS, { virtual_machine: vm, name: 'net0' });
    await post('/api/virtualization/virtual-disks/', { virtual_machine: vm, name: 'scsi0', size: 32768 });
    const ip = await post(IPS, { address: '10.0.0.5/24', status: 'active', assigned_object_type: 'virtualization.vminterface', assigned_object_id: vmif });
    const other = await post(IPS, { address: '10.0.0.6/24' });
    assert.deepEqual(await call(nb, 'PATCH', VMS, [{ id: vm, primary_ip4: other }]), { status: 400, body: [{ primary_ip4: ['The specified IP address (10.0.0.6/24) is not assigned to this VM.'] }] });
    assert.equal((await call(nb, 'PATCH', VMS, [{ id: vm, primary_ip4: ip }])).status, 200);
    await post('/api/extras/journal-entries/', { assigned_object_type: 'virtualization.virtualmachine', assigned_object_id: vm, kind: 'info', comments: 'Created by Proxbox' });
    const P = '/api/plugins/proxbox/';
    const endpoint = await post(`${P}endpoints/proxmox/`, { name: 'pve', port: 8006 });
    const storage = await post(`${P}storage/`, { cluster: c, name: 'local', storage_type: 'dir' });
    await post(`${P}backup-routines/`, { endpoint, job_id: 'backup-1', schedule: '21:00', status: 'active' });
    await post(`${P}backups/`, { virtual_machine: vm, proxmox_storage: storage, subtype: 'qemu', format: 'pbs-vm', vmid: 100, size: 1024 });
    await post(`${P}snapshots/`, { virtual_machine: vm, name: 'before-upgrade', vmid: 100, node: 'pve1', subtype: 'qemu' });
    await post(`${P}task-history/`, { virtual_machine: vm, upid: 'UPID:pve1:1', node: 'pve1', task_type: 'vzdump', username: 'root@pam', start_time: '2026-01-01T00:00:00Z', description: 'backup', status: 'OK' });
    await post(`${P}replications/`, { replication_id: '100-0', virtual_machine: vm, guest: 100, target: 'pve2', jobnum: 0, endpoint });
    for (const path of [SITES, '/api/dcim/manufacturers/', '/api/dcim/device-types/', '/api/dcim/device-roles/', '/api/dcim/platforms/', '/api/dcim/devices/',
      '/api/dcim/interfaces/', '/api/dcim/mac-addresses/', '/api/virtualization/cluster-types/', CLUSTERS, VMS, VMIFS, '/api/virtualization/virtual-disks/',
      IPS, TAGS, CFS, '/api/extras/journal-entries/', `${P}endpoints/proxmox/`, `${P}storage/`, `${P}backup-routines/`, `${P}backups/`, `${P}snapshots/`,
      `${P}task-history/`, `${P}replications/`]) {
      const page = await call(nb, 'GET', `${path}?limit=1000`);
      assert.equal(page.status, 200);
      assert.equal((page.body as { results: Obj[] }).results.length, path === IPS ? 2 : 1, path);
      assert.equal((await call(nb, 'GET', `${path}?brief=true`)).status, 200);
      assert.equal((await call(nb, 'GET', `${path}1/`)).status, 200);
    }
    const vmIps = (await call(nb, 'GET', `${IPS}?virtual_machine_id=${vm}`)).body as { results: Obj[] };
    assert.deepEqual(vmIps.results.map((r) => r.id), [ip], 'IPs filter by the VM of their interface');
    const read = nb.all(VMS)[0];
    assert.equal((read.primary_ip4 as Obj).address, '10.0.0.5/24');
    assert.equal((read.primary_ip as Obj).id, ip);
    assert.equal(read.disk, 32768, 'a VM\'s disk is the sum of its virtual disks');
    assert.deepEqual(nb.violations, [], 'requests and responses both conform to the schema');
  });

  it('goes down on demand: refused connections, a reset after headers, a 503, and back', async () => {
    const nb = await start();
    await nb.setDown('503');
    assert.equal((await request(`${nb.url}${SITES}`, { dispatcher: agent })).statusCode, 503);
    await nb.setDown('reset-after-headers');
    await assert.rejects(async () => {
      const res = await request(`${nb.url}${SITES}`, { headers: { authorization: `Bearer ${nb.token}` }, dispatcher: agent });
      await res.body.text();
    });
    await nb.setDown('refuse');
    await assert.rejects(request(`${nb.url}${SITES}`, { dispatcher: agent }), /ECONNREFUSED/);
    await nb.setDown(false);
    assert.equal((await call(nb, 'GET', SITES)).status, 200);
    nb.setLatency(150);
    const t0 = Date.now();
    assert.equal((await call(nb, 'GET', SITES)).status, 200);
    assert.ok(Date.now() - t0 >= 140, 'latency delays each answer');
    assert.ok(nb.stats.reads >= 1);
  });
});
