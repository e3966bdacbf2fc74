// The store trusts no one: private modes, a refused folder that others own or may write, and no symbolic link inside
// it is ever followed. Real temp folders, real modes, real links.
import { strict as assert } from 'node:assert';
import { chmodSync, chownSync, existsSync, lstatSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DocumentStore, StoreError } from '../../../src/core/inventory/store';
import { loadInventory, saveInventory } from '../../../src/core/inventory/inventory';
import { COLLECTIONS, emptyInventory } from '../../../src/core/inventory/model';
import { explainError } from '../../../src/core/errors/explain';
import { ManualClock } from '../../../src/core/jobs';
import { JobStore } from '../../../src/core/jobs/jobStore';
import { Lease } from '../../../src/core/jobs/lease';

const posix = process.platform !== 'win32';
const mode = (p: string): number => statSync(p).mode & 0o777;
const ENDPOINT = { id: 'lab', name: 'Lab', url: 'https://pve.example.com:8006', tokenId: 'root@pam!proxbox' };

function isUnsafe(re: RegExp): (e: unknown) => boolean {
  return (e: unknown) => {
    assert.ok(e instanceof StoreError, String(e));
    assert.equal(e.reason, 'unsafe', e.message);
    assert.match(e.message, re);
    return true;
  };
}

