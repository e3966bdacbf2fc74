// The simulated cluster. Handlers render every response from this model on each request, so a test can change it
// between two syncs (remove a job, stop a guest, delete a snapshot) and the next request sees the change.
// Field names follow what Proxmox calls things; values that Proxmox serves as property strings are kept parsed
// here and printed by the handlers.

import type { SimPbs } from './pbs/model';

export type PveVersion = '8.4' | '9.1';
export type GuestType = 'qemu' | 'lxc';

export interface SimNode {
  name: string;
  nodeid: number;
  ip: string;
  /** false: the node is down, /cluster/status shows it offline and its /nodes/{node}/... paths answer 595. */
  online: boolean;
  timezone: string;
  maxcpu: number;
  maxmem: number;
  maxdisk: number;
  cpuModel: string;
  sockets: number;
  uptime: number;
  level: string;
  kernel: string;
}

export interface SimDisk {
  /** Config key: scsi0, virtio1, sata0, ide2, efidisk0, tpmstate0 (qemu); rootfs, mp0 (lxc). */
  key: string;
  storage: string;
  /** Volume name within the storage (vm-100-disk-0); for a cdrom an ISO volid or 'none'. */
  volume: string;
  sizeBytes: number;
  media?: 'cdrom';
  /** false: excluded from backups (backup=0). */
  backup?: boolean;
  /** Extra canonical property-string options, already sorted (e.g. {iothread: '1', ssd: '1'}). */
  options?: Record<string, string>;
  /** lxc mount point path (mpN only). */
  mountPath?: string;
}

export interface SimNic {
  key: string;
  model: string;
  mac: string;
  bridge: string;
  firewall: boolean;
  tag?: number;
  /** IPv4 in CIDR form as the guest sees it; for lxc it is also the `ip=` of the config. */
  ip?: string;
  gw?: string;
  ip6?: string;
  /** lxc: interface name inside the container (eth0). */
  name?: string;
  /** lxc: `ip=dhcp` in the config even though the container has an address. */
  dhcp?: boolean;
}

export interface SimSnapshot {
  name: string;
  description: string;
  snaptime: number;
  parent?: string;
  /** qemu only: the snapshot includes RAM. */
  vmstate?: boolean;
}

export interface SimGuest {
  vmid: number;
  type: GuestType;
  node: string;
  name: string;
  status: 'running' | 'stopped';
  template: boolean;
  tags: string[];
  pool?: string;
  cores: number;
  sockets: number;
  memoryMiB: number;
  /** lxc swap in MiB. */
  swapMiB: number;
  ostype: string;
  onboot: boolean;
  /** qemu: `agent: 1` in the config. */
  agent: boolean;
  /** qemu: the agent answers inside the guest (only meaningful when agent and running). */
  agentRunning: boolean;
  /** lxc: unprivileged container. */
  unprivileged: boolean;
  disks: SimDisk[];
  nics: SimNic[];
  snapshots: SimSnapshot[];
  uptime: number;
  lock?: string;
  description?: string;
  bios?: 'ovmf' | 'seabios';
  machine?: string;
  cpu?: string;
  smbiosUuid: string;
  vmgenid: string;
  ctime: number;
  /** Live numbers for status and resource listings. */
  cpuUsage: number;
  memUsed: number;
  netin: number;
  netout: number;
  diskread: number;
  diskwrite: number;
}

export interface SimStorage {
  storage: string;
  type: 'dir' | 'lvmthin' | 'zfspool' | 'nfs' | 'pbs' | 'rbd' | 'cifs';
  content: string[];
  shared: boolean;
  /** Restricted to these nodes; undefined = every node. */
  nodes?: string[];
  disable?: boolean;
  path?: string;
  server?: string;
  export?: string;
  datastore?: string;
  /** pbs: the PBS namespace the storage writes into (absent = the root namespace). */
  namespace?: string;
  /** pbs: the PBS port when not 8007. */
  port?: number;
  username?: string;
  fingerprint?: string;
  pool?: string;
  vgname?: string;
  thinpool?: string;
  /** Retention as stored in storage.cfg (a property string). */
  pruneBackups?: string;
  maxProtectedBackups?: number;
  total: number;
  used: number;
}

export interface SimBackup {
  storage: string;
  /** Set for a non-shared storage: which node's copy of the storage holds the file. */
  node?: string;
  vmid: number;
  subtype: GuestType;
  ctime: number;
  size: number;
  /** vma.zst, tar.zst, vma.lzo, tgz ... or pbs-vm / pbs-ct. */
  format: string;
  volid: string;
  notes?: string;
  protected?: boolean;
  verification?: { state: 'ok' | 'failed'; upid: string };
  encrypted?: string;
}

