import type { NodeEntry, NodeNetworkInterface, NodeStatus, NodeTime, TaskEntry } from '../types';
import { arrayOf, bool, type Decoder, int, num, opt, optText, record, req, rowsOf, str } from './primitives';

export const decodeNodeEntry: Decoder<NodeEntry> = (v, at) => {
  const o = record(v, at);
  return {
    node: req(o, 'node', str, at), status: opt(o, 'status', str, at) ?? 'unknown', id: opt(o, 'id', str, at),
    cpu: opt(o, 'cpu', num, at), maxcpu: opt(o, 'maxcpu', num, at), mem: opt(o, 'mem', num, at),
    maxmem: opt(o, 'maxmem', num, at), disk: opt(o, 'disk', num, at), maxdisk: opt(o, 'maxdisk', num, at),
    uptime: opt(o, 'uptime', num, at), level: optText(o, 'level', at), sslFingerprint: optText(o, 'ssl_fingerprint', at),
  };
};
export const decodeNodes = rowsOf(decodeNodeEntry);

export const decodeNodeStatus: Decoder<NodeStatus> = (v, at) => {
  const o = record(v, at);
  const memory = opt(o, 'memory', record, at);
  const rootfs = opt(o, 'rootfs', record, at);
  const cpuinfo = opt(o, 'cpuinfo', record, at);
  const bootInfo = opt(o, 'boot-info', record, at);
  return {
    pveversion: req(o, 'pveversion', str, at),
    kversion: opt(o, 'kversion', str, at),
    uptime: opt(o, 'uptime', num, at),
    cpu: opt(o, 'cpu', num, at),
    loadavg: opt(o, 'loadavg', arrayOf(num), at) ?? [],
    memory: memory && {
      total: req(memory, 'total', num, `${at}.memory`), used: req(memory, 'used', num, `${at}.memory`),
      free: req(memory, 'free', num, `${at}.memory`),
    },
    rootfs: rootfs && {
      total: req(rootfs, 'total', num, `${at}.rootfs`), used: req(rootfs, 'used', num, `${at}.rootfs`),
      free: opt(rootfs, 'free', num, `${at}.rootfs`), avail: opt(rootfs, 'avail', num, `${at}.rootfs`),
    },
    cpuinfo: cpuinfo && {
      model: opt(cpuinfo, 'model', str, `${at}.cpuinfo`), cores: opt(cpuinfo, 'cores', int, `${at}.cpuinfo`),
      cpus: opt(cpuinfo, 'cpus', int, `${at}.cpuinfo`), sockets: opt(cpuinfo, 'sockets', int, `${at}.cpuinfo`),
      mhz: opt(cpuinfo, 'mhz', num, `${at}.cpuinfo`),
    },
    bootMode: bootInfo && opt(bootInfo, 'mode', str, `${at}.boot-info`),
  };
};

export const decodeNodeTime: Decoder<NodeTime> = (v, at) => {
  const o = record(v, at);
  return { timezone: req(o, 'timezone', str, at), time: req(o, 'time', int, at), localtime: req(o, 'localtime', int, at) };
};

export const decodeTaskEntry: Decoder<TaskEntry> = (v, at) => {
  const o = record(v, at);
  return {
    upid: req(o, 'upid', str, at), node: req(o, 'node', str, at), pid: req(o, 'pid', int, at),
    pstart: req(o, 'pstart', int, at), starttime: req(o, 'starttime', int, at), endtime: opt(o, 'endtime', int, at),
    type: req(o, 'type', str, at), id: opt(o, 'id', str, at) ?? '', user: req(o, 'user', str, at),
    tokenid: optText(o, 'tokenid', at), status: opt(o, 'status', str, at),
  };
};
export const decodeTasks = rowsOf(decodeTaskEntry);

const words = (o: Record<string, unknown>, key: string, at: string): string[] =>
  (opt(o, key, str, at) ?? '').split(/[\s,]+/).filter((s) => s !== '');

/** A single option line may arrive as a string instead of the usual array of lines. */
const lines: Decoder<string[]> = (v, at) => (typeof v === 'string' ? [v] : arrayOf(str)(v, at));

export const decodeNetworkInterface: Decoder<NodeNetworkInterface> = (v, at) => {
  const o = record(v, at);
  return {
    iface: req(o, 'iface', str, at), type: opt(o, 'type', str, at) ?? 'unknown',
    active: opt(o, 'active', bool, at), autostart: opt(o, 'autostart', bool, at), exists: opt(o, 'exists', bool, at),
    method: opt(o, 'method', str, at), method6: opt(o, 'method6', str, at),
    address: optText(o, 'address', at), netmask: optText(o, 'netmask', at), cidr: optText(o, 'cidr', at),
    gateway: optText(o, 'gateway', at), address6: optText(o, 'address6', at), netmask6: opt(o, 'netmask6', int, at),
    cidr6: optText(o, 'cidr6', at), gateway6: optText(o, 'gateway6', at), mtu: opt(o, 'mtu', int, at),
    comments: opt(o, 'comments', str, at), families: opt(o, 'families', arrayOf(str), at) ?? [],
    options: opt(o, 'options', lines, at) ?? [],
    bridgePorts: words(o, 'bridge_ports', at), bridgeVlanAware: opt(o, 'bridge_vlan_aware', bool, at),
    bridgeVids: optText(o, 'bridge_vids', at), slaves: words(o, 'slaves', at), bondMode: optText(o, 'bond_mode', at),
    vlanId: opt(o, 'vlan-id', int, at), vlanRawDevice: optText(o, 'vlan-raw-device', at),
    ovsType: optText(o, 'ovs_type', at), ovsBridge: optText(o, 'ovs_bridge', at), ovsPorts: words(o, 'ovs_ports', at),
    priority: opt(o, 'priority', int, at),
  };
};
export const decodeNodeNetwork = rowsOf(decodeNetworkInterface);