describe('store safety: modes, owners and links', () => {
  let tmp: string;
  let root: string;
  let outside: string;
  beforeEach(() => {
    tmp = mkdtempSync(join(tmpdir(), 'proxbox-safe-'));
    root = join(tmp, 'store');
    outside = join(tmp, 'outside');
    mkdirSync(outside);
  });
  afterEach(() => rmSync(tmp, { recursive: true, force: true }));

  (posix ? it : it.skip)('creates folders 0700 and files 0600', async () => {
    await saveInventory(root, emptyInventory(ENDPOINT), COLLECTIONS, true);
    assert.equal(mode(root), 0o700);
    assert.equal(mode(join(root, 'endpoints')), 0o700);
    assert.equal(mode(join(root, 'endpoints', 'lab')), 0o700);
    const files = readdirSync(join(root, 'endpoints', 'lab'));
    assert.ok(files.includes('meta.json'));
    for (const f of files) assert.equal(mode(join(root, 'endpoints', 'lab', f)), 0o600, f);
  });

  (posix ? it : it.skip)('tightens a store an older release created 0755 instead of refusing it', async () => {
    await saveInventory(root, emptyInventory(ENDPOINT), COLLECTIONS, true);
    for (const d of [root, join(root, 'endpoints'), join(root, 'endpoints', 'lab')]) chmodSync(d, 0o755);
    const inv = await loadInventory(new DocumentStore(root), 'lab');
    assert.equal(inv?.endpoint.id, 'lab');
    for (const d of [root, join(root, 'endpoints'), join(root, 'endpoints', 'lab')]) assert.equal(mode(d), 0o700, d);
  });

  (posix ? it : it.skip)('refuses a store folder writable by group or others, naming the folder and the chmod to run', async () => {
    mkdirSync(root);
    chmodSync(root, 0o777);
    const store = new DocumentStore(root);
    await assert.rejects(store.write('endpoints/lab/x.json', 'k', 1, { a: 1 }),
      isUnsafe(new RegExp(`${root.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')} is writable by its group and other users \\(mode 0777\\).*chmod 700`)));
    assert.deepEqual(readdirSync(root), [], 'nothing was written');
    chmodSync(root, 0o770);
    await assert.rejects(store.read('endpoints/lab/x.json', 'k', 1), isUnsafe(/writable by its group \(mode 0770\)/));
    // Fixed as the message says: used again, by the same store object.
    chmodSync(root, 0o700);
    assert.deepEqual(await store.write('endpoints/lab/x.json', 'k', 1, { a: 1 }), { written: true });
    // The same for a folder inside the store.
    chmodSync(join(root, 'endpoints'), 0o757);
    await assert.rejects(store.read('endpoints/lab/x.json', 'k', 1), isUnsafe(/endpoints is writable by other users.*chmod 700/));
    const explained = explainError(await store.read('endpoints/lab/x.json', 'k', 1).catch((e: unknown) => e));
    assert.equal(explained.category, 'permission');
  });

  (posix && process.getuid?.() === 0 ? it : it.skip)('refuses a store folder owned by another user, with the chown to run', async () => {
    mkdirSync(root, { mode: 0o700 });
    chownSync(root, 12345, 12345);
    await assert.rejects(new DocumentStore(root).write('endpoints/lab/x.json', 'k', 1, { a: 1 }),
      isUnsafe(/is owned by user id 12345, not by you \(user id 0\).*chown -R 0/));
    assert.deepEqual(readdirSync(root), []);
    chownSync(root, 0, 0);
    mkdirSync(join(root, 'endpoints'), { mode: 0o700 });
    chownSync(join(root, 'endpoints'), 12345, 12345);
    await assert.rejects(new DocumentStore(root).list('endpoints/'), isUnsafe(/endpoints is owned by user id 12345/));
  });

  it('never writes or reads through a symlinked endpoint folder', async () => {
    mkdirSync(join(root, 'endpoints'), { recursive: true, mode: 0o700 });
    chmodSync(root, 0o700);
    symlinkSync(outside, join(root, 'endpoints', 'lab'), 'dir');
    writeFileSync(join(outside, 'meta.json'), JSON.stringify({ kind: 'proxbox.inventory.meta', version: 1, savedAt: 'x', data: { endpoint: ENDPOINT, cluster: null, syncedAt: null } }));
    const store = new DocumentStore(root);
    await assert.rejects(saveInventory(store, emptyInventory(ENDPOINT), COLLECTIONS, true), isUnsafe(/endpoints\/lab is a symbolic link inside the store.*Nothing was read or written through it.*rm '/));
    assert.deepEqual(readdirSync(outside), ['meta.json'], 'nothing was written to the link target');
    await assert.rejects(loadInventory(store, 'lab'), isUnsafe(/symbolic link/));
    await assert.rejects(store.list('endpoints/lab/'), isUnsafe(/symbolic link/));
    await assert.rejects(store.remove('endpoints/lab/meta.json'), isUnsafe(/symbolic link/));
    assert.ok(existsSync(join(outside, 'meta.json')), 'nothing was removed through the link');
    // Listing the parent skips the link instead of walking into it.
    assert.deepEqual(await store.list('endpoints/'), []);
    assert.ok(lstatSync(join(root, 'endpoints', 'lab')).isSymbolicLink(), 'the link itself is left for the user to look at');
  });

  it('never writes or reads through a symlinked document', async () => {
    const store = new DocumentStore(root);
    await store.write('endpoints/lab/guests.json', 'proxbox.inventory.guests', 1, []);
    const target = join(outside, 'victim.json');
    const original = JSON.stringify({ kind: 'proxbox.inventory.guests', version: 1, savedAt: 'x', data: [] });
    writeFileSync(target, original);
    rmSync(join(root, 'endpoints', 'lab', 'guests.json'));
    symlinkSync(target, join(root, 'endpoints', 'lab', 'guests.json'), 'file');
    await assert.rejects(store.read('endpoints/lab/guests.json', 'proxbox.inventory.guests', 1), isUnsafe(/guests\.json is a symbolic link inside the store/));
    await assert.rejects(store.write('endpoints/lab/guests.json', 'proxbox.inventory.guests', 1, [{ vmid: 100 }]), isUnsafe(/symbolic link/));
    assert.equal(readFileSync(target, 'utf8'), original, 'the link target is unchanged');
    assert.ok(lstatSync(join(root, 'endpoints', 'lab', 'guests.json')).isSymbolicLink());
  });

  it('reading a store that does not exist creates nothing', async () => {
    const store = new DocumentStore(root);
    assert.equal(await store.read('endpoints/lab/meta.json', 'k', 1), undefined);
    assert.deepEqual(await store.list('endpoints/'), []);
    assert.equal(existsSync(root), false);
  });

  it('refuses a file where the store needs a folder', async () => {
    mkdirSync(join(root, 'endpoints'), { recursive: true, mode: 0o700 });
    chmodSync(root, 0o700);
    writeFileSync(join(root, 'endpoints', 'lab'), 'not a folder');
    await assert.rejects(new DocumentStore(root).write('endpoints/lab/x.json', 'k', 1, {}), isUnsafe(/is not a folder/));
  });

  it('the scheduler lease and job requests are never read or moved through a link either', async () => {
    mkdirSync(root, { mode: 0o700 });
    const planted = join(outside, 'lease.json');
    const foreign = JSON.stringify({ owner: 'someone', pid: 1, host: 'x', renewedAt: Date.now(), ttlMs: 1e9 });
    writeFileSync(planted, foreign);
    symlinkSync(planted, join(root, '.scheduler-lease.json'), 'file');
    const lease = new Lease(root, new ManualClock(Date.now()), { owner: 'me' });
    assert.equal(await lease.current(), undefined, 'a linked lease file is not read');
    assert.equal(await lease.tryAcquire(), true);
    assert.equal(readFileSync(planted, 'utf8'), foreign, 'the link target is unchanged');
    assert.equal((await lease.current())?.owner, 'me');

    const jobs = new JobStore(new DocumentStore(root), { durable: false });
    const name = await jobs.submit({ op: 'cancel', id: 'x' }, Date.now());
    mkdirSync(join(root, 'jobs'), { recursive: true });
    symlinkSync(outside, join(root, 'jobs', 'claimed'), 'dir');
    await assert.rejects(jobs.claim(name), isUnsafe(/jobs\/claimed is a symbolic link/));
    assert.deepEqual(readdirSync(outside), ['lease.json'], 'no request was moved out of the store');
    assert.equal(await jobs.isWaiting(name), true);
  });
});
