import { strict as assert } from 'node:assert';
import { mkdtempSync, rmSync, cpSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startSimulator, RunningSimulator } from '../../src/sim';
import { runSync, PipelineEvent, CompleteData, StageName, SKIPPABLE_STAGES } from '../../src/core/pipeline';
import { loadInventory } from '../../src/core/inventory/inventory';
import { COLLECTIONS, EndpointRef, Inventory } from '../../src/core/inventory/model';

// A fault in each stage in turn, of every kind the simulator injects. Whatever happens: one `complete` ends the
// run, a failed stage is named, no routine is marked stale, nothing is deleted, and the store still loads.
const STAGE_FAULTS: [StageName, string][] = [
  ['devices', '/cluster/status'],
  ['storage', '/storage'],
  ['virtual-machines', '/nodes/*/config'],
  ['task-history', '/nodes/*/tasks'],
  ['backups', '/nodes/*/storage/*/content'],
  ['snapshots', '/nodes/*/snapshot'],
  ['node-interfaces', '/nodes/*/network'],
  ['vm-interfaces', '/nodes/*/agent/network-get-interfaces'],
  ['replications', '/cluster/replication'],
  ['backup-routines', '/cluster/backup'],
];
const KINDS = ['500', '596', 'timeout', 'reset', 'badjson', '401'];

function counts(inv: Inventory): Record<string, number> {
  return Object.fromEntries(COLLECTIONS.map((c) => [c, inv[c].length]));
}

describe('pipeline under faults (simulator)', function () {
  this.timeout(120_000);
  let sim: RunningSimulator;
  let baseline: string;
  let baselineInv: Inventory;
  let endpoint: EndpointRef;
  const stores: string[] = [];

  before(async () => {
    sim = await startSimulator({ seed: 21, nodes: 2, guests: 8, jobs: 4 });
    endpoint = { id: 'f', name: 'faults', url: sim.url, tokenId: sim.tokenId, fingerprint: sim.fingerprint };
    baseline = mkdtempSync(join(tmpdir(), 'proxbox-faults-'));
    stores.push(baseline);
    const c = await runSync({ endpoint, secret: sim.tokenSecret, store: baseline, options: { timeoutMs: 2000, retries: 0 } });
    assert.equal(c.ok, true, JSON.stringify(c.errors));
    baselineInv = (await loadInventory(baseline, 'f'))!;
    assert.ok(baselineInv.backupRoutines.length > 0 && baselineInv.guests.some((g) => g.type === 'qemu' && g.status === 'running' && g.agent));
  });
  after(async () => {
    await sim.close();
    for (const s of stores) rmSync(s, { recursive: true, force: true });
  });

  async function runWith(faults: string[], stages?: StageName[]): Promise<{ events: PipelineEvent[]; complete: CompleteData; inv: Inventory; hit: boolean }> {
    const store = mkdtempSync(join(tmpdir(), 'proxbox-faults-'));
    stores.push(store);
    cpSync(baseline, store, { recursive: true });
    sim.setFaults([]);
    sim.resetStats();
    sim.setFaults(faults);
    const events: PipelineEvent[] = [];
    const complete = await runSync({ endpoint, secret: sim.tokenSecret, store, stages, onEvent: (e) => events.push(e), options: { timeoutMs: 600, retries: 0 } });
    sim.setFaults([]);
    const inv = (await loadInventory(store, 'f'))!;
    return { events, complete, inv, hit: true };
  }

  function invariants(r: { events: PipelineEvent[]; complete: CompleteData; inv: Inventory }, label: string): void {
    assert.equal(r.events.filter((e) => e.event === 'complete').length, 1, `${label}: one complete`);
    assert.equal(r.events.at(-1)?.event, 'complete', `${label}: complete is last`);
    assert.equal(r.complete.result.deleted, 0, `${label}: nothing deleted`);
    assert.equal(r.complete.result.stale, 0, `${label}: nothing marked stale`);
    assert.ok(r.inv.backupRoutines.every((x) => x.status === 'active'), `${label}: no routine stale`);
    assert.deepEqual(counts(r.inv), counts(baselineInv), `${label}: every collection as before`);
  }

  for (const [stage, glob] of STAGE_FAULTS) {
    for (const kind of KINDS) {
      it(`${kind} in ${stage}`, async () => {
        const r = await runWith([`${glob}:${kind}`], [stage]);
        invariants(r, `${kind} in ${stage}`);
        const failedStep = r.events.find((e) => e.event === 'step' && e.data.status === 'failed');
        if (kind === '401' || !SKIPPABLE_STAGES.has(stage)) {
          assert.equal(r.complete.ok, false, `${stage} ${kind} should fail the run`);
          assert.equal(r.complete.failed_stage, stage);
          assert.ok(r.events.some((e) => e.event === 'error_detail' && e.data.phase === stage));
          assert.ok(r.complete.errors?.[0].detail);
          if (kind === '401') assert.equal(r.complete.errors?.[0].category, 'authentication');
        } else {
          assert.equal(r.complete.ok, true, JSON.stringify(r.complete.errors));
          assert.ok(failedStep && failedStep.event === 'step' && failedStep.data.step === stage && failedStep.data.skippable, `${stage} reported as skipped`);
          assert.ok(r.complete.warnings.some((w) => w.includes(stage)));
        }
      });
    }
  }

  it('an offline node: the others sync, the node is named, nothing of it is removed', async () => {
    const node = baselineInv.nodes[1].name;
    const r = await runWith([`/nodes/${node}/*:offline-node`]);
    invariants(r, 'offline node');
    assert.equal(r.complete.ok, true, JSON.stringify(r.complete.errors));
    assert.ok(r.events.some((e) => e.event === 'error_detail' && e.data.phase === 'devices' && e.data.message.includes(node)));
  });

  it('a fault on a few requests only: those items keep their data, the others are read', async () => {
    const r = await runWith(['/nodes/*/config:500:0.5']);
    invariants(r, 'half the configs');
    assert.equal(r.complete.ok, true);
    const vm = r.complete.stages.find((s) => s.step === 'virtual-machines')!;
    assert.ok(vm.failed > 0 && vm.failed < baselineInv.guests.length, `failed ${vm.failed}`);
  });
});
