import type {
  ClusterResource, ClusterStatusEntry, NotBackedUpGuest, PveVersion, ReplicationJob,
} from '../types';
import { parseTags } from '../parsers/vmidList';
import { bool, DecodeError, type Decoder, int, literal, num, opt, optText, record, req, rowsOf, str } from './primitives';

export const decodeVersion: Decoder<PveVersion> = (v, at) => {
  const o = record(v, at);
  return {
    version: req(o, 'version', str, at),
    release: req(o, 'release', str, at),
    repoid: opt(o, 'repoid', str, at),
    console: opt(o, 'console', str, at),
  };
};

export const decodeClusterStatusEntry: Decoder<ClusterStatusEntry> = (v, at) => {
  const o = record(v, at);
  const type = req(o, 'type', str, at);
  const name = req(o, 'name', str, at);
  if (type === 'cluster') {
    return {
      type, id: opt(o, 'id', str, at) ?? 'cluster', name,
      nodes: opt(o, 'nodes', int, at), quorate: opt(o, 'quorate', bool, at), version: opt(o, 'version', int, at),
    };
  }
  if (type !== 'node') throw new DecodeError(`${at}.type`, `expected cluster or node, got "${type}"`);
  return {
    type, id: opt(o, 'id', str, at) ?? `node/${name}`, name,
    nodeid: opt(o, 'nodeid', int, at), ip: optText(o, 'ip', at),
    // A standalone node's fake entry has online/local set; a missing flag means "not known to be": false.
    online: opt(o, 'online', bool, at) ?? false, local: opt(o, 'local', bool, at) ?? false,
    level: optText(o, 'level', at),
  };
};
export const decodeClusterStatus = rowsOf(decodeClusterStatusEntry);

const content = (o: Record<string, unknown>, at: string): string[] =>
  (opt(o, 'content', str, at) ?? '').split(',').map((s) => s.trim()).filter((s) => s !== '');

export const decodeClusterResource: Decoder<ClusterResource> = (v, at) => {
  const o = record(v, at);
  const type = req(o, 'type', str, at);
  const status = opt(o, 'status', str, at);
  const metrics = {
    cpu: opt(o, 'cpu', num, at), maxcpu: opt(o, 'maxcpu', num, at),
    mem: opt(o, 'mem', num, at), maxmem: opt(o, 'maxmem', num, at),
    disk: opt(o, 'disk', num, at), maxdisk: opt(o, 'maxdisk', num, at), uptime: opt(o, 'uptime', num, at),
  };
  if (type === 'qemu' || type === 'lxc') {
    const id = opt(o, 'id', str, at);
    const vmid = opt(o, 'vmid', int, at) ?? (id ? Number(/\/(\d+)$/.exec(id)?.[1]) : NaN);
    if (!Number.isSafeInteger(vmid)) throw new DecodeError(`${at}.vmid`, 'required field is missing');
    return {
      type, id: id ?? `${type}/${vmid}`, vmid, node: req(o, 'node', str, at), name: opt(o, 'name', str, at), status,
      template: opt(o, 'template', bool, at) ?? false, tags: parseTags(opt(o, 'tags', str, at) ?? ''),
      pool: optText(o, 'pool', at), lock: optText(o, 'lock', at), hastate: optText(o, 'hastate', at),
      memhost: opt(o, 'memhost', num, at), ...metrics,
    };
  }
  if (type === 'node') {
    const node = req(o, 'node', str, at);
    return {
      type, id: opt(o, 'id', str, at) ?? `node/${node}`, node, status, ...metrics,
      level: optText(o, 'level', at), cgroupMode: opt(o, 'cgroup-mode', int, at),
    };
  }
  if (type === 'storage') {
    const storage = req(o, 'storage', str, at);
    const node = req(o, 'node', str, at);
    return {
      type, id: opt(o, 'id', str, at) ?? `storage/${node}/${storage}`, storage, node, status,
      shared: opt(o, 'shared', bool, at) ?? false, content: content(o, at), plugintype: opt(o, 'plugintype', str, at),
      disk: metrics.disk, maxdisk: metrics.maxdisk,
    };
  }
  if (type === 'pool') {
    const id = req(o, 'id', str, at);
    return { type, id, pool: opt(o, 'pool', str, at) ?? id.replace(/^\/?pool\//, '') };
  }
  return {
    type: type === 'sdn' || type === 'network' || type === 'openvz' ? type : 'other', rawType: type,
    id: req(o, 'id', str, at), node: opt(o, 'node', str, at), status,
  };
};
export const decodeClusterResources = rowsOf(decodeClusterResource);

export const decodeReplicationJob: Decoder<ReplicationJob> = (v, at) => {
  const o = record(v, at);
  const id = req(o, 'id', str, at);
  // The id is `<guest>-<jobnum>`, so both can be recovered from it when the fields are missing.
  const m = /^(\d+)-(\d+)$/.exec(id);
  const guest = opt(o, 'guest', int, at) ?? (m ? Number(m[1]) : undefined);
  const jobnum = opt(o, 'jobnum', int, at) ?? (m ? Number(m[2]) : undefined);
  if (guest === undefined) throw new DecodeError(`${at}.guest`, 'required field is missing');
  if (jobnum === undefined) throw new DecodeError(`${at}.jobnum`, 'required field is missing');
  return {
    id, guest, jobnum, target: req(o, 'target', str, at), type: opt(o, 'type', str, at) ?? 'local',
    schedule: opt(o, 'schedule', str, at) ?? '*/15', rate: opt(o, 'rate', num, at), comment: opt(o, 'comment', str, at),
    disable: opt(o, 'disable', bool, at) ?? false, source: opt(o, 'source', str, at), removeJob: opt(o, 'remove_job', str, at),
  };
};
export const decodeReplication = rowsOf(decodeReplicationJob);

export const decodeNotBackedUpGuest: Decoder<NotBackedUpGuest> = (v, at) => {
  const o = record(v, at);
  return { vmid: req(o, 'vmid', int, at), type: req(o, 'type', literal('qemu', 'lxc'), at), name: opt(o, 'name', str, at) };
};
export const decodeNotBackedUp = rowsOf(decodeNotBackedUpGuest);
