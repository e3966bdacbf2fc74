// What NetBox should hold for one endpoint's inventory: pure functions from inventory records (and the NetBox ids of
// what they refer to) to the bodies we write. Units and choices are NetBox's: memory and disk sizes in MB, statuses
// from NetBox's choice lists, names at most 64 characters.
import type { DiskRecord, GuestRecord, Inventory, InterfaceRecord, IpAddressRecord, NodeRecord } from '../inventory/model';
import { canonicalAddress, canonicalMac } from './compare';
import { CF_NODE, CF_VMID, keys, OBJECT_TYPES, OWNER_TAG, ownedFields } from './identity';
import type { DesiredObject } from './reconcile';

const MB = 1024 * 1024;
const toMb = (bytes: number | null): number | null => (bytes === null ? null : Math.max(0, Math.round(bytes / MB)));
const cut = (s: string, n: number): string => (s.length > n ? s.slice(0, n - 1) + '…' : s);

/** A tag reference as the schema wants it (name and slug). */
export interface TagRef { name: string; slug: string }
export const ownerTagRef: TagRef = { name: OWNER_TAG.name, slug: OWNER_TAG.slug };

export function guestStatus(g: GuestRecord): string {
  if (g.template) return 'offline';
  if (g.status === 'running') return 'active';
  if (g.status === 'paused' || g.status === 'suspended') return 'paused';
  return 'offline';
}

/** Proxmox's `ostype` as a NetBox platform name (qemu: l26, win11…; lxc: the distribution). */
export function platformName(g: GuestRecord): string | null {
  const os = g.osType;
  if (!os) return null;
  if (/^l2[46]$/.test(os)) return 'Linux';
  if (/^w/.test(os)) return 'Windows';
  if (os === 'solaris') return 'Solaris';
  if (os === 'other' || os === 'unmanaged') return null;
  return os.charAt(0).toUpperCase() + os.slice(1);
}

/**
 * Names NetBox will accept: a VM name is unique per cluster and a device name per site, but Proxmox lets two guests
 * share a name and two clusters have a node "pve1". The first keeps the plain name; a repeat gets a qualifier.
 */
export function uniqueNames<T>(items: readonly T[], name: (t: T) => string, qualifier: (t: T) => string, taken: ReadonlySet<string> = new Set()): Map<T, string> {
  const used = new Set([...taken].map((n) => n.toLowerCase()));
  const out = new Map<T, string>();
  for (const item of items) {
    let n = cut(name(item), 64);
    if (used.has(n.toLowerCase())) {
      // The qualifier must survive the 64-character limit, or two long names would still collide.
      const q = ` (${qualifier(item)})`;
      n = `${cut(name(item), 64 - q.length)}${q}`;
    }
    used.add(n.toLowerCase());
    out.set(item, n);
  }
  return out;
}

export interface SharedIds {
  site: number;
  cluster: number;
  deviceType: number;
  nodeRole: number;
  vmRole: { qemu: number; lxc: number };
  platforms: Map<string, number>;
  /** Proxmox tags by their text. */
  tags: Map<string, TagRef>;
}

function tagsOf(g: GuestRecord, ids: SharedIds): TagRef[] {
  const refs = [ownerTagRef, ...g.tags.map((t) => ids.tags.get(t)).filter((t): t is TagRef => !!t)];
  return refs.filter((t, i) => refs.findIndex((u) => u.slug === t.slug) === i);
}

export function desiredDevices(endpointId: string, nodes: readonly NodeRecord[], names: Map<NodeRecord, string>, ids: SharedIds): DesiredObject[] {
  return nodes.map((n) => ({
    key: keys.node(n.name),
    label: `node ${n.name}`,
    body: {
      name: names.get(n) ?? n.name, device_type: ids.deviceType, role: ids.nodeRole, site: ids.site, cluster: ids.cluster,
      status: n.status === 'offline' ? 'offline' : 'active', tags: [ownerTagRef],
      custom_fields: ownedFields(endpointId, keys.node(n.name), { [CF_NODE]: n.name }),
    },
  }));
}

export function nodeInterfaceType(type: string | null): string {
  if (type === 'bridge' || type === 'OVSBridge') return 'bridge';
  if (type === 'bond' || type === 'OVSBond') return 'lag';
  if (type === 'vlan' || type === 'OVSIntPort' || type === 'alias') return 'virtual';
  return 'other';
}

export function desiredNodeInterfaces(endpointId: string, ifaces: readonly InterfaceRecord[], deviceIds: Map<string, number>): DesiredObject[] {
  const out: DesiredObject[] = [];
  for (const i of ifaces) {
    if (i.owner !== 'node') continue;
    const device = deviceIds.get(keys.node(i.node));
    if (device === undefined) continue;
    const key = keys.nodeInterface(i.node, i.name);
    out.push({
      key, label: `interface ${i.name} of node ${i.node}`,
      body: {
        device, name: cut(i.name, 64), type: nodeInterfaceType(i.type), enabled: i.active !== false, mtu: i.mtu,
        description: cut([i.cidr, i.cidr6, i.comments].filter(Boolean).join(' · '), 200), tags: [ownerTagRef],
        custom_fields: ownedFields(endpointId, key),
      },
    });
  }
  return out;
}

