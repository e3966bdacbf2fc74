// A small in-memory Proxmox cluster for the pipeline's unit tests: raw bodies in PVE's own wire shapes (several
// copied from test/fixtures/real-responses) passed through the real client decoders, so the pipeline sees exactly
// what the client would hand it. End-to-end tests use the HTTPS simulator instead; this one lets a test change a
// single object or make one call fail without a server.
import { readFileSync } from 'node:fs';
import { fixture } from './paths';
import {
  ProxmoxError, decodeAgentInterfaces, decodeBackupJobs, decodeClusterResources, decodeClusterStatus, decodeData, decodeLxcConfig,
  decodeLxcInterfaces, decodeNodeNetwork, decodeNodeTime, decodeQemuConfig, decodeReplication, decodeSnapshots,
  decodeStorageContent, decodeStorageIndex, decodeTasks, type Decoder,
} from '../../src/core/proxmox';
import type { CallOptions, PveApi } from '../../src/core/pipeline/api';

export function realBody(name: string): unknown {
  return JSON.parse(readFileSync(fixture('real-responses', name), 'utf8')).body;
}

type Raw = Record<string, unknown>;

export interface RawCluster {
  status: Raw[];
  resources: Raw[];
  time: Record<string, Raw>;
  storage: Raw[];
  content: Record<string, Raw[]>;
  tasks: Record<string, Raw[]>;
  network: Record<string, Raw[]>;
  configs: Record<number, Raw>;
  snapshots: Record<number, Raw[]>;
  agent: Record<number, Raw>;
  lxcInterfaces: Record<number, Raw[]>;
  replication: Raw[];
  backup: Raw[];
  /** Task logs by UPID (lines without numbers). */
  taskLogs?: Record<string, string[]>;
}

const clone = <T>(v: T): T => JSON.parse(JSON.stringify(v)) as T;

