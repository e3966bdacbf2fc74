import { strict as assert } from 'node:assert';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startSimulator, RunningSimulator } from '../../src/sim';
import { runSync, PipelineEvent, CompleteData, STAGES } from '../../src/core/pipeline';
import { loadInventory } from '../../src/core/inventory/inventory';
import type { EndpointRef } from '../../src/core/inventory/model';

describe('pipeline against the simulator', function () {
  this.timeout(60_000);
  let sim: RunningSimulator;
  let store: string;
  let endpoint: EndpointRef;

  before(async () => {
    sim = await startSimulator({ seed: 7, nodes: 3, guests: 24, jobs: 6 });
    endpoint = { id: 'sim', name: 'Simulated', url: sim.url, tokenId: sim.tokenId, fingerprint: sim.fingerprint };
  });
  after(async () => sim.close());
  beforeEach(() => { store = mkdtempSync(join(tmpdir(), 'proxbox-sim-')); sim.setFaults([]); });
  afterEach(() => rmSync(store, { recursive: true, force: true }));

  async function sync(extra: Partial<Parameters<typeof runSync>[0]> = {}): Promise<{ events: PipelineEvent[]; complete: CompleteData }> {
    const events: PipelineEvent[] = [];
    const complete = await runSync({
      endpoint, secret: sim.tokenSecret, store, onEvent: (e) => events.push(e),
      options: { timeoutMs: 2000, retries: 0 }, ...extra,
    });
    return { events, complete };
  }

  it('syncs every stage over HTTPS with a pinned certificate', async () => {
    sim.resetStats();
    const { complete, events } = await sync();
    assert.equal(complete.ok, true, JSON.stringify(complete.errors ?? complete.warnings));
    assert.equal(events.filter((e) => e.event === 'complete').length, 1);
    const inv = (await loadInventory(store, 'sim'))!;
    assert.equal(inv.guests.length, 24);
    assert.equal(inv.backupRoutines.length, 6);
    assert.ok(inv.nodes.every((n) => n.timezone));
    assert.deepEqual(complete.stages.map((s) => s.step), [...STAGES]);
    assert.ok(complete.stages.every((s) => s.status === 'completed'));
    assert.equal(complete.result.requests, sim.stats().total);
    // Per guest: one config, one snapshot list, and the agent only for running qemu guests with it on.
    const perGuest = Object.entries(sim.stats().byPath).filter(([p]) => /\/(qemu|lxc)\/\d+\//.test(p)).reduce((a, [, n]) => a + n, 0);
    assert.ok(perGuest / inv.guests.length <= 3, `guest requests per guest: ${perGuest / inv.guests.length}`);
    const configReads = Object.entries(sim.stats().byPath).filter(([p]) => p.endsWith('/config')).reduce((a, [, n]) => a + n, 0);
    assert.equal(configReads, inv.guests.length);
  });
});
