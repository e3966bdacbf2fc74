// What the pipeline makes of odd rows: storage content that is not a backup, a malformed row in a listing (only
// that row is lost, with a warning that names it, and nothing is removed on the strength of a partial listing),
// and a guest whose /cluster/resources row has no disk size.
import { strict as assert } from 'node:assert';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FakePve, realBody } from '../helpers/fakePve';
import { startSimulator, type RunningSimulator } from '../../src/sim';
import { runSync, type CompleteData, type PipelineEvent } from '../../src/core/pipeline';
import { loadInventory } from '../../src/core/inventory/inventory';
import { guestDiskBytes } from '../../src/core/pipeline/stages/virtualMachines';
import type { EndpointRef } from '../../src/core/inventory/model';

const GiB = 1024 ** 3;
type Raw = Record<string, unknown>;

function stepWarnings(events: PipelineEvent[], step: string): string[] {
  const e = events.find((x) => x.event === 'step' && x.data.step === step && x.data.status === 'completed');
  assert.ok(e, `step ${step} completed`);
  return (e.data as { result?: { warnings?: string[] } }).result?.warnings ?? [];
}

describe('pipeline: odd rows (real fixture bodies)', () => {
  const endpoint: EndpointRef = { id: 'lab', name: 'Lab', url: 'https://10.0.0.1:8006', tokenId: 'root@pam!proxbox' };
  const NOW = 1735000000 * 1000;
  let store: string;
  beforeEach(() => { store = mkdtempSync(join(tmpdir(), 'proxbox-rows-')); });
  afterEach(() => rmSync(store, { recursive: true, force: true }));

  async function sync(api: FakePve): Promise<{ complete: CompleteData; events: PipelineEvent[] }> {
    const events: PipelineEvent[] = [];
    const complete = await runSync({ endpoint, secret: 'c0ffee00-dead-beef-cafe-000000000001', store, api, now: () => NOW, onEvent: (e) => events.push(e) });
    return { complete, events };
  }

  it('keeps only rows whose content is backup: templates without a content field are not backups', async () => {
    const api = new FakePve();
    // A real vztmpl listing (its rows carry no `content`) and a real PBS backup listing, served as one storage.
    const templates = realBody('nodes-node-storage-storage-content-content-vztmpl__telmate-proxmox-api-go.json') as Raw[];
    const pbs = realBody('nodes-node-storage-storage-content__community-proxmox.json') as Raw[];
    assert.ok(templates.every((t) => !('content' in t)) && pbs.every((b) => b.content === 'backup'));
    api.cluster.content['pve1/local'] = [...templates, ...pbs, { volid: 'local:iso/debian.iso', content: 'iso', format: 'iso', size: 1 }];
    const { complete } = await sync(api);
    assert.equal(complete.ok, true, JSON.stringify(complete.errors));
    const inv = (await loadInventory(store, 'lab', NOW / 1000))!;
    assert.deepEqual(inv.backups.filter((b) => b.storage === 'local' && b.node === 'pve1').map((b) => b.volid).sort(), pbs.map((b) => b.volid).sort());
    assert.ok(!inv.backups.some((b) => /vztmpl|iso/.test(b.volid)));
  });

  it('takes a guest\'s disk size from its config when /cluster/resources says 0', async () => {
    const api = new FakePve();
    // A real row with maxdisk 0 (a stopped VM), for a VM whose real config has three disks (10 + 30 + 10 GiB).
    const row = (realBody('cluster-resources__community-proxmox.json') as Raw[]).find((r) => r.id === 'qemu/101')!;
    assert.equal(row.maxdisk, 0);
    api.cluster.resources = api.cluster.resources.filter((r) => r.id !== 'qemu/101').concat({ ...row, node: 'pve1' });
    api.cluster.configs[101] = realBody('nodes-node-qemu-vmid-config__community-proxmox-inventory-103-multinic.json') as Raw;
    const { complete } = await sync(api);
    assert.equal(complete.ok, true, JSON.stringify(complete.errors));
    const inv = (await loadInventory(store, 'lab', NOW / 1000))!;
    const g101 = inv.guests.find((g) => g.vmid === 101)!;
    assert.equal(g101.configuredDiskBytes, 50 * GiB);
    assert.equal(g101.maxDiskBytes, 50 * GiB);
    // The fixture cluster's 102 also says maxdisk 0; its config holds 32 GiB plus a 10 GiB disk kept out of backups.
    assert.equal(inv.guests.find((g) => g.vmid === 102)!.maxDiskBytes, 42 * GiB);
    // Where Proxmox gives a size, it stands: lxc 200 reports 4 GiB.
    assert.equal(inv.guests.find((g) => g.vmid === 200)!.maxDiskBytes, 4 * GiB);
  });

  it('prefers a reported size, falls back to the config, and keeps Proxmox\'s 0 when there is nothing better', () => {
    assert.equal(guestDiskBytes(8 * GiB, 50 * GiB), 8 * GiB);
    assert.equal(guestDiskBytes(0, 50 * GiB), 50 * GiB);
    assert.equal(guestDiskBytes(null, 50 * GiB), 50 * GiB);
    assert.equal(guestDiskBytes(0, null), 0);
    assert.equal(guestDiskBytes(null, null), null);
  });

  it('drops a malformed resources row with one warning, and removes no guest on the strength of that listing', async () => {
    const api = new FakePve();
    assert.equal((await sync(api)).complete.ok, true);
    const row = api.cluster.resources.find((r) => r.id === 'lxc/200')!;
    row.template = 'maybe';
    const { complete, events } = await sync(api);
    assert.equal(complete.ok, true, JSON.stringify(complete.errors));
    const warning = 'GET /cluster/resources: row 4 (id "lxc/200") left out: template: expected a boolean (0/1), got the string "maybe"';
    assert.deepEqual(complete.warnings.filter((w) => w.includes('/cluster/resources')), [`devices: ${warning}`], 'reported once, by the first stage that read it');
    assert.ok(stepWarnings(events, 'devices').includes(`devices: ${warning}`));
    const inv = (await loadInventory(store, 'lab', NOW / 1000))!;
    assert.ok(inv.guests.some((g) => g.vmid === 200), 'the container is kept as last synced');
    assert.deepEqual(complete.stages.filter((s) => s.deleted > 0).map((s) => s.step), []);
  });
  it('names the first few rows of a badly broken listing and counts the rest', async () => {
    const api = new FakePve();
    const good = api.cluster.tasks.pve1[0];
    api.cluster.tasks.pve1 = [good, ...Array.from({ length: 7 }, (_, i) => ({ ...good, upid: `UPID:bad:${i}`, starttime: 'soon' }))];
    const { complete, events } = await sync(api);
    assert.equal(complete.ok, true, JSON.stringify(complete.errors));
    const warnings = stepWarnings(events, 'task-history');
    assert.equal(warnings.length, 6, warnings.join('\n'));
    assert.equal(warnings[0], 'task-history: GET /nodes/pve1/tasks: row 1 (upid "UPID:bad:0") left out: starttime: expected a number, got the string "soon"');
    assert.equal(warnings[5], 'task-history: GET /nodes/pve1/tasks: 2 more row(s) left out');
    const inv = (await loadInventory(store, 'lab', NOW / 1000))!;
    assert.deepEqual(inv.tasks.map((t) => t.upid), [good.upid]);
  });
});

