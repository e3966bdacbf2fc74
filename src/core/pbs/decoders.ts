// Decoders of Proxmox Backup Server answers (pbs-api-types, serde kebab-case) into the PbsApi types. PBS is Rust and
// sends real booleans and numbers, but the decoders stay as lenient as the PVE ones (0/1, numbers as strings),
// because proxies, exporters and older releases differ; a row that does not decode is dropped and reported
// (rowsOf), so one odd snapshot does not cost a datastore its listing.
import type { PbsBackupType, Retention } from '../inventory/model';
import {
  arrayOf, bool, type Decoder, int, literal, num, opt, optText, rawOf, record, req, rowsOf, str,
} from '../proxmox/decoders/primitives';
import type {
  PbsDatastore, PbsDatastoreUsage, PbsGcJob, PbsGroup, PbsJobStatus, PbsNamespace, PbsPruneJob, PbsSnapshot, PbsSyncJob, PbsTime,
  PbsVerifyJob,
} from './api';

const backupType: Decoder<PbsBackupType> = literal('vm', 'ct', 'host');

/** PBS sends -1 (older releases) or nothing for "unknown"; a negative size or date is never a real value. */
function optNonNegative(o: Record<string, unknown>, key: string, at: string): number | undefined {
  const n = opt(o, key, num, at);
  return n === undefined || n < 0 ? undefined : n;
}

export const decodePbsVersion: Decoder<{ version: string; release: string }> = (v, at) => {
  const o = record(v, at);
  return { version: req(o, 'version', str, at), release: opt(o, 'release', str, at) ?? '' };
};

/** GET /nodes/localhost/time (src/api2/node/time.rs): the zone is what is read; the two clocks are kept if sent. */
export const decodePbsTime: Decoder<PbsTime> = (v, at) => {
  const o = record(v, at);
  return { timezone: req(o, 'timezone', str, at), time: opt(o, 'time', int, at), localtime: opt(o, 'localtime', int, at) };
};

export const decodePbsDatastores: Decoder<PbsDatastore[]> = rowsOf((v, at) => {
  const o = record(v, at);
  return { store: req(o, 'store', str, at), comment: optText(o, 'comment', at), maintenance: optText(o, 'maintenance', at) };
});

export const decodePbsDatastoreUsage: Decoder<PbsDatastoreUsage[]> = rowsOf((v, at) => {
  const o = record(v, at);
  return {
    store: req(o, 'store', str, at),
    total: optNonNegative(o, 'total', at),
    used: optNonNegative(o, 'used', at),
    avail: optNonNegative(o, 'avail', at),
    estimatedFullDate: optNonNegative(o, 'estimated-full-date', at),
    error: optText(o, 'error', at),
  };
});

export const decodePbsNamespaces: Decoder<PbsNamespace[]> = rowsOf((v, at) => {
  const o = record(v, at);
  // The root namespace is listed as "" (or, by some versions, without `ns`).
  return { ns: opt(o, 'ns', str, at) ?? '', comment: optText(o, 'comment', at) };
});

export const decodePbsGroups: Decoder<PbsGroup[]> = rowsOf((v, at): PbsGroup => {
  const o = record(v, at);
  return {
    backupType: req(o, 'backup-type', backupType, at),
    backupId: req(o, 'backup-id', str, at),
    lastBackup: opt(o, 'last-backup', int, at),
    backupCount: opt(o, 'backup-count', int, at) ?? 0,
    owner: optText(o, 'owner', at),
    comment: optText(o, 'comment', at),
    files: opt(o, 'files', arrayOf(str), at) ?? [],
  };
});

const snapshotFile = (v: unknown, at: string): PbsSnapshot['files'][number] => {
  const o = record(v, at);
  // client.log.blob comes without crypt-mode and size.
  return { filename: req(o, 'filename', str, at), cryptMode: optText(o, 'crypt-mode', at), size: opt(o, 'size', num, at) };
};

const verification = (v: unknown, at: string): NonNullable<PbsSnapshot['verification']> => {
  const o = record(v, at);
  return { state: req(o, 'state', str, at), upid: optText(o, 'upid', at) };
};

export const decodePbsSnapshots: Decoder<PbsSnapshot[]> = rowsOf((v, at): PbsSnapshot => {
  const o = record(v, at);
  return {
    backupType: req(o, 'backup-type', backupType, at),
    backupId: req(o, 'backup-id', str, at),
    backupTime: req(o, 'backup-time', int, at),
    files: opt(o, 'files', arrayOf(snapshotFile), at) ?? [],
    size: opt(o, 'size', num, at),
    owner: optText(o, 'owner', at),
    // Always sent by PBS; a proxy or exporter that leaves it out means "not protected".
    protected: opt(o, 'protected', bool, at) ?? false,
    comment: optText(o, 'comment', at),
    fingerprint: optText(o, 'fingerprint', at),
    verification: opt(o, 'verification', verification, at),
  };
});

/** The JobScheduleStatus PBS flattens into every job of /admin/{prune,verify,sync,gc}. */
function jobStatus(o: Record<string, unknown>, at: string): PbsJobStatus {
  return {
    nextRun: opt(o, 'next-run', int, at),
    lastRunState: optText(o, 'last-run-state', at),
    lastRunUpid: optText(o, 'last-run-upid', at),
    lastRunEndtime: opt(o, 'last-run-endtime', int, at),
  };
}

