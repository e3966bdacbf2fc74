// The inventory kept per Proxmox endpoint: what the 12 sync stages bring back, in a shape that does not depend on
// Proxmox's wire format (the client decodes that) and holds only values that change when Proxmox changes. Volatile
// figures (CPU load, used memory, uptime, traffic) are left out on purpose: with them every re-sync would "update"
// every guest and rewrite the store, and nobody can plan backups from a load average.

/** The endpoint as stored next to its inventory. The token secret is never part of it. */
export interface EndpointRef {
  id: string;
  name: string;
  url: string;
  tokenId: string;
  fingerprint?: string;
  /** What the endpoint is: a Proxmox VE cluster (absent = 'pve', as stored before PBS existed) or a Proxmox Backup Server. */
  kind?: EndpointKind;
}

export type EndpointKind = 'pve' | 'pbs';

/** The kind of an endpoint; inventories stored before PBS endpoints existed are PVE. */
export function endpointKind(e: { kind?: EndpointKind }): EndpointKind {
  return e.kind === 'pbs' ? 'pbs' : 'pve';
}

export interface ClusterInfo {
  /** Cluster name, or the node name of a standalone node. */
  name: string;
  standalone: boolean;
  quorate: boolean | null;
  /** Corosync config version; it moves when the cluster configuration changes. */
  configVersion: number | null;
  nodeCount: number;
}

export interface NodeRecord {
  name: string;
  status: 'online' | 'offline' | 'unknown';
  nodeId: number | null;
  ip: string | null;
  /** IANA zone from /nodes/{node}/time; vzdump schedules run in it. null until a sync could read it. */
  timezone: string | null;
  maxCpu: number | null;
  maxMemBytes: number | null;
  level: string | null;
}

export interface StorageNodeState {
  node: string;
  status: string;
  totalBytes: number | null;
}

export interface StorageRecord {
  storage: string;
  type: string;
  content: string[];
  shared: boolean;
  enabled: boolean;
  /** Nodes the storage is restricted to; null = every node. */
  nodes: string[] | null;
  path: string | null;
  server: string | null;
  datastore: string | null;
  /** For `pbs` storages: the PBS namespace ('' = root), the port (null = 8007) and the pinned PBS fingerprint. */
  namespace: string | null;
  port: number | null;
  fingerprint: string | null;
  /** For `nfs` storages: the exported path on `server` (two storages on one share compete for the same disks). */
  export: string | null;
  /** Retention configured on the storage (used by jobs that have none of their own). */
  pruneBackups: Retention | null;
  /** Where the storage is available, per node, from /cluster/resources. */
  perNode: StorageNodeState[];
}

export type GuestType = 'qemu' | 'lxc';

export interface GuestRecord {
  vmid: number;
  type: GuestType;
  name: string;
  node: string;
  status: string;
  template: boolean;
  tags: string[];
  pool: string | null;
  cpus: number | null;
  maxMemBytes: number | null;
  maxDiskBytes: number | null;
  haState: string | null;
  /** From the config. null when the config could not be read in any sync so far. */
  onBoot: boolean | null;
  agent: boolean | null;
  osType: string | null;
  description: string | null;
  /** Name of the snapshot the current state derives from; null when the guest has no snapshots. */
  parentSnapshot: string | null;
  configDigest: string | null;
  /** Sum of the configured disk sizes (not cdroms, not unused volumes). */
  configuredDiskBytes: number | null;
}

export interface DiskRecord {
  vmid: number;
  /** Config key: scsi0, virtio1, efidisk0, rootfs, mp0, unused0 ... */
  key: string;
  volume: string;
  storage: string | null;
  sizeBytes: number | null;
  kind: 'disk' | 'cdrom' | 'efi' | 'tpm' | 'rootfs' | 'mountpoint' | 'unused';
  /** false when the disk is excluded from vzdump (`backup=0`). */
  backup: boolean;
  mountPath: string | null;
}

