// Which PVE `pbs` storage is which PBS datastore (src/core/pbs/identity.ts).
import { strict as assert } from 'node:assert';
import { pbsSnapshotKey } from '../../../src/core/inventory/model';
import { matchPbsStorages, pbsKeyOfVolid } from '../../../src/core/pbs/identity';
import * as f from '../health/fixtures';
import { FP_A, FP_B, pbsInventory, pbsStorage } from '../health/pbsFixtures';

const pveWith = (...storages: ReturnType<typeof pbsStorage>[]) => f.inventory({ storages }, 'lab');

describe('PBS identity: matching PVE pbs storages to PBS endpoints', () => {
  it('matches by host name, port and datastore, with the namespace', () => {
    const m = matchPbsStorages([pveWith(pbsStorage('pbs1', { namespace: 'lab' })), pbsInventory()]);
    assert.deepEqual(m, [{ pveEndpointId: 'lab', storage: 'pbs1', pbsEndpointId: 'pbs', store: 'store1', ns: 'lab' }]);
  });

  it('does not match another datastore, another port or another host without a shared fingerprint', () => {
    for (const s of [
      pbsStorage('x', { datastore: 'store9' }),
      pbsStorage('x', { port: 8008 }),
      pbsStorage('x', { server: '192.0.2.10', fingerprint: null }),
    ]) assert.deepEqual(matchPbsStorages([pveWith(s), pbsInventory()]), [], JSON.stringify(s));
  });

  it('two fingerprints that differ are two servers, whatever the names say', () => {
    assert.deepEqual(matchPbsStorages([pveWith(pbsStorage('pbs1', { fingerprint: FP_B })), pbsInventory()]), []);
  });

  it('a storage configured by IP and an endpoint by name match through the same fingerprint (in any case and spelling)', () => {
    const byIp = pbsStorage('pbs1', { server: '192.0.2.10', fingerprint: FP_A.toUpperCase() });
    const m = matchPbsStorages([pveWith(byIp), pbsInventory()]);
    assert.equal(m.length, 1);
    assert.equal(m[0].pbsEndpointId, 'pbs');
  });

  it('keys a PVE-listed PBS volid as PBS keys the snapshot (vm ↔ qemu, ct ↔ lxc), and ignores file volids', () => {
    const [m] = matchPbsStorages([pveWith(pbsStorage('pbs1', { namespace: 'lab' })), pbsInventory()]);
    const t = f.utc('2026-11-30T02:30:00Z');
    assert.equal(pbsKeyOfVolid(m, 'pbs1:backup/vm/100/2026-11-30T02:30:00Z'),
      pbsSnapshotKey({ store: 'store1', ns: 'lab', backupType: 'vm', backupId: '100', backupTime: t }));
    assert.equal(pbsKeyOfVolid(m, 'pbs1:backup/ct/101/2026-11-30T02:30:00Z'),
      pbsSnapshotKey({ store: 'store1', ns: 'lab', backupType: 'ct', backupId: '101', backupTime: t }));
    assert.equal(pbsKeyOfVolid(m, 'nas:backup/vzdump-qemu-100-2026_11_30-02_30_00.vma.zst'), undefined);
  });
});
