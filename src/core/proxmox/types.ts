// Decoded, typed Proxmox VE responses. Names are camelCase; values are normalised (0/1 → boolean, numeric strings
// → numbers, "" → absent, compound strings → objects). Where a raw view is useful, `raw` keeps the body as sent.
import type { AgentOption } from './parsers/agentOption';
import type { Fleecing } from './parsers/fleecing';
import type { GuestDisk } from './parsers/guestDisk';
import type { IpConfig } from './parsers/ipConfig';
import type { LxcNet } from './parsers/lxcNet';
import type { Performance } from './parsers/performance';
import type { PruneBackups } from './parsers/pruneBackups';
import type { QemuNet } from './parsers/qemuNet';

export type GuestType = 'qemu' | 'lxc';

/** GET /version and /nodes/{node}/version. `version` is "7.4-16" up to PVE 7 and "9.0.4" since PVE 8. */
export interface PveVersion {
  version: string;
  release: string;
  repoid?: string;
  console?: string;
}

/** GET /cluster/status: one `cluster` entry (absent on a standalone node) and one entry per node. */
export type ClusterStatusEntry = ClusterStatusCluster | ClusterStatusNode;

export interface ClusterStatusCluster {
  type: 'cluster';
  id: string;
  name: string;
  nodes?: number;
  quorate?: boolean;
  version?: number;
}

export interface ClusterStatusNode {
  type: 'node';
  id: string;
  name: string;
  nodeid?: number;
  ip?: string;
  online: boolean;
  local: boolean;
  level?: string;
}

/** GET /cluster/resources: heterogeneous; decoded per `type`. Unknown types are kept as `OtherResource`. */
export type ClusterResource = GuestResource | NodeResource | StorageResource | PoolResource | OtherResource;

export interface GuestResource {
  type: GuestType;
  id: string;
  vmid: number;
  node: string;
  name?: string;
  /** running | stopped | unknown (and other RRD states). */
  status?: string;
  template: boolean;
  tags: string[];
  pool?: string;
  lock?: string;
  hastate?: string;
  cpu?: number;
  maxcpu?: number;
  mem?: number;
  maxmem?: number;
  /** PVE 9 only. */
  memhost?: number;
  disk?: number;
  maxdisk?: number;
  uptime?: number;
}

export interface NodeResource {
  type: 'node';
  id: string;
  node: string;
  /** online | offline | unknown. */
  status?: string;
  cpu?: number;
  maxcpu?: number;
  mem?: number;
  maxmem?: number;
  disk?: number;
  maxdisk?: number;
  uptime?: number;
  level?: string;
  cgroupMode?: number;
}

export interface StorageResource {
  type: 'storage';
  id: string;
  storage: string;
  node: string;
  /** available | unknown. */
  status?: string;
  shared: boolean;
  /** Content types, e.g. ['backup', 'iso']; empty when the server omits them (PVE 6). */
  content: string[];
  plugintype?: string;
  disk?: number;
  maxdisk?: number;
}

export interface PoolResource {
  type: 'pool';
  id: string;
  pool: string;
}

export interface OtherResource {
  type: 'sdn' | 'network' | 'openvz' | 'other';
  /** The type as sent. */
  rawType: string;
  id: string;
  node?: string;
  status?: string;
}

/** GET /nodes. */
export interface NodeEntry {
  node: string;
  /** online | offline | unknown. */
  status: string;
  id?: string;
  cpu?: number;
  maxcpu?: number;
  mem?: number;
  maxmem?: number;
  disk?: number;
  maxdisk?: number;
  uptime?: number;
  level?: string;
  /** Uppercase colon hex SHA-256 of the node's certificate; absent when the server sends "". */
  sslFingerprint?: string;
}

/** GET /nodes/{node}/status (only the fields we use; PVE 7 and 9 differ in the rest). */
export interface NodeStatus {
  pveversion: string;
  kversion?: string;
  uptime?: number;
  cpu?: number;
  /** 1, 5 and 15 minute load averages (sent as strings). */
  loadavg: number[];
  memory?: { total: number; used: number; free: number };
  rootfs?: { total: number; used: number; free?: number; avail?: number };
  cpuinfo?: { model?: string; cores?: number; cpus?: number; sockets?: number; mhz?: number };
  bootMode?: string;
}