export interface BackupRecord {
  volid: string;
  storage: string;
  /** The node whose listing holds it; null for shared storages (one copy, visible from every node). */
  node: string | null;
  vmid: number | null;
  subtype: string | null;
  format: string | null;
  ctime: number | null;
  sizeBytes: number | null;
  notes: string | null;
  protected: boolean;
  encrypted: boolean;
  verification: { state: string; upid: string | null } | null;
}

export interface SnapshotRecord {
  vmid: number;
  type: GuestType;
  node: string;
  name: string;
  description: string;
  snaptime: number | null;
  parent: string | null;
  vmstate: boolean;
}

export interface InterfaceRecord {
  owner: 'node' | 'guest';
  node: string;
  /** For guest interfaces. */
  vmid: number | null;
  /** netN for guests (config key), iface for nodes. */
  name: string;
  type: string | null;
  mac: string | null;
  bridge: string | null;
  vlan: number | null;
  model: string | null;
  /** For guests: the interface name the guest itself uses (from the agent or the lxc config). */
  guestName: string | null;
  cidr: string | null;
  cidr6: string | null;
  gateway: string | null;
  active: boolean | null;
  autostart: boolean | null;
  firewall: boolean | null;
  mtu: number | null;
  ports: string | null;
  comments: string | null;
}

export interface IpAddressRecord {
  vmid: number;
  /** netN of the guest interface the address belongs to, or the guest's own name when it matches no netN. */
  interface: string;
  address: string;
  prefix: number | null;
  family: 'ipv4' | 'ipv6';
  source: 'agent' | 'config' | 'lxc-runtime';
}

export type LifecycleStatus = 'active' | 'stale';

export interface Lifecycle {
  status: LifecycleStatus;
  /** ISO time of the first sync that saw it. */
  firstSeen: string;
  /** ISO time of the last sync that saw it (as stored: a no-change sync does not rewrite the store). */
  lastSeen: string;
  /** ISO time of the first sync that found it gone; null while active. */
  staleSince: string | null;
}

export interface ReplicationRecord extends Lifecycle {
  jobId: string;
  guest: number | null;
  target: string | null;
  source: string | null;
  jobType: string | null;
  schedule: string | null;
  rate: number | null;
  comment: string | null;
  enabled: boolean;
  removeJob: string | null;
  raw: Record<string, unknown>;
}

export interface Retention {
  keepLast: number | null;
  keepHourly: number | null;
  keepDaily: number | null;
  keepWeekly: number | null;
  keepMonthly: number | null;
  keepYearly: number | null;
  keepAll: boolean | null;
}

export interface RoutineSelection {
  /** vmids: the listed guests; all: every guest (minus exclude); pool: the guests of a pool. */
  mode: 'vmids' | 'all' | 'pool';
  vmids: number[];
  pool: string | null;
  exclude: number[];
}

/** A vzdump backup job, with every field Proxbox's BackupRoutine carries, plus the lifecycle. */
export interface BackupRoutine extends Lifecycle, Retention {
  jobId: string;
  enabled: boolean;
  schedule: string;
  /** Epoch seconds of the next run; null when disabled or when the schedule has no further run. */
  nextRun: number | null;
  nextRunSource: 'proxmox' | 'computed';
  /** The zone the schedule is read in (the node's, vzdump runs in node local time); null when unknown. */
  timezone: string | null;
  /**
   * Why `timezone` is an assumption (UTC) rather than the zone the job runs in: its node is not in the cluster (then
   * no node runs it), or no zone could be read. null when it is a node's own zone. Inventories stored before this
   * field existed are read with null (see loadInventory).
   */
  timezoneNote: string | null;
  /** Error text when the schedule could not be evaluated (never silently "no next run"). */
  scheduleError: string | null;
  /** null = the job runs on every node. */
  node: string | null;
  storage: string | null;
  selection: RoutineSelection;
  comment: string | null;
  notesTemplate: string | null;
  /** Where the retention comes from: the job's own prune-backups, the target storage's, or nowhere. */
  retentionSource: 'job' | 'storage' | 'none';
  bwlimit: number | null;
  zstd: number | null;
  ioWorkers: number | null;
  fleecing: string | null;
  fleecingStorage: string | null;
  repeatMissed: boolean | null;
  pbsChangeDetectionMode: string | null;
  mode: string | null;
  compress: string | null;
  /** The job exactly as Proxmox returned it, minus the volatile `next-run`. */
  raw: Record<string, unknown>;
}

