// Stage 8: the network interfaces of each node (bridges, bonds, NICs, VLANs).
import type { InterfaceRecord } from '../../inventory/model';
import type { StageDefinition } from './types';
import { forEachItem } from './types';
import { flag, num, str } from './guestConfig';

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
      const list = await ctx.api.nodeNetwork(n.name, ctx.call);
      for (const i of list) {
        found.push({
          owner: 'node', node: n.name, vmid: null, name: i.iface, type: str(i.type), mac: i.hwaddr ? String(i.hwaddr).toUpperCase() : null,
          bridge: null, vlan: num(i['vlan-id']), model: null, guestName: null, cidr: str(i.cidr), cidr6: str(i.cidr6),
          gateway: str(i.gateway), active: flag(i.active), autostart: flag(i.autostart), firewall: null, mtu: num(i.mtu),
          ports: str(i.bridge_ports ?? i.ovs_ports ?? i.slaves), comments: i.comments ? String(i.comments).trim() || null : null,
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
