import { strict as assert } from 'node:assert';
import { mkdtempSync, rmSync, cpSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startSimulator, RunningSimulator } from '../../src/sim';
import { runSync, PipelineEvent, CompleteData, StageName, STAGES } from '../../src/core/pipeline';
import { STAGE_DEFINITIONS } from '../../src/core/pipeline/stages';
import { loadInventory } from '../../src/core/inventory/inventory';
import { COLLECTIONS, EndpointRef, Inventory } from '../../src/core/inventory/model';

// A fault in each stage in turn. The stages a fault takes down are written out by hand, stage by stage, rather than
// computed from the dependency table: a wrong edge in the table (a stage skipped that could have run, or one left
// running that reads what the failed stage writes) shows up here as a difference.
interface Row {
  /** The simulator fault that makes the stage fail (undefined: the stage has no request of its own). */
  fault?: string;
  skipped: StageName[];
  /** What the stage writes, as it is stored. */
  part: (inv: Inventory) => unknown;
}
const FAULT_TABLE: Record<StageName, Row> = {
  devices: {
    fault: '/cluster/status',
    skipped: ['virtual-machines', 'virtual-disks', 'task-history', 'backups', 'snapshots', 'node-interfaces', 'vm-interfaces', 'vm-ip-addresses', 'backup-routines'],
    part: (inv) => [inv.nodes, inv.cluster],
  },
  storage: { fault: '/storage', skipped: ['backups', 'backup-routines'], part: (inv) => inv.storages },
  'virtual-machines': { fault: '/nodes/*/config', skipped: ['virtual-disks', 'snapshots', 'vm-interfaces', 'vm-ip-addresses'], part: (inv) => inv.guests },
  'virtual-disks': { skipped: [], part: (inv) => inv.disks },
  'task-history': { fault: '/nodes/*/tasks', skipped: [], part: (inv) => inv.tasks },
  backups: { fault: '/nodes/*/storage/*/content', skipped: [], part: (inv) => inv.backups },
  snapshots: { fault: '/nodes/*/snapshot', skipped: [], part: (inv) => inv.snapshots },
  'node-interfaces': { fault: '/nodes/*/network', skipped: [], part: (inv) => inv.interfaces.filter((i) => i.owner === 'node') },
  'vm-interfaces': { fault: '/nodes/*/agent/network-get-interfaces', skipped: ['vm-ip-addresses'], part: (inv) => inv.interfaces.filter((i) => i.owner === 'guest') },
  // The container runtime listing; with no guest agent asked (see agentOff) it is all the stage reads.
  'vm-ip-addresses': { fault: '/nodes/*/lxc/*/interfaces', skipped: [], part: (inv) => inv.ipAddresses },
  replications: { fault: '/cluster/replication', skipped: [], part: (inv) => inv.replications },
  'backup-routines': { fault: '/cluster/backup', skipped: [], part: (inv) => inv.backupRoutines },
};
const KINDS = ['500', '596', 'timeout', 'reset', 'badjson', '401'];
const SIM_NOW = 1_760_000_000;

function counts(inv: Inventory): Record<string, number> {
  return Object.fromEntries(COLLECTIONS.map((c) => [c, inv[c].length]));
}

const stepsOf = (events: PipelineEvent[], stage: StageName): string[] =>
  events.flatMap((e) => (e.event === 'step' && e.data.step === stage ? [e.data.status] : []));

