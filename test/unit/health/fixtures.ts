// Constructed inventories for the health rules: only the fields the rules read are meaningful, the rest are neutral.
import { emptyInventory, type BackupRecord, type BackupRoutine, type GuestRecord, type Inventory, type StorageRecord, type TaskRecord, type VzdumpLogSummary } from '../../../src/core/inventory/model';
import type { HealthOptions } from '../../../src/core/health/types';

export const utc = (iso: string): number => Date.parse(iso) / 1000;

export function guest(vmid: number, over: Partial<GuestRecord> = {}): GuestRecord {
  return {
    vmid, type: 'qemu', name: `vm${vmid}`, node: 'pve1', status: 'running', template: false, tags: [], pool: null, cpus: 1,
    maxMemBytes: null, maxDiskBytes: null, haState: null, onBoot: null, agent: null, osType: null, description: null,
    parentSnapshot: null, configDigest: null, configuredDiskBytes: null, ...over,
  };
}

export function routine(jobId: string, over: Partial<BackupRoutine> = {}): BackupRoutine {
  return {
    jobId, enabled: true, schedule: '02:30', nextRun: null, nextRunSource: 'computed', timezone: 'UTC', timezoneNote: null,
    scheduleError: null, node: null, storage: 'nas', selection: { mode: 'all', vmids: [], pool: null, exclude: [] }, comment: null,
    notesTemplate: null, retentionSource: 'none', bwlimit: null, zstd: null, ioWorkers: null, fleecing: null, fleecingStorage: null,
    repeatMissed: null, pbsChangeDetectionMode: null, mode: null, compress: null, raw: {},
    keepLast: null, keepHourly: null, keepDaily: null, keepWeekly: null, keepMonthly: null, keepYearly: null, keepAll: null,
    status: 'active', firstSeen: '2026-01-01T00:00:00Z', lastSeen: '2026-01-01T00:00:00Z', staleSince: null, ...over,
  };
}

export function backup(vmid: number, ctime: number, over: Partial<BackupRecord> = {}): BackupRecord {
  return {
    volid: `${over.storage ?? 'nas'}:backup/vzdump-qemu-${vmid}-${ctime}.vma.zst`, storage: 'nas', node: null, vmid, subtype: 'qemu',
    format: 'vma.zst', ctime, sizeBytes: 1, notes: null, protected: false, encrypted: false, verification: null, ...over,
  };
}

export function storage(id: string, type: string): StorageRecord {
  return { storage: id, type, content: ['backup'], shared: true, enabled: true, nodes: null, path: null, server: null, datastore: null, namespace: null, port: null, fingerprint: null, export: null, pruneBackups: null, perNode: [] };
}

let pid = 0x1000;
export function task(node: string, start: number, over: Partial<TaskRecord> = {}): TaskRecord {
  pid++;
  return {
    upid: `UPID:${node}:${pid.toString(16).toUpperCase().padStart(8, '0')}:00000000:${start.toString(16).toUpperCase()}:vzdump::root@pam:`,
    node, type: 'vzdump', id: '', user: 'root@pam', startTime: start, endTime: start + 120, status: 'OK', ...over,
  };
}

export function summary(over: Partial<VzdumpLogSummary> = {}): VzdumpLogSummary {
  return {
    jobId: null, storage: 'nas', all: true, vmids: [], exclude: [], pool: null, node: null, started: [], finished: [], failed: [],
    jobError: null, truncated: false, ...over,
  };
}

export function inventory(parts: Partial<Inventory>, id = 'lab'): Inventory {
  return { ...emptyInventory({ id, name: `Cluster ${id}`, url: 'https://pve.invalid:8006', tokenId: 'u@pam!t' }), storages: [storage('nas', 'nfs')], ...parts };
}

export function options(now: number, over: Partial<HealthOptions> = {}): HealthOptions {
  return { now, graceSeconds: 360 * 60, historyDays: 14, policy: null, ...over };
}