export function smallCluster(): RawCluster {
  const qemu101 = realBody('nodes-node-qemu-vmid-config__community-proxmox-inventory-101.json') as Raw;
  const lxc200 = realBody('nodes-node-lxc-vmid-config__community-proxmox-inventory.json') as Raw;
  const agent101 = realBody('nodes-node-qemu-vmid-agent-network-get-interfaces__community-proxmox-inventory-101.json') as Raw;
  const jobs = realBody('cluster-backup__community-proxmox.json') as Raw[];
  return clone({
    status: [
      { type: 'cluster', id: 'cluster', name: 'lab', nodes: 2, quorate: 1, version: 4 },
      { type: 'node', id: 'node/pve1', name: 'pve1', nodeid: 1, online: 1, local: 1, ip: '10.0.0.1', level: '' },
      { type: 'node', id: 'node/pve2', name: 'pve2', nodeid: 2, online: 1, local: 0, ip: '10.0.0.2', level: '' },
    ],
    resources: [
      { id: 'node/pve1', type: 'node', node: 'pve1', status: 'online', maxcpu: 8, maxmem: 34359738368, cpu: 0.1, mem: 1, uptime: 100 },
      { id: 'node/pve2', type: 'node', node: 'pve2', status: 'online', maxcpu: 8, maxmem: 34359738368, cpu: 0.2, mem: 2, uptime: 200 },
      { id: 'qemu/101', type: 'qemu', vmid: 101, node: 'pve1', name: 'test-qemu', status: 'running', template: 0, maxcpu: 1, maxmem: 1048576000, maxdisk: 8589934592, uptime: 5 },
      { id: 'qemu/102', type: 'qemu', vmid: 102, node: 'pve2', name: 'db', status: 'stopped', template: 0, maxcpu: 2, maxmem: 2147483648, maxdisk: 0, tags: 'prod;db' },
      { id: 'lxc/200', type: 'lxc', vmid: 200, node: 'pve2', name: 'test-lxc', status: 'running', template: 0, maxcpu: 1, maxmem: 1048576000, maxdisk: 4294967296 },
      { id: 'storage/pve1/local', type: 'storage', storage: 'local', node: 'pve1', status: 'available', shared: 0, content: 'backup,iso', plugintype: 'dir', maxdisk: 100000 },
      { id: 'storage/pve2/local', type: 'storage', storage: 'local', node: 'pve2', status: 'available', shared: 0, content: 'backup,iso', plugintype: 'dir', maxdisk: 100000 },
      { id: 'storage/pve1/pbs', type: 'storage', storage: 'pbs', node: 'pve1', status: 'available', shared: 1, content: 'backup', plugintype: 'pbs', maxdisk: 900000 },
      { id: 'storage/pve2/pbs', type: 'storage', storage: 'pbs', node: 'pve2', status: 'available', shared: 1, content: 'backup', plugintype: 'pbs', maxdisk: 900000 },
    ],
    time: {
      pve1: { timezone: 'Europe/Vienna', time: 1, localtime: 1 },
      pve2: { timezone: 'America/New_York', time: 1, localtime: 1 },
    },
    storage: [
      { storage: 'local', type: 'dir', path: '/var/lib/vz', content: 'iso,backup', 'prune-backups': 'keep-last=3,keep-daily=7', digest: 'x' },
      { storage: 'pbs', type: 'pbs', server: '10.0.0.9', datastore: 'main', content: 'backup', shared: 1, username: 'u@pbs', digest: 'x' },
    ],
    content: {
      'pve1/local': [
        { volid: 'local:backup/vzdump-qemu-101-2024_01_01-04_00_00.vma.zst', content: 'backup', format: 'vma.zst', subtype: 'qemu', vmid: 101, ctime: 1704081600, size: 2147483648, notes: 'test-qemu', protected: 1 },
      ],
      'pve2/local': [
        { volid: 'local:backup/vzdump-lxc-200-2024_01_01-04_00_00.tar.zst', content: 'backup', format: 'tar.zst', subtype: 'lxc', vmid: 200, ctime: 1704081600, size: 536870912 },
      ],
      'pbs': [
        { volid: 'pbs:backup/vm/101/2024-01-02T04:00:00Z', content: 'backup', format: 'pbs-vm', subtype: 'qemu', vmid: 101, ctime: 1704168000, size: 34359740556, verification: { state: 'ok', upid: 'UPID:pbs1:x' } },
        { volid: 'pbs:backup/vm/102/2024-01-02T04:00:00Z', content: 'backup', format: 'pbs-vm', subtype: 'qemu', vmid: 102, ctime: 1704168000, size: 3435974055 },
      ],
    },
    tasks: {
      pve1: [{ upid: 'UPID:pve1:00000DD3:1C419D88:6119FB65:vzdump:101:root@pam:', node: 'pve1', pid: 3539, pstart: 474062216, starttime: 1629092709, endtime: 1629092710, type: 'vzdump', id: '101', user: 'root@pam', status: 'OK' }],
      pve2: [],
    },
    network: {
      pve1: [{ iface: 'vmbr0', type: 'bridge', active: 1, autostart: 1, cidr: '10.0.0.1/24', gateway: '10.0.0.254', bridge_ports: 'eno1', families: ['inet'], priority: 3 }],
      pve2: [{ iface: 'vmbr0', type: 'bridge', active: 1, autostart: 1, cidr: '10.0.0.2/24', bridge_ports: 'eno1', families: ['inet'] }],
    },
    configs: {
      101: qemu101,
      102: { name: 'db', memory: '2048', cores: 2, digest: 'd102', onboot: 0, scsi0: 'pbs-none:vm-102-disk-0,size=32G', scsi1: 'local-lvm:vm-102-disk-1,size=10G,backup=0', net0: 'virtio=BC:24:11:00:01:02,bridge=vmbr0,tag=20', ipconfig0: 'ip=192.168.20.5/24,gw=192.168.20.1', agent: '1' },
      200: lxc200,
    },
    snapshots: {
      101: [{ name: 'before-upgrade', description: 'pre', snaptime: 1700000000, vmstate: 0 }, { name: 'current', description: 'You are here!', parent: 'before-upgrade', running: 1, digest: 'x' }],
      102: [{ name: 'current', description: 'You are here!', running: 0, digest: 'y' }],
      200: [{ name: 'current', description: 'You are here!', running: 1, digest: 'z' }],
    },
    agent: { 101: agent101 },
    lxcInterfaces: { 200: [] },
    replication: [{ id: '101-0', guest: 101, jobnum: 0, target: 'pve2', type: 'local', schedule: '*/15', source: 'pve1' }],
    backup: jobs,
  });
}