export interface SimTask {
  upid: string;
  node: string;
  pid: number;
  pstart: number;
  starttime: number;
  endtime?: number;
  type: string;
  id: string;
  user: string;
  tokenid?: string;
  status: string;
  /**
   * vzdump tasks: what the run did. The log is printed from this on request (src/sim/vzdumpLog.ts) rather than
   * stored, so a 10,000-guest history stays small; guest timings are derived from the UPID, so the backups'
   * ctimes, the task's end and the log always agree.
   */
  vzdump?: SimVzdumpRun;
}

/** One vzdump run on one node. */
export interface SimVzdumpRun {
  /** The job that ran it (absent for a backup started by hand). */
  job?: string;
  /** The printed command line after `vzdump ` (selection and options, as the job had them then). */
  args: string;
  /** Guests of this node the run backed up, in the order vzdump takes them (ascending vmid). */
  guests: number[];
  /** Guests that failed, with Proxmox's words (`ERROR: Backup of VM <vmid> failed - <reason>`). */
  failed?: Record<string, string>;
  /** The job failed before its first guest (PVE::VZDump->new died): the log is only `TASK ERROR: <this>`. */
  jobError?: string;
}

/** A vzdump job as PVE returns it (jobs.cfg section, compound values already parsed into objects). */
export interface SimBackupJob {
  id: string;
  type: 'vzdump';
  schedule: string;
  enabled: 0 | 1;
  storage?: string;
  mode?: 'snapshot' | 'suspend' | 'stop';
  compress?: '0' | '1' | 'gzip' | 'lzo' | 'zstd';
  all?: 0 | 1;
  vmid?: string;
  pool?: string;
  exclude?: string;
  node?: string;
  comment?: string;
  'repeat-missed'?: 0 | 1;
  'notes-template'?: string;
  'notification-mode'?: 'auto' | 'legacy-sendmail' | 'notification-system';
  mailto?: string;
  mailnotification?: 'always' | 'failure';
  'prune-backups'?: Record<string, string | number>;
  fleecing?: { enabled?: 0 | 1; storage?: string };
  performance?: Record<string, string>;
  protected?: 0 | 1;
  bwlimit?: number;
  zstd?: number;
  ionice?: number;
  'exclude-path'?: string[];
  'pbs-change-detection-mode'?: 'legacy' | 'data' | 'metadata';
  /** PVE 8.x only (removed in 9). */
  'notification-policy'?: string;
  'notification-target'?: string;
}

export interface SimReplication {
  id: string;
  type: 'local';
  guest: number;
  jobnum: number;
  target: string;
  source?: string;
  schedule?: string;
  rate?: number;
  comment?: string;
  disable?: 0 | 1;
}

export interface SimPool {
  poolid: string;
  comment?: string;
}

/** Privileges of one API token. Only the privileges the served endpoints check are modelled. */
export interface SimToken {
  /** USER@REALM!TOKENID */
  tokenId: string;
  secret: string;
  /** Sys.Audit on / and /nodes/*: cluster status, backup jobs, node status, all tasks, node stats. */
  sysAudit: boolean;
  /** VM.Audit: 'all' or the vmids this token may see. */
  vmAudit: 'all' | number[];
  /** Datastore.Audit on every storage. */
  datastoreAudit: boolean;
  /** VM.GuestAgent.Audit. */
  guestAgentAudit: boolean;
}

export interface SimCluster {
  name: string;
  version: PveVersion;
  /** Corosync config version (cluster entry of /cluster/status). */
  configVersion: number;
  /** The simulated "now" the generated history is anchored to (epoch seconds). */
  epoch: number;
  nodes: SimNode[];
  storages: SimStorage[];
  guests: SimGuest[];
  pools: SimPool[];
  jobs: SimBackupJob[];
  replications: SimReplication[];
  backups: SimBackup[];
  tasks: SimTask[];
  tokens: SimToken[];
  /** SHA-256 fingerprint of the served certificate, reported as every node's ssl_fingerprint. */
  fingerprint: string;
  /** The simulated Proxmox Backup Server (`pbs: true`): the `pbs` storage's backups are listed from it. */
  pbs?: SimPbs;
  /** What a named scenario planted (`--scenario health`), for tests that check the health rules find exactly it. */
  scenario?: SimScenario;
}

export type PlantedProblem =
  | { kind: 'missed-run'; node: string; jobId: string; scheduled: number }
  | { kind: 'failed-guest'; vmid: number; jobId: string; node: string; scheduled: number; reason: string }
  | { kind: 'job-error'; jobId: string; node: string; scheduled: number; reason: string }
  | { kind: 'verify'; vmid: number; storage: string; state: 'ok' | 'failed' | 'none' }
  | { kind: 'added-after-last-run'; vmid: number; jobId: string }
  | { kind: 'not-covered'; vmid: number }
  | { kind: 'disabled-only'; vmid: number; jobId: string }
  | { kind: 'two-jobs-one-failed'; vmid: number; failedJobId: string; okJobId: string }
  | { kind: 'newer-backup-from-other-job'; vmid: number; jobId: string; otherJobId: string; storage: string };

export interface SimScenario {
  name: 'health';
  planted: PlantedProblem[];
}
