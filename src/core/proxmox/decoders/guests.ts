import type { GuestListEntry, GuestStatus, LxcConfig, QemuConfig, SnapshotEntry } from '../types';
import { parseAgentOption } from '../parsers/agentOption';
import { type GuestDisk, isLxcDiskKey, isQemuDiskKey, parseLxcMount, parseQemuDisk } from '../parsers/guestDisk';
import { parseIpConfig } from '../parsers/ipConfig';
import { parseLxcNet } from '../parsers/lxcNet';
import { parseQemuMemory } from '../parsers/memory';
import { parseQemuNet } from '../parsers/qemuNet';
import { parseTags } from '../parsers/vmidList';
import { bool, DecodeError, type Decoder, int, num, opt, optText, rawOf, record, req, rowsOf, str } from './primitives';

export const decodeGuestListEntry: Decoder<GuestListEntry> = (v, at) => {
  const o = record(v, at);
  return {
    // /nodes/{node}/lxc sends vmid as a string ("103"); int accepts both.
    vmid: req(o, 'vmid', int, at), name: opt(o, 'name', str, at), status: opt(o, 'status', str, at) ?? 'unknown',
    template: opt(o, 'template', bool, at) ?? false, tags: parseTags(opt(o, 'tags', str, at) ?? ''),
    lock: optText(o, 'lock', at), cpus: opt(o, 'cpus', num, at), maxmem: opt(o, 'maxmem', num, at),
    mem: opt(o, 'mem', num, at), maxdisk: opt(o, 'maxdisk', num, at), disk: opt(o, 'disk', num, at),
    uptime: opt(o, 'uptime', num, at), pid: opt(o, 'pid', int, at), qmpstatus: opt(o, 'qmpstatus', str, at),
  };
};
export const decodeGuestList = rowsOf(decodeGuestListEntry);

export const decodeGuestStatus: Decoder<GuestStatus> = (v, at) => {
  const o = record(v, at);
  const ha = opt(o, 'ha', record, at);
  return {
    vmid: opt(o, 'vmid', int, at), name: opt(o, 'name', str, at), status: req(o, 'status', str, at),
    qmpstatus: opt(o, 'qmpstatus', str, at), uptime: opt(o, 'uptime', num, at), cpus: opt(o, 'cpus', num, at),
    maxmem: opt(o, 'maxmem', num, at), mem: opt(o, 'mem', num, at), maxdisk: opt(o, 'maxdisk', num, at),
    agent: opt(o, 'agent', bool, at),
    ha: ha && {
      managed: opt(ha, 'managed', bool, `${at}.ha`) ?? false, state: opt(ha, 'state', str, `${at}.ha`),
      // PVE prints an unset group as the string "null".
      group: ((g) => (g === 'null' || g === '' ? undefined : g))(opt(ha, 'group', str, `${at}.ha`)),
    },
  };
};

/** Runs a compound-string parser on one config key, so a failure names that key. */
function parseKey<T>(at: string, key: string, value: unknown, parse: (text: string) => T): T {
  const text = str(value, `${at}.${key}`);
  try {
    return parse(text);
  } catch (e) {
    throw new DecodeError(`${at}.${key}`, e instanceof Error ? e.message : String(e));
  }
}

const indexOf = (key: string): number => Number(/(\d+)$/.exec(key)?.[1] ?? 0);
const byIndex = <T extends { index: number }>(a: T, b: T): number => a.index - b.index;
// One collator: `localeCompare` with options builds a new one per comparison (a hot spot when decoding thousands
// of configs).
const keyOrder = new Intl.Collator('en', { numeric: true });
const diskOrder = (a: GuestDisk, b: GuestDisk): number => keyOrder.compare(a.key, b.key);

const memoryMiB = (o: Record<string, unknown>, at: string): number | undefined => {
  const m = o.memory;
  if (m === undefined || m === null) return undefined;
  return typeof m === 'number' ? int(m, `${at}.memory`) : parseKey(at, 'memory', m, parseQemuMemory);
};