export interface Fault {
  method: keyof PveApi;
  /** Only calls whose arguments match. */
  when?: (args: unknown[]) => boolean;
  error: () => Error;
}

export function pveError(path: string, status: number, pveMessage: string, category: ProxmoxError['category'] = 'internal'): ProxmoxError {
  return new ProxmoxError({ category, status, path, pveMessage, message: `GET ${path} failed: HTTP ${status} ${pveMessage}`, suggestion: 'try again' });
}

/** The PveApi over a RawCluster. Tests mutate `cluster` between syncs and add `faults` (or `hang` a method). */
export class FakePve implements PveApi {
  requestCount = 0;
  faults: Fault[] = [];
  hang = new Set<keyof PveApi>();
  calls: string[] = [];

  constructor(public cluster: RawCluster = smallCluster()) {}

  private async answer<T>(method: keyof PveApi, args: unknown[], signal: AbortSignal | undefined, produce: () => T): Promise<T> {
    this.requestCount++;
    this.calls.push(`${String(method)}(${args.map(String).join(',')})`);
    await Promise.resolve();
    if (signal?.aborted) throw new ProxmoxError({ category: 'cancelled', path: String(method), message: 'cancelled', suggestion: '' });
    if (this.hang.has(method)) {
      await new Promise<void>((_, reject) => signal?.addEventListener('abort', () => reject(new ProxmoxError({ category: 'cancelled', path: String(method), message: 'cancelled', suggestion: '' })), { once: true }));
    }
    const f = this.faults.find((x) => x.method === method && (!x.when || x.when(args)));
    if (f) throw f.error();
    return produce();
  }

  /** Decodes as the client does: rows that do not decode are left out and handed to the caller's onDropped. */
  private decoded<T>(path: string, decode: Decoder<T>, data: unknown, o: CallOptions | undefined): T {
    const { value, dropped } = decodeData(clone(data), decode, path);
    if (dropped.length) o?.onDropped?.(dropped);
    return value;
  }

  private notFound(path: string): never {
    throw pveError(path, 500, `Configuration file '${path}' does not exist`);
  }

