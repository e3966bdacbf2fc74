// Adversarial server text for every exported parser and decoder, shared by the hardening test (each call under a time
// bound) and bench/parsers.ts (which prints the slowest). Each shape is about 100,000 characters and is the worst case
// of some pattern that once read server text: long digit runs before a stray letter (`\d+\.?\d*`), long space runs
// between two letters (`\s*…\s*$`, trim-then-spread), repeated separators, unterminated quotes, repeated prefixes of a
// pattern that backtracks (`qga command .* failed`, token headers), and so on.
import {
  decodeAgentInterfaces, decodeBackupJob, decodeClusterResource, decodeClusterStatusEntry, decodeGuestListEntry,
  decodeGuestStatus, decodeLxcConfig, decodeLxcInterfaces, decodeNetworkInterface, decodeNodeEntry, decodeNodeStatus,
  decodeNodeStorage, decodeNodeTime, decodeNotBackedUpGuest, decodeQemuConfig, decodeReplicationJob, decodeSnapshot,
  decodeStorageConfig, decodeStorageContentItem, decodeTaskEntry, decodeVersion, bool, int, num, str, type Decoder,
} from '../../src/core/proxmox/decoders';
import {
  isLxcDiskKey, isQemuDiskKey, parseAgentOption, parseBackupVolid, parseDiskSize, parseFlag, parseFleecing, parseIpConfig,
  parseLxcMount, parseLxcNet, parseNonNegativeInt, parseNumber, parsePerformance, parsePropertyString, parsePruneBackups,
  parseQemuDisk, parseQemuMemory, parseQemuNet, parseTags, parseUpid, parseVmidList, propertyMap,
} from '../../src/core/proxmox/parsers';
import { parseCalendarEvent, parseInstant, parseSchedule } from '../../src/core/schedule';
import { selectionOf } from '../../src/core/health/selection';
import { redactDeep, redactSecrets } from '../../src/core/secrets/redact';
import { isExpectedAgentError } from '../../src/core/pipeline/stages/guestAgent';
import { syncOutcome } from '../../src/ui/webviews/commandArgs';
import type { SyncResult } from '../../src/ui/commands/sync';

export const HOSTILE_LENGTH = 100_000;
const N = HOSTILE_LENGTH;
const rep = (unit: string, extra = ''): string => unit.repeat(Math.ceil((N - extra.length) / unit.length)) + extra;

/** The shapes, by name. Every one is about HOSTILE_LENGTH characters. */
export const SHAPES: Readonly<Record<string, string>> = {
  'digits then x': rep('1', 'x'),
  'x, spaces, x': `x${rep(' ', 'x')}`,
  'spaces then x': rep(' ', 'x'),
  'digits, dot, digits, x': `1.${rep('1', 'x')}`,
  'exponent digits, x': `1e${rep('1', 'x')}`,
  'dots and spaces, x': rep('. ', 'x'),
  'tabs and newlines, x': rep('\t\n', 'x'),
  'commas': rep(','),
  'key=value pairs': rep('k=v,'),
  'equals signs': rep('='),
  'unterminated quote': `"${rep('a')}`,
  'escaped quotes': `"${rep('\\"')}`,
  'colons': rep(':'),
  'letters then 1': rep('a', '1'),
  'hex escapes': rep('\\x4'),
  'upid-like': `UPID:${rep('a:')}`,
  'qga command, never failed': rep('qga command x '),
  'qga command per line, failed far away': `${rep('qga command x\n', ' failed')}`,
  'vm digits': `vm ${rep('1', ' is')}`,
  'token headers without an end': rep('PVEAPIToken=a!b'),
  'authorization fields': rep('authorization: '),
  'one token header, no end': `PVEAPIToken=a!${rep('b!')}`,
  'token headers, space-separated': rep('PVEAPIToken a!b! '),
  'schedule list': `mon ${rep('0,', 'x')}`,
  'weekday list': rep('mon,', 'x'),
  'ranges': rep('1..', 'x'),
  'steps': rep('*/', 'x'),
  'UTC after spaces': `x${rep(' ', 'UTC')}`,
  'backup name': `local:backup/vzdump-qemu-${rep('1', 'x')}`,
  'pbs name': `pbs:backup/vm/${rep('1', '/x')}`,
  'disk keys': `scsi${rep('1', 'x')}`,
  'cidr': rep('1.1.1.1/', 'x'),
  'surrogates': rep('\ud83d\ude00'),
};

/** One exported entry point, called with one string. */
export interface HostileCase {
  name: string;
  run: (text: string) => unknown;
}

