// The reads the pipeline makes, as an interface: the Proxmox client implements it (src/core/proxmox), and the
// runner depends on nothing else, so the stages stay independent of the transport.
// Field names are Proxmox's own; values arrive already decoded (numbers as numbers, 0/1 as booleans).

export interface CallOptions {
  signal?: AbortSignal;
}

export interface PveClusterStatusEntry {
  type: 'cluster' | 'node' | string;
  id?: string;
  name: string;
  nodeid?: number;
  ip?: string;
  online?: boolean;
  local?: boolean;
  level?: string;
  quorate?: boolean;
  version?: number;
  nodes?: number;
}

export interface PveResource {
  id: string;
  type: string;
  node?: string;
  status?: string;
  name?: string;
  vmid?: number;
  template?: boolean;
  tags?: string;
  pool?: string;
  maxcpu?: number;
  maxmem?: number;
  maxdisk?: number;
  hastate?: string;
  storage?: string;
  shared?: boolean;
  content?: string;
  plugintype?: string;
  level?: string;
}

export interface PveNodeTime {
  timezone: string;
  time?: number;
  localtime?: number;
}

export interface PveStorageConfig {
  storage: string;
  type: string;
  content?: string;
  shared?: boolean;
  disable?: boolean;
  nodes?: string;
  path?: string;
  server?: string;
  datastore?: string;
  'prune-backups'?: string | Record<string, unknown>;
  [key: string]: unknown;
}

export interface PveContentEntry {
  volid: string;
  format?: string;
  size?: number;
  ctime?: number;
  vmid?: number;
  notes?: string;
  protected?: boolean;
  verification?: { state: string; upid?: string };
  encrypted?: string;
  subtype?: string;
  content?: string;
}

export interface PveTask {
  upid: string;
  node: string;
  type: string;
  id?: string;
  user: string;
  starttime: number;
  endtime?: number;
  status?: string;
}

export interface PveNetworkEntry {
  iface: string;
  type: string;
  active?: boolean;
  autostart?: boolean;
  cidr?: string;
  cidr6?: string;
  address?: string;
  gateway?: string;
  bridge_ports?: string;
  ovs_ports?: string;
  slaves?: string;
  mtu?: number;
  comments?: string;
  'vlan-id'?: number;
  'hwaddr'?: string;
}

/** A guest config: Proxmox's flat key/value object (property strings stay strings). */
export type PveGuestConfig = Record<string, unknown>;

export interface PveSnapshot {
  name: string;
  description?: string;
  snaptime?: number;
  parent?: string;
  vmstate?: boolean;
}

export interface PveAgentIp {
  'ip-address': string;
  'ip-address-type': string;
  prefix?: number;
}

export interface PveAgentInterface {
  name: string;
  'hardware-address'?: string;
  'ip-addresses'?: PveAgentIp[];
}

export interface PveLxcInterface {
  name: string;
  hwaddr?: string;
  inet?: string;
  inet6?: string;
  'ip-addresses'?: PveAgentIp[];
}

export type PveReplicationJob = Record<string, unknown> & { id: string };
export type PveBackupJob = Record<string, unknown> & { id: string };

export interface PveApi {
  clusterStatus(o?: CallOptions): Promise<PveClusterStatusEntry[]>;
  clusterResources(type?: 'vm' | 'node' | 'storage', o?: CallOptions): Promise<PveResource[]>;
  nodeTime(node: string, o?: CallOptions): Promise<PveNodeTime>;
  storageIndex(o?: CallOptions): Promise<PveStorageConfig[]>;
  storageContent(node: string, storage: string, q: { content?: string; vmid?: number }, o?: CallOptions): Promise<PveContentEntry[]>;
  nodeTasks(node: string, q: { limit?: number; since?: number }, o?: CallOptions): Promise<PveTask[]>;
  nodeNetwork(node: string, o?: CallOptions): Promise<PveNetworkEntry[]>;
  qemuConfig(node: string, vmid: number, o?: CallOptions): Promise<PveGuestConfig>;
  lxcConfig(node: string, vmid: number, o?: CallOptions): Promise<PveGuestConfig>;
  qemuSnapshots(node: string, vmid: number, o?: CallOptions): Promise<PveSnapshot[]>;
  lxcSnapshots(node: string, vmid: number, o?: CallOptions): Promise<PveSnapshot[]>;
  qemuAgentInterfaces(node: string, vmid: number, o?: CallOptions): Promise<PveAgentInterface[]>;
  lxcInterfaces(node: string, vmid: number, o?: CallOptions): Promise<PveLxcInterface[] | null>;
  clusterReplication(o?: CallOptions): Promise<PveReplicationJob[]>;
  clusterBackup(o?: CallOptions): Promise<PveBackupJob[]>;
  readonly requestCount: number;
  close(): Promise<void>;
}