/** GET /nodes/{node}/time. `localtime` is already shifted by the node's UTC offset: never apply a zone again. */
export interface NodeTime {
  timezone: string;
  time: number;
  localtime: number;
}

/** GET /nodes/{node}/storage. */
export interface NodeStorage {
  storage: string;
  type: string;
  content: string[];
  active?: boolean;
  enabled?: boolean;
  shared?: boolean;
  total?: number;
  used?: number;
  avail?: number;
  usedFraction?: number;
}

/** GET /nodes/{node}/storage/{storage}/content. */
export interface StorageContentItem {
  volid: string;
  format: string;
  /** Optional since pve-storage 9.1.7 (then `approximateSize` may be set); PBS gives 1 when unknown. */
  size?: number;
  approximateSize?: number;
  used?: number;
  ctime?: number;
  vmid?: number;
  /** backup | iso | vztmpl | images | rootdir | snippets | import. */
  content?: string;
  /** For backups: qemu | lxc | openvz | unknown. */
  subtype?: string;
  notes?: string;
  protected: boolean;
  verification?: { state: string; upid?: string };
  /** PBS key fingerprint, or "1" when every archive is encrypted. */
  encrypted?: string;
  parent?: string;
}

/** GET /nodes/{node}/tasks. */
export interface TaskEntry {
  upid: string;
  node: string;
  pid: number;
  pstart: number;
  starttime: number;
  endtime?: number;
  type: string;
  /** The task's object (often a VMID); "" for multi-guest vzdump runs. */
  id: string;
  user: string;
  tokenid?: string;
  /** OK | "WARNINGS: n" | RUNNING | an error text; absent while running in older versions. */
  status?: string;
}

/** GET /nodes/{node}/network. */
export interface NodeNetworkInterface {
  iface: string;
  /** bridge | bond | eth | alias | vlan | OVSBridge | ... | unknown. */
  type: string;
  active?: boolean;
  autostart?: boolean;
  exists?: boolean;
  method?: string;
  method6?: string;
  address?: string;
  netmask?: string;
  cidr?: string;
  gateway?: string;
  address6?: string;
  netmask6?: number;
  cidr6?: string;
  gateway6?: string;
  mtu?: number;
  comments?: string;
  families: string[];
  options: string[];
  bridgePorts: string[];
  bridgeVlanAware?: boolean;
  bridgeVids?: string;
  slaves: string[];
  bondMode?: string;
  vlanId?: number;
  vlanRawDevice?: string;
  ovsType?: string;
  ovsBridge?: string;
  ovsPorts: string[];
  priority?: number;
}

/** GET /nodes/{node}/qemu and /nodes/{node}/lxc. */
export interface GuestListEntry {
  vmid: number;
  name?: string;
  /** running | stopped. */
  status: string;
  template: boolean;
  tags: string[];
  lock?: string;
  cpus?: number;
  maxmem?: number;
  mem?: number;
  maxdisk?: number;
  disk?: number;
  uptime?: number;
  pid?: number;
  /** QEMU only: the QMP run state. */
  qmpstatus?: string;
}

/** GET /nodes/{node}/{qemu|lxc}/{vmid}/status/current (the fields we use). */
export interface GuestStatus {
  vmid?: number;
  name?: string;
  status: string;
  qmpstatus?: string;
  uptime?: number;
  cpus?: number;
  maxmem?: number;
  mem?: number;
  maxdisk?: number;
  /** QEMU: the guest agent is configured. */
  agent?: boolean;
  ha?: { managed: boolean; state?: string; group?: string };
}

type RawConfig = Record<string, unknown>;

/** GET /nodes/{node}/qemu/{vmid}/config. */
export interface QemuConfig {
  digest?: string;
  name?: string;
  description?: string;
  /** MiB. A number up to PVE 8.0, a property string since 8.1: both decoded. */
  memoryMiB?: number;
  balloonMiB?: number;
  cores?: number;
  sockets?: number;
  vcpus?: number;
  cpu?: string;
  ostype?: string;
  machine?: string;
  bios?: string;
  boot?: string;
  lock?: string;
  onboot: boolean;
  protection: boolean;
  template: boolean;
  tags: string[];
  agent: AgentOption;
  disks: GuestDisk[];
  /** Keyed by the config key (`net0`). */
  nets: Array<QemuNet & { key: string; index: number }>;
  ipconfigs: Array<IpConfig & { key: string; index: number }>;
  raw: RawConfig;
}