const asDecoder = (d: Decoder<unknown>) => (v: unknown): unknown => d(v, 'data', () => undefined);

/** Each parser of text, applied to every shape. */
export const TEXT_CASES: readonly HostileCase[] = [
  { name: 'str', run: (t) => str(t, 'data.x') },
  { name: 'num', run: (t) => num(t, 'data.x') },
  { name: 'int', run: (t) => int(t, 'data.x') },
  { name: 'bool', run: (t) => bool(t, 'data.x') },
  { name: 'parsePropertyString', run: (t) => parsePropertyString(t, { defaultKey: 'file' }) },
  { name: 'propertyMap (string)', run: (t) => propertyMap(t) },
  { name: 'propertyMap (object)', run: (t) => propertyMap({ 'max-workers': t }) },
  { name: 'parseFlag', run: (t) => parseFlag(t, 'x') },
  { name: 'parseNonNegativeInt', run: (t) => parseNonNegativeInt(t, 'x') },
  { name: 'parseNumber', run: (t) => parseNumber(t, 'x') },
  { name: 'parsePruneBackups', run: (t) => parsePruneBackups(t) },
  { name: 'parsePruneBackups (object)', run: (t) => parsePruneBackups({ 'keep-daily': t }) },
  { name: 'parseFleecing', run: (t) => parseFleecing(t) },
  { name: 'parsePerformance', run: (t) => parsePerformance(t) },
  { name: 'parsePerformance (object)', run: (t) => parsePerformance({ 'max-workers': t }) },
  { name: 'parseVmidList', run: (t) => parseVmidList(t) },
  { name: 'parseTags', run: (t) => parseTags(t) },
  { name: 'parseDiskSize', run: (t) => parseDiskSize(t) },
  { name: 'parseQemuNet', run: (t) => parseQemuNet(t) },
  { name: 'parseLxcNet', run: (t) => parseLxcNet(t) },
  { name: 'parseQemuDisk', run: (t) => parseQemuDisk('scsi0', t) },
  { name: 'parseQemuDisk (size)', run: (t) => parseQemuDisk('scsi0', `local:vm-100-disk-0,size=${t.slice(0, 60_000)}`) },
  { name: 'parseLxcMount', run: (t) => parseLxcMount('mp0', t) },
  { name: 'isQemuDiskKey', run: (t) => isQemuDiskKey(t) },
  { name: 'isLxcDiskKey', run: (t) => isLxcDiskKey(t) },
  { name: 'parseBackupVolid', run: (t) => parseBackupVolid(t) },
  { name: 'parseUpid', run: (t) => parseUpid(t) },
  { name: 'parseQemuMemory', run: (t) => parseQemuMemory(t) },
  { name: 'parseAgentOption', run: (t) => parseAgentOption(t) },
  { name: 'parseIpConfig', run: (t) => parseIpConfig(t) },
  { name: 'parseSchedule (calendar)', run: (t) => parseSchedule(t) },
  { name: 'parseSchedule (cron)', run: (t) => parseSchedule(t, 'cron') },
  { name: 'parseCalendarEvent', run: (t) => parseCalendarEvent(t) },
  { name: 'parseInstant', run: (t) => parseInstant(t, 'UTC') },
  { name: 'redactSecrets', run: (t) => redactSecrets(t, ['secret-value']) },
  { name: 'redactDeep', run: (t) => redactDeep({ message: t, rows: [t] }, ['secret-value']) },
  { name: 'isExpectedAgentError', run: (t) => isExpectedAgentError({ pveMessage: t, message: t }) },
  {
    name: 'syncOutcome',
    run: (t) => syncOutcome({ job: { status: 'failed', error: t, interrupted: false } } as unknown as SyncResult),
  },
  {
    name: 'selectionOf (decoded job)',
    run: (t) => selectionOf(decodeBackupJob({ ...SAMPLES.decodeBackupJob, vmid: t, exclude: t }, 'data') as Parameters<typeof selectionOf>[0]),
  },
];

