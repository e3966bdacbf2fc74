// The reads a Proxmox Backup Server sync makes, as an interface over the PBS client's typed methods (PbsClient
// implements it structurally), so the PBS stages depend on nothing else. The types are the decoded answers: the
// client turns PBS's kebab-case wire format (pbs-api-types, serde) into these, leniently like the PVE decoders.
import type { CallOptions } from '../pipeline/api';
import type { PbsBackupType, Retention } from '../inventory/model';

/** GET /admin/datastore */
export interface PbsDatastore {
  store: string;
  comment?: string;
  /** The maintenance mode, e.g. "read-only" or "offline" (PBS gives a property string: type=…,message=…). */
  maintenance?: string;
}

/** GET /status/datastore-usage, one item. */
export interface PbsDatastoreUsage {
  store: string;
  total?: number;
  used?: number;
  avail?: number;
  /** Epoch seconds; PBS sends -1 or leaves it out when it cannot estimate. */
  estimatedFullDate?: number;
  /** PBS's text when the store's usage could not be read. */
  error?: string;
}

/** GET /admin/datastore/{store}/namespace; the root namespace is ''. */
export interface PbsNamespace {
  ns: string;
  comment?: string;
}

/** GET /admin/datastore/{store}/groups?ns= */
export interface PbsGroup {
  backupType: PbsBackupType;
  backupId: string;
  lastBackup?: number;
  backupCount: number;
  owner?: string;
  comment?: string;
  files: string[];
}

/** GET /admin/datastore/{store}/snapshots?ns= */
export interface PbsSnapshot {
  backupType: PbsBackupType;
  backupId: string;
  backupTime: number;
  files: { filename: string; cryptMode?: string; size?: number }[];
  size?: number;
  owner?: string;
  protected: boolean;
  comment?: string;
  fingerprint?: string;
  verification?: { state: string; upid?: string };
}

/** The JobScheduleStatus PBS adds to every job listing under /admin/. */
export interface PbsJobStatus {
  nextRun?: number;
  lastRunState?: string;
  lastRunUpid?: string;
  lastRunEndtime?: number;
}

/** GET /admin/prune */
export interface PbsPruneJob extends PbsJobStatus {
  id: string;
  store: string;
  schedule: string;
  disable: boolean;
  ns?: string;
  maxDepth?: number;
  comment?: string;
  retention: Retention;
  raw: Record<string, unknown>;
}

/** GET /admin/verify */
export interface PbsVerifyJob extends PbsJobStatus {
  id: string;
  store: string;
  schedule?: string;
  ns?: string;
  maxDepth?: number;
  ignoreVerified?: boolean;
  /** Days. */
  outdatedAfter?: number;
  comment?: string;
  raw: Record<string, unknown>;
}

/** GET /admin/sync */
export interface PbsSyncJob extends PbsJobStatus {
  id: string;
  store: string;
  schedule?: string;
  ns?: string;
  remote?: string;
  remoteStore: string;
  remoteNs?: string;
  removeVanished?: boolean;
  direction?: 'pull' | 'push';
  groupFilter: string[];
  owner?: string;
  comment?: string;
  raw: Record<string, unknown>;
}

/** GET /admin/gc: the garbage collection of one datastore, its schedule and last run. */
export interface PbsGcJob extends PbsJobStatus {
  store: string;
  schedule?: string;
  /** Bytes freed / still pending by the last run, when reported. */
  removedBytes?: number;
  pendingBytes?: number;
  raw: Record<string, unknown>;
}

/**
 * GET /nodes/localhost/time: the server's clock and time zone, the zone PBS evaluates its job schedules in. The shape
 * is proxmox-backup's src/api2/node/time.rs (get_time: `timezone` from /etc/timezone or the /etc/localtime link,
 * `time` and `localtime` in epoch seconds, `localtime` already shifted by the UTC offset).
 */
export interface PbsTime {
  timezone: string;
  time?: number;
  localtime?: number;
}

export interface PbsApi {
  /** GET /version: what Test Connection shows. */
  version(o?: CallOptions): Promise<{ version: string; release: string }>;
  datastores(o?: CallOptions): Promise<PbsDatastore[]>;
  datastoreUsage(o?: CallOptions): Promise<PbsDatastoreUsage[]>;
  namespaces(store: string, o?: CallOptions): Promise<PbsNamespace[]>;
  groups(store: string, ns: string, o?: CallOptions): Promise<PbsGroup[]>;
  snapshots(store: string, ns: string, o?: CallOptions): Promise<PbsSnapshot[]>;
  pruneJobs(o?: CallOptions): Promise<PbsPruneJob[]>;
  verifyJobs(o?: CallOptions): Promise<PbsVerifyJob[]>;
  syncJobs(o?: CallOptions): Promise<PbsSyncJob[]>;
  gcJobs(o?: CallOptions): Promise<PbsGcJob[]>;
  time(o?: CallOptions): Promise<PbsTime>;
  readonly requestCount: number;
  close(): Promise<void>;
}
