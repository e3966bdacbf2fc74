// Constructed PBS inventories and the PVE `pbs` storages pointing at them, for the health rules that read both.
import {
  emptyInventory, type BackupRecord, type PbsJobRecord, type PbsSnapshotRecord, type StorageRecord,
  type Inventory,
} from '../../../src/core/inventory/model';
import { storage } from './fixtures';

export const FP_A = 'aa:'.repeat(31) + 'aa';
export const FP_B = 'bb:'.repeat(31) + 'bb';

/** A PBS endpoint (kind pbs) with the given datastores and snapshots; synced at `syncedAt`. */
export function pbsInventory(parts: Partial<Inventory> & { stores?: string[] } = {}, id = 'pbs', url = 'https://pbs.example.test:8007'): Inventory {
  const { stores = ['store1'], ...rest } = parts;
  return {
    ...emptyInventory({ id, name: `PBS ${id}`, url, tokenId: 'u@pbs!t', kind: 'pbs', fingerprint: FP_A }),
    datastores: stores.map((store) => ({ store, comment: null, maintenance: null, totalBytes: null, usedBytes: null, availBytes: null, estimatedFullDate: null, usageError: null })),
    syncedAt: '2026-11-30T12:00:00Z',
    ...rest,
  };
}

/** A PVE storage of type pbs. */
export function pbsStorage(id: string, over: Partial<StorageRecord> = {}): StorageRecord {
  return { ...storage(id, 'pbs'), server: 'pbs.example.test', datastore: 'store1', namespace: null, port: null, fingerprint: FP_A, ...over };
}

export function iso(epoch: number): string {
  return new Date(epoch * 1000).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/** A backup as PVE's pbs plugin lists it (`pbs1:backup/vm/100/2026-11-29T02:30:00Z`). */
export function pveListed(storageId: string, vmid: number, time: number, over: Partial<BackupRecord> = {}, type: 'vm' | 'ct' = 'vm'): BackupRecord {
  return {
    volid: `${storageId}:backup/${type}/${vmid}/${iso(time)}`, storage: storageId, node: null, vmid, subtype: type === 'vm' ? 'qemu' : 'lxc',
    format: `pbs-${type}`, ctime: time, sizeBytes: 10, notes: null, protected: false, encrypted: false, verification: null, ...over,
  };
}

export function snapshot(backupId: string, time: number, over: Partial<PbsSnapshotRecord> = {}): PbsSnapshotRecord {
  return {
    store: 'store1', ns: '', backupType: 'vm', backupId, backupTime: time, sizeBytes: 10, owner: 'u@pbs!t', protected: false, comment: null,
    verification: null, encrypted: false, ...over,
  };
}

/** A PBS task id (with its task-id field) started at `start`. */
export function pbsUpid(start: number, type = 'verificationjob', id = 'store1\\x3av1'): string {
  return `UPID:pbs:000004D2:00001A2B:00000007:${start.toString(16).toUpperCase()}:${type}:${id}:root@pam:`;
}

export function pbsJob(kind: PbsJobRecord['kind'], jobId: string, over: Partial<PbsJobRecord> = {}): PbsJobRecord {
  return {
    kind, jobId, store: 'store1', ns: null, schedule: 'daily', enabled: true, comment: null, remote: null, remoteStore: null, direction: null,
    retention: null, outdatedAfterDays: null, ignoreVerified: null, lastRunState: null, lastRunUpid: null, lastRunEndtime: null, nextRun: null,
    raw: {}, status: 'active', firstSeen: '2026-01-01T00:00:00Z', lastSeen: '2026-01-01T00:00:00Z', staleSince: null, ...over,
  };
}