export function desiredVirtualMachines(endpointId: string, guests: readonly GuestRecord[], names: Map<GuestRecord, string>, ids: SharedIds, deviceIds: Map<string, number>): DesiredObject[] {
  return guests.map((g) => {
    const platform = platformName(g);
    return {
      key: keys.vm(g.vmid),
      label: `${g.type === 'lxc' ? 'container' : 'virtual machine'} ${g.name} (vmid ${g.vmid})`,
      body: {
        name: names.get(g) ?? g.name, cluster: ids.cluster, site: ids.site, device: deviceIds.get(keys.node(g.node)) ?? null,
        status: guestStatus(g), role: ids.vmRole[g.type], platform: platform ? ids.platforms.get(platform) ?? null : null,
        vcpus: g.cpus, memory: toMb(g.maxMemBytes), tags: tagsOf(g, ids),
        custom_fields: ownedFields(endpointId, keys.vm(g.vmid), { [CF_VMID]: g.vmid }),
      },
    };
  });
}

function describeGuestInterface(i: InterfaceRecord): string {
  const parts = [i.model, i.bridge ? `on ${i.bridge}` : null, i.vlan !== null ? `VLAN ${i.vlan}` : null, i.guestName ? `(${i.guestName} in the guest)` : null];
  return cut(parts.filter(Boolean).join(' '), 200);
}

export function desiredVmInterfaces(endpointId: string, ifaces: readonly InterfaceRecord[], vmIds: Map<string, number>, macIds: Map<string, number>): DesiredObject[] {
  const out: DesiredObject[] = [];
  for (const i of ifaces) {
    if (i.owner !== 'guest' || i.vmid === null) continue;
    const vm = vmIds.get(keys.vm(i.vmid));
    if (vm === undefined) continue;
    const key = keys.vmInterface(i.vmid, i.name);
    const mac = macIds.get(keys.mac(i.vmid, i.name));
    out.push({
      key, label: `interface ${i.name} of guest ${i.vmid}`,
      body: {
        virtual_machine: vm, name: cut(i.name, 64), enabled: i.active !== false, mtu: i.mtu, description: describeGuestInterface(i),
        ...(mac !== undefined ? { primary_mac_address: mac } : {}),
        tags: [ownerTagRef], custom_fields: ownedFields(endpointId, key),
      },
    });
  }
  return out;
}

export function desiredMacAddresses(endpointId: string, ifaces: readonly InterfaceRecord[], vmIfIds: Map<string, number>): DesiredObject[] {
  const out: DesiredObject[] = [];
  for (const i of ifaces) {
    if (i.owner !== 'guest' || i.vmid === null || !i.mac) continue;
    const iface = vmIfIds.get(keys.vmInterface(i.vmid, i.name));
    if (iface === undefined) continue;
    const key = keys.mac(i.vmid, i.name);
    out.push({
      key, label: `MAC address ${i.mac} of guest ${i.vmid} ${i.name}`,
      body: {
        mac_address: canonicalMac(i.mac), assigned_object_type: OBJECT_TYPES.vmInterface, assigned_object_id: iface,
        tags: [ownerTagRef], custom_fields: ownedFields(endpointId, key),
      },
    });
  }
  return out;
}

/** Disks NetBox models: real volumes with a size (not cdroms, not unused volumes). */
export function desiredVirtualDisks(endpointId: string, disks: readonly DiskRecord[], vmIds: Map<string, number>): DesiredObject[] {
  const out: DesiredObject[] = [];
  for (const d of disks) {
    if (d.kind === 'cdrom' || d.kind === 'unused' || d.sizeBytes === null) continue;
    const vm = vmIds.get(keys.vm(d.vmid));
    if (vm === undefined) continue;
    const key = keys.virtualDisk(d.vmid, d.key);
    out.push({
      key, label: `disk ${d.key} of guest ${d.vmid}`,
      body: {
        virtual_machine: vm, name: d.key, size: toMb(d.sizeBytes), description: cut(d.volume, 200),
        tags: [ownerTagRef], custom_fields: ownedFields(endpointId, key),
      },
    });
  }
  return out;
}

export function ipCidr(a: IpAddressRecord): string {
  return canonicalAddress(`${a.address}/${a.prefix ?? (a.family === 'ipv4' ? 32 : 128)}`);
}

export function desiredIpAddresses(endpointId: string, addresses: readonly IpAddressRecord[], vmIfIds: Map<string, number>): DesiredObject[] {
  const out: DesiredObject[] = [];
  for (const a of addresses) {
    const iface = vmIfIds.get(keys.vmInterface(a.vmid, a.interface));
    // An address the guest agent reports on an interface that is no netN of the config has nowhere to hang.
    if (iface === undefined) continue;
    const cidr = ipCidr(a);
    const key = keys.ip(a.vmid, a.interface, cidr);
    out.push({
      key, label: `IP address ${cidr} of guest ${a.vmid} ${a.interface}`,
      body: {
        address: cidr, status: 'active', assigned_object_type: OBJECT_TYPES.vmInterface, assigned_object_id: iface,
        tags: [ownerTagRef], custom_fields: ownedFields(endpointId, key),
      },
    });
  }
  return out;
}

/** Each guest's first IPv4 and IPv6 (config order of its interfaces), for a VM without a primary IP yet. */
export function primaryAddresses(inv: Inventory, ipIds: Map<string, number>): Map<number, { v4?: number; v6?: number }> {
  const out = new Map<number, { v4?: number; v6?: number }>();
  const order = (a: IpAddressRecord): string => a.interface.replace(/\d+$/, (n) => n.padStart(4, '0'));
  for (const a of [...inv.ipAddresses].sort((x, y) => order(x).localeCompare(order(y)))) {
    const id = ipIds.get(keys.ip(a.vmid, a.interface, ipCidr(a)));
    if (id === undefined) continue;
    const p = out.get(a.vmid) ?? {};
    if (a.family === 'ipv4' && p.v4 === undefined) p.v4 = id;
    if (a.family === 'ipv6' && p.v6 === undefined && !/^fe80:/i.test(a.address)) p.v6 = id;
    out.set(a.vmid, p);
  }
  return out;
}