describe('pipeline: a malformed row in a storage listing (simulator)', function () {
  this.timeout(60_000);
  let sim: RunningSimulator;
  let store: string;

  before(async () => { sim = await startSimulator({ seed: 9, nodes: 2, guests: 10, jobs: 3 }); });
  after(async () => sim.close());
  beforeEach(() => { store = mkdtempSync(join(tmpdir(), 'proxbox-rows-sim-')); });
  afterEach(() => rmSync(store, { recursive: true, force: true }));

  async function sync(): Promise<{ complete: CompleteData; events: PipelineEvent[] }> {
    const events: PipelineEvent[] = [];
    const complete = await runSync({
      endpoint: { id: 'sim', name: 'Sim', url: sim.url, tokenId: sim.tokenId, fingerprint: sim.fingerprint },
      secret: sim.tokenSecret, store, stages: ['backups'], onEvent: (e) => events.push(e), options: { timeoutMs: 5000, retries: 0 },
    });
    return { complete, events };
  }

  it('keeps the listing\'s valid backups, warns with path, row, field and problem, and removes nothing it no longer sees', async () => {
    assert.equal((await sync()).complete.ok, true);
    const before = (await loadInventory(store, 'sim'))!.backups;
    // A storage listing with at least three backups; break the middle one and delete another, add a new one.
    const byStorage = new Map<string, typeof sim.cluster.backups>();
    for (const b of sim.cluster.backups) byStorage.set(`${b.storage}/${b.node ?? ''}`, [...(byStorage.get(`${b.storage}/${b.node ?? ''}`) ?? []), b]);
    const listing = [...byStorage.values()].find((l) => l.length >= 3)!;
    assert.ok(listing, 'the seed has a listing with three backups');
    const [first, broken, gone] = listing;
    const savedFormat = broken.format;
    const fresh = { ...first, volid: `${first.volid}-new`, ctime: first.ctime + 60 };
    (broken as { format?: string }).format = undefined;
    sim.cluster.backups.splice(sim.cluster.backups.indexOf(gone), 1);
    sim.cluster.backups.push(fresh);
    // A complete listing elsewhere still removes what vanished from it.
    const other = [...byStorage.values()].find((l) => l !== listing && l[0].storage !== broken.storage)!;
    assert.ok(other, 'the seed has backups on a second storage');
    sim.cluster.backups.splice(sim.cluster.backups.indexOf(other[0]), 1);
    try {
      const { complete, events } = await sync();
      assert.equal(complete.ok, true, JSON.stringify(complete.errors));
      const warnings = complete.warnings.filter((w) => w.includes('left out'));
      assert.equal(warnings.length, 1, JSON.stringify(complete.warnings));
      assert.match(warnings[0], new RegExp(`^backups: GET /nodes/[^/]+/storage/${broken.storage}/content\\?content=backup: row \\d+ \\(volid "${broken.volid.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}"\\) left out: format: required field is missing$`));
      assert.deepEqual(stepWarnings(events, 'backups'), warnings);

      const after = (await loadInventory(store, 'sim'))!.backups;
      const volids = new Set(after.map((b) => b.volid));
      assert.ok(volids.has(fresh.volid), 'the valid new row of the partial listing is stored');
      assert.ok(volids.has(broken.volid), 'the malformed row keeps its last synced record');
      assert.ok(volids.has(gone.volid), 'a partial listing removes nothing');
      assert.ok(!volids.has(other[0].volid), 'a complete listing still removes what vanished');
      assert.equal(after.length, before.length, 'one created, one deleted');
    } finally {
      broken.format = savedFormat;
    }
  });
});
