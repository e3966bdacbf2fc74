// A sync Proxmox refuses (a wrong secret) learns nothing: it must not leave an inventory with a sync time behind,
// which the tree and backup health would read as an empty, healthy cluster (issue 11, item 3). A renamed endpoint's
// record is still saved, with the sync time it had.
import { strict as assert } from 'node:assert';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runSync } from '../../../src/core/pipeline';
import { loadInventory } from '../../../src/core/inventory/inventory';
import { startSimulator, type RunningSimulator } from '../../../src/sim';

describe('pipeline: a sync in which no stage completed', function () {
  this.timeout(60_000);
  let sim: RunningSimulator;
  let store: string;
  const options = { timeoutMs: 3000, retries: 0 };
  const WRONG = '00000000-0000-4000-8000-000000000000';

  before(async () => { sim = await startSimulator({ seed: 5, nodes: 1, guests: 3, jobs: 1 }); });
  after(async () => sim.close());
  beforeEach(() => { store = mkdtempSync(join(tmpdir(), 'proxbox-refused-')); });
  afterEach(() => rmSync(store, { recursive: true, force: true }));

  it('writes nothing for an endpoint never synced', async () => {
    const endpoint = { id: 'lab', name: 'Lab', url: sim.url, tokenId: sim.tokenId, fingerprint: sim.fingerprint };
    const complete = await runSync({ endpoint, secret: WRONG, store, options });
    assert.equal(complete.ok, false);
    assert.equal(await loadInventory(store, 'lab'), undefined, 'an inventory was saved for a refused first sync');
    assert.deepEqual(readdirSync(store).filter((n) => n.includes('lab')), []);
  });

  it('keeps the last good inventory and its sync time, saving only a new name', async () => {
    const endpoint = { id: 'lab', name: 'Lab', url: sim.url, tokenId: sim.tokenId, fingerprint: sim.fingerprint };
    assert.equal((await runSync({ endpoint, secret: sim.tokenSecret, store, options })).ok, true);
    const good = (await loadInventory(store, 'lab'))!;
    assert.ok(good.syncedAt && good.guests.length > 0);
    const complete = await runSync({ endpoint: { ...endpoint, name: 'Lab (renamed)' }, secret: WRONG, store, options });
    assert.equal(complete.ok, false);
    const after = (await loadInventory(store, 'lab'))!;
    assert.equal(after.endpoint.name, 'Lab (renamed)');
    assert.equal(after.syncedAt, good.syncedAt, 'a refused sync moved the sync time');
    assert.equal(after.guests.length, good.guests.length);
  });
});