export interface TaskRecord {
  upid: string;
  node: string;
  type: string;
  id: string | null;
  user: string;
  startTime: number;
  endTime: number | null;
  status: string | null;
  /**
   * For a finished vzdump task whose status is not `OK`: what its log says (src/core/health/vzdumpLog.ts), read once
   * and kept, so a re-sync never reads the same log again. Absent when the log was not read (OK or still running).
   */
  vzdump?: VzdumpLogSummary;
}

/** What one vzdump task's log says, reduced to what backup health needs. */
export interface VzdumpLogSummary {
  /** `--job-id` of the first line (`INFO: starting new backup job: vzdump …`); null for manual runs and older PVE. */
  jobId: string | null;
  /** `--storage` of the first line; null when not given. */
  storage: string | null;
  /** The selection as the first line gives it: `--all 1`, the vmid list, `--exclude`, `--pool`, `--node`. */
  all: boolean;
  vmids: number[];
  exclude: number[];
  pool: string | null;
  node: string | null;
  /** Guests whose backup started (`INFO: Starting Backup of VM <vmid>`), in log order. */
  started: number[];
  /** Guests whose backup finished (`INFO: Finished Backup of VM <vmid> (HH:MM:SS)`). */
  finished: number[];
  /** Guests whose backup failed (`ERROR: Backup of VM <vmid> failed - <reason>`), with the log lines about them. */
  failed: { vmid: number; reason: string; lines: string[] }[];
  /** An `ERROR:` before any guest started: the whole job failed before reaching its guests (e.g. storage offline). */
  jobError: string | null;
  /** The log had more lines than were read. */
  truncated: boolean;
}

// ---- Proxmox Backup Server (an endpoint of kind 'pbs'); its PVE collections stay empty, and a PVE endpoint's
// PBS collections stay empty. ----

/** A PBS datastore with its usage (from /status/datastore-usage) and its garbage collection. */
export interface DatastoreRecord {
  store: string;
  comment: string | null;
  /** Maintenance mode (`read-only`, `offline`, …) when set. */
  maintenance: string | null;
  totalBytes: number | null;
  usedBytes: number | null;
  availBytes: number | null;
  /** Epoch seconds when PBS estimates the datastore full; null when PBS gives no estimate (too little history, or
   * usage not growing). */
  estimatedFullDate: number | null;
  /** Usage could not be read for this datastore (PBS's own error text). */
  usageError: string | null;
}

/** A namespace of a datastore; the root namespace is ''. */
export interface NamespaceRecord {
  store: string;
  ns: string;
  comment: string | null;
}

export type PbsBackupType = 'vm' | 'ct' | 'host';

export interface BackupGroupRecord {
  store: string;
  ns: string;
  backupType: PbsBackupType;
  /** A string on PBS (a vmid for vm/ct groups, a host name for host groups). */
  backupId: string;
  lastBackup: number | null;
  backupCount: number;
  owner: string | null;
  comment: string | null;
}

export interface PbsSnapshotRecord {
  store: string;
  ns: string;
  backupType: PbsBackupType;
  backupId: string;
  /** Epoch seconds. */
  backupTime: number;
  sizeBytes: number | null;
  owner: string | null;
  protected: boolean;
  comment: string | null;
  /** PBS's own verification; the verify task's UPID carries when it ran. */
  verification: { state: string; upid: string | null } | null;
  encrypted: boolean;
}

export type PbsJobKind = 'prune' | 'gc' | 'verify' | 'sync';

