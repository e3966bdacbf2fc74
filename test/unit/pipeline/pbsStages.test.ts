import { strict as assert } from 'node:assert';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runSync, PBS_STAGES, STAGES, type CompleteData, type PipelineEvent } from '../../../src/core/pipeline';
import type { InventorySink } from '../../../src/core/pipeline/sink';
import { applyEvent, startRun } from '../../../src/core/pipeline/reducer';
import { loadInventory } from '../../../src/core/inventory/inventory';
import type { Inventory } from '../../../src/core/inventory/model';
import { FakePbs, PBS_ENDPOINT, PBS_NOW, pbsError } from './pbsFixture';

describe('PBS pipeline stages (runSync with a PbsApi)', () => {
  let store: string;
  let clock: number;
  beforeEach(() => {
    store = mkdtempSync(join(tmpdir(), 'proxbox-pbs-'));
    clock = PBS_NOW * 1000;
  });
  afterEach(() => rmSync(store, { recursive: true, force: true }));

  async function sync(pbs: FakePbs, extra: { stages?: string[]; signal?: AbortSignal; sinks?: InventorySink[]; onEvent?: (e: PipelineEvent) => void } = {}): Promise<{ complete: CompleteData; events: PipelineEvent[] }> {
    const events: PipelineEvent[] = [];
    clock += 60_000;
    const complete = await runSync({
      endpoint: PBS_ENDPOINT, secret: 'pbs-secret-0123456789abcdef', store, pbsApi: pbs, now: () => clock, ...extra,
      onEvent: (e) => { events.push(e); extra.onEvent?.(e); },
    });
    assert.equal(events.filter((e) => e.event === 'complete').length, 1, 'exactly one complete');
    return { complete, events };
  }
  const stored = async (): Promise<Inventory> => {
    const inv = await loadInventory(store, PBS_ENDPOINT.id);
    assert.ok(inv, 'an inventory was stored');
    return inv;
  };
  const outcome = (c: CompleteData, stage: string) => c.stages.find((s) => s.step === stage);

  it('a first sync runs the five PBS stages (no PVE stage) and stores every collection', async () => {
    const pbs = new FakePbs();
    const { complete, events } = await sync(pbs);
    assert.equal(complete.ok, true, complete.message);
    assert.deepEqual(complete.stages.map((s) => s.step), [...PBS_STAGES]);
    for (const stage of PBS_STAGES) {
      const steps = events.flatMap((e) => (e.event === 'step' && e.data.step === stage ? [e.data.status] : []));
      assert.deepEqual(steps, ['started', 'completed'], stage);
    }
    assert.ok(complete.result.written > 0);
    const inv = await stored();
    assert.equal(inv.endpoint.kind, 'pbs');
    // A PBS's one node is its zone's carrier (GET /nodes/localhost/time), nothing more.
    assert.deepEqual(inv.nodes.map((n) => [n.name, n.timezone]), [['localhost', 'UTC']]);
    const main = inv.datastores.find((d) => d.store === 'main')!;
    assert.deepEqual([main.totalBytes, main.usedBytes, main.availBytes, main.estimatedFullDate], [1_000_000, 600_000, 400_000, PBS_NOW + 40 * 86_400]);
    // PBS's -1 means "no estimate", not 1970.
    assert.equal(inv.datastores.find((d) => d.store === 'offsite')!.estimatedFullDate, null);
    assert.deepEqual(inv.namespaces.map((n) => `${n.store}/${n.ns}`), ['main/', 'main/prod', 'offsite/']);
    assert.deepEqual(inv.backupGroups.map((g) => `${g.store}/${g.ns}/${g.backupType}/${g.backupId}`).sort(), ['main//vm/100', 'main/prod/ct/200', 'offsite//vm/100']);
    assert.equal(inv.pbsSnapshots.length, 4);
    const failed = inv.pbsSnapshots.find((s) => s.verification?.state === 'failed');
    assert.ok(failed && failed.store === 'main' && failed.backupId === '100');
    assert.equal(inv.pbsSnapshots.find((s) => s.ns === 'prod')!.encrypted, true);
    const jobs = new Map(inv.pbsJobs.map((j) => [`${j.kind}/${j.jobId}`, j]));
    assert.deepEqual([...jobs.keys()].sort(), ['gc/main', 'gc/offsite', 'prune/p-main', 'sync/s-off', 'verify/v-main']);
    assert.equal(jobs.get('verify/v-main')!.lastRunState, 'verification failed on 1 snapshot');
    assert.equal(jobs.get('verify/v-main')!.outdatedAfterDays, 30);
    assert.equal(jobs.get('sync/s-off')!.enabled, false, 'the raw disable flag of a sync job is honoured');
    assert.equal(jobs.get('sync/s-off')!.remote, 'site-a');
    assert.equal(jobs.get('gc/offsite')!.schedule, null);
    assert.equal(jobs.get('prune/p-main')!.retention?.keepDaily, 7);
    assert.ok([...jobs.values()].every((j) => j.status === 'active'));
  });

  it('an identical re-sync changes and writes nothing', async () => {
    const pbs = new FakePbs();
    await sync(pbs);
    const before = await stored();
    const { complete } = await sync(pbs);
    assert.equal(complete.ok, true, complete.message);
    assert.equal(complete.result.written, 0);
    assert.deepEqual([complete.result.created, complete.result.updated, complete.result.deleted, complete.result.stale], [0, 0, 0, 0]);
    assert.deepEqual(await stored(), before);
  });

  it('a vanished job is kept as stale, and is active again when it returns', async () => {
    const pbs = new FakePbs();
    await sync(pbs);
    const verify = pbs.data.verify;
    pbs.data.verify = [];
    const gone = await sync(pbs);
    assert.equal(outcome(gone.complete, 'pbs-jobs')!.stale, 1);
    let job = (await stored()).pbsJobs.find((j) => j.kind === 'verify')!;
    assert.equal(job.status, 'stale');
    assert.ok(job.staleSince);
    pbs.data.verify = verify;
    await sync(pbs);
    job = (await stored()).pbsJobs.find((j) => j.kind === 'verify')!;
    assert.equal(job.status, 'active');
    assert.equal(job.staleSince, null);
  });

  it('a failed snapshot listing of one datastore keeps its snapshots and fails only that item', async () => {
    const pbs = new FakePbs();
    await sync(pbs);
    const offsiteBefore = (await stored()).pbsSnapshots.filter((s) => s.store === 'offsite');
    // Both datastores change on the server; only main can be read.
    pbs.data.snapshots['offsite/'] = [];
    pbs.data.snapshots['main/prod'].push({ ...pbs.data.snapshots['main/prod'][0], backupTime: PBS_NOW });
    pbs.faults.set('/admin/datastore/offsite/snapshots?ns=', pbsError('internal', '/admin/datastore/offsite/snapshots'));
    const { complete } = await sync(pbs);
    const o = outcome(complete, 'pbs-snapshots')!;
    assert.equal(o.status, 'completed');
    assert.equal(o.failed, 1);
    assert.equal(o.created, 1);
    assert.equal(o.deleted, 0);
    assert.ok(complete.warnings.some((w) => w.includes('offsite:/')), complete.warnings.join('\n'));
    const inv = await stored();
    assert.deepEqual(inv.pbsSnapshots.filter((s) => s.store === 'offsite'), offsiteBefore);
    assert.equal(inv.pbsSnapshots.filter((s) => s.store === 'main' && s.ns === 'prod').length, 2);
  });

  it('a namespace gone from the server takes its groups and snapshots with it', async () => {
    const pbs = new FakePbs();
    await sync(pbs);
    pbs.data.namespaces.main = [{ ns: '' }];
    const { complete } = await sync(pbs);
    assert.equal(complete.ok, true, complete.message);
    const inv = await stored();
    assert.ok(!inv.namespaces.some((n) => n.ns === 'prod'));
    assert.ok(!inv.backupGroups.some((g) => g.ns === 'prod'));
    assert.ok(!inv.pbsSnapshots.some((s) => s.ns === 'prod'));
    assert.equal(inv.pbsSnapshots.filter((s) => s.store === 'main').length, 2);
  });

  it('a datastore in offline maintenance is not listed and keeps its records; a failed usage read keeps the usage', async () => {
    const pbs = new FakePbs();
    await sync(pbs);
    const before = await stored();
    pbs.data.datastores[1] = { store: 'offsite', maintenance: 'type=offline,message=disk swap' };
    pbs.data.snapshots['offsite/'] = [];
    pbs.faults.set('/status/datastore-usage', pbsError('internal', '/status/datastore-usage'));
    pbs.calls.length = 0;
    const { complete } = await sync(pbs);
    assert.ok(!pbs.calls.some((c) => c.startsWith('/admin/datastore/offsite/')), pbs.calls.join(' '));
    assert.equal(outcome(complete, 'pbs-snapshots')!.skipped, 1);
    assert.equal(outcome(complete, 'datastores')!.failed, 1);
    const inv = await stored();
    assert.deepEqual(inv.pbsSnapshots, before.pbsSnapshots);
    const offsite = inv.datastores.find((d) => d.store === 'offsite')!;
    assert.equal(offsite.maintenance, 'type=offline,message=disk swap');
    assert.equal(offsite.availBytes, 1_900_000, 'the usage of the last sync is kept');
  });

  it('a refused token ends the run: one complete, nothing stored for a server never synced', async () => {
    const pbs = new FakePbs();
    pbs.faults.set('/admin/datastore', pbsError('authentication', '/admin/datastore'));
    pbs.held.add('/admin/prune');
    const { complete } = await sync(pbs);
    assert.equal(complete.ok, false);
    assert.equal(complete.errors?.[0]?.category, 'authentication');
    assert.equal(complete.failed_stage, 'datastores');
    // pbs-jobs was waiting on its listing: the token error stopped it rather than letting it time out.
    assert.equal(outcome(complete, 'pbs-jobs')!.status, 'failed');
    for (const s of ['namespaces', 'backup-groups', 'pbs-snapshots']) assert.notEqual(outcome(complete, s)!.status, 'completed', s);
    assert.equal(await loadInventory(store, PBS_ENDPOINT.id), undefined);
  });

  it('a cancel ends the run as cancelled with one complete, keeping the previous snapshots', async () => {
    const pbs = new FakePbs();
    await sync(pbs);
    const before = await stored();
    pbs.data.snapshots['main/'] = [];
    pbs.held.add('/admin/datastore/main/snapshots?ns=');
    const ac = new AbortController();
    const { complete } = await sync(pbs, {
      signal: ac.signal,
      onEvent: (e) => { if (e.event === 'step' && e.data.step === 'pbs-snapshots' && e.data.status === 'started') setTimeout(() => ac.abort(), 5); },
    });
    assert.equal(complete.cancelled, true);
    assert.equal(complete.ok, false);
    assert.equal(outcome(complete, 'pbs-snapshots')!.status, 'failed');
    assert.deepEqual((await stored()).pbsSnapshots, before.pbsSnapshots);
  });

  it('--stages on a PBS: PBS stages pull in their dependencies, a PVE stage is refused naming the kind', async () => {
    const pbs = new FakePbs();
    let r = await sync(pbs, { stages: ['pbs-snapshots'] });
    assert.deepEqual(r.complete.stages.map((s) => s.step), ['datastores', 'namespaces', 'pbs-snapshots']);
    assert.ok(!pbs.calls.includes('/admin/prune'));
    r = await sync(pbs, { stages: ['backups'] });
    assert.equal(r.complete.ok, false);
    assert.match(r.complete.message, /'backups' is a stage of a Proxmox VE cluster.*Proxmox Backup Server.*datastores, namespaces/);
  });

  it('a PBS stage asked of a PVE endpoint is refused naming the kind, before any request', async () => {
    const events: PipelineEvent[] = [];
    const complete = await runSync({
      endpoint: { ...PBS_ENDPOINT, kind: 'pve' }, secret: 'pve-secret-0123456789abcdef', store, stages: ['datastores'],
      onEvent: (e) => events.push(e),
    });
    assert.equal(complete.ok, false);
    assert.match(complete.message, /'datastores' is a stage of a Proxmox Backup Server/);
    assert.equal(complete.result.requests, 0);
  });

  it('a NetBox sink does not run for a PBS, and the run says so', async () => {
    let ran = false;
    const sink = { name: 'netbox', startMessage: 'Writing to NetBox.', run: async () => { ran = true; throw new Error('must not run'); } } as unknown as InventorySink;
    const { complete, events } = await sync(new FakePbs(), { sinks: [sink] });
    assert.equal(ran, false);
    assert.equal(complete.ok, true, complete.message);
    assert.ok(!complete.stages.some((s) => s.step === 'netbox'));
    assert.ok(complete.warnings.some((w) => w.startsWith('netbox: not run') && w.includes('Proxmox Backup Server')));
    const started = events.find((e) => e.event === 'step' && e.data.step === 'sync');
    assert.match(started?.event === 'step' ? started.data.message : '', /netbox not run for a Proxmox Backup Server/);
  });

  it('the reducer shows a PBS run as its own five stages, whatever list the caller started with', async () => {
    // A sync job does not know the endpoint's kind: it starts the progress with the PVE stages.
    const progress = startRun(STAGES);
    const { complete } = await sync(new FakePbs(), { onEvent: (e) => applyEvent(progress, e) });
    assert.equal(complete.ok, true);
    assert.deepEqual(progress.stages.map((s) => s.name), [...PBS_STAGES]);
    assert.ok(progress.stages.every((s) => s.status === 'completed'));
    assert.equal(progress.done, true);
  });
});
