import { strict as assert } from 'node:assert';
import { resolveOptions } from '../../src/core/pipeline';
import type { PveApi } from '../../src/core/pipeline/api';
import { SyncContext, StageRun } from '../../src/core/pipeline/context';
import { EventEmitterOnce } from '../../src/core/pipeline/events';
import { emptyInventory, InterfaceRecord } from '../../src/core/inventory/model';

const SIM_NOW = 1_760_000_000;

describe('pipeline: two stages sharing a collection commit in either order', () => {
  const nic = (owner: 'node' | 'guest', name: string, extra: Partial<InterfaceRecord> = {}): InterfaceRecord => ({
    owner, node: 'pve1', vmid: owner === 'guest' ? 100 : null, name, type: 'eth', mac: null, bridge: null, vlan: null, model: null,
    guestName: null, cidr: null, cidr6: null, gateway: null, active: null, autostart: null, firewall: null, mtu: null, ports: null, comments: null,
    ...extra,
  });

  /**
   * Both stages reconcile before either commits (their last answers arrived in the same turn of the event loop),
   * then commit in the given order. Without the replay on commit, the second commit would put back the other
   * stage's records as they were before the first.
   */
  function commitBoth(order: 'node-first' | 'guest-first') {
    const inventory = emptyInventory({ id: 'x', name: 'x', url: 'https://127.0.0.1:8006', tokenId: 'root@pam!x' });
    inventory.interfaces = [nic('node', 'eth0'), nic('node', 'vmbr0', { mtu: 1500 }), nic('guest', 'net0'), nic('guest', 'net1')];
    // No request is made: the runs are driven by hand.
    const ctx = new SyncContext({} as PveApi, new AbortController().signal, resolveOptions(), new EventEmitterOnce(undefined), () => SIM_NOW * 1000, inventory);
    const nodeRun = new StageRun(ctx, 'node-interfaces');
    const guestRun = new StageRun(ctx, 'vm-interfaces');
    nodeRun.reconcile('interfaces', [nic('node', 'eth0'), nic('node', 'vmbr0', { mtu: 9000 }), nic('node', 'bond0')], (i) => i.owner === 'node');
    guestRun.reconcile('interfaces', [nic('guest', 'net0'), nic('guest', 'net2')], (i) => i.owner === 'guest');
    for (const run of order === 'node-first' ? [nodeRun, guestRun] : [guestRun, nodeRun]) run.commit();
    return { interfaces: ctx.inventory.interfaces, node: { ...nodeRun.counts }, guest: { ...guestRun.counts }, dirty: [...ctx.dirty] };
  }

  it('keeps both stages\' changes and counts, whichever commits first', () => {
    const a = commitBoth('node-first');
    const b = commitBoth('guest-first');
    assert.deepEqual(a.interfaces.map((i) => `${i.owner}/${i.name}/${i.mtu ?? ''}`), ['guest/net0/', 'guest/net2/', 'node/bond0/', 'node/eth0/', 'node/vmbr0/9000']);
    assert.deepEqual(b, a);
    assert.deepEqual(a.node, { created: 1, updated: 1, deleted: 0, stale: 0, unchanged: 1 });
    assert.deepEqual(a.guest, { created: 1, updated: 0, deleted: 1, stale: 0, unchanged: 1 });
    assert.deepEqual(a.dirty, ['interfaces']);
  });
});