const keep = (o: Record<string, unknown>, key: string, at: string): number | null => opt(o, key, int, at) ?? null;

function retentionOf(o: Record<string, unknown>, at: string): Retention {
  return {
    keepLast: keep(o, 'keep-last', at), keepHourly: keep(o, 'keep-hourly', at), keepDaily: keep(o, 'keep-daily', at),
    keepWeekly: keep(o, 'keep-weekly', at), keepMonthly: keep(o, 'keep-monthly', at), keepYearly: keep(o, 'keep-yearly', at),
    // PBS has no keep-all: a prune job without any keep-* option keeps everything.
    keepAll: null,
  };
}

export const decodePbsPruneJobs: Decoder<PbsPruneJob[]> = rowsOf((v, at): PbsPruneJob => {
  const o = record(v, at);
  return {
    id: req(o, 'id', str, at),
    store: req(o, 'store', str, at),
    schedule: req(o, 'schedule', str, at),
    disable: opt(o, 'disable', bool, at) ?? false,
    ns: opt(o, 'ns', str, at),
    maxDepth: opt(o, 'max-depth', int, at),
    comment: optText(o, 'comment', at),
    retention: retentionOf(o, at),
    ...jobStatus(o, at),
    raw: rawOf(o, at),
  };
});

export const decodePbsVerifyJobs: Decoder<PbsVerifyJob[]> = rowsOf((v, at): PbsVerifyJob => {
  const o = record(v, at);
  return {
    id: req(o, 'id', str, at),
    store: req(o, 'store', str, at),
    schedule: optText(o, 'schedule', at),
    ns: opt(o, 'ns', str, at),
    maxDepth: opt(o, 'max-depth', int, at),
    ignoreVerified: opt(o, 'ignore-verified', bool, at),
    outdatedAfter: opt(o, 'outdated-after', int, at),
    comment: optText(o, 'comment', at),
    ...jobStatus(o, at),
    raw: rawOf(o, at),
  };
});

export const decodePbsSyncJobs: Decoder<PbsSyncJob[]> = rowsOf((v, at): PbsSyncJob => {
  const o = record(v, at);
  const direction = optText(o, 'sync-direction', at);
  return {
    id: req(o, 'id', str, at),
    store: req(o, 'store', str, at),
    schedule: optText(o, 'schedule', at),
    ns: opt(o, 'ns', str, at),
    remote: optText(o, 'remote', at),
    remoteStore: req(o, 'remote-store', str, at),
    remoteNs: opt(o, 'remote-ns', str, at),
    removeVanished: opt(o, 'remove-vanished', bool, at),
    // Absent before PBS 3.3, where every sync job pulled; an unknown future direction is left undefined.
    direction: direction === 'pull' || direction === 'push' ? direction : direction === undefined ? 'pull' : undefined,
    groupFilter: opt(o, 'group-filter', arrayOf(str), at) ?? [],
    owner: optText(o, 'owner', at),
    comment: optText(o, 'comment', at),
    ...jobStatus(o, at),
    raw: rawOf(o, at),
  };
});

export const decodePbsGcJobs: Decoder<PbsGcJob[]> = rowsOf((v, at): PbsGcJob => {
  const o = record(v, at);
  const status = jobStatus(o, at);
  return {
    store: req(o, 'store', str, at),
    schedule: optText(o, 'schedule', at),
    removedBytes: opt(o, 'removed-bytes', num, at),
    pendingBytes: opt(o, 'pending-bytes', num, at),
    ...status,
    // GET /admin/gc names the last run's task `upid` (GarbageCollectionJobStatus), not last-run-upid.
    lastRunUpid: status.lastRunUpid ?? optText(o, 'upid', at),
    raw: rawOf(o, at),
  };
});

/** GET /admin/datastore/{store}/status[?verbose=1]: one store's usage, and with verbose its group/snapshot counts. */
export interface PbsDatastoreStatus {
  total?: number;
  used?: number;
  avail?: number;
  /** Per backup type; PBS sends null for a type without groups, left out here. */
  counts?: Partial<Record<PbsBackupType | 'other', { groups: number; snapshots: number }>>;
}

const typeCounts = (v: unknown, at: string): { groups: number; snapshots: number } => {
  const o = record(v, at);
  return { groups: opt(o, 'groups', int, at) ?? 0, snapshots: opt(o, 'snapshots', int, at) ?? 0 };
};

export const decodePbsDatastoreStatus: Decoder<PbsDatastoreStatus> = (v, at) => {
  const o = record(v, at);
  const raw = opt(o, 'counts', record, at);
  let counts: PbsDatastoreStatus['counts'];
  if (raw) {
    counts = {};
    for (const k of ['vm', 'ct', 'host', 'other'] as const) {
      const c = opt(raw, k, typeCounts, `${at}.counts`);
      if (c) counts[k] = c;
    }
  }
  return { total: optNonNegative(o, 'total', at), used: optNonNegative(o, 'used', at), avail: optNonNegative(o, 'avail', at), counts };
};