export const decodeQemuConfig: Decoder<QemuConfig> = (v, at) => {
  const o = record(v, at);
  const disks: GuestDisk[] = [];
  const nets: QemuConfig['nets'] = [];
  const ipconfigs: QemuConfig['ipconfigs'] = [];
  for (const [key, value] of Object.entries(o)) {
    if (value === null || value === undefined) continue;
    if (isQemuDiskKey(key)) disks.push(parseKey(at, key, value, (t) => parseQemuDisk(key, t)));
    else if (/^net\d+$/.test(key)) nets.push({ key, index: indexOf(key), ...parseKey(at, key, value, parseQemuNet) });
    else if (/^ipconfig\d+$/.test(key)) ipconfigs.push({ key, index: indexOf(key), ...parseKey(at, key, value, parseIpConfig) });
  }
  const agent = o.agent;
  return {
    digest: opt(o, 'digest', str, at), name: opt(o, 'name', str, at), description: opt(o, 'description', str, at),
    memoryMiB: memoryMiB(o, at), balloonMiB: opt(o, 'balloon', int, at), cores: opt(o, 'cores', int, at),
    sockets: opt(o, 'sockets', int, at), vcpus: opt(o, 'vcpus', int, at), cpu: opt(o, 'cpu', str, at),
    ostype: opt(o, 'ostype', str, at), machine: opt(o, 'machine', str, at), bios: opt(o, 'bios', str, at),
    boot: opt(o, 'boot', str, at), lock: optText(o, 'lock', at),
    onboot: opt(o, 'onboot', bool, at) ?? false, protection: opt(o, 'protection', bool, at) ?? false,
    template: opt(o, 'template', bool, at) ?? false, tags: parseTags(opt(o, 'tags', str, at) ?? ''),
    agent: agent === undefined || agent === null ? { enabled: false }
      : typeof agent === 'number' || typeof agent === 'boolean' ? { enabled: bool(agent, `${at}.agent`) }
        : parseKey(at, 'agent', agent, parseAgentOption),
    disks: disks.sort(diskOrder), nets: nets.sort(byIndex), ipconfigs: ipconfigs.sort(byIndex), raw: rawOf(o, at),
  };
};

export const decodeLxcConfig: Decoder<LxcConfig> = (v, at) => {
  const o = record(v, at);
  const disks: GuestDisk[] = [];
  const nets: LxcConfig['nets'] = [];
  for (const [key, value] of Object.entries(o)) {
    if (value === null || value === undefined) continue;
    if (isLxcDiskKey(key)) disks.push(parseKey(at, key, value, (t) => parseLxcMount(key, t)));
    else if (/^net\d+$/.test(key)) nets.push({ key, index: indexOf(key), ...parseKey(at, key, value, parseLxcNet) });
  }
  return {
    digest: opt(o, 'digest', str, at), hostname: opt(o, 'hostname', str, at), description: opt(o, 'description', str, at),
    memoryMiB: opt(o, 'memory', int, at), swapMiB: opt(o, 'swap', int, at), cores: opt(o, 'cores', int, at),
    ostype: opt(o, 'ostype', str, at), arch: opt(o, 'arch', str, at), lock: optText(o, 'lock', at),
    onboot: opt(o, 'onboot', bool, at) ?? false, protection: opt(o, 'protection', bool, at) ?? false,
    template: opt(o, 'template', bool, at) ?? false, unprivileged: opt(o, 'unprivileged', bool, at) ?? false,
    tags: parseTags(opt(o, 'tags', str, at) ?? ''),
    disks: disks.sort((a, b) => (a.bus === 'rootfs' ? -1 : b.bus === 'rootfs' ? 1 : diskOrder(a, b))),
    nets: nets.sort(byIndex), raw: rawOf(o, at),
  };
};

export const decodeSnapshot: Decoder<SnapshotEntry> = (v, at) => {
  const o = record(v, at);
  const name = req(o, 'name', str, at);
  return {
    name, description: opt(o, 'description', str, at) ?? '', current: name === 'current',
    snaptime: opt(o, 'snaptime', int, at), parent: optText(o, 'parent', at), vmstate: opt(o, 'vmstate', bool, at),
    snapstate: opt(o, 'snapstate', str, at), running: opt(o, 'running', bool, at),
  };
};
export const decodeSnapshots = rowsOf(decodeSnapshot);
