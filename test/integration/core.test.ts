// src/core is plain TypeScript; these check it also works where it will really run: in VS Code's extension host,
// bundled into the test the same way it is bundled into the extension.
import { strict as assert } from 'node:assert';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DocumentStore } from '../../src/core/inventory/store';
import { parsePruneBackups, printPruneBackups } from '../../src/core/proxmox/parsers';

describe('src/core in the extension host', () => {
  let dir = '';
  before(async () => { dir = await mkdtemp(join(tmpdir(), 'proxbox-core-')); });
  after(async () => { await rm(dir, { recursive: true, force: true }); });

  it('stores a document atomically and reads it back', async () => {
    const store = new DocumentStore(dir);
    const doc = { endpoint: 'pve1', guests: [100, 101] };
    assert.equal((await store.write('inventory/pve1.json', 'inventory', 1, doc)).written, true);
    assert.deepEqual(await store.read('inventory/pve1.json', 'inventory', 1), doc);
    assert.equal((await store.write('inventory/pve1.json', 'inventory', 1, doc)).written, false, 'an unchanged document was rewritten');
    assert.deepEqual(await readdir(join(dir, 'inventory')), ['pve1.json'], 'temporary files left behind');
  });

  it('parses a Proxmox retention string', () => {
    const p = parsePruneBackups('keep-last=3,keep-daily=7');
    assert.deepEqual(p, { keepLast: 3, keepDaily: 7 });
    assert.equal(printPruneBackups(p), 'keep-daily=7,keep-last=3');
  });
});
