// A backup job whose zone has to be assumed says why: on the routine (timezoneNote), as a warning of the
// backup-routines stage, in `proxbox routines` and (tested with the view model) in the routine detail view.
import { strict as assert } from 'node:assert';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startSimulator, type RunningSimulator } from '../../src/sim';
import { runSync, type CompleteData, type PipelineEvent } from '../../src/core/pipeline';
import { loadInventory } from '../../src/core/inventory/inventory';
import { routineZoneNote } from '../../src/core/inventory/nextRun';
import type { NodeRecord } from '../../src/core/inventory/model';
import { routinesTable } from '../../src/cli/commands/inventoryView';

const node = (name: string, timezone: string | null): NodeRecord => ({
  name, status: 'online', nodeId: 1, ip: null, timezone, maxCpu: null, maxMemBytes: null, level: null,
});

describe('routine zone notes', function () {
  this.timeout(60_000);

  it('names the reason the zone is assumed, and stays silent when it is a node\'s own', () => {
    const nodes = [node('pve1', 'Europe/Berlin'), node('pve2', null)];
    assert.equal(routineZoneNote('pve1', nodes), null);
    assert.equal(routineZoneNote(null, nodes), null, 'a job on every node runs in the zones that are known');
    assert.match(routineZoneNote('pve9', nodes) ?? '', /^node 'pve9' is not in the cluster, so no node runs this job .*UTC/);
    assert.match(routineZoneNote('pve2', nodes) ?? '', /time zone of node 'pve2' could not be read yet; its times assume UTC/);
    assert.match(routineZoneNote(null, [node('pve2', null)]) ?? '', /no node's time zone could be read yet/);
  });

  describe('through a sync of the simulator', () => {
    let sim: RunningSimulator;
    let store: string;
    const endpoint = (): { id: string; name: string; url: string; tokenId: string; fingerprint: string } =>
      ({ id: 'tz', name: 'Zones', url: sim.url, tokenId: sim.tokenId, fingerprint: sim.fingerprint });

    async function sync(): Promise<{ complete: CompleteData; events: PipelineEvent[] }> {
      const events: PipelineEvent[] = [];
      const complete = await runSync({
        endpoint: endpoint(), secret: sim.tokenSecret, store, stages: ['backup-routines'], onEvent: (e) => events.push(e),
        options: { timeoutMs: 5000, retries: 0 },
      });
      return { complete, events };
    }

    before(async () => {
      sim = await startSimulator({ seed: 5, nodes: 2, guests: 6, jobs: 2 });
      sim.cluster.jobs.push({ id: 'backup-ghost', type: 'vzdump', schedule: '02:30', enabled: 1, all: 1, node: 'pve-old' });
    });
    after(async () => sim.close());
    beforeEach(() => { store = mkdtempSync(join(tmpdir(), 'proxbox-tz-')); });
    afterEach(() => rmSync(store, { recursive: true, force: true }));

    it('notes a job bound to a node outside the cluster on the routine, in the stage\'s warnings and in `proxbox routines`', async () => {
      const { complete, events } = await sync();
      assert.equal(complete.ok, true, JSON.stringify(complete.errors));
      const inv = (await loadInventory(store, 'tz'))!;
      const ghost = inv.backupRoutines.find((r) => r.jobId === 'backup-ghost')!;
      assert.equal(ghost.timezone, 'UTC');
      assert.match(ghost.timezoneNote ?? '', /node 'pve-old' is not in the cluster, so no node runs this job/);
      assert.ok(inv.backupRoutines.filter((r) => r.jobId !== 'backup-ghost').every((r) => r.timezoneNote === null && r.timezone !== null));

      const warning = `backup routine backup-ghost: ${ghost.timezoneNote}`;
      assert.ok(complete.warnings.includes(warning), JSON.stringify(complete.warnings));
      const step = events.find((e) => e.event === 'step' && e.data.step === 'backup-routines' && e.data.status === 'completed');
      assert.ok((step?.data as { result?: { warnings?: string[] } }).result?.warnings?.includes(warning));

      const text = routinesTable([inv], Math.floor(Date.now() / 1000));
      const row = text.split('\n').find((l) => l.startsWith('backup-ghost'))!;
      assert.match(row, / UTC \(in [^)]*\)( \*)? !/, 'the row points to the note');
      assert.ok(text.includes(`! backup-ghost: ${ghost.timezoneNote}`), text);
    });

    it('reads an inventory stored before the field existed, and its re-sync writes nothing', async () => {
      await sync();
      const file = join(store, 'endpoints', 'tz', 'backupRoutines.json');
      const doc = JSON.parse(readFileSync(file, 'utf8')) as { data: Record<string, unknown>[] };
      for (const r of doc.data) delete r.timezoneNote;
      // A routine whose zone was known: an old store would have held the same for it.
      doc.data = doc.data.filter((r) => r.jobId !== 'backup-ghost');
      writeFileSync(file, JSON.stringify(doc) + '\n');
      const old = (await loadInventory(store, 'tz'))!;
      assert.ok(old.backupRoutines.length > 0);
      assert.ok(old.backupRoutines.every((r) => r.timezoneNote === null));

      const ghost = sim.cluster.jobs.pop()!;
      try {
        const { complete } = await sync();
        assert.equal(complete.ok, true);
        assert.deepEqual([complete.result.created, complete.result.updated, complete.result.written], [0, 0, 0]);
      } finally {
        sim.cluster.jobs.push(ghost);
      }
    });
  });
});
