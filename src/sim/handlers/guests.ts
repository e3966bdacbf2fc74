// Guest endpoints: the per-node qemu/lxc indexes, configs, snapshots, status, guest-agent and container interfaces.
// Configs are printed like PVE prints them: property strings for disks and NICs, 0/1 for booleans, `tags`
// `;`-separated, and (qemu) `memory` as a string.
import { createHash } from 'node:crypto';
import { ApiError, Handler, onlyParams, RequestContext, Router } from '../router';
import { canAuditVm, findGuest, findNode } from '../lookup';
import { formatSize, propertyString } from '../propertyString';
import type { SimDisk, SimGuest, SimNic } from '../model';

function diskString(d: SimDisk, type: 'qemu' | 'lxc'): string {
  const volume = d.volume === 'none' || d.volume.includes(':') ? d.volume : `${d.storage}:${d.volume}`;
  const rest: Record<string, string | undefined> = { ...(d.options ?? {}) };
  if (d.media) rest.media = d.media;
  if (d.sizeBytes > 0) rest.size = formatSize(d.sizeBytes);
  if (d.backup !== undefined) rest.backup = d.backup ? '1' : '0';
  // lxc mount points have `mp` as a required key: printed right after the volume, before the sorted rest.
  const first = type === 'lxc' && d.mountPath ? `${volume},mp=${d.mountPath}` : volume;
  return propertyString(first, rest);
}

function qemuNicString(n: SimNic): string {
  return propertyString(`${n.model}=${n.mac}`, { bridge: n.bridge, firewall: n.firewall ? '1' : undefined, tag: n.tag });
}

function lxcNicString(n: SimNic): string {
  return propertyString(`name=${n.name ?? 'eth0'}`, {
    bridge: n.bridge, firewall: n.firewall ? '1' : undefined, gw: n.dhcp ? undefined : n.gw, hwaddr: n.mac,
    ip: n.dhcp ? 'dhcp' : n.ip, ip6: n.ip6, tag: n.tag, type: 'veth',
  });
}

function digestOf(config: Record<string, unknown>): string {
  return createHash('sha1').update(JSON.stringify(config)).digest('hex');
}

export function qemuConfig(g: SimGuest, version: '8.4' | '9.1'): Record<string, unknown> {
  const c: Record<string, unknown> = {};
  if (g.agent) c.agent = '1';
  if (g.bios) c.bios = g.bios;
  const bootDisk = g.disks.find((d) => !d.media && d.key !== 'efidisk0');
  c.boot = `order=${[bootDisk?.key, 'ide2', 'net0'].filter(Boolean).join(';')}`;
  c.cores = g.cores;
  if (g.cpu) c.cpu = g.cpu;
  if (g.description) c.description = g.description;
  for (const d of g.disks) c[d.key] = diskString(d, 'qemu');
  if (g.lock) c.lock = g.lock;
  if (g.machine) c.machine = g.machine;
  c.memory = String(g.memoryMiB);
  if (version === '9.1') c.meta = `creation-qemu=9.0.2,ctime=${g.ctime}`;
  c.name = g.name;
  for (const n of g.nics) c[n.key] = qemuNicString(n);
  c.numa = 0;
  if (g.onboot) c.onboot = 1;
  c.ostype = g.ostype;
  c.scsihw = 'virtio-scsi-single';
  c.smbios1 = `uuid=${g.smbiosUuid}`;
  c.sockets = g.sockets;
  if (g.tags.length) c.tags = g.tags.join(';');
  if (g.template) c.template = 1;
  c.vmgenid = g.vmgenid;
  c.digest = digestOf(c);
  return c;
}

export function lxcConfig(g: SimGuest): Record<string, unknown> {
  const c: Record<string, unknown> = { arch: 'amd64', cores: g.cores };
  if (g.description) c.description = g.description;
  if (g.unprivileged) c.features = 'nesting=1';
  c.hostname = g.name;
  if (g.lock) c.lock = g.lock;
  c.memory = g.memoryMiB;
  for (const d of g.disks) c[d.key] = diskString(d, 'lxc');
  for (const n of g.nics) c[n.key] = lxcNicString(n);
  if (g.onboot) c.onboot = 1;
  c.ostype = g.ostype;
  c.swap = g.swapMiB;
  if (g.tags.length) c.tags = g.tags.join(';');
  if (g.template) c.template = 1;
  if (g.unprivileged) c.unprivileged = 1;
  c.digest = digestOf(c);
  return c;
}

export function rootDiskSize(g: SimGuest): number {
  const d = g.disks.find((x) => !x.media && x.key !== 'efidisk0' && x.key !== 'tpmstate0');
  return d?.sizeBytes ?? 0;
}

function pressure(g: SimGuest, type: 'qemu' | 'lxc'): Record<string, number> {
  if (g.status !== 'running') return {};
  const v = Math.round(g.cpuUsage * 100) / 100;
  const r = (x: number): number => Math.round(x * 100) / 100;
  const out: Record<string, number> = { pressurecpusome: v, pressureiosome: r(v / 2), pressureiofull: r(v / 4), pressurememorysome: 0, pressurememoryfull: 0 };
  if (type === 'qemu') out.pressurecpufull = r(v / 3);
  return out;
}

