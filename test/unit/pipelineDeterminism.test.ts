import { strict as assert } from 'node:assert';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startSimulator, RunningSimulator, LatencySettings } from '../../src/sim';
import { runSync, PipelineEvent, CompleteData, STAGES, resolveOptions } from '../../src/core/pipeline';
import type { PveApi } from '../../src/core/pipeline/api';
import { SyncContext, StageRun } from '../../src/core/pipeline/context';
import { EventEmitterOnce } from '../../src/core/pipeline/events';
import { loadInventory } from '../../src/core/inventory/inventory';
import { emptyInventory, EndpointRef, InterfaceRecord, Inventory } from '../../src/core/inventory/model';

// Stages run at the same time and finish in an order set by how fast Proxmox answers. The same cluster synced under
// different per-request delays must give the same stored inventory and, stage by stage, the same events (times
// aside); `complete` too. The runs below are arranged so that the two stages sharing the interfaces collection
// commit in both orders, and item failures arrive in different orders.
const SIM_NOW = 1_760_000_000;

interface Outcome { events: PipelineEvent[]; complete: CompleteData; inv: Inventory }

/** The events of each stage (and of the run, under 'sync'), without the fields that measure time. */
function perStage(events: PipelineEvent[]): Record<string, unknown[]> {
  const out: Record<string, unknown[]> = {};
  for (const e of events) {
    const d = e.data as unknown as Record<string, unknown>;
    const key = String(d.step ?? d.phase ?? 'sync');
    const copy = JSON.parse(JSON.stringify(e)) as { data: Record<string, unknown> };
    delete copy.data.duration_seconds;
    delete copy.data.timing;
    if (e.event === 'complete') {
      for (const s of copy.data.stages as Record<string, unknown>[]) delete s.duration_seconds;
    }
    (out[key] ??= []).push(copy);
  }
  return out;
}

const completedOrder = (events: PipelineEvent[]): string[] =>
  events.flatMap((e) => (e.event === 'step' && e.data.status === 'completed' ? [e.data.step] : []));

describe('pipeline: the same result whatever the timing (simulator)', function () {
  this.timeout(120_000);
  let sim: RunningSimulator;
  let endpoint: EndpointRef;
  const stores: string[] = [];

  before(async () => {
    sim = await startSimulator({ seed: 31, nodes: 3, guests: 40, jobs: 6, now: SIM_NOW });
    endpoint = { id: 'd', name: 'determinism', url: sim.url, tokenId: sim.tokenId, fingerprint: sim.fingerprint };
  });
  after(async () => {
    await sim.close();
    for (const s of stores) rmSync(s, { recursive: true, force: true });
  });

  async function syncWith(latency: LatencySettings, faults: string[]): Promise<Outcome> {
    const store = mkdtempSync(join(tmpdir(), 'proxbox-determinism-'));
    stores.push(store);
    sim.setLatency({ latencyMs: 0, jitterMs: 0, slowPaths: [], ...latency });
    sim.setFaults(faults);
    const events: PipelineEvent[] = [];
    try {
      const complete = await runSync({ endpoint, secret: sim.tokenSecret, store, now: () => SIM_NOW * 1000, onEvent: (e) => events.push(e), options: { timeoutMs: 5000, retries: 0 } });
      return { events, complete, inv: (await loadInventory(store, 'd'))! };
    } finally {
      sim.setFaults([]);
      sim.setLatency({ latencyMs: 0, jitterMs: 0, slowPaths: [] });
    }
  }

  it('stores the same inventory and emits the same events per stage under different delays', async () => {
    // Item failures of two causes on named guests (the same requests fail in every run, whatever their order),
    // and one failed stage.
    const qemu = sim.cluster.guests.filter((g) => g.type === 'qemu').slice(0, 3);
    const lxc = sim.cluster.guests.filter((g) => g.type === 'lxc').slice(0, 2);
    assert.ok(qemu.length === 3 && lxc.length === 2);
    const faults = [
      ...qemu.map((g) => `/nodes/*/qemu/${g.vmid}/snapshot:500`),
      ...lxc.map((g) => `/nodes/*/lxc/${g.vmid}/snapshot:596`),
      '/cluster/replication:500',
    ];
    const runs = [
      // Node interfaces answer late: vm-interfaces commits first.
      await syncWith({ latencyMs: 2, slowPaths: ['/nodes/*/network:2000'] }, faults),
      // Guest agents answer late: node-interfaces commits first.
      await syncWith({ latencyMs: 2, jitterMs: 6, seed: 1, slowPaths: ['/nodes/*/agent/*:2000'] }, faults),
      // Every request delayed by a different amount.
      await syncWith({ latencyMs: 1, jitterMs: 25, seed: 2 }, faults),
    ];
    const before = (o: Outcome, a: string, b: string): boolean => completedOrder(o.events).indexOf(a) < completedOrder(o.events).indexOf(b);
    assert.ok(before(runs[0], 'vm-interfaces', 'node-interfaces'), completedOrder(runs[0].events).join(' '));
    assert.ok(before(runs[1], 'node-interfaces', 'vm-interfaces'), completedOrder(runs[1].events).join(' '));
    assert.notDeepEqual(completedOrder(runs[2].events), completedOrder(runs[0].events), 'the runs finished stages in different orders');

    const [first, ...others] = runs;
    assert.equal(first.complete.ok, false);
    assert.deepEqual(first.complete.failed_stages, ['replications']);
    const snapshots = first.complete.stages.find((s) => s.step === 'snapshots')!;
    assert.equal(snapshots.failed, 5);
    assert.ok(first.inv.interfaces.some((i) => i.owner === 'node') && first.inv.interfaces.some((i) => i.owner === 'guest'));
    for (const [i, run] of others.entries()) {
      assert.deepEqual(run.inv, first.inv, `run ${i + 2}: stored inventory`);
      assert.deepEqual(perStage(run.events), perStage(first.events), `run ${i + 2}: events per stage`);
      assert.deepEqual(Object.keys(perStage(run.events)).sort(), [...STAGES, 'sync'].sort());
    }
  });
});

