// One backup, one identity, in the simulator: what PVE lists on its `pbs` storage (through the real PVE client) is
// exactly what the PBS lists in that storage's datastore and namespace (through the real PBS client), because the
// simulated PVE asks the simulated PBS, as a real PVE does. The storage's configuration points at the PBS.
import { strict as assert } from 'node:assert';
import { PbsClient } from '../../../src/core/pbs/client';
import { ProxmoxClient } from '../../../src/core/proxmox/client';
import { parseBackupVolid } from '../../../src/core/proxmox/parsers/backupVolid';
import { startSimulator, type RunningSimulator } from '../../../src/sim';

describe('PVE pbs storage listing = PBS snapshots of its datastore and namespace', function () {
  this.timeout(30_000);
  let s: RunningSimulator;
  let pve: ProxmoxClient;
  let pbs: PbsClient;

  before(async () => {
    s = await startSimulator({ scenario: 'health', pbs: true, now: 1_790_000_000 });
    pve = new ProxmoxClient({ id: 'pve', name: 'pve', url: s.url, tokenId: s.tokenId, fingerprint: s.fingerprint }, s.tokenSecret);
    pbs = new PbsClient({ id: 'pbs', name: 'pbs', url: s.pbs!.url, tokenId: s.pbs!.tokenId, fingerprint: s.pbs!.fingerprint }, s.pbs!.tokenSecret);
  });
  after(async () => {
    await Promise.all([pve?.close(), pbs?.close()]);
    await s?.close();
  });

  it('the pbs storage names the simulated PBS: 127.0.0.1, its port, datastore, namespace and fingerprint', async () => {
    const storage = (await pve.storageIndex()).find((x) => x.type === 'pbs')!;
    assert.equal(storage.server, '127.0.0.1');
    assert.equal(storage.port, Number(new URL(s.pbs!.url).port));
    assert.equal(storage.datastore, 'store1');
    assert.equal(storage.namespace, 'pve-a');
    assert.equal(storage.fingerprint, s.pbs!.fingerprint);
    assert.ok((await pbs.namespaces('store1')).some((n) => n.ns === storage.namespace));
  });

  it('lists the same backups with the same times, sizes, protection and verification on both sides', async () => {
    const storage = (await pve.storageIndex()).find((x) => x.type === 'pbs')!;
    const node = (await pve.nodes()).find((n) => n.status === 'online')!.node;
    const listed = await pve.storageContent(node, storage.storage, { content: 'backup' });
    const snaps = await pbs.snapshots(storage.datastore!, storage.namespace ?? '');
    assert.ok(listed.length > 0);
    const fromPve = listed.map((b) => {
      const v = parseBackupVolid(b.volid)!;
      assert.equal(v.kind, 'pbs', b.volid);
      return [v.guestType === 'qemu' ? 'vm' : 'ct', String(v.vmid), v.epoch, b.ctime, b.size, b.protected, b.verification?.state ?? 'none'].join(' ');
    }).sort();
    const fromPbs = snaps.map((x) => [x.backupType, x.backupId, x.backupTime, x.backupTime, x.size, x.protected, x.verification?.state ?? 'none'].join(' ')).sort();
    assert.deepEqual(fromPve, fromPbs);
  });

  it("keeps the health scenario's planted verification states (110 ok, 112 failed, 113 none) on the PBS", async () => {
    const snaps = await pbs.snapshots('store1', 'pve-a');
    const states = (id: string): Set<string> => new Set(snaps.filter((x) => x.backupId === id).map((x) => x.verification?.state ?? 'none'));
    for (const [id, state] of [['110', 'ok'], ['112', 'failed'], ['113', 'none']]) {
      assert.ok(snaps.some((x) => x.backupId === id), `vm/ct ${id} has backups on the PBS`);
      assert.deepEqual([...states(id)], [state], id);
    }
  });

  it('a snapshot removed on the PBS disappears from the PVE listing too', async () => {
    const storage = (await pve.storageIndex()).find((x) => x.type === 'pbs')!;
    const node = (await pve.nodes()).find((n) => n.status === 'online')!.node;
    const before = await pve.storageContent(node, storage.storage, { content: 'backup', vmid: 110 });
    assert.ok(before.length > 0);
    s.cluster.pbs!.snapshots = s.cluster.pbs!.snapshots.filter((x) => x.backupId !== '110');
    assert.deepEqual(await pve.storageContent(node, storage.storage, { content: 'backup', vmid: 110 }), []);
  });
});
