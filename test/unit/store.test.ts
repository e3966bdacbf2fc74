import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import { promises as fs, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DocumentStore, StoreError, writeFileAtomic } from '../../src/core/inventory/store';
import { cleanTempFiles } from '../../src/core/inventory/atomic';

const KIND = 'proxbox.inventory';

function deadPid(): number {
  const child = spawnSync(process.execPath, ['-e', '']);
  return child.pid as number;
}

describe('DocumentStore', () => {
  let dir: string;
  let store: DocumentStore;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'proxbox-store-'));
    store = new DocumentStore(join(dir, 'store'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('creates the folder on first write and reads back what it wrote', async () => {
    assert.equal(await store.read('endpoints/a/inventory.json', KIND, 1), undefined);
    const data = { guests: [{ vmid: 100, name: 'web' }], n: null, s: 'ü' };
    assert.deepEqual(await store.write('endpoints/a/inventory.json', KIND, 1, data), { written: true });
    assert.deepEqual(await store.read('endpoints/a/inventory.json', KIND, 1), data);
    const env = JSON.parse(await fs.readFile(join(dir, 'store', 'endpoints', 'a', 'inventory.json'), 'utf8'));
    assert.equal(env.kind, KIND);
    assert.equal(env.version, 1);
    assert.ok(!Number.isNaN(Date.parse(env.savedAt)));
    assert.deepEqual(env.data, data);
  });

  it('skips a write whose content is identical, and rewrites when anything changes', async () => {
    const file = join(dir, 'store', 'doc.json');
    await store.write('doc.json', KIND, 1, { a: [1, 2, 3] });
    const before = await fs.readFile(file, 'utf8');
    const statBefore = await fs.stat(file);
    await new Promise((r) => setTimeout(r, 15));
    assert.deepEqual(await store.write('doc.json', KIND, 1, { a: [1, 2, 3] }), { written: false });
    // A fresh store instance (no in-memory cache) must also see that nothing changed.
    assert.deepEqual(await new DocumentStore(join(dir, 'store')).write('doc.json', KIND, 1, { a: [1, 2, 3] }), { written: false });
    assert.equal(await fs.readFile(file, 'utf8'), before);
    assert.equal((await fs.stat(file)).ino, statBefore.ino);
    assert.deepEqual(await store.write('doc.json', KIND, 1, { a: [1, 2, 4] }), { written: true });
    assert.deepEqual(await store.read('doc.json', KIND, 1), { a: [1, 2, 4] });
    // Same data under a higher schema version is a change too.
    assert.deepEqual(await store.write('doc.json', KIND, 2, { a: [1, 2, 4] }), { written: true });
  });

  it('recognises identical content in a file laid out differently (pretty-printed by hand)', async () => {
    const file = join(dir, 'store', 'doc.json');
    await fs.mkdir(join(dir, 'store'), { recursive: true });
    await fs.writeFile(file, JSON.stringify({ kind: KIND, version: 1, savedAt: 'x', data: { a: 1 } }, null, 2));
    assert.deepEqual(await store.write('doc.json', KIND, 1, { a: 1 }), { written: false });
  });

  it('refuses a document of a newer version on read and on write, and leaves it untouched', async () => {
    const file = join(dir, 'store', 'doc.json');
    await store.write('doc.json', KIND, 3, { future: true });
    const bytes = await fs.readFile(file, 'utf8');
    await assert.rejects(store.read('doc.json', KIND, 2), (err: unknown) => {
      assert.ok(err instanceof StoreError);
      assert.equal(err.reason, 'newer-version');
      assert.equal(err.file, file);
      assert.match(err.message, /version 3/);
      assert.match(err.message, /up to version 2/);
      assert.match(err.message, /Update/);
      return true;
    });
    await assert.rejects(store.write('doc.json', KIND, 2, { past: true }), (err: unknown) => {
      assert.ok(err instanceof StoreError);
      assert.equal(err.reason, 'newer-version');
      assert.match(err.message, /not overwritten/);
      return true;
    });
    assert.equal(await fs.readFile(file, 'utf8'), bytes);
  });

  it('refuses a document of another kind, and leaves it untouched', async () => {
    const file = join(dir, 'store', 'doc.json');
    await store.write('doc.json', 'proxbox.jobs', 1, [1]);
    const bytes = await fs.readFile(file, 'utf8');
    await assert.rejects(store.read('doc.json', KIND, 1), (err: unknown) =>
      err instanceof StoreError && err.reason === 'unknown-kind' && /proxbox\.jobs/.test(err.message) && err.message.includes(KIND));
    await assert.rejects(store.write('doc.json', KIND, 1, [2]), (err: unknown) => err instanceof StoreError && err.reason === 'unknown-kind');
    assert.equal(await fs.readFile(file, 'utf8'), bytes);
  });

  it('migrates an older version through the callback, and refuses it without one', async () => {
    await store.write('doc.json', KIND, 1, { name: 'old' });
    const seen: unknown[] = [];
    const migrated = await store.read('doc.json', KIND, 2, (v, data) => {
      seen.push(v, data);
      return { title: (data as { name: string }).name, migrated: true };
    });
    assert.deepEqual(migrated, { title: 'old', migrated: true });
    assert.deepEqual(seen, [1, { name: 'old' }]);
    await assert.rejects(store.read('doc.json', KIND, 2), (err: unknown) => err instanceof StoreError && err.reason === 'older-version');
    await assert.rejects(
      store.read('doc.json', KIND, 2, () => { throw new Error('bad shape'); }),
      (err: unknown) => err instanceof StoreError && /bad shape/.test(err.message),
    );
  });

  it('reports a corrupt file on read, and on write keeps it aside instead of destroying it', async () => {
    const file = join(dir, 'store', 'doc.json');
    await fs.mkdir(join(dir, 'store'), { recursive: true });
    await fs.writeFile(file, '{"kind":"proxbox.inv');
    await assert.rejects(store.read('doc.json', KIND, 1), (err: unknown) =>
      err instanceof StoreError && err.reason === 'corrupt' && err.message.includes(file) && /delete/.test(err.message));
    await fs.writeFile(file, '[1,2]');
    await assert.rejects(store.read('doc.json', KIND, 1), (err: unknown) => err instanceof StoreError && err.reason === 'corrupt');
    assert.deepEqual(await store.write('doc.json', KIND, 1, { fresh: 1 }), { written: true });
    assert.deepEqual(await store.read('doc.json', KIND, 1), { fresh: 1 });
    const aside = (await fs.readdir(join(dir, 'store'))).filter((n) => n.startsWith('doc.json.corrupt-'));
    assert.equal(aside.length, 1);
    assert.equal(await fs.readFile(join(dir, 'store', aside[0]), 'utf8'), '[1,2]');
    assert.deepEqual(await store.list(), ['doc.json']);
  });

  it('rejects names that could leave the store folder or collide with its own files', async () => {
    for (const name of ['', '../x.json', 'a/../../x.json', '/etc/passwd', 'C:/x', 'a//b', 'a/./b', '.hidden', 'a\\b', 'a\0b',
      '.doc.json.123-abc.tmp', 'doc.json.corrupt-2024-01-01T00-00-00.000Z']) {
      await assert.rejects(store.write(name, KIND, 1, {}), TypeError, `name ${JSON.stringify(name)}`);
      await assert.rejects(store.read(name, KIND, 1), TypeError);
    }
    assert.deepEqual(await store.list(), []);
  });

  it('lists documents by prefix, sorted, skipping temporary files', async () => {
    await store.write('endpoints/b/inventory.json', KIND, 1, 1);
    await store.write('endpoints/a/jobs.json', KIND, 1, 1);
    await store.write('endpoints/a/inventory.json', KIND, 1, 1);
    await store.write('endpoints/ab/inventory.json', KIND, 1, 1);
    await store.write('settings.json', KIND, 1, 1);
    await fs.writeFile(join(dir, 'store', 'endpoints', 'a', `.inventory.json.${process.ppid}-abcd.tmp`), 'partial');
    assert.deepEqual(await store.list(), [
      'endpoints/a/inventory.json', 'endpoints/a/jobs.json', 'endpoints/ab/inventory.json', 'endpoints/b/inventory.json', 'settings.json',
    ]);
    assert.deepEqual(await store.list('endpoints/a/'), ['endpoints/a/inventory.json', 'endpoints/a/jobs.json']);
    assert.deepEqual(await store.list('endpoints/a'), ['endpoints/a/inventory.json', 'endpoints/a/jobs.json', 'endpoints/ab/inventory.json']);
    assert.deepEqual(await store.list('nothing/here/'), []);
    assert.deepEqual(await new DocumentStore(join(dir, 'absent')).list(), []);
  });

  it('removes documents, and removing a missing one is not an error', async () => {
    await store.write('a/x.json', KIND, 1, 1);
    await store.remove('a/x.json');
    await store.remove('a/x.json');
    assert.equal(await store.read('a/x.json', KIND, 1), undefined);
    assert.deepEqual(await store.list(), []);
  });

  it('queues concurrent writes to one name so the last call wins', async () => {
    const writes = Array.from({ length: 12 }, (_, i) => store.write('doc.json', KIND, 1, { i }));
    const results = await Promise.all(writes);
    assert.ok(results.every((r) => r.written));
    assert.deepEqual(await store.read('doc.json', KIND, 1), { i: 11 });
  });

  it('refuses data that JSON cannot hold', async () => {
    await assert.rejects(store.write('doc.json', KIND, 1, undefined), TypeError);
    assert.deepEqual(await store.list(), []);
  });

  it('ignores and cleans temporary files left by crashed writers, but not those of live ones', async () => {
    const folder = join(dir, 'store', 'endpoints', 'a');
    await fs.mkdir(folder, { recursive: true });
    await store.write('endpoints/a/inventory.json', KIND, 1, { v: 1 });
    const fresh = new DocumentStore(join(dir, 'store'));
    const crashed = `.inventory.json.${deadPid()}-0a0b.tmp`;
    const ownEarlierIncarnation = `.inventory.json.${process.pid}-0c0d.tmp`; // same pid, not written by this process
    const liveWriter = `.inventory.json.${process.ppid}-0e0f.tmp`;
    for (const n of [crashed, ownEarlierIncarnation, liveWriter]) await fs.writeFile(join(folder, n), '{"kind":');
    assert.deepEqual(await fresh.read('endpoints/a/inventory.json', KIND, 1), { v: 1 });
    const left = (await fs.readdir(folder)).sort();
    assert.deepEqual(left, [liveWriter, 'inventory.json'].sort());
    // A live writer's file is removed once it is far older than any write can take (a reused pid).
    const later = Date.now() + 2 * 60 * 60 * 1000;
    assert.deepEqual(await cleanTempFiles(folder, 60 * 60 * 1000, later), [liveWriter]);
  });
});

describe('writeFileAtomic', () => {
  let dir: string;
  beforeEach(() => { dir = mkdtempSync(join(tmpdir(), 'proxbox-atomic-')); });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('replaces a file and leaves no temporary file behind', async () => {
    const file = join(dir, 'sub', 'f.txt');
    await writeFileAtomic(file, 'one');
    await writeFileAtomic(file, new TextEncoder().encode('two'));
    assert.equal(await fs.readFile(file, 'utf8'), 'two');
    assert.deepEqual(await fs.readdir(join(dir, 'sub')), ['f.txt']);
  });

  it('fails cleanly, keeping the old file, when the target cannot be replaced', async () => {
    const target = join(dir, 'is-a-dir');
    await fs.mkdir(join(target, 'child'), { recursive: true });
    await assert.rejects(writeFileAtomic(target, 'x'));
    assert.deepEqual((await fs.readdir(dir)).sort(), ['is-a-dir']);
    assert.deepEqual(await fs.readdir(target), ['child']);
  });
});