describe('pipeline: two stages sharing a collection commit in either order', () => {
  const nic = (owner: 'node' | 'guest', name: string, extra: Partial<InterfaceRecord> = {}): InterfaceRecord => ({
    owner, node: 'pve1', vmid: owner === 'guest' ? 100 : null, name, type: 'eth', mac: null, bridge: null, vlan: null, model: null,
    guestName: null, cidr: null, cidr6: null, gateway: null, active: null, autostart: null, firewall: null, mtu: null, ports: null, comments: null,
    ...extra,
  });

  /**
   * Both stages reconcile before either commits (their last answers arrived in the same turn of the event loop),
   * then commit in the given order. Without the replay on commit, the second commit would put back the other
   * stage's records as they were before the first.
   */
  function commitBoth(order: 'node-first' | 'guest-first') {
    const inventory = emptyInventory({ id: 'x', name: 'x', url: 'https://127.0.0.1:8006', tokenId: 'root@pam!x' });
    inventory.interfaces = [nic('node', 'eth0'), nic('node', 'vmbr0', { mtu: 1500 }), nic('guest', 'net0'), nic('guest', 'net1')];
    // No request is made: the runs are driven by hand.
    const ctx = new SyncContext({} as PveApi, new AbortController().signal, resolveOptions(), new EventEmitterOnce(undefined), () => SIM_NOW * 1000, inventory);
    const nodeRun = new StageRun(ctx, 'node-interfaces');
    const guestRun = new StageRun(ctx, 'vm-interfaces');
    nodeRun.reconcile('interfaces', [nic('node', 'eth0'), nic('node', 'vmbr0', { mtu: 9000 }), nic('node', 'bond0')], (i) => i.owner === 'node');
    guestRun.reconcile('interfaces', [nic('guest', 'net0'), nic('guest', 'net2')], (i) => i.owner === 'guest');
    for (const run of order === 'node-first' ? [nodeRun, guestRun] : [guestRun, nodeRun]) run.commit();
    return { interfaces: ctx.inventory.interfaces, node: { ...nodeRun.counts }, guest: { ...guestRun.counts }, dirty: [...ctx.dirty] };
  }

  it('keeps both stages\' changes and counts, whichever commits first', () => {
    const a = commitBoth('node-first');
    const b = commitBoth('guest-first');
    assert.deepEqual(a.interfaces.map((i) => `${i.owner}/${i.name}/${i.mtu ?? ''}`), ['guest/net0/', 'guest/net2/', 'node/bond0/', 'node/eth0/', 'node/vmbr0/9000']);
    assert.deepEqual(b, a);
    assert.deepEqual(a.node, { created: 1, updated: 1, deleted: 0, stale: 0, unchanged: 1 });
    assert.deepEqual(a.guest, { created: 1, updated: 0, deleted: 1, stale: 0, unchanged: 1 });
    assert.deepEqual(a.dirty, ['interfaces']);
  });
});
