// A PBS synced end to end: the simulated PBS over HTTPS → the real PbsClient → the five PBS stages → the store, beside
// the PVE cluster whose `pbs` storage points at it. What the PBS reports arrives in the inventory, a re-sync writes
// nothing, a failed listing keeps what it would have replaced, and a backup seen through PVE and PBS is one key.
import { strict as assert } from 'node:assert';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runSync, type CompleteData, type PipelineEvent } from '../../../src/core/pipeline';
import { loadInventory } from '../../../src/core/inventory/inventory';
import { pbsSnapshotKey, type EndpointRef, type Inventory } from '../../../src/core/inventory/model';
import { matchPbsStorages, pbsKeyOfVolid } from '../../../src/core/pbs/identity';
import { startSimulator, type RunningSimulatorWithPbs } from '../../../src/sim';

const NOW = 1_790_000_000;

describe('PBS sync end to end (simulated PBS over HTTPS)', function () {
  this.timeout(60_000);
  let sim: RunningSimulatorWithPbs;
  let store: string;
  let pve: EndpointRef;
  let pbs: EndpointRef;

  beforeEach(async () => {
    sim = await startSimulator({ scenario: 'health', pbs: true, now: NOW });
    store = mkdtempSync(join(tmpdir(), 'proxbox-pbs-e2e-'));
    pve = { id: 'pve', name: 'pve', url: sim.url, tokenId: sim.tokenId, fingerprint: sim.fingerprint };
    pbs = { id: 'pbs', name: 'pbs', url: sim.pbs.url, tokenId: sim.pbs.tokenId, fingerprint: sim.pbs.fingerprint, kind: 'pbs' };
  });
  afterEach(async () => {
    await sim.close();
    rmSync(store, { recursive: true, force: true });
  });

  async function sync(endpoint: EndpointRef, secret: string): Promise<{ complete: CompleteData; events: PipelineEvent[] }> {
    const events: PipelineEvent[] = [];
    const complete = await runSync({ endpoint, secret, store, now: () => NOW * 1000, options: { retries: 0, timeoutMs: 5000 }, onEvent: (e) => events.push(e) });
    assert.equal(events.filter((e) => e.event === 'complete').length, 1, 'exactly one complete');
    return { complete, events };
  }
  const stored = async (id: string): Promise<Inventory> => {
    const inv = await loadInventory(store, id, NOW);
    assert.ok(inv, `${id} was stored`);
    return inv;
  };

  it('stores what the PBS reports: datastores with usage, namespaces, groups, snapshots with verification, the four job kinds', async () => {
    const { complete } = await sync(pbs, sim.pbs.tokenSecret);
    assert.equal(complete.ok, true, complete.message);
    const inv = await stored('pbs');
    const model = sim.cluster.pbs!;
    assert.equal(inv.endpoint.kind, 'pbs');
    assert.deepEqual(inv.datastores.map((d) => d.store).sort(), model.datastores.map((d) => d.store).sort());
    const full = inv.datastores.find((d) => d.usedBytes !== null && d.totalBytes && d.usedBytes / d.totalBytes > 0.9);
    assert.ok(full && full.estimatedFullDate !== null && full.estimatedFullDate > NOW, 'the nearly full datastore and its estimate');
    assert.equal(inv.pbsSnapshots.length, model.snapshots.length);
    const keys = new Set(inv.pbsSnapshots.map(pbsSnapshotKey));
    assert.equal(keys.size, inv.pbsSnapshots.length, 'one key per snapshot');
    assert.deepEqual([...new Set(inv.pbsJobs.map((j) => j.kind))].sort(), ['gc', 'prune', 'sync', 'verify']);
    const failedVerify = inv.pbsJobs.find((j) => j.kind === 'verify' && j.lastRunState && j.lastRunState.toLowerCase() !== 'ok');
    assert.ok(failedVerify, 'the failed verify job and its words');
    assert.ok(inv.pbsSnapshots.some((s) => s.verification?.state === 'failed'));
    // Each group counts the snapshots the PBS holds for it.
    for (const g of inv.backupGroups) {
      const n = inv.pbsSnapshots.filter((s) => s.store === g.store && s.ns === g.ns && s.backupType === g.backupType && s.backupId === g.backupId).length;
      assert.equal(g.backupCount, n, `${g.store}/${g.ns}/${g.backupType}/${g.backupId}`);
    }

    const again = await sync(pbs, sim.pbs.tokenSecret);
    assert.equal(again.complete.ok, true);
    assert.equal(again.complete.result.written, 0, 'an unchanged PBS writes nothing');
  });

  it('matches the PVE pbs storage to the PBS, and every backup PVE lists there to one PBS snapshot', async () => {
    assert.equal((await sync(pve, sim.tokenSecret)).complete.ok, true);
    assert.equal((await sync(pbs, sim.pbs.tokenSecret)).complete.ok, true);
    const [pveInv, pbsInv] = [await stored('pve'), await stored('pbs')];
    const matches = matchPbsStorages([pveInv, pbsInv]);
    assert.equal(matches.length, 1);
    const m = matches[0]!;
    assert.equal(m.pbsEndpointId, 'pbs');
    const listed = pveInv.backups.filter((b) => b.storage === m.storage);
    assert.ok(listed.length > 0);
    const keys = new Set(pbsInv.pbsSnapshots.map(pbsSnapshotKey));
    for (const b of listed) assert.ok(keys.has(pbsKeyOfVolid(m, b.volid)!), `${b.volid} is a PBS snapshot`);
  });

  it('a failed snapshot listing keeps the stored snapshots of that datastore; a wrong secret ends the run and changes nothing', async () => {
    assert.equal((await sync(pbs, sim.pbs.tokenSecret)).complete.ok, true);
    const before = await stored('pbs');
    const store1 = before.pbsSnapshots.filter((s) => s.store === 'store1').length;
    assert.ok(store1 > 0);
    // The PBS changes (a snapshot of store1 pruned) but cannot be listed: nothing is removed on a failed listing.
    sim.cluster.pbs!.snapshots.splice(sim.cluster.pbs!.snapshots.findIndex((s) => s.store === 'store1'), 1);
    sim.pbs.setFaults(['/admin/datastore/store1/snapshots:500:1']);
    const failed = await sync(pbs, sim.pbs.tokenSecret);
    // As for a PVE storage whose listing fails: the items fail, the stage completes, the others are untouched.
    const snapshots = failed.complete.stages.find((st) => st.step === 'pbs-snapshots')!;
    assert.ok(snapshots.failed > 0, JSON.stringify(snapshots));
    assert.equal(snapshots.deleted, 0);
    assert.equal((await stored('pbs')).pbsSnapshots.filter((s) => s.store === 'store1').length, store1);

    sim.pbs.setFaults([]);
    const denied = await sync(pbs, 'not-the-secret-0123456789abcdef');
    assert.equal(denied.complete.ok, false);
    assert.match(JSON.stringify(denied.complete.errors), /auth/i);
    assert.equal((await stored('pbs')).pbsSnapshots.filter((s) => s.store === 'store1').length, store1);

    const ok = await sync(pbs, sim.pbs.tokenSecret);
    assert.equal(ok.complete.ok, true);
    assert.equal((await stored('pbs')).pbsSnapshots.filter((s) => s.store === 'store1').length, store1 - 1, 'the next good sync removes it');
  });
});