/** A scheduled PBS job: prune, garbage collection (one per datastore, id = the store), verify or sync. */
export interface PbsJobRecord extends Lifecycle {
  kind: PbsJobKind;
  jobId: string;
  store: string;
  ns: string | null;
  /** A PBS calendar event (the same grammar as PVE's); null = not scheduled (runs by hand only). */
  schedule: string | null;
  enabled: boolean;
  comment: string | null;
  /** Sync jobs: the remote ('' or null = local), its datastore and the direction. */
  remote: string | null;
  remoteStore: string | null;
  direction: 'pull' | 'push' | null;
  /** Prune jobs: the retention. */
  retention: Retention | null;
  /** Verify jobs: re-verify snapshots verified more than this many days ago; null = never re-verify. */
  outdatedAfterDays: number | null;
  ignoreVerified: boolean | null;
  /** The last run as PBS reports it (`last-run-state`: ok, an error text, or null before the first run). Volatile,
   * like a task, so a changed last run rewrites the record. */
  lastRunState: string | null;
  lastRunUpid: string | null;
  lastRunEndtime: number | null;
  /** PBS's own `next-run` (epoch seconds), or null. */
  nextRun: number | null;
  raw: Record<string, unknown>;
}

export interface Inventory {
  endpoint: EndpointRef;
  cluster: ClusterInfo | null;
  nodes: NodeRecord[];
  storages: StorageRecord[];
  guests: GuestRecord[];
  disks: DiskRecord[];
  backups: BackupRecord[];
  snapshots: SnapshotRecord[];
  interfaces: InterfaceRecord[];
  ipAddresses: IpAddressRecord[];
  replications: ReplicationRecord[];
  backupRoutines: BackupRoutine[];
  tasks: TaskRecord[];
  datastores: DatastoreRecord[];
  namespaces: NamespaceRecord[];
  backupGroups: BackupGroupRecord[];
  pbsSnapshots: PbsSnapshotRecord[];
  pbsJobs: PbsJobRecord[];
  /** ISO time of the last sync that changed the stored inventory; null before the first. */
  syncedAt: string | null;
}

/** The record collections, each stored as its own document. */
export const COLLECTIONS = [
  'nodes', 'storages', 'guests', 'disks', 'backups', 'snapshots', 'interfaces', 'ipAddresses', 'replications',
  'backupRoutines', 'tasks', 'datastores', 'namespaces', 'backupGroups', 'pbsSnapshots', 'pbsJobs',
] as const;
export type CollectionName = (typeof COLLECTIONS)[number];

export function emptyInventory(endpoint: EndpointRef): Inventory {
  return {
    endpoint, cluster: null, nodes: [], storages: [], guests: [], disks: [], backups: [], snapshots: [], interfaces: [],
    ipAddresses: [], replications: [], backupRoutines: [], tasks: [], datastores: [], namespaces: [], backupGroups: [],
    pbsSnapshots: [], pbsJobs: [], syncedAt: null,
  };
}

/** The identity of a record inside its collection. */
export const recordKey: { [C in CollectionName]: (r: Inventory[C][number]) => string } = {
  nodes: (r) => r.name,
  storages: (r) => r.storage,
  guests: (r) => String(r.vmid),
  disks: (r) => `${r.vmid}/${r.key}`,
  backups: (r) => `${r.node ?? '*'}/${r.volid}`,
  snapshots: (r) => `${r.vmid}/${r.name}`,
  interfaces: (r) => (r.owner === 'node' ? `node/${r.node}/${r.name}` : `guest/${r.vmid}/${r.name}`),
  ipAddresses: (r) => `${r.vmid}/${r.interface}/${r.address}`,
  replications: (r) => r.jobId,
  backupRoutines: (r) => r.jobId,
  tasks: (r) => r.upid,
  datastores: (r) => r.store,
  namespaces: (r) => `${r.store}/${r.ns}`,
  backupGroups: (r) => `${r.store}/${r.ns}/${r.backupType}/${r.backupId}`,
  pbsSnapshots: (r) => pbsSnapshotKey(r),
  pbsJobs: (r) => `${r.kind}/${r.jobId}`,
};

/** One backup on PBS: datastore + namespace + type/id + time. The same key is built from a PVE `pbs` storage's
 * listing (src/core/pbs/identity.ts), so a backup seen both ways is one backup. */
export function pbsSnapshotKey(s: { store: string; ns: string; backupType: string; backupId: string; backupTime: number }): string {
  return `${s.store}/${s.ns}/${s.backupType}/${s.backupId}/${s.backupTime}`;
}