describe('pipeline under faults (simulator)', function () {
  this.timeout(180_000);
  let sim: RunningSimulator;
  let baseline: string;
  let baselineInv: Inventory;
  let endpoint: EndpointRef;
  const stores: string[] = [];

  before(async () => {
    sim = await startSimulator({ seed: 21, nodes: 2, guests: 8, jobs: 4, now: SIM_NOW });
    endpoint = { id: 'f', name: 'faults', url: sim.url, tokenId: sim.tokenId, fingerprint: sim.fingerprint };
    baseline = mkdtempSync(join(tmpdir(), 'proxbox-faults-'));
    stores.push(baseline);
    const c = await runSync({ endpoint, secret: sim.tokenSecret, store: baseline, now: () => SIM_NOW * 1000, options: { timeoutMs: 2000, retries: 0 } });
    assert.equal(c.ok, true, JSON.stringify(c.errors));
    baselineInv = (await loadInventory(baseline, 'f'))!;
    assert.ok(baselineInv.backupRoutines.length > 0 && baselineInv.guests.some((g) => g.type === 'qemu' && g.status === 'running' && g.agent));
    for (const s of STAGES) assert.ok(FAULT_TABLE[s].part(baselineInv), s);
  });
  after(async () => {
    await sim.close();
    for (const s of stores) rmSync(s, { recursive: true, force: true });
  });

  /**
   * For the vm-ip-addresses row: no guest agent is asked (it would answer from the interfaces stage's cache and
   * keep the stage alive), so the container runtime listings are all the stage reads. Returns the undo.
   */
  function agentOff(): () => void {
    const qemu = sim.cluster.guests.filter((g) => g.type === 'qemu' && g.agent);
    for (const g of qemu) g.agent = false;
    assert.ok(sim.cluster.guests.some((g) => g.type === 'lxc' && g.status === 'running' && g.nics.some((n) => n.dhcp)), 'a running DHCP container');
    return () => { for (const g of qemu) g.agent = true; };
  }

  /** Makes a stage with no request of its own fail the way it can: an internal error. Returns the undo. */
  function breakStage(stage: StageName): () => void {
    const def = STAGE_DEFINITIONS[stage] as { run: (typeof STAGE_DEFINITIONS)[StageName]['run'] };
    const run = def.run;
    def.run = () => Promise.reject(new Error(`injected fault in ${stage}`));
    return () => { def.run = run; };
  }

  async function runWith(faults: string[], from?: string): Promise<{ events: PipelineEvent[]; complete: CompleteData; inv: Inventory }> {
    const store = mkdtempSync(join(tmpdir(), 'proxbox-faults-'));
    stores.push(store);
    if (from) cpSync(from, store, { recursive: true });
    sim.setFaults(faults);
    const events: PipelineEvent[] = [];
    try {
      const complete = await runSync({ endpoint, secret: sim.tokenSecret, store, now: () => SIM_NOW * 1000, onEvent: (e) => events.push(e), options: { timeoutMs: 600, retries: 0 } });
      const inv = (await loadInventory(store, 'f'))!;
      return { events, complete, inv };
    } finally {
      sim.setFaults([]);
    }
  }

  /**
   * Runs `fn` with the cluster prepared for a fault in `stage` (`check` first, on the prepared cluster without the
   * fault, when given) and the fault armed: a simulator fault, or for a stage without requests a broken stage.
   */
  async function withFault<T>(stage: StageName, kind: string, fn: (faults: string[]) => Promise<T>, check?: () => Promise<void>): Promise<T> {
    const row = FAULT_TABLE[stage];
    const restore = stage === 'vm-ip-addresses' ? agentOff() : () => undefined;
    try {
      await check?.();
      const repair = row.fault ? () => undefined : breakStage(stage);
      try {
        return await fn(row.fault ? [`${row.fault}:${kind}`] : []);
      } finally {
        repair();
      }
    } finally {
      restore();
    }
  }

  /** What a run with a failed stage must show, whatever the kind of fault (bad tokens aside). */
  function assertOutcome(r: { events: PipelineEvent[]; complete: CompleteData }, stage: StageName, label: string): void {
    const { skipped } = FAULT_TABLE[stage];
    const c = r.complete;
    assert.equal(c.ok, false, label);
    assert.equal(c.failed_stage, stage, label);
    assert.deepEqual(c.failed_stages, [stage], label);
    assert.deepEqual(c.skipped_stages, skipped, label);
    assert.deepEqual(c.errors?.map((e) => e.step), [stage], `${label}: one error, the failed stage's`);
    for (const s of STAGES) {
      const expected = s === stage ? 'failed' : skipped.includes(s) ? 'skipped' : 'completed';
      assert.equal(c.stages.find((o) => o.step === s)?.status, expected, `${label}: ${s}`);
      // A skipped stage never starts: its one step says why; the others start and end once.
      assert.deepEqual(stepsOf(r.events, s), expected === 'skipped' ? ['skipped'] : ['started', expected], `${label}: steps of ${s}`);
    }
    for (const s of skipped) {
      const step = r.events.find((e) => e.event === 'step' && e.data.step === s)!;
      assert.equal(step.event === 'step' && step.data.failed_dependency, stage, `${label}: ${s} names ${stage}`);
      assert.match(step.event === 'step' ? step.data.message : '', new RegExp(`^skipped: depends on ${stage}, which failed`));
    }
    assert.equal(r.events.filter((e) => e.event === 'complete').length, 1, `${label}: one complete`);
    assert.equal(r.events.at(-1)?.event, 'complete', `${label}: complete is last`);
  }

  describe('a fault in each stage: what completes, what is skipped, what is saved', () => {
    for (const stage of STAGES) {
      it(`${stage}`, async () => {
        let reference: Inventory | undefined;
        await withFault(stage, '500', async (faults) => {
          const r = await runWith(faults);
          assertOutcome(r, stage, stage);
          // From an empty store: each completed stage saved exactly what a clean run saves; the failed and the
          // skipped stages saved nothing.
          for (const s of STAGES) {
            const { part } = FAULT_TABLE[s];
            if (r.complete.stages.find((o) => o.step === s)?.status === 'completed') {
              assert.deepEqual(part(r.inv), part(reference!), `${s} saved as in a clean run`);
            } else {
              assert.deepEqual(part(r.inv), s === 'devices' ? [[], null] : [], `${s} saved nothing`);
            }
          }
        }, async () => {
          const clean = await runWith([]);
          assert.equal(clean.complete.ok, true, JSON.stringify(clean.complete.errors));
          reference = clean.inv;
        });
      });
    }
  });

  describe('every kind of fault in each stage, over a stored inventory', () => {
    // Whatever happens: one `complete` ends the run, the failed stage is named, no routine is marked stale,
    // nothing is deleted, and the store still loads with every record it had.
    function invariants(r: { events: PipelineEvent[]; complete: CompleteData; inv: Inventory }, label: string): void {
      assert.equal(r.events.filter((e) => e.event === 'complete').length, 1, `${label}: one complete`);
      assert.equal(r.events.at(-1)?.event, 'complete', `${label}: complete is last`);
      assert.equal(r.complete.result.deleted, 0, `${label}: nothing deleted`);
      assert.equal(r.complete.result.stale, 0, `${label}: nothing marked stale`);
      assert.ok(r.inv.backupRoutines.every((x) => x.status === 'active'), `${label}: no routine stale`);
      assert.deepEqual(counts(r.inv), counts(baselineInv), `${label}: every collection as before`);
    }

    for (const stage of STAGES.filter((s) => FAULT_TABLE[s].fault)) {
      for (const kind of KINDS) {
        it(`${kind} in ${stage}`, async () => {
          await withFault(stage, kind, async (faults) => {
            const r = await runWith(faults, baseline);
            invariants(r, `${kind} in ${stage}`);
            assert.ok(r.events.some((e) => e.event === 'error_detail' && e.data.phase === stage));
            assert.ok(r.complete.errors?.[0].detail);
            if (kind !== '401') {
              assertOutcome(r, stage, `${kind} in ${stage}`);
              return;
            }
            // A bad token ends the whole run: no stage is skipped for it, no stage starts after it.
            assert.equal(r.complete.ok, false);
            assert.equal(r.complete.failed_stage, stage);
            assert.equal(r.complete.errors?.[0].category, 'authentication');
            assert.deepEqual(r.complete.skipped_stages, []);
            const errorAt = r.events.findIndex((e) => e.event === 'error');
            assert.ok(!r.events.slice(errorAt).some((e) => e.event === 'step' && e.data.status === 'started'), 'nothing starts after a 401');
          });
        });
      }
    }
  });

  it('an offline node: the others sync, the node is named, nothing of it is removed', async () => {
    const node = baselineInv.nodes[1].name;
    const r = await runWith([`/nodes/${node}/*:offline-node`], baseline);
    assert.equal(r.complete.ok, true, JSON.stringify(r.complete.errors));
    assert.deepEqual(counts(r.inv), counts(baselineInv));
    assert.equal(r.complete.result.deleted, 0);
    assert.ok(r.events.some((e) => e.event === 'error_detail' && e.data.phase === 'devices' && e.data.message.includes(node)));
  });

  it('a fault on a few requests only: those items keep their data, the others are read', async () => {
    const r = await runWith(['/nodes/*/config:500:0.5'], baseline);
    assert.equal(r.complete.ok, true);
    assert.deepEqual(counts(r.inv), counts(baselineInv));
    const vm = r.complete.stages.find((s) => s.step === 'virtual-machines')!;
    assert.ok(vm.failed > 0 && vm.failed < baselineInv.guests.length, `failed ${vm.failed}`);
  });
});
