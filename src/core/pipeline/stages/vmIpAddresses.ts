// Stage 10: guest IP addresses. qemu: the guest agent (running guests with the agent on), else static cloud-init
// addresses; lxc: `ip=`/`ip6=` of the config, and for DHCP containers that run, the runtime interface list.
// Loopback addresses are never kept; IPv6 link-local only when asked. A guest whose addresses could not be
// learned in this run (config unread, agent down, container stopped on DHCP) keeps the last sync's addresses.
import type { GuestRecord, IpAddressRecord } from '../../inventory/model';
import type { StageDefinition } from './types';
import { forEachItem } from './types';
import { parseIpConfigs, parseNics } from './guestConfig';
import { readAgent, wantsAgent } from './guestAgent';

function family(address: string, type: string | undefined): 'ipv4' | 'ipv6' {
  if (type === 'ipv6' || type === 'inet6') return 'ipv6';
  if (type === 'ipv4' || type === 'inet') return 'ipv4';
  return address.includes(':') ? 'ipv6' : 'ipv4';
}

export function keepAddress(address: string, keepLinkLocal: boolean): boolean {
  const a = address.toLowerCase();
  if (a === '::1' || a.startsWith('127.')) return false;
  if (!keepLinkLocal && /^fe[89ab][0-9a-f]:/.test(a)) return false;
  return true;
}

function fromCidr(vmid: number, iface: string, cidr: string | null, source: IpAddressRecord['source']): IpAddressRecord | null {
  if (!cidr || !cidr.includes('/')) return null;
  const [address, prefix] = cidr.split('/');
  return { vmid, interface: iface, address, prefix: Number(prefix), family: family(address, undefined), source };
}

export const vmIpAddresses: StageDefinition = {
  name: 'vm-ip-addresses',
  startMessage: 'Reading guest IP addresses.',
  async run(run) {
    const { ctx } = run;
    const keepLL = ctx.options.keepLinkLocal;
    const guests = run.get('guests');
    const present = new Set(guests.map((g) => g.vmid));
    const found: IpAddressRecord[] = [];
    const complete = new Set<number>();
    const withConfig = guests.filter((g) => ctx.configs.has(g.vmid));

    const needsRuntime = (g: GuestRecord): boolean => {
      if (wantsAgent(g)) return true;
      if (g.type !== 'lxc' || g.status !== 'running') return false;
      return parseNics('lxc', ctx.configs.get(g.vmid)!).some((n) => n.ip === 'dhcp' || n.ip6 === 'dhcp' || n.ip6 === 'auto');
    };
    const remote = withConfig.filter(needsRuntime);
    const remoteSet = new Set(remote);
    run.attempted = remote.length;

    for (const g of withConfig) {
      if (remoteSet.has(g)) continue;
      const config = ctx.configs.get(g.vmid)!;
      const nics = parseNics(g.type, config);
      if (g.type === 'lxc') {
        for (const n of nics) {
          for (const c of [n.ip, n.ip6]) {
            const r = fromCidr(g.vmid, n.key, c, 'config');
            if (r && keepAddress(r.address, keepLL)) found.push(r);
          }
        }
        complete.add(g.vmid);
      } else {
        // A qemu guest without a reachable agent: cloud-init's static addresses are what we can know.
        const ipc = parseIpConfigs(config);
        for (const [key, v] of ipc) {
          for (const c of [v.ip, v.ip6]) {
            const r = fromCidr(g.vmid, key, c, 'config');
            if (r && keepAddress(r.address, keepLL)) found.push(r);
          }
        }
        if (ipc.size > 0 || g.agent !== true) complete.add(g.vmid);
      }
    }

    await forEachItem(run, remote, ctx.limits.vm, (g) => ({ name: `${g.name} (${g.vmid})`, item_type: g.type }), async (g) => {
      const nics = parseNics(g.type, ctx.configs.get(g.vmid)!);
      const keyByMac = new Map(nics.filter((n) => n.mac).map((n) => [n.mac as string, n.key]));
      if (g.type === 'qemu') {
        const outcome = await readAgent(ctx, g);
        if (outcome.kind === 'unavailable') {
          run.itemSkipped(outcome.reason);
          return;
        }
        for (const i of outcome.interfaces) {
          const mac = i['hardware-address']?.toUpperCase();
          const iface = (mac && keyByMac.get(mac)) || i.name;
          for (const ip of i['ip-addresses'] ?? []) {
            if (!keepAddress(ip['ip-address'], keepLL)) continue;
            found.push({ vmid: g.vmid, interface: iface, address: ip['ip-address'], prefix: ip.prefix ?? null, family: family(ip['ip-address'], ip['ip-address-type']), source: 'agent' });
          }
        }
      } else {
        const list = await ctx.lxcRuntimeInterfaces(g);
        for (const n of nics) {
          for (const c of [n.ip, n.ip6]) {
            const r = fromCidr(g.vmid, n.key, c, 'config');
            if (r && keepAddress(r.address, keepLL)) found.push(r);
          }
        }
        for (const i of list ?? []) {
          const mac = (i.hwaddr ?? '').toUpperCase();
          const nic = nics.find((n) => n.mac === mac) ?? nics.find((n) => n.guestName === i.name);
          if (!nic || (nic.ip !== 'dhcp' && nic.ip6 !== 'dhcp' && nic.ip6 !== 'auto')) continue;
          const addrs = i['ip-addresses'] ?? [
            ...(i.inet ? [{ 'ip-address': i.inet.split('/')[0], 'ip-address-type': 'inet', prefix: Number(i.inet.split('/')[1]) }] : []),
            ...(i.inet6 ? [{ 'ip-address': i.inet6.split('/')[0], 'ip-address-type': 'inet6', prefix: Number(i.inet6.split('/')[1]) }] : []),
          ];
          for (const ip of addrs) {
            if (!keepAddress(ip['ip-address'], keepLL)) continue;
            found.push({ vmid: g.vmid, interface: nic.key, address: ip['ip-address'], prefix: ip.prefix ?? null, family: family(ip['ip-address'], ip['ip-address-type']), source: 'lxc-runtime' });
          }
        }
      }
      complete.add(g.vmid);
    });
    if (remote.length > 0 && run.failed === remote.length) run.assertNotAllFailed();
    run.reconcile('ipAddresses', found, (r) => complete.has(r.vmid) || !present.has(r.vmid));
    return found.length;
  },
};