/** A valid row for each row decoder; the test puts every shape into every field of it, one field at a time. */
export const SAMPLES: Readonly<Record<string, Record<string, unknown>>> = {
  decodeVersion: { version: '8.2.4', release: '8.2', repoid: 'faa83925c9641325', console: 'xtermjs' },
  decodeClusterStatusEntry: { type: 'node', name: 'pve1', id: 'node/pve1', nodeid: 1, ip: '10.0.0.1', online: 1, local: 1, level: '' },
  decodeClusterResource: {
    type: 'qemu', id: 'qemu/100', vmid: 100, node: 'pve1', name: 'web', status: 'running', template: 0, tags: 'a;b',
    pool: 'p', lock: '', hastate: 'started', cpu: 0.1, maxcpu: 2, mem: 1024, maxmem: 2048, disk: 0, maxdisk: 1e9, uptime: 5,
  },
  decodeReplicationJob: { id: '100-0', guest: 100, jobnum: 0, target: 'pve2', type: 'local', schedule: '*/15', rate: 10, comment: 'c', disable: 0 },
  decodeNotBackedUpGuest: { vmid: 100, type: 'qemu', name: 'web' },
  decodeBackupJob: {
    id: 'backup-1', type: 'vzdump', schedule: 'sat 02:00', enabled: 1, 'next-run': 1_700_000_000, comment: 'weekly', node: 'pve1',
    all: 0, vmid: '100,101', storage: 'local', mode: 'snapshot', compress: 'zstd', 'notes-template': '{{guestname}}',
    'prune-backups': { 'keep-daily': '7', 'keep-last': '3' }, fleecing: 'enabled=1,storage=local-lvm', performance: { 'max-workers': '2' },
    bwlimit: 0, mailto: 'root@example.invalid', 'repeat-missed': 0,
  },
  decodeNodeEntry: { node: 'pve1', status: 'online', id: 'node/pve1', cpu: 0.1, maxcpu: 8, mem: 1, maxmem: 2, disk: 1, maxdisk: 2, uptime: 3, level: '', ssl_fingerprint: 'AA:BB' },
  decodeNodeStatus: {
    pveversion: 'pve-manager/8.2.4', kversion: 'Linux 6.8', uptime: 100, cpu: 0.1, loadavg: ['0.1', '0.2', '0.3'],
    memory: { total: 2, used: 1, free: 1 }, rootfs: { total: 2, used: 1, avail: 1 }, cpuinfo: { model: 'x', cores: 4, cpus: 8, sockets: 1, mhz: '2400' },
    'boot-info': { mode: 'efi' },
  },
  decodeNodeTime: { timezone: 'Europe/Vienna', time: 1_700_000_000, localtime: 1_700_003_600 },
  decodeTaskEntry: {
    upid: 'UPID:pve1:00001234:00005678:65000000:vzdump::root@pam:', node: 'pve1', pid: 4660, pstart: 22136, starttime: 1_694_498_816,
    endtime: 1_694_498_900, type: 'vzdump', id: '', user: 'root@pam', status: 'OK',
  },
  decodeNetworkInterface: {
    iface: 'vmbr0', type: 'bridge', active: 1, autostart: 1, method: 'static', method6: 'manual', address: '10.0.0.1', netmask: '24',
    cidr: '10.0.0.1/24', gateway: '10.0.0.254', mtu: 1500, comments: 'lan', families: ['inet'], options: ['up true'],
    bridge_ports: 'eno1 eno2', bridge_vlan_aware: 1, bridge_vids: '2-4094', priority: 3,
  },
  decodeNodeStorage: { storage: 'local', type: 'dir', content: 'backup,iso', active: 1, enabled: 1, shared: 0, total: 10, used: 5, avail: 5, used_fraction: 0.5 },
  decodeStorageContentItem: {
    volid: 'local:backup/vzdump-qemu-100-2024_01_01-04_00_00.vma.zst', format: 'vma.zst', size: 1024, ctime: 1_704_081_600, vmid: 100,
    content: 'backup', subtype: 'qemu', notes: 'n', protected: 0, verification: { state: 'ok', upid: 'UPID:x' },
  },
  decodeStorageConfig: { storage: 'local', type: 'dir', content: 'backup,iso', nodes: 'pve1,pve2', path: '/var/lib/vz', 'prune-backups': 'keep-all=1', digest: 'abc' },
  decodeGuestListEntry: { vmid: '100', name: 'web', status: 'running', template: 0, tags: 'a', cpus: 2, maxmem: 2048, mem: 1, maxdisk: 1, disk: 1, uptime: 1, pid: 99, qmpstatus: 'running' },
  decodeGuestStatus: { vmid: 100, name: 'web', status: 'running', qmpstatus: 'running', uptime: 5, cpus: 2, maxmem: 1, mem: 1, agent: 1, ha: { managed: 0, group: 'null' } },
  decodeQemuConfig: {
    digest: 'd', name: 'web', description: 'notes', memory: '2048', balloon: 1024, cores: 2, sockets: 1, cpu: 'host', ostype: 'l26',
    boot: 'order=scsi0', onboot: 1, tags: 'a;b', agent: 'enabled=1,fstrim_cloned_disks=1',
    scsi0: 'local-lvm:vm-100-disk-0,size=32G,discard=on', ide2: 'none,media=cdrom',
    net0: 'virtio=BC:24:11:AA:BB:CC,bridge=vmbr0,firewall=1,tag=10', ipconfig0: 'ip=10.0.0.5/24,gw=10.0.0.1',
  },
  decodeLxcConfig: {
    digest: 'd', hostname: 'ct', description: 'notes', memory: 512, swap: 512, cores: 1, ostype: 'debian', arch: 'amd64', unprivileged: 1,
    rootfs: 'local-lvm:vm-101-disk-0,size=8G', mp0: 'local-lvm:vm-101-disk-1,mp=/srv,backup=1,size=4G',
    net0: 'name=eth0,bridge=vmbr0,hwaddr=BC:24:11:12:34:56,ip=10.0.0.6/24,gw=10.0.0.1,type=veth', tags: 't',
  },
  decodeSnapshot: { name: 'before-upgrade', description: 'd', snaptime: 1_700_000_000, parent: 'p', vmstate: 0, snapstate: 'prepare' },
  decodeAgentInterfaces: {
    result: [{ name: 'eth0', 'hardware-address': 'bc:24:11:aa:bb:cc', 'ip-addresses': [{ 'ip-address': '10.0.0.5', 'ip-address-type': 'ipv4', prefix: 24 }], statistics: { 'rx-bytes': 1 } }],
  },
  decodeLxcInterfaces: { name: 'eth0', 'hardware-address': 'bc:24:11:12:34:56', inet: '10.0.0.6/24', inet6: 'fe80::1/64' },
};

