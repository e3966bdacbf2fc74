import { strict as assert } from 'node:assert';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FakePve, pveError } from '../helpers/fakePve';
import { runSync, STAGES, STAGE_DEPENDENCIES, resolveStages, PipelineEvent, CompleteData, StageName } from '../../src/core/pipeline';
import { loadInventory } from '../../src/core/inventory/inventory';
import type { EndpointRef } from '../../src/core/inventory/model';

const endpoint: EndpointRef = { id: 'lab', name: 'Lab cluster', url: 'https://10.0.0.1:8006', tokenId: 'root@pam!proxbox' };
const SECRET = 'c0ffee00-dead-beef-cafe-000000000001';
// Before the fixtures' next-run values (Dec 2024), so PVE's own next-run is in the future.
const NOW = 1735000000 * 1000;

function tempStore(): string {
  return mkdtempSync(join(tmpdir(), 'proxbox-pipeline-'));
}

async function sync(api: FakePve, store: string, extra: Partial<Parameters<typeof runSync>[0]> = {}): Promise<{ events: PipelineEvent[]; complete: CompleteData }> {
  const events: PipelineEvent[] = [];
  const complete = await runSync({ endpoint, secret: SECRET, store, api, now: () => NOW, onEvent: (e) => events.push(e), ...extra });
  return { events, complete };
}

function filesWithMtimes(dir: string): Record<string, number> {
  const out: Record<string, number> = {};
  for (const f of readdirSync(dir, { recursive: true })) {
    const p = join(dir, String(f));
    if (statSync(p).isFile()) out[String(f)] = statSync(p).mtimeMs;
  }
  return out;
}

describe('pipeline: stage selection', () => {
  it('runs all twelve stages in order when none are selected', () => {
    assert.deepEqual(resolveStages(), [...STAGES]);
    assert.equal(STAGES.length, 12);
  });

  it('pulls in what a selected stage depends on, in pipeline order', () => {
    assert.deepEqual(resolveStages(['vm-ip-addresses']), ['devices', 'virtual-machines', 'vm-interfaces', 'vm-ip-addresses']);
    assert.deepEqual(resolveStages(['backup-routines']), ['devices', 'storage', 'backup-routines']);
    assert.deepEqual(resolveStages(['snapshots', 'devices']), ['devices', 'virtual-machines', 'snapshots']);
  });

  it('lists every stage after the stages it depends on (the runner settles chains of skips in one pass over it)', () => {
    for (const [i, s] of STAGES.entries()) {
      for (const d of STAGE_DEPENDENCIES[s]) assert.ok(STAGES.indexOf(d) < i, `${s} depends on ${d}, which comes later`);
    }
  });

  it('refuses an unknown stage with the list of valid ones', () => {
    assert.throws(() => resolveStages(['vm-disks']), /unknown stage 'vm-disks'.*virtual-disks/);
  });
});