/** Process ids are stable per guest, so repeated listings agree. */
const pidOf = (g: SimGuest): number => 10000 + ((g.vmid * 7919) % 3_000_000);

export function guestIndexEntry(g: SimGuest, version: '8.4' | '9.1'): Record<string, unknown> {
  const running = g.status === 'running';
  const maxmem = g.memoryMiB * 1024 * 1024;
  const e: Record<string, unknown> = {
    vmid: g.type === 'lxc' ? String(g.vmid) : g.vmid, // PVE's lxc index really sends the vmid as a string
    name: g.name,
    status: g.status,
    cpus: g.cores * g.sockets,
    cpu: g.cpuUsage,
    maxmem,
    mem: g.memUsed,
    maxdisk: rootDiskSize(g),
    disk: g.type === 'lxc' && running ? Math.floor(rootDiskSize(g) * 0.3) : 0,
    uptime: g.uptime,
    netin: g.netin,
    netout: g.netout,
    diskread: g.diskread,
    diskwrite: g.diskwrite,
  };
  if (g.type === 'lxc') {
    e.type = 'lxc';
    e.maxswap = g.swapMiB * 1024 * 1024;
    e.swap = 0;
  }
  if (running) e.pid = pidOf(g);
  if (g.tags.length) e.tags = g.tags.join(';');
  if (g.template) e.template = 1;
  if (g.lock) e.lock = g.lock;
  if (version === '9.1') {
    if (g.type === 'qemu') e.memhost = g.memUsed;
    Object.assign(e, pressure(g, g.type));
  }
  return e;
}

function guestIndex(type: 'qemu' | 'lxc'): Handler {
  return (ctx) => {
    onlyParams(ctx.query, type === 'qemu' ? ['full'] : []);
    const node = findNode(ctx);
    const data = ctx.cluster.guests
      .filter((g) => g.type === type && g.node === node.name && canAuditVm(ctx.token, g.vmid))
      .map((g) => {
        const e = guestIndexEntry(g, ctx.cluster.version);
        if (type === 'qemu' && g.status === 'running' && ctx.query.get('full') === '1') {
          e.qmpstatus = 'running';
          e['running-machine'] = g.machine ?? 'pc-i440fx-9.0+pve0';
          e['running-qemu'] = '9.0.2';
        }
        return e;
      });
    return { data };
  };
}

function config(type: 'qemu' | 'lxc'): Handler {
  return (ctx) => {
    onlyParams(ctx.query, ['current', 'snapshot']);
    const g = findGuest(ctx, type);
    const snap = ctx.query.get('snapshot');
    if (snap && !g.snapshots.some((s) => s.name === snap)) throw new ApiError(500, `snapshot '${snap}' does not exist`);
    return { data: type === 'qemu' ? qemuConfig(g, ctx.cluster.version) : lxcConfig(g) };
  };
}

function snapshots(type: 'qemu' | 'lxc'): Handler {
  return (ctx) => {
    const g = findGuest(ctx, type);
    const data: Record<string, unknown>[] = g.snapshots.map((s) => {
      const e: Record<string, unknown> = { name: s.name, description: s.description, snaptime: s.snaptime };
      if (s.parent) e.parent = s.parent;
      if (type === 'qemu') e.vmstate = s.vmstate ? 1 : 0;
      return e;
    });
    const cfg = type === 'qemu' ? qemuConfig(g, ctx.cluster.version) : lxcConfig(g);
    const current: Record<string, unknown> = { name: 'current', description: 'You are here!', digest: cfg.digest, running: g.status === 'running' ? 1 : 0 };
    const last = g.snapshots[g.snapshots.length - 1];
    if (last) current.parent = last.name;
    data.push(current);
    return { data };
  };
}

function statusCurrent(type: 'qemu' | 'lxc'): Handler {
  return (ctx) => {
    const g = findGuest(ctx, type);
    const e = guestIndexEntry(g, ctx.cluster.version);
    e.vmid = g.vmid;
    e.ha = { managed: 0 };
    if (type === 'qemu') {
      e.agent = g.agent ? 1 : 0;
      e.qmpstatus = g.status === 'running' ? 'running' : 'stopped';
      if (g.status === 'running') {
        e['running-machine'] = g.machine ?? 'pc-i440fx-9.0+pve0';
        e['running-qemu'] = '9.0.2';
      }
    }
    return { data: e };
  };
}