/** GET /nodes/{node}/lxc/{vmid}/config. */
export interface LxcConfig {
  digest?: string;
  hostname?: string;
  description?: string;
  memoryMiB?: number;
  swapMiB?: number;
  cores?: number;
  ostype?: string;
  arch?: string;
  lock?: string;
  onboot: boolean;
  protection: boolean;
  template: boolean;
  unprivileged: boolean;
  tags: string[];
  disks: GuestDisk[];
  nets: Array<LxcNet & { key: string; index: number }>;
  raw: RawConfig;
}

/** GET .../snapshot. The list always ends with the pseudo entry `current` ("You are here!"). */
export interface SnapshotEntry {
  name: string;
  description: string;
  /** True for the pseudo entry `current`, which is not a snapshot. */
  current: boolean;
  snaptime?: number;
  parent?: string;
  /** QEMU: the snapshot includes RAM. */
  vmstate?: boolean;
  snapstate?: string;
  running?: boolean;
}

export interface GuestIpAddress {
  address: string;
  /** ipv4 | ipv6 (the LXC endpoint's inet/inet6 are mapped to these). */
  family: 'ipv4' | 'ipv6';
  prefix?: number;
}

/** GET .../qemu/{vmid}/agent/network-get-interfaces. Agent errors arrive with HTTP 200 inside `result`. */
export interface AgentInterfaces {
  interfaces: AgentInterface[];
  error?: { class: string; desc: string };
}

export interface AgentInterface {
  name: string;
  hardwareAddress?: string;
  ipAddresses: GuestIpAddress[];
  statistics?: Record<string, number>;
}

/** GET .../lxc/{vmid}/interfaces (empty when the container is stopped). */
export interface LxcInterface {
  name: string;
  hwaddr?: string;
  inet?: string;
  inet6?: string;
  ipAddresses: GuestIpAddress[];
}

/** GET /cluster/replication. */
export interface ReplicationJob {
  id: string;
  guest: number;
  jobnum: number;
  target: string;
  type: string;
  /** Every 15 minutes when unset. */
  schedule: string;
  rate?: number;
  comment?: string;
  disable: boolean;
  source?: string;
  removeJob?: string;
}

/** GET /cluster/backup and /cluster/backup/{id} (a vzdump job, a "backup routine"). */
export interface BackupJob {
  id: string;
  /** `vzdump` for jobs.cfg jobs; absent for legacy vzdump.cron jobs. */
  type?: string;
  schedule?: string;
  /** Default 1. */
  enabled: boolean;
  /** Epoch seconds; only in the list, and computed by the server. */
  nextRun?: number;
  comment?: string;
  node?: string;
  all: boolean;
  vmids: number[];
  pool?: string;
  exclude: number[];
  excludePath: string[];
  mode?: string;
  compress?: string;
  storage?: string;
  notesTemplate?: string;
  protected?: boolean;
  remove?: boolean;
  repeatMissed: boolean;
  pruneBackups?: PruneBackups;
  /** Deprecated retention (PVE ≤ 8). */
  maxfiles?: number;
  fleecing?: Fleecing;
  performance?: Performance;
  bwlimit?: number;
  mailto?: string;
  mailnotification?: string;
  notificationMode?: string;
  pbsChangeDetectionMode?: string;
  /** The job as sent, for the raw view. */
  raw: RawConfig;
}

/** GET /cluster/backup-info/not-backed-up. */
export interface NotBackedUpGuest {
  vmid: number;
  type: GuestType;
  name?: string;
}

/** GET /storage (whole storage.cfg sections; secrets are never returned). */
export interface StorageConfig {
  storage: string;
  type: string;
  content: string[];
  /** Restricted to these nodes; empty = all nodes. */
  nodes: string[];
  shared: boolean;
  disabled: boolean;
  path?: string;
  server?: string;
  port?: number;
  datastore?: string;
  namespace?: string;
  username?: string;
  fingerprint?: string;
  pruneBackups?: PruneBackups;
  maxProtectedBackups?: number;
  digest?: string;
  raw: RawConfig;
}
