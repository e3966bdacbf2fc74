// The decoders reject wrong shapes with the path of the field, and accept Perl's spellings of numbers and booleans.
import { strict as assert } from 'node:assert';
import {
  arrayOf, bool, DecodeError, decodeBackupJob, decodeBackupJobs, decodeClusterResource, decodeLxcInterfaces, decodeQemuConfig,
  decodeStorageConfig, int, num, str, unwrapEnvelope,
} from '../../../src/core/proxmox';

function decodeError(fn: () => unknown): DecodeError {
  try {
    fn();
  } catch (e) {
    assert.ok(e instanceof DecodeError, `expected a DecodeError, got ${String(e)}`);
    return e;
  }
  assert.fail('no error thrown');
}

describe('proxmox decoders', () => {
  it('primitives accept Perl spellings and reject the rest', () => {
    assert.equal(int('103', 'x'), 103);
    assert.equal(num('3400.000', 'x'), 3400);
    assert.equal(str(5, 'x'), '5');
    assert.deepEqual([bool(1, 'x'), bool('0', 'x'), bool(true, 'x'), bool('', 'x'), bool('on', 'x')], [true, false, true, false, true]);
    assert.equal(decodeError(() => int('1.5', 'data.vmid')).message, 'data.vmid: expected an integer, got the string "1.5"');
    assert.match(decodeError(() => bool(2, 'data.enabled')).message, /data.enabled: expected a boolean/);
    assert.match(decodeError(() => arrayOf(int)([1, 'x'], 'data')).message, /^data\[1\]: expected a number/);
  });

  it('names the job and field that is wrong', () => {
    const err = decodeError(() => decodeBackupJobs([{ id: 'a', schedule: 'daily' }, { id: 'b', enabled: 'sometimes' }], 'data'));
    assert.equal(err.at, 'data[1].enabled');
    assert.equal(decodeError(() => decodeBackupJobs([{ schedule: 'daily' }], 'data')).message, 'data[0].id: required field is missing');
    assert.match(decodeError(() => decodeBackupJob({ id: 'x', 'prune-backups': { 'keep-daily': 'lots' } }, 'data')).message,
      /^data\.prune-backups: keep-daily=lots is not a non-negative integer/);
    assert.match(decodeError(() => decodeBackupJob({ id: 'x', 'prune-backups': [1] }, 'data')).message, /expected an object or a property string/);
  });

  it('reads a job built from the PVE source: objects, strings, defaults', () => {
    const job = decodeBackupJob({
      id: 'backup-97d3a718-6094', type: 'vzdump', schedule: '02:30', enabled: 1, storage: 'pbs1', vmid: '100,101',
      mode: 'snapshot', compress: 'zstd', 'notes-template': '{{guestname}}', 'notification-mode': 'notification-system',
      'repeat-missed': 1, 'prune-backups': { 'keep-daily': '7', 'keep-last': '3', 'keep-monthly': '6', 'keep-weekly': '4' },
      fleecing: { enabled: 1, storage: 'local-lvm' }, performance: { 'max-workers': '16' }, 'next-run': 1704076200,
      'exclude-path': ['/tmp/*'],
    }, 'data');
    assert.deepEqual(job.vmids, [100, 101]);
    assert.equal(job.repeatMissed, true);
    assert.deepEqual(job.pruneBackups, { keepDaily: 7, keepLast: 3, keepMonthly: 6, keepWeekly: 4 });
    assert.deepEqual(job.fleecing, { enabled: true, storage: 'local-lvm' });
    assert.deepEqual(job.performance, { maxWorkers: 16 });
    assert.deepEqual(job.excludePath, ['/tmp/*']);
    assert.equal(job.raw['notes-template'], '{{guestname}}');
    const minimal = decodeBackupJob({ id: 'cd5e:1', all: 1, exclude: '114,205', fleecing: '1,storage=local-lvm' }, 'data');
    assert.deepEqual([minimal.enabled, minimal.all, minimal.exclude, minimal.fleecing?.enabled], [true, true, [114, 205], true]);
  });

  it('decodes resource types it does not know and offline nodes with few fields', () => {
    assert.deepEqual(decodeClusterResource({ id: 'sdn/pve/localnetwork', sdn: 'localnetwork', status: 'ok', type: 'sdn', node: 'pve' }, 'data'),
      { type: 'sdn', rawType: 'sdn', id: 'sdn/pve/localnetwork', node: 'pve', status: 'ok' });
    assert.equal(decodeClusterResource({ id: 'future/1', type: 'gadget' }, 'data').type, 'other');
    const pool = decodeClusterResource({ id: '/pool/prod', type: 'pool', pool: 'prod' }, 'data');
    assert.deepEqual(pool, { type: 'pool', id: '/pool/prod', pool: 'prod' });
    const offline = decodeClusterResource({ id: 'node/pve3', node: 'pve3', type: 'node', status: 'unknown' }, 'data');
    assert.equal(offline.type === 'node' && offline.cpu, undefined);
    assert.equal(decodeError(() => decodeClusterResource({ type: 'qemu', node: 'pve' }, 'data[4]')).at, 'data[4].vmid');
  });

  it('names the config key of a broken compound string', () => {
    const err = decodeError(() => decodeQemuConfig({ digest: 'x', net0: 'virtio=BC:24:11:00:00:01,bridge=vmbr0', net1: 'bridge=vmbr1' }, 'data'));
    assert.equal(err.at, 'data.net1');
    assert.equal(decodeQemuConfig({ memory: 2048, agent: 1 }, 'data').memoryMiB, 2048);
    assert.equal(decodeQemuConfig({ memory: 'current=4096' }, 'data').memoryMiB, 4096);
    assert.deepEqual(decodeQemuConfig({ agent: 1 }, 'data').agent, { enabled: true });
  });

  it('a stopped container has no interfaces; /storage keeps no secrets in raw', () => {
    assert.deepEqual(decodeLxcInterfaces(null, 'data'), []);
    const s = decodeStorageConfig({ storage: 'pbs', type: 'pbs', password: 'hunter2', content: 'backup' }, 'data');
    assert.equal('password' in s.raw, false);
  });

  it('unwraps the envelope only when present', () => {
    assert.deepEqual(unwrapEnvelope({ data: [1] }), [1]);
    assert.deepEqual(unwrapEnvelope({ result: [] }), { result: [] });
    assert.deepEqual(unwrapEnvelope([1]), [1]);
  });
});
