// The log book alone, over an in-memory store and a hand-moved clock: capping, secrets, buffered and final writes.
import { strict as assert } from 'node:assert';
import { JobStatus, ManualClock } from '../../../src/core/jobs';
import type { StoredLog } from '../../../src/core/jobs/jobStore';
import { JobLog, LogBook, LogBookOptions } from '../../../src/core/jobs/logBook';
import { redactSecrets } from '../../../src/core/secrets/redact';

const T0 = Date.parse('2026-06-01T10:00:00Z');

class MemoryLogs {
  readonly docs = new Map<string, StoredLog>();
  readonly writes: { id: string; entries: number }[] = [];
  /** When set, the next saveLog waits for this to resolve (a slow disk). */
  gate: Promise<void> | undefined;

  async loadLog(id: string): Promise<StoredLog | undefined> {
    const d = this.docs.get(id);
    return d && structuredClone(d);
  }

  async saveLog(id: string, log: StoredLog): Promise<void> {
    const copy = structuredClone(log);
    if (this.gate) await this.gate;
    this.docs.set(id, copy);
    this.writes.push({ id, entries: copy.entries.length });
  }

  async removeLog(id: string): Promise<void> {
    this.docs.delete(id);
  }
}

function book(options: Partial<LogBookOptions> & { status?: Map<string, JobStatus> } = {}) {
  const clock = new ManualClock(T0);
  const store = new MemoryLogs();
  const status = options.status ?? new Map<string, JobStatus>([['a', 'running']]);
  let holder = true;
  const seen: string[] = [];
  const logs = new LogBook({
    store, clock, flushMs: 1000, canWrite: () => holder, statusOf: (id) => status.get(id),
    onEntry: (id, e) => seen.push(`${id} ${e.message}`), ...options,
  });
  return { clock, store, status, logs, seen, setHolder: (h: boolean) => { holder = h; } };
}

describe('log book', () => {
  it('writes the first entry at once, then at most every flushMs, and always when forced', async () => {
    const b = book();
    b.logs.add('a', 'info', 'one');
    b.logs.add('a', 'info', 'two');
    await b.logs.pending;
    assert.equal(b.store.writes.length, 1, 'one write for both (it takes what the log holds when it runs)');
    await b.clock.advance(999);
    b.logs.add('a', 'info', 'three');
    await b.logs.pending;
    assert.equal(b.store.writes.length, 1, 'within flushMs: buffered');
    await b.clock.advance(1);
    b.logs.add('a', 'info', 'four');
    await b.logs.pending;
    assert.deepEqual(b.store.writes.at(-1), { id: 'a', entries: 4 });
    b.logs.add('a', 'info', 'five');
    b.logs.flush('a');
    await b.logs.pending;
    assert.deepEqual(b.store.writes.at(-1), { id: 'a', entries: 5 });
    assert.deepEqual(b.seen, ['a one', 'a two', 'a three', 'a four', 'a five'], 'every entry is announced');
  });

  it('drops the live copy of a finished job once it is completely saved, and reads it from the store after', async () => {
    const b = book();
    b.logs.add('a', 'info', 'started');
    await b.logs.pending;
    b.status.set('a', 'completed');
    let open!: () => void;
    b.store.gate = new Promise((r) => { open = r; });
    b.logs.add('a', 'info', 'Sync completed.');
    b.logs.flush('a');
    b.logs.add('a', 'info', 'Next run: later.'); // arrives while the final write is on its way
    open();
    await b.logs.pending;
    assert.ok((await b.logs.read('a')).some((e) => e.message === 'Next run: later.'), 'not dropped: the saved copy missed a line');
    b.store.gate = undefined;
    b.logs.flush('a');
    await b.logs.pending;
    b.store.docs.set('a', { entries: [{ time: T0, level: 'info', message: 'from the store' }], dropped: 0 });
    assert.deepEqual((await b.logs.read('a')).map((e) => e.message), ['from the store'], 'the live copy is gone');
  });

  it('writes nothing when this window does not hold the lease, or once the job is gone', async () => {
    const b = book();
    b.setHolder(false);
    b.logs.add('a', 'info', 'viewer');
    b.logs.flush('a');
    await b.logs.pending;
    assert.deepEqual(b.store.writes, []);
    b.setHolder(true);
    b.status.delete('a');
    b.logs.flush('a');
    await b.logs.pending;
    assert.deepEqual(b.store.writes, []);
  });

  it('continues a stored log when opened, and removes a log with its document', async () => {
    const b = book();
    b.store.docs.set('a', { entries: [{ time: T0 - 1000, level: 'info', message: 'Scheduled by another window.' }], dropped: 0 });
    await b.logs.open('a');
    b.logs.add('a', 'warning', 'Catch-up run.');
    await b.logs.pending;
    assert.deepEqual(b.store.docs.get('a')?.entries.map((e) => e.message), ['Scheduled by another window.', 'Catch-up run.']);
    await b.logs.remove('a');
    assert.equal(b.store.docs.has('a'), false);
    assert.deepEqual(await b.logs.read('a'), []);
  });

  it('forgets live copies without writing them, except those asked to keep', async () => {
    const b = book({ status: new Map([['a', 'running'], ['b', 'running']]) });
    b.setHolder(false);
    b.logs.add('a', 'info', 'a1');
    b.logs.add('b', 'info', 'b1');
    b.logs.forget((id) => id === 'b');
    assert.deepEqual(await b.logs.read('a'), []);
    assert.deepEqual((await b.logs.read('b')).map((e) => e.message), ['b1']);
  });

  it('hides secrets in every entry', async () => {
    const secret = 'e3b0c442-98fc-1c14-9afb-f4c8996fb924';
    const b = book({ secrets: () => [secret] });
    b.logs.add('a', 'error', `401 for PVEAPIToken=root@pam!proxbox=${secret} and ${secret}`);
    const [entry] = await b.logs.read('a');
    assert.equal(entry.message, '401 for PVEAPIToken=root@pam!proxbox=*** and ***');
  });
});

describe('job log (capped)', () => {
  it('keeps the first 50 and the latest entries, with one marker for what was left out', () => {
    const log = new JobLog(100);
    for (let i = 0; i < 1000; i++) log.add(T0 + i, 'info', `e${i}`);
    const entries = log.entries();
    assert.equal(entries.length, 101);
    assert.equal(entries[49].message, 'e49');
    assert.equal(entries[50].message, '… 900 log entries left out (the log keeps the first and the latest 100) …');
    assert.equal(entries[51].message, 'e950');
    assert.equal(entries[100].message, 'e999');
    assert.equal(log.total, 1000);
    assert.deepEqual(new JobLog(100, () => [], log.toJSON()).entries(), entries, 'a stored log reads back the same');
  });

  it('shortens a very long message and says by how much', () => {
    const log = new JobLog();
    const entry = log.add(T0, 'info', 'x'.repeat(2500));
    assert.equal(entry.message, `${'x'.repeat(2000)} … (500 more characters)`);
  });
});

describe('redactSecrets', () => {
  it('masks given secrets and the PVEAPIToken form, and leaves short strings alone', () => {
    assert.equal(redactSecrets('Authorization: PVEAPIToken=root@pam!ci=abc-123, next'), 'Authorization: PVEAPIToken=root@pam!ci=***, next');
    assert.equal(redactSecrets('token=s3cret again s3cret', ['s3cret']), 'token=*** again ***');
    assert.equal(redactSecrets('abc', ['abc']), 'abc', 'a secret shorter than 4 characters would mask ordinary text');
  });
});
