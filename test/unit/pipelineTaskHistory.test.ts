// The task-history stage against the simulator: vzdump tasks of the history window are listed whatever their
// number, the logs of finished vzdump tasks that did not end OK are read exactly once (the simulator's own model is
// the oracle of which tasks those are), a re-sync with no new task reads no log and writes nothing, and a log that
// cannot be read is retried on the next sync.
import { strict as assert } from 'node:assert';
import { mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startSimulator, RunningSimulator, type SimTask } from '../../src/sim';
import { runSync, type CompleteData } from '../../src/core/pipeline';
import { loadInventory } from '../../src/core/inventory/inventory';
import type { EndpointRef, Inventory } from '../../src/core/inventory/model';

const NOW = 1_795_000_000;
const DAYS = 14;

function logReads(sim: RunningSimulator): number {
  return Object.entries(sim.stats().byPath).filter(([p]) => /\/tasks\/[^/]+\/log$/.test(p)).reduce((a, [, n]) => a + n, 0);
}

function mtimes(dir: string): Record<string, number> {
  const out: Record<string, number> = {};
  for (const f of readdirSync(dir, { recursive: true })) {
    const p = join(dir, String(f));
    if (statSync(p).isFile()) out[String(f)] = statSync(p).mtimeMs;
  }
  return out;
}

/** The simulator's answer to "which logs must be read": finished vzdump tasks in the window whose status is not OK. */
function failedVzdump(sim: RunningSimulator): SimTask[] {
  return sim.cluster.tasks.filter((t) => t.type === 'vzdump' && t.endtime !== undefined && t.status !== 'OK' && t.starttime >= NOW - DAYS * 86400);
}

describe('pipeline: task history and vzdump logs (simulator)', function () {
  this.timeout(120_000);
  let sim: RunningSimulator;
  let store: string;
  let endpoint: EndpointRef;

  before(async () => {
    sim = await startSimulator({ seed: 3, nodes: 3, guests: 40, jobs: 8, now: NOW });
    endpoint = { id: 'th', name: 'Tasks', url: sim.url, tokenId: sim.tokenId, fingerprint: sim.fingerprint };
    store = mkdtempSync(join(tmpdir(), 'proxbox-th-'));
  });
  after(async () => {
    await sim.close();
    rmSync(store, { recursive: true, force: true });
  });

  async function sync(at = NOW): Promise<{ complete: CompleteData; inv: Inventory }> {
    const complete = await runSync({ endpoint, secret: sim.tokenSecret, store, now: () => at * 1000, options: { timeoutMs: 5000, retries: 0, historyDays: DAYS } });
    return { complete, inv: (await loadInventory(store, 'th', at))! };
  }

  it('first sync: every vzdump task of the window, and exactly the logs of those that did not end OK', async () => {
    const expected = failedVzdump(sim);
    assert.ok(expected.length > 0, 'the cluster has failed runs in the window');
    sim.resetStats();
    const { complete, inv } = await sync();
    assert.equal(complete.ok, true, JSON.stringify(complete.errors ?? complete.warnings));
    assert.equal(logReads(sim), expected.length);
    const windowVzdump = sim.cluster.tasks.filter((t) => t.type === 'vzdump' && t.endtime !== undefined && t.starttime >= NOW - DAYS * 86400);
    const stored = new Map(inv.tasks.map((t) => [t.upid, t]));
    // More vzdump tasks than the newest-tasks listing alone would bring: the dedicated listing reached them all.
    assert.ok(windowVzdump.every((t) => stored.has(t.upid)), 'every vzdump task of the window is stored');
    for (const t of expected) {
      const summary = stored.get(t.upid)!.vzdump;
      assert.ok(summary, `summary of ${t.upid}`);
      assert.deepEqual(summary.failed.map((f) => f.vmid).sort(), Object.keys(t.vzdump!.failed ?? {}).map(Number).sort());
      for (const f of summary.failed) assert.equal(f.reason, t.vzdump!.failed![f.vmid]);
      if (t.vzdump!.jobError) assert.equal(summary.jobError, t.vzdump!.jobError);
      else assert.equal(summary.storage, sim.cluster.jobs.find((j) => j.id === t.vzdump!.job)!.storage);
    }
    assert.ok(inv.tasks.filter((t) => t.status === 'OK').every((t) => t.vzdump === undefined), 'OK tasks: no log read');
  });

  it('a re-sync with no new task reads no log and writes nothing', async () => {
    const before = mtimes(store);
    sim.resetStats();
    const { complete } = await sync();
    assert.equal(complete.ok, true);
    assert.equal(logReads(sim), 0);
    assert.equal(complete.result.written, 0);
    assert.deepEqual(mtimes(store), before);
  });

  it('a new failing run gets its log read once; a log that cannot be read is retried next time', async () => {
    const template = failedVzdump(sim).find((t) => !t.vzdump!.jobError && t.vzdump!.guests.length > 1)!;
    const start = NOW - 600;
    const upid = template.upid.replace(/:[0-9A-F]{8}:vzdump:/, `:${start.toString(16).toUpperCase().padStart(8, '0')}:vzdump:`);
    const failedVmid = template.vzdump!.guests[0];
    const fresh: SimTask = { ...template, upid, starttime: start, endtime: start + 120, status: 'job errors',
      vzdump: { ...template.vzdump!, failed: { [failedVmid]: 'vma_queue_write: write error - No space left on device' } } };
    sim.cluster.tasks.unshift(fresh);
    sim.setFaults(['/nodes/*/tasks/*/log:500']);
    sim.resetStats();
    let r = await sync();
    sim.setFaults([]);
    assert.equal(r.complete.ok, true, 'a log read that fails is an item failure, not a stage failure');
    assert.ok(r.complete.warnings.some((w) => w.startsWith('task-history:')), r.complete.warnings.join('\n'));
    assert.equal(r.inv.tasks.find((t) => t.upid === upid)!.vzdump, undefined);
    sim.resetStats();
    r = await sync();
    assert.equal(logReads(sim), 1);
    const summary = r.inv.tasks.find((t) => t.upid === upid)!.vzdump!;
    assert.deepEqual(summary.failed.map((f) => [f.vmid, f.reason]), [[failedVmid, 'vma_queue_write: write error - No space left on device']]);
    sim.resetStats();
    await sync();
    assert.equal(logReads(sim), 0);
  });
});
