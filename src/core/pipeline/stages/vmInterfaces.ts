// Stage 9: guest network interfaces. The NICs come from the config (netN: model, MAC, bridge, VLAN); for running
// qemu guests with the agent, the name the guest uses (ens18, eth0) is matched by MAC. A guest whose config was
// not read keeps its interfaces; when only the agent is unavailable the guest names of the last sync are kept.
import type { InterfaceRecord } from '../../inventory/model';
import type { StageDefinition } from './types';
import { forEachItem } from './types';
import { nicsOf } from './guestConfig';
import { readAgent, wantsAgent } from './guestAgent';

export const vmInterfaces: StageDefinition = {
  name: 'vm-interfaces',
  startMessage: 'Reading guest network interfaces.',
  async run(run) {
    const { ctx } = run;
    const guests = run.get('guests');
    const present = new Set(guests.map((g) => g.vmid));
    const prevByKey = new Map(run.get('interfaces').filter((i) => i.owner === 'guest').map((i) => [`${i.vmid}/${i.name}`, i]));
    const found: InterfaceRecord[] = [];
    const complete = new Set<number>();
    const withConfig = guests.filter((g) => ctx.configs.has(g.vmid));
    const agentGuests = withConfig.filter(wantsAgent);
    run.attempted = agentGuests.length;
    const agentNames = new Map<number, Map<string, string>>();
    await forEachItem(run, agentGuests, ctx.limits.vm, (g) => ({ name: `${g.name} (${g.vmid})`, item_type: 'qemu' }), async (g) => {
      const outcome = await readAgent(run, g);
      if (outcome.kind === 'unavailable') {
        run.itemSkipped(outcome.reason);
        return;
      }
      const byMac = new Map<string, string>();
      for (const i of outcome.interfaces) {
        const mac = i.hardwareAddress;
        if (mac && mac !== '00:00:00:00:00:00') byMac.set(mac.toUpperCase(), i.name);
      }
      agentNames.set(g.vmid, byMac);
    });
    run.assertNotAllFailed();

    for (const g of withConfig) {
      const names = agentNames.get(g.vmid);
      for (const nic of nicsOf(ctx.configs.get(g.vmid)!)) {
        const prev = prevByKey.get(`${g.vmid}/${nic.key}`);
        const guestName = g.type === 'lxc'
          ? nic.guestName
          : names
            ? (nic.mac ? names.get(nic.mac) ?? null : null)
            : (prev && prev.mac === nic.mac ? prev.guestName : null);
        found.push({
          owner: 'guest', node: g.node, vmid: g.vmid, name: nic.key, type: g.type === 'qemu' ? 'nic' : 'veth', mac: nic.mac,
          bridge: nic.bridge, vlan: nic.vlan, model: nic.model, guestName, cidr: nic.ip && nic.ip.includes('/') ? nic.ip : null,
          cidr6: nic.ip6 && nic.ip6.includes('/') ? nic.ip6 : null, gateway: nic.gateway, active: null, autostart: null,
          firewall: nic.firewall, mtu: nic.mtu, ports: null, comments: null,
        });
      }
      complete.add(g.vmid);
    }
    run.reconcile('interfaces', found, (i) => i.owner === 'guest' && (complete.has(i.vmid as number) || !present.has(i.vmid as number)));
    return found.length;
  },
};
