// Every captured PBS body in test/fixtures/real-responses (files of "product": "pbs") decodes with the PBS
// decoders, and keeps what the capture says.
import { strict as assert } from 'node:assert';
import { readdirSync, readFileSync } from 'node:fs';
import { fixture } from '../../helpers/paths';
import {
  decodePbsDatastoreStatus, decodePbsDatastoreUsage, decodePbsGcJobs, decodePbsSnapshots,
} from '../../../src/core/pbs/decoders';
import { decodeData, type Decoder, type DroppedRow, unwrapEnvelope } from '../../../src/core/proxmox/decoders/primitives';

interface Capture { endpoint: string; product?: string; body: unknown }
const load = (file: string): Capture => JSON.parse(readFileSync(fixture('real-responses', file), 'utf8')) as Capture;

const table: Array<{ endpoint: RegExp; decode: Decoder<unknown> }> = [
  { endpoint: /^\/admin\/datastore\/\{store\}\/snapshots$/, decode: decodePbsSnapshots },
  { endpoint: /^\/admin\/datastore\/\{store\}\/status/, decode: decodePbsDatastoreStatus },
  { endpoint: /^\/admin\/gc$/, decode: decodePbsGcJobs },
  { endpoint: /^\/status\/datastore-usage$/, decode: decodePbsDatastoreUsage },
];

function decodeAll(file: string): { value: unknown; dropped: DroppedRow[] } {
  const c = load(file);
  const entry = table.find((t) => t.endpoint.test(c.endpoint));
  assert.ok(entry, `no PBS decoder for ${c.endpoint} (${file})`);
  return decodeData(unwrapEnvelope(c.body), entry.decode, c.endpoint);
}

describe('PBS decoders on real PBS bodies', () => {
  const files = readdirSync(fixture('real-responses')).filter((f) => f.endsWith('.json') && load(f).product === 'pbs').sort();

  it('finds the PBS captures', () => {
    assert.ok(files.length >= 4, files.join(', '));
  });

  for (const file of files) {
    it(`decodes ${file} without dropping a row`, () => {
      const { dropped } = decodeAll(file);
      assert.deepEqual(dropped, []);
    });
  }

  it('snapshots: a file without crypt-mode and size, JSON booleans, verification only once verified', () => {
    const snaps = decodeAll('admin-datastore-store-snapshots__edvler-checkmk-pbs.json').value as ReturnType<typeof decodePbsSnapshots>;
    assert.equal(snaps.length, 2);
    assert.deepEqual(snaps[0].files.at(-1), { filename: 'client.log.blob', cryptMode: undefined, size: undefined });
    assert.equal(snaps[0].protected, false);
    assert.equal(snaps[0].verification, undefined);
    assert.equal(snaps[1].verification?.state, 'ok');
    assert.equal(snaps[1].backupId, '103');
  });

  it('GC status: the last run from `upid`, schedule and next run', () => {
    const [gc] = decodeAll('admin-gc__unattributed-rust-pbs-exporter.json').value as ReturnType<typeof decodePbsGcJobs>;
    assert.equal(gc.store, 'main');
    assert.equal(gc.lastRunState, 'OK');
    assert.equal(gc.nextRun, 1790121600);
    assert.match(gc.lastRunUpid!, /^UPID:pbs:.*:garbage_collection:main:root@pam:$/);
    assert.equal(gc.removedBytes, 8123);
  });

  it('datastore usage without an estimate, and status counts with null types left out', () => {
    const [u] = decodeAll('status-datastore-usage__unattributed-rust-pbs-exporter.json').value as ReturnType<typeof decodePbsDatastoreUsage>;
    assert.equal(u.estimatedFullDate, undefined);
    assert.equal(u.total, 247212277760);
    const st = decodeAll('admin-datastore-store-status-verbose-1__unattributed-rust-pbs-exporter.json').value as ReturnType<typeof decodePbsDatastoreStatus>;
    assert.deepEqual(st.counts, { vm: { groups: 12, snapshots: 97 }, host: { groups: 3, snapshots: 4 } });
  });

  it('is lenient like the PVE decoders: 0/1 booleans, numbers as strings, -1 as unknown; a bad row is dropped and reported', () => {
    const { value, dropped } = decodeData([
      { 'backup-type': 'vm', 'backup-id': 100, 'backup-time': '1700000000', files: [], protected: 1, size: '42' },
      { 'backup-type': 'tape', 'backup-id': '1', 'backup-time': 1, files: [], protected: false },
    ], decodePbsSnapshots, '/admin/datastore/s/snapshots');
    assert.deepEqual(value.map((x) => [x.backupId, x.backupTime, x.protected, x.size]), [['100', 1700000000, true, 42]]);
    assert.equal(dropped.length, 1);
    assert.equal(dropped[0].index, 1);
    assert.equal(dropped[0].field, 'backup-type');
    const usage = decodeData([{ store: 'a', total: -1, used: '5', 'estimated-full-date': -1, error: 'datastore is offline' }], decodePbsDatastoreUsage, '/status/datastore-usage').value;
    assert.deepEqual(usage, [{ store: 'a', total: undefined, used: 5, avail: undefined, estimatedFullDate: undefined, error: 'datastore is offline' }]);
  });
});