  clusterStatus(o?: CallOptions) { return this.answer('clusterStatus', [], o?.signal, () => this.decoded('/cluster/status', decodeClusterStatus, this.cluster.status, o)); }
  clusterResources(_t?: 'vm' | 'node' | 'storage', o?: CallOptions) { return this.answer('clusterResources', [], o?.signal, () => this.decoded('/cluster/resources', decodeClusterResources, this.cluster.resources, o)); }
  nodeTime(node: string, o?: CallOptions) { return this.answer('nodeTime', [node], o?.signal, () => this.decoded(`/nodes/${node}/time`, decodeNodeTime, this.cluster.time[node], o)); }
  storageIndex(o?: CallOptions) { return this.answer('storageIndex', [], o?.signal, () => this.decoded('/storage', decodeStorageIndex, this.cluster.storage, o)); }
  storageContent(node: string, storage: string, _q: { content?: string }, o?: CallOptions) {
    return this.answer('storageContent', [node, storage], o?.signal,
      () => this.decoded(`/nodes/${node}/storage/${storage}/content?content=backup`, decodeStorageContent, this.cluster.content[`${node}/${storage}`] ?? this.cluster.content[storage] ?? [], o));
  }
  nodeTasks(node: string, q: { limit?: number; since?: number; typefilter?: string; source?: 'archive' | 'active' | 'all' }, o?: CallOptions) {
    // The filters PVE applies to the raw rows (a row whose fields do not decode is left out by the decoder after).
    const rows = (this.cluster.tasks[node] ?? []).filter((t) => (!q.typefilter || t.type === q.typefilter) && (q.since === undefined || (t.starttime as number) >= q.since));
    return this.answer('nodeTasks', [node], o?.signal, () => this.decoded(`/nodes/${node}/tasks`, decodeTasks, rows, o));
  }
  /** Task logs by UPID; a task without one answers as PVE does for a log file it cannot open. */
  taskLog(node: string, upid: string, q: { start?: number; limit?: number }, o?: CallOptions) {
    return this.answer('taskLog', [node, upid], o?.signal, () => {
      const all = this.cluster.taskLogs?.[upid] ?? ['unable to open file - No such file or directory'];
      const start = q.start ?? 0;
      const end = q.limit === 0 ? all.length : Math.min(all.length, start + (q.limit ?? 50));
      return { lines: all.slice(start, end).map((t, i) => ({ n: start + i + 1, t })), total: all.length };
    });
  }
  nodeNetwork(node: string, o?: CallOptions) { return this.answer('nodeNetwork', [node], o?.signal, () => this.decoded(`/nodes/${node}/network`, decodeNodeNetwork, this.cluster.network[node] ?? [], o)); }
  qemuConfig(node: string, vmid: number, o?: CallOptions) {
    return this.answer('qemuConfig', [node, vmid], o?.signal, () => (this.cluster.configs[vmid] ? this.decoded(`/nodes/${node}/qemu/${vmid}/config`, decodeQemuConfig, this.cluster.configs[vmid], o) : this.notFound(`nodes/${node}/qemu-server/${vmid}.conf`)));
  }
  lxcConfig(node: string, vmid: number, o?: CallOptions) {
    return this.answer('lxcConfig', [node, vmid], o?.signal, () => (this.cluster.configs[vmid] ? this.decoded(`/nodes/${node}/lxc/${vmid}/config`, decodeLxcConfig, this.cluster.configs[vmid], o) : this.notFound(`nodes/${node}/lxc/${vmid}.conf`)));
  }
  qemuSnapshots(node: string, vmid: number, o?: CallOptions) { return this.answer('qemuSnapshots', [node, vmid], o?.signal, () => this.decoded(`/nodes/${node}/qemu/${vmid}/snapshot`, decodeSnapshots, this.cluster.snapshots[vmid] ?? [], o)); }
  lxcSnapshots(node: string, vmid: number, o?: CallOptions) { return this.answer('lxcSnapshots', [node, vmid], o?.signal, () => this.decoded(`/nodes/${node}/lxc/${vmid}/snapshot`, decodeSnapshots, this.cluster.snapshots[vmid] ?? [], o)); }
  qemuAgentInterfaces(node: string, vmid: number, o?: CallOptions) {
    return this.answer('qemuAgentInterfaces', [node, vmid], o?.signal, () => {
      const path = `/nodes/${node}/qemu/${vmid}/agent/network-get-interfaces`;
      if (!this.cluster.agent[vmid]) throw pveError(path, 500, 'QEMU guest agent is not running');
      return this.decoded(path, decodeAgentInterfaces, this.cluster.agent[vmid], o);
    });
  }
  lxcInterfaces(node: string, vmid: number, o?: CallOptions) { return this.answer('lxcInterfaces', [node, vmid], o?.signal, () => this.decoded(`/nodes/${node}/lxc/${vmid}/interfaces`, decodeLxcInterfaces, this.cluster.lxcInterfaces[vmid] ?? null, o)); }
  clusterReplication(o?: CallOptions) { return this.answer('clusterReplication', [], o?.signal, () => this.decoded('/cluster/replication', decodeReplication, this.cluster.replication, o)); }
  clusterBackup(o?: CallOptions) { return this.answer('clusterBackup', [], o?.signal, () => this.decoded('/cluster/backup', decodeBackupJobs, this.cluster.backup, o)); }
  async close(): Promise<void> {}
}