/** The row decoders by the name of their sample; decodeLxcInterfaces takes a listing, so it is given one. */
export const ROW_DECODERS: Readonly<Record<string, (row: unknown) => unknown>> = {
  decodeVersion: asDecoder(decodeVersion),
  decodeClusterStatusEntry: asDecoder(decodeClusterStatusEntry),
  decodeClusterResource: asDecoder(decodeClusterResource),
  decodeReplicationJob: asDecoder(decodeReplicationJob),
  decodeNotBackedUpGuest: asDecoder(decodeNotBackedUpGuest),
  decodeBackupJob: asDecoder(decodeBackupJob),
  decodeNodeEntry: asDecoder(decodeNodeEntry),
  decodeNodeStatus: asDecoder(decodeNodeStatus),
  decodeNodeTime: asDecoder(decodeNodeTime),
  decodeTaskEntry: asDecoder(decodeTaskEntry),
  decodeNetworkInterface: asDecoder(decodeNetworkInterface),
  decodeNodeStorage: asDecoder(decodeNodeStorage),
  decodeStorageContentItem: asDecoder(decodeStorageContentItem),
  decodeStorageConfig: asDecoder(decodeStorageConfig),
  decodeGuestListEntry: asDecoder(decodeGuestListEntry),
  decodeGuestStatus: asDecoder(decodeGuestStatus),
  decodeQemuConfig: asDecoder(decodeQemuConfig),
  decodeLxcConfig: asDecoder(decodeLxcConfig),
  decodeSnapshot: asDecoder(decodeSnapshot),
  decodeAgentInterfaces: asDecoder(decodeAgentInterfaces),
  decodeLxcInterfaces: (row) => decodeLxcInterfaces([row], 'data'),
};

/** Every (decoder, field) pair of the samples: the field set to `text`. */
export function fieldCases(): HostileCase[] {
  const out: HostileCase[] = [];
  for (const [name, sample] of Object.entries(SAMPLES)) {
    const decode = ROW_DECODERS[name];
    for (const key of Object.keys(sample)) {
      out.push({ name: `${name}.${key}`, run: (t) => decode({ ...sample, [key]: t }) });
    }
    // A hostile value under a key no decoder reads still reaches `raw` views: it is capped there too.
    out.push({ name: `${name}.<unknown key>`, run: (t) => decode({ ...sample, 'x-unknown': t }) });
  }
  return out;
}

/** Runs one call and says how long it took and how it ended. */
export function timed(c: HostileCase, text: string): { ms: number; error?: unknown } {
  const started = performance.now();
  try {
    c.run(text);
    return { ms: performance.now() - started };
  } catch (error) {
    return { ms: performance.now() - started, error };
  }
}
