// Stage 8: the network interfaces of each node (bridges, bonds, NICs, VLANs).
import type { InterfaceRecord } from '../../inventory/model';
import type { StageDefinition } from './types';
import { forEachItem } from './types';
import { str } from './guestConfig';

export const nodeInterfaces: StageDefinition = {
  name: 'node-interfaces',
  startMessage: 'Reading node network interfaces.',
  async run(run) {
    const { ctx } = run;
    const nodes = run.get('nodes').filter((n) => n.status !== 'offline' && !ctx.unreachableNodes.has(n.name));
    run.discovery(nodes.map((n) => ({ name: n.name, item_type: 'node' })), `Reading interfaces of ${nodes.length} node(s).`);
    run.attempted = nodes.length;
    const listed = new Set<string>();
    const found: InterfaceRecord[] = [];
    await forEachItem(run, nodes, ctx.limits.node, (n) => ({ name: n.name, item_type: 'node' }), async (n) => {
      const list = await ctx.api.nodeNetwork(n.name, run.call);
      for (const i of list) {
        const ports = [...i.bridgePorts, ...i.ovsPorts, ...i.slaves];
        found.push({
          owner: 'node', node: n.name, vmid: null, name: i.iface, type: i.type, mac: null,
          bridge: i.ovsBridge ?? null, vlan: i.vlanId ?? null, model: null, guestName: null, cidr: str(i.cidr), cidr6: str(i.cidr6),
          gateway: str(i.gateway), active: i.active ?? null, autostart: i.autostart ?? null, firewall: null, mtu: i.mtu ?? null,
          ports: ports.length ? ports.join(' ') : null, comments: i.comments ? i.comments.trim() || null : null,
        });
      }
      listed.add(n.name);
    });
    run.assertNotAllFailed();
    const known = new Set(run.get('nodes').map((n) => n.name));
    run.reconcile('interfaces', found, (i) => i.owner === 'node' && (listed.has(i.node) || !known.has(i.node)));
    return found.length;
  },
};