describe('pipeline: a full sync', () => {
  let store: string;
  beforeEach(() => { store = tempStore(); });
  afterEach(() => rmSync(store, { recursive: true, force: true }));

  it('reads every stage, ends with exactly one complete, and stores the inventory', async () => {
    const api = new FakePve();
    const { events, complete } = await sync(api, store);
    assert.equal(events.filter((e) => e.event === 'complete').length, 1);
    assert.equal(events.at(-1)?.event, 'complete');
    assert.equal(complete.ok, true, JSON.stringify(complete.errors));
    // Stages finish in the order their work allows, not in list order; each one completes exactly once and starts
    // only after every stage it depends on has completed.
    const steps = events.flatMap((e, i) => (e.event === 'step' ? [{ i, step: e.data.step, status: e.data.status }] : []));
    const at = (step: string, status: string): number[] => steps.filter((x) => x.step === step && x.status === status).map((x) => x.i);
    for (const s of STAGES) {
      assert.equal(at(s, 'completed').length, 1, `${s} completes once`);
      for (const d of STAGE_DEPENDENCIES[s]) assert.ok(at(d, 'completed')[0] < at(s, 'started')[0], `${s} starts after ${d} completed`);
    }
    assert.deepEqual(complete.stages.map((s) => s.step), [...STAGES], 'outcomes in pipeline order');
    assert.deepEqual([complete.failed_stages, complete.skipped_stages], [[], []]);

    const inv = await loadInventory(store, 'lab', NOW / 1000);
    assert.ok(inv);
    assert.deepEqual(inv.nodes.map((n) => [n.name, n.timezone]), [['pve1', 'Europe/Vienna'], ['pve2', 'America/New_York']]);
    assert.deepEqual(inv.guests.map((g) => g.vmid), [101, 102, 200]);
    const g101 = inv.guests.find((g) => g.vmid === 101)!;
    assert.equal(g101.agent, true);
    assert.equal(g101.name, 'test-qemu');
    // Disks: the real config's scsi0 (8G) and two cdroms; the sum counts only real disks.
    assert.equal(g101.configuredDiskBytes, 8 * 1024 ** 3);
    assert.deepEqual(inv.disks.filter((d) => d.vmid === 102).map((d) => [d.key, d.backup]), [['scsi0', true], ['scsi1', false]]);
    // Backups: the local storage listed per node, the shared PBS once.
    assert.deepEqual(inv.backups.map((b) => [b.storage, b.node, b.vmid]).sort(), [['local', 'pve1', 101], ['local', 'pve2', 200], ['pbs', null, 101], ['pbs', null, 102]].sort());
    assert.equal(api.calls.filter((c) => c.startsWith('storageContent(') && c.includes(',pbs')).length, 1);
    assert.deepEqual(inv.snapshots.map((s) => `${s.vmid}/${s.name}`), ['101/before-upgrade']);
    // The agent's loopback is dropped, the LXC static address comes from the config, the stopped qemu guest's
    // cloud-init address from ipconfig0.
    const ips = inv.ipAddresses.map((i) => `${i.vmid} ${i.interface} ${i.address} ${i.source}`);
    assert.ok(ips.includes('101 net0 10.1.2.3 agent'), ips.join('\n'));
    assert.ok(!ips.some((i) => i.includes('127.0.0.1') || i.includes(' ::1 ')));
    assert.ok(ips.includes('200 net0 10.1.1.3 config'));
    assert.ok(ips.includes('102 net0 192.168.20.5 config'));
    assert.deepEqual(inv.replications.map((r) => [r.jobId, r.status]), [['101-0', 'active']]);

    const r = inv.backupRoutines.find((x) => x.jobId === 'backup-70025700-2302')!;
    assert.equal(r.status, 'active');
    assert.equal(r.nextRun, 1735385400);
    assert.equal(r.nextRunSource, 'proxmox');
    assert.deepEqual(r.selection, { mode: 'vmids', vmids: [100, 101, 102], pool: null, exclude: [] });
    // The job sets no retention; the target storage does.
    assert.equal(r.retentionSource, 'storage');
    assert.equal(r.keepLast, 3);
    assert.equal(r.keepDaily, 7);
    assert.equal(r.firstSeen, new Date(NOW).toISOString());
    assert.equal((r.raw as Record<string, unknown>)['next-run'], undefined);
  });

  it('reads each guest config once per run, and never more than three requests per guest', async () => {
    const api = new FakePve();
    await sync(api, store);
    for (const vmid of [101, 102, 200]) {
      assert.equal(api.calls.filter((c) => /Config\(/.test(c) && c.endsWith(`,${vmid})`)).length, 1, `config of ${vmid}`);
    }
    const perGuest = api.calls.filter((c) => /^(qemu|lxc)/.test(c)).length / 3;
    assert.ok(perGuest <= 3, `per-guest requests ${perGuest}`);
    assert.equal(api.calls.filter((c) => c.startsWith('clusterResources')).length, 1);
  });

  it('a re-sync with nothing changed reports no change and writes nothing', async () => {
    const api = new FakePve();
    await sync(api, store);
    const before = filesWithMtimes(store);
    await new Promise((r) => setTimeout(r, 20));
    const { complete } = await sync(api, store, { now: () => NOW + 3600_000 });
    assert.equal(complete.ok, true);
    assert.deepEqual([complete.result.created, complete.result.updated, complete.result.deleted, complete.result.stale], [0, 0, 0, 0]);
    assert.equal(complete.result.written, 0);
    assert.deepEqual(filesWithMtimes(store), before);
  });

  it('never puts the token secret into an event or the store', async () => {
    const api = new FakePve();
    api.faults.push({ method: 'clusterBackup', error: () => pveError('/cluster/backup', 500, `boom ${SECRET}`) });
    const { events } = await sync(api, store);
    assert.ok(!JSON.stringify(events).includes(SECRET));
    for (const f of readdirSync(store, { recursive: true })) {
      const p = join(store, String(f));
      if (statSync(p).isFile()) assert.ok(!readFileSync(p, 'utf8').includes(SECRET), String(f));
    }
  });
});

describe('pipeline: reconcile across syncs', () => {
  let store: string;
  beforeEach(() => { store = tempStore(); });
  afterEach(() => rmSync(store, { recursive: true, force: true }));

  it('marks a vanished routine stale, and active again when it comes back', async () => {
    const api = new FakePve();
    await sync(api, store);
    const job = api.cluster.backup.pop()!;
    const second = await sync(api, store, { now: () => NOW + 60_000 });
    assert.equal(second.complete.result.stale, 1);
    let inv = (await loadInventory(store, 'lab', NOW / 1000))!;
    const stale = inv.backupRoutines.find((r) => r.jobId === job.id)!;
    assert.equal(stale.status, 'stale');
    assert.equal(stale.staleSince, new Date(NOW + 60_000).toISOString());
    assert.equal(stale.firstSeen, new Date(NOW).toISOString());

    api.cluster.backup.push(job);
    const third = await sync(api, store, { now: () => NOW + 120_000 });
    assert.equal(third.complete.result.updated >= 1, true);
    inv = (await loadInventory(store, 'lab', NOW / 1000))!;
    const back = inv.backupRoutines.find((r) => r.jobId === job.id)!;
    assert.equal(back.status, 'active');
    assert.equal(back.staleSince, null);
    assert.equal(back.firstSeen, new Date(NOW).toISOString());
  });

  it('removes what vanished from a complete listing: a deleted snapshot, disk and guest', async () => {
    const api = new FakePve();
    await sync(api, store);
    api.cluster.snapshots[101] = api.cluster.snapshots[101].filter((s) => s.name === 'current');
    delete api.cluster.configs[102].scsi1;
    api.cluster.resources = api.cluster.resources.filter((r) => r.id !== 'lxc/200');
    const { complete } = await sync(api, store);
    assert.equal(complete.ok, true);
    const inv = (await loadInventory(store, 'lab', NOW / 1000))!;
    assert.deepEqual(inv.snapshots, []);
    assert.deepEqual(inv.disks.filter((d) => d.vmid === 102).map((d) => d.key), ['scsi0']);
    assert.ok(!inv.guests.some((g) => g.vmid === 200));
    assert.ok(!inv.disks.some((d) => d.vmid === 200));
    assert.ok(!inv.interfaces.some((i) => i.vmid === 200));
    assert.ok(!inv.ipAddresses.some((i) => i.vmid === 200));
  });

  it('keeps everything of a guest whose config could not be read', async () => {
    const api = new FakePve();
    await sync(api, store);
    delete api.cluster.configs[102].scsi1; // would be removed, if the read succeeded
    api.faults.push({ method: 'qemuConfig', when: (a) => a[1] === 102, error: () => pveError('/nodes/pve2/qemu/102/config', 596, 'Connection timed out', 'connection') });
    const { complete, events } = await sync(api, store);
    assert.equal(complete.ok, true);
    assert.ok(complete.warnings.some((w) => w.includes('virtual-machines') && w.includes('102')), complete.warnings.join('\n'));
    assert.ok(events.some((e) => e.event === 'error_detail' && e.data.phase === 'virtual-machines' && e.data.category === 'connection'));
    const inv = (await loadInventory(store, 'lab', NOW / 1000))!;
    assert.deepEqual(inv.disks.filter((d) => d.vmid === 102).map((d) => d.key), ['scsi0', 'scsi1']);
    assert.ok(inv.interfaces.some((i) => i.vmid === 102));
  });
});

describe('pipeline: failures', () => {
  let store: string;
  beforeEach(() => { store = tempStore(); });
  afterEach(() => rmSync(store, { recursive: true, force: true }));

  it('a failed backup-routines listing fails the run and marks nothing stale; every other stage completes', async () => {
    const api = new FakePve();
    await sync(api, store);
    api.faults.push({ method: 'clusterBackup', error: () => pveError('/cluster/backup', 500, 'internal error') });
    const { events, complete } = await sync(api, store);
    assert.equal(complete.ok, false);
    assert.equal(complete.failed_stage, 'backup-routines');
    assert.deepEqual(complete.failed_stages, ['backup-routines']);
    assert.deepEqual(complete.skipped_stages, []);
    // The stage's own failure: step failed, then what happened and what to do, then the error.
    const own = events.filter((e) => (e.event === 'step' || e.event === 'error_detail' || e.event === 'error') && ('step' in e.data ? e.data.step : e.data.phase) === 'backup-routines');
    assert.deepEqual(own.map((e) => `${e.event}${e.event === 'step' ? `:${e.data.status}` : ''}`), ['step:started', 'step:failed', 'error_detail', 'error']);
    assert.equal(events.filter((e) => e.event === 'complete').length, 1);
    assert.equal(events.at(-1)?.event, 'complete');
    assert.deepEqual(complete.stages.filter((s) => s.status === 'completed').map((s) => s.step), STAGES.filter((s) => s !== 'backup-routines'));
    const inv = (await loadInventory(store, 'lab', NOW / 1000))!;
    assert.ok(inv.backupRoutines.length > 0);
    assert.ok(inv.backupRoutines.every((r) => r.status === 'active'));
  });

  it('a failed stage skips only the stages that depend on it; the others complete and are saved', async () => {
    // Changes in Proxmox that the independent stages must pick up although storage fails.
    const api = new FakePve();
    await sync(api, store);
    api.cluster.snapshots[101] = api.cluster.snapshots[101].filter((s) => s.name === 'current');
    api.faults.push({ method: 'storageIndex', error: () => pveError('/storage', 500, 'boom') });
    const { events, complete } = await sync(api, store);
    assert.equal(complete.ok, false);
    assert.equal(complete.failed_stage, 'storage');
    assert.deepEqual(complete.failed_stages, ['storage']);
    assert.deepEqual(complete.skipped_stages, ['backups', 'backup-routines']);
    for (const s of ['backups', 'backup-routines'] as StageName[]) {
      const stepsOf = events.filter((e) => e.event === 'step' && e.data.step === s);
      assert.equal(stepsOf.length, 1, `${s}: only its skipped step`);
      assert.deepEqual(stepsOf[0].data, { step: s, status: 'skipped', message: 'skipped: depends on storage, which failed.', failed_dependency: 'storage' });
      assert.deepEqual(complete.stages.find((o) => o.step === s), { step: s, status: 'skipped', count: 0, created: 0, updated: 0, deleted: 0, stale: 0, failed: 0, skipped: 0, duration_seconds: 0, failed_dependency: 'storage' });
    }
    assert.equal(complete.stages.filter((o) => o.status === 'completed').length, 9);
    assert.match(complete.message, /failed in stage storage: .*boom.*; skipped: backups, backup-routines \(9 of 12 stage\(s\) completed\)/);
    const inv = (await loadInventory(store, 'lab', NOW / 1000))!;
    assert.deepEqual(inv.snapshots, [], 'the snapshots stage ran and its result was saved');
    assert.ok(inv.backups.length > 0 && inv.backupRoutines.length > 0, 'the skipped stages left their data alone');
  });

  it('a transitive dependent names the failed stage and the one in between', async () => {
    const api = new FakePve();
    api.faults.push({ method: 'qemuConfig', error: () => pveError('/nodes/x/qemu/y/config', 500, 'boom') });
    api.faults.push({ method: 'lxcConfig', error: () => pveError('/nodes/x/lxc/y/config', 500, 'boom') });
    const { events, complete } = await sync(api, store);
    assert.deepEqual(complete.failed_stages, ['virtual-machines']);
    assert.deepEqual(complete.skipped_stages, ['virtual-disks', 'snapshots', 'vm-interfaces', 'vm-ip-addresses']);
    const ip = events.find((e) => e.event === 'step' && e.data.step === 'vm-ip-addresses');
    assert.deepEqual(ip?.data, { step: 'vm-ip-addresses', status: 'skipped', message: 'skipped: depends on virtual-machines, which failed (through vm-interfaces).', failed_dependency: 'virtual-machines' });
  });

  it('a stage that fails (all snapshot listings) fails the run; the old snapshots are kept and the rest completes', async () => {
    const api = new FakePve();
    await sync(api, store);
    api.cluster.snapshots[101] = [];
    api.faults.push({ method: 'qemuSnapshots', error: () => pveError('/nodes/x/qemu/y/snapshot', 500, 'boom') });
    api.faults.push({ method: 'lxcSnapshots', error: () => pveError('/nodes/x/lxc/y/snapshot', 500, 'boom') });
    const { events, complete } = await sync(api, store);
    // Formerly a "skippable" stage whose failure left the run ok: every stage's failure now counts the same.
    assert.equal(complete.ok, false);
    assert.deepEqual(complete.failed_stages, ['snapshots']);
    assert.deepEqual(complete.skipped_stages, []);
    assert.ok(events.some((e) => e.event === 'step' && e.data.step === 'snapshots' && e.data.status === 'failed'));
    assert.ok(events.some((e) => e.event === 'step' && e.data.step === 'backup-routines' && e.data.status === 'completed'));
    const inv = (await loadInventory(store, 'lab', NOW / 1000))!;
    assert.deepEqual(inv.snapshots.map((s) => s.name), ['before-upgrade']);
  });

  it('an authentication failure mid-run stops at once, even in a per-guest read', async () => {
    const api = new FakePve();
    api.faults.push({ method: 'qemuConfig', error: () => pveError('/nodes/pve1/qemu/101/config', 401, 'authentication failure', 'authentication') });
    const { complete, events } = await sync(api, store);
    assert.equal(complete.ok, false);
    assert.equal(complete.failed_stage, 'virtual-machines');
    assert.equal(complete.errors?.[0].category, 'authentication');
    assert.equal(complete.errors?.length, 1, 'the cause is reported once, not by every stage it stopped');
    // The whole run ends: nothing starts after the error, nothing is "skipped" (that is for a failed dependency),
    // the stages that never started are not_run, and every stage that started has its failed or completed step.
    const errorAt = events.findIndex((e) => e.event === 'error');
    assert.ok(!events.slice(errorAt).some((e) => e.event === 'step' && e.data.status === 'started'));
    assert.deepEqual(complete.skipped_stages, []);
    for (const s of ['virtual-disks', 'snapshots', 'vm-interfaces', 'vm-ip-addresses']) {
      assert.equal(complete.stages.find((o) => o.step === s)?.status, 'not_run', s);
      assert.ok(!events.some((e) => e.event === 'step' && e.data.step === s), `${s} has no step`);
    }
    for (const o of complete.stages) {
      const started = events.some((e) => e.event === 'step' && e.data.step === o.step && e.data.status === 'started');
      assert.equal(started, o.status === 'completed' || o.status === 'failed', `${o.step}: ${o.status}`);
    }
  });

  it('cancellation stops a hanging stage within a second and ends with complete "cancelled"', async () => {
    const api = new FakePve();
    api.hang.add('qemuSnapshots');
    const ac = new AbortController();
    const events: PipelineEvent[] = [];
    const t0 = Date.now();
    const p = runSync({ endpoint, secret: SECRET, store, api, signal: ac.signal, now: () => NOW, onEvent: (e) => {
      events.push(e);
      if (e.event === 'step' && e.data.step === 'snapshots' && e.data.status === 'started') setTimeout(() => ac.abort(), 50);
    } });
    const complete = await p;
    assert.ok(Date.now() - t0 < 1500);
    assert.equal(complete.ok, false);
    assert.equal(complete.cancelled, true);
    assert.equal(events.filter((e) => e.event === 'complete').length, 1);
    // The stages before the cancel completed and were saved.
    const inv = (await loadInventory(store, 'lab', NOW / 1000))!;
    assert.equal(inv.guests.length, 3);
  });

  it('refuses a store written by a newer release and leaves it untouched', async () => {
    const dir = join(store, 'endpoints', 'lab');
    mkdirSync(dir, { recursive: true });
    const text = JSON.stringify({ kind: 'proxbox.inventory.meta', version: 99, savedAt: 'x', data: {} }) + '\n';
    writeFileSync(join(dir, 'meta.json'), text);
    const { complete } = await sync(new FakePve(), store);
    assert.equal(complete.ok, false);
    assert.match(complete.errors?.[0].detail ?? '', /newer release/);
    assert.equal(readFileSync(join(dir, 'meta.json'), 'utf8'), text);
  });
});
