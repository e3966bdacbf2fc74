// The simulated Proxmox Backup Server. Like the PVE model, handlers render every answer from it on each request, so
// a test may change it between two syncs. Field names follow pbs-api-types; the handlers print them kebab-case.

export type SimPbsBackupType = 'vm' | 'ct' | 'host';

export interface SimPbsDatastore {
  store: string;
  comment?: string;
  /** A maintenance property string (`type=read-only,message=…`). */
  maintenance?: string;
  total: number;
  used: number;
  /** Epoch seconds; -1 = PBS cannot estimate (too little history). */
  estimatedFullDate: number;
  /** Namespaces besides the root one ('' is always there). */
  namespaces: string[];
}

export interface SimPbsFile {
  filename: string;
  cryptMode?: 'none' | 'encrypt' | 'sign-only';
  size?: number;
}

export interface SimPbsSnapshot {
  store: string;
  /** '' = the root namespace. */
  ns: string;
  backupType: SimPbsBackupType;
  backupId: string;
  backupTime: number;
  files: SimPbsFile[];
  size: number;
  owner: string;
  protected: boolean;
  comment?: string;
  /** The encryption key's fingerprint, for an encrypted snapshot. */
  fingerprint?: string;
  verification?: { state: 'ok' | 'failed'; upid: string };
}

/** The JobScheduleStatus fields of a job. */
export interface SimPbsJobStatus {
  nextRun?: number;
  lastRunState?: string;
  lastRunUpid?: string;
  lastRunEndtime?: number;
}

export interface SimPbsPruneJob extends SimPbsJobStatus {
  id: string;
  store: string;
  schedule: string;
  disable?: boolean;
  ns?: string;
  maxDepth?: number;
  comment?: string;
  keep: Partial<Record<'keep-last' | 'keep-hourly' | 'keep-daily' | 'keep-weekly' | 'keep-monthly' | 'keep-yearly', number>>;
}

export interface SimPbsVerifyJob extends SimPbsJobStatus {
  id: string;
  store: string;
  schedule?: string;
  ns?: string;
  ignoreVerified?: boolean;
  outdatedAfter?: number;
  comment?: string;
}

export interface SimPbsSyncJob extends SimPbsJobStatus {
  id: string;
  store: string;
  schedule?: string;
  ns?: string;
  remote?: string;
  remoteStore: string;
  removeVanished?: boolean;
  groupFilter?: string[];
  owner?: string;
  direction: 'pull' | 'push';
  comment?: string;
}

export interface SimPbsGc extends SimPbsJobStatus {
  store: string;
  schedule?: string;
  removedBytes?: number;
  pendingBytes?: number;
  duration?: number;
}

export interface SimPbsToken {
  tokenId: string;
  secret: string;
}

export interface SimPbs {
  version: string;
  release: string;
  /** The node name PBS puts in its UPIDs. */
  node: string;
  /** The server's IANA time zone (GET /nodes/localhost/time): its job schedules run in it. */
  timezone: string;
  /** When set, GET /nodes/localhost/time answers 403, as a proxy or a release that checks Sys.Audit on / would. */
  timeRefused?: boolean;
  datastores: SimPbsDatastore[];
  snapshots: SimPbsSnapshot[];
  pruneJobs: SimPbsPruneJob[];
  verifyJobs: SimPbsVerifyJob[];
  syncJobs: SimPbsSyncJob[];
  gc: SimPbsGc[];
  tokens: SimPbsToken[];
}
