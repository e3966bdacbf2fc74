// Stage 10: guest IP addresses. qemu: the guest agent (running guests with the agent on), else cloud-init's
// static addresses; lxc: `ip=`/`ip6=` of the config, and for DHCP containers that run, the runtime interface list.
// Loopback addresses are never kept; IPv6 link-local only when asked. A guest whose addresses could not be
// learned in this run (config unread, agent down) keeps the last sync's addresses.
import type { GuestRecord, IpAddressRecord } from '../../inventory/model';
import type { StageDefinition } from './types';
import { forEachItem } from './types';
import { nicsOf } from './guestConfig';
import { readAgent, wantsAgent } from './guestAgent';

export function keepAddress(address: string, keepLinkLocal: boolean): boolean {
  const a = address.toLowerCase();
  if (a === '::1' || a.startsWith('127.')) return false;
  if (!keepLinkLocal && /^fe[89ab][0-9a-f]:/.test(a)) return false;
  return true;
}

function fromCidr(vmid: number, iface: string, cidr: string | null | undefined, source: IpAddressRecord['source']): IpAddressRecord | null {
  if (!cidr || !cidr.includes('/')) return null;
  const [address, prefix] = cidr.split('/');
  return { vmid, interface: iface, address, prefix: Number(prefix), family: address.includes(':') ? 'ipv6' : 'ipv4', source };
}

const isDynamic = (v: string | null | undefined): boolean => v === 'dhcp' || v === 'auto';

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
    const push = (r: IpAddressRecord | null): void => {
      if (r && keepAddress(r.address, keepLL)) found.push(r);
    };
    const withConfig = guests.filter((g) => ctx.configs.has(g.vmid));

    const needsRuntime = (g: GuestRecord): boolean => {
      if (wantsAgent(g)) return true;
      if (g.type !== 'lxc' || g.status !== 'running') return false;
      return nicsOf(ctx.configs.get(g.vmid)!).some((n) => isDynamic(n.ip) || isDynamic(n.ip6));
    };
    const remote = withConfig.filter(needsRuntime);
    const remoteSet = new Set(remote);
    run.attempted = remote.length;

    for (const g of withConfig) {
      if (remoteSet.has(g)) continue;
      const gc = ctx.configs.get(g.vmid)!;
      if (gc.type === 'lxc') {
        for (const n of nicsOf(gc)) {
          push(fromCidr(g.vmid, n.key, n.ip, 'config'));
          push(fromCidr(g.vmid, n.key, n.ip6, 'config'));
        }
        complete.add(g.vmid);
      } else {
        // A qemu guest whose agent is not asked: cloud-init's static addresses are what can be known.
        for (const c of gc.config.ipconfigs) {
          const key = `net${c.index}`;
          push(fromCidr(g.vmid, key, c.ip, 'config'));
          push(fromCidr(g.vmid, key, c.ip6, 'config'));
        }
        // A stopped guest with an agent reports nothing now: it keeps what the agent said while it ran.
        if (gc.config.ipconfigs.length > 0 || !gc.config.agent.enabled) complete.add(g.vmid);
      }
    }

    await forEachItem(run, remote, ctx.limits.vm, (g) => ({ name: `${g.name} (${g.vmid})`, item_type: g.type }), async (g) => {
      const gc = ctx.configs.get(g.vmid)!;
      const nics = nicsOf(gc);
      const keyByMac = new Map(nics.filter((n) => n.mac).map((n) => [n.mac as string, n.key]));
      if (gc.type === 'qemu') {
        const outcome = await readAgent(run, g);
        if (outcome.kind === 'unavailable') {
          run.itemSkipped(outcome.reason);
          return;
        }
        for (const i of outcome.interfaces) {
          const mac = i.hardwareAddress?.toUpperCase();
          const iface = (mac && keyByMac.get(mac)) || i.name;
          for (const ip of i.ipAddresses) {
            push({ vmid: g.vmid, interface: iface, address: ip.address, prefix: ip.prefix ?? null, family: ip.family, source: 'agent' });
          }
        }
      } else {
        for (const n of nics) {
          push(fromCidr(g.vmid, n.key, n.ip, 'config'));
          push(fromCidr(g.vmid, n.key, n.ip6, 'config'));
        }
        const runtime = await ctx.lxcRuntimeInterfaces(g, run);
        for (const i of runtime) {
          const mac = (i.hwaddr ?? '').toUpperCase();
          const nic = nics.find((n) => n.mac !== null && n.mac === mac) ?? nics.find((n) => n.guestName === i.name);
          if (!nic) continue;
          for (const ip of i.ipAddresses) {
            // Static addresses came from the config above; only the dynamic family is read from the runtime.
            if ((ip.family === 'ipv4' && !isDynamic(nic.ip)) || (ip.family === 'ipv6' && !isDynamic(nic.ip6))) continue;
            push({ vmid: g.vmid, interface: nic.key, address: ip.address, prefix: ip.prefix ?? null, family: ip.family, source: 'lxc-runtime' });
          }
        }
      }
      complete.add(g.vmid);
    });
    run.assertNotAllFailed();
    run.reconcile('ipAddresses', found, (r) => complete.has(r.vmid) || !present.has(r.vmid));
    return found.length;
  },
};