function agentInterfaces(ctx: RequestContext): { data: unknown } {
  const g = findGuest(ctx, 'qemu', 'agent');
  if (!ctx.token.guestAgentAudit || !(ctx.token.vmAudit === 'all' || ctx.token.vmAudit.includes(g.vmid))) {
    throw new ApiError(403, `Permission check failed (/vms/${g.vmid}, VM.GuestAgent.Audit|VM.GuestAgent.Unrestricted)`);
  }
  if (!g.agent) throw new ApiError(500, 'No QEMU guest agent configured');
  if (g.status !== 'running') throw new ApiError(500, `VM ${g.vmid} is not running`);
  if (!g.agentRunning) throw new ApiError(500, 'QEMU guest agent is not running');
  const result: Record<string, unknown>[] = [{
    name: 'lo', 'hardware-address': '00:00:00:00:00:00',
    'ip-addresses': [{ 'ip-address': '127.0.0.1', 'ip-address-type': 'ipv4', prefix: 8 }, { 'ip-address': '::1', 'ip-address-type': 'ipv6', prefix: 128 }],
    statistics: { 'rx-bytes': 1200, 'rx-packets': 16, 'rx-errs': 0, 'rx-dropped': 0, 'tx-bytes': 1200, 'tx-packets': 16, 'tx-errs': 0, 'tx-dropped': 0 },
  }];
  g.nics.forEach((n, i) => {
    const addrs: Record<string, unknown>[] = [];
    if (n.ip) addrs.push({ 'ip-address': n.ip.split('/')[0], 'ip-address-type': 'ipv4', prefix: Number(n.ip.split('/')[1] ?? 24) });
    if (n.ip6) addrs.push({ 'ip-address': n.ip6.split('/')[0], 'ip-address-type': 'ipv6', prefix: Number(n.ip6.split('/')[1] ?? 64) });
    addrs.push({ 'ip-address': linkLocal(n.mac), 'ip-address-type': 'ipv6', prefix: 64 });
    // The guest reports the MAC in lower case; the config has it in upper case.
    result.push({ name: ostypeNicName(g.ostype, i), 'hardware-address': n.mac.toLowerCase(), 'ip-addresses': addrs,
      statistics: { 'rx-bytes': g.netin, 'rx-packets': Math.floor(g.netin / 900), 'rx-errs': 0, 'rx-dropped': 0,
        'tx-bytes': g.netout, 'tx-packets': Math.floor(g.netout / 900), 'tx-errs': 0, 'tx-dropped': 0 } });
  });
  return { data: { result } };
}

function ostypeNicName(ostype: string, i: number): string {
  return ostype.startsWith('win') ? (i === 0 ? 'Ethernet' : `Ethernet ${i + 1}`) : `ens${18 + i}`;
}

function linkLocal(mac: string): string {
  const b = mac.split(':').map((x) => parseInt(x, 16));
  b[0] ^= 0x02;
  const h = (x: number, y: number): string => ((x << 8) | y).toString(16);
  return `fe80::${h(b[0], b[1])}:${h(b[2], 0xff)}:${h(0xfe, b[3])}:${h(b[4], b[5])}`;
}

function lxcInterfaces(ctx: RequestContext): { data: unknown } {
  const g = findGuest(ctx, 'lxc');
  if (g.status !== 'running') return { data: null };
  const data: Record<string, unknown>[] = [{
    name: 'lo', hwaddr: '00:00:00:00:00:00', 'hardware-address': '00:00:00:00:00:00', inet: '127.0.0.1/8', inet6: '::1/128',
    'ip-addresses': [{ 'ip-address-type': 'inet', 'ip-address': '127.0.0.1', prefix: 8 }, { 'ip-address-type': 'inet6', 'ip-address': '::1', prefix: 128 }],
  }];
  for (const n of g.nics) {
    const mac = n.mac.toLowerCase();
    const addrs: Record<string, unknown>[] = [];
    const e: Record<string, unknown> = { name: n.name ?? 'eth0', hwaddr: mac, 'hardware-address': mac };
    if (n.ip) {
      addrs.push({ 'ip-address-type': 'inet', 'ip-address': n.ip.split('/')[0], prefix: Number(n.ip.split('/')[1] ?? 24) });
      e.inet = n.ip;
    }
    const ll = linkLocal(n.mac);
    addrs.push({ 'ip-address-type': 'inet6', 'ip-address': ll, prefix: 64 });
    e.inet6 = `${ll}/64`;
    e['ip-addresses'] = addrs;
    data.push(e);
  }
  return { data };
}

export function registerGuestRoutes(r: Router): void {
  r.get('/nodes/{node}/qemu', guestIndex('qemu'))
    .get('/nodes/{node}/lxc', guestIndex('lxc'))
    .get('/nodes/{node}/qemu/{vmid}/config', config('qemu'))
    .get('/nodes/{node}/lxc/{vmid}/config', config('lxc'))
    .get('/nodes/{node}/qemu/{vmid}/snapshot', snapshots('qemu'))
    .get('/nodes/{node}/lxc/{vmid}/snapshot', snapshots('lxc'))
    .get('/nodes/{node}/qemu/{vmid}/status/current', statusCurrent('qemu'))
    .get('/nodes/{node}/lxc/{vmid}/status/current', statusCurrent('lxc'))
    .get('/nodes/{node}/qemu/{vmid}/agent/network-get-interfaces', agentInterfaces)
    .get('/nodes/{node}/lxc/{vmid}/interfaces', lxcInterfaces);
}
