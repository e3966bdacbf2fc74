// Inventory fixtures the webview tests share: one routine with every field set, and the inventory around it.
import { parseSchedule } from '../../src/core/schedule';
import type { InventoryInput, RoutineInput } from '../../src/ui/webviews/viewInputs';

export const parse = (text: string) => parseSchedule(text, 'calendar');
export const NOW = Date.UTC(2026, 10, 23, 12) / 1000; // Monday 23 Nov 2026, 12:00 UTC
export const XSS = '<img src=x onerror=alert(1)>';

export function job(extra: Partial<RoutineInput> = {}): RoutineInput {
  return {
    jobId: 'backup-daily', enabled: true, schedule: 'mon..fri 02:30', nextRun: NOW + 14 * 3600 + 1800,
    nextRunSource: 'proxmox', timezone: 'Europe/Berlin', scheduleError: null, node: null, storage: 'pbs',
    selection: { mode: 'vmids', vmids: [101, 100, 999], pool: null, exclude: [] },
    comment: XSS, notesTemplate: '{{guestname}} on {{node}}',
    keepLast: 3, keepHourly: null, keepDaily: 7, keepWeekly: 4, keepMonthly: null, keepYearly: null, keepAll: null,
    retentionSource: 'job', bwlimit: 51200, zstd: 0, ioWorkers: null, fleecing: 'enabled=1,storage=local-lvm',
    fleecingStorage: 'local-lvm', repeatMissed: true, pbsChangeDetectionMode: 'metadata', mode: 'snapshot', compress: 'zstd',
    raw: { id: 'backup-daily', schedule: 'mon..fri 02:30', comment: XSS, vmid: '100,101,999' },
    status: 'active', firstSeen: '2026-11-01T10:00:00.000Z', lastSeen: '2026-11-23T11:00:00.000Z', ...extra,
  };
}

export function inventory(routines: RoutineInput[]): InventoryInput {
  return {
    endpoint: { id: 'pve1', name: 'Lab cluster' },
    nodes: [{ name: 'pve-a', timezone: 'Europe/Berlin' }],
    guests: [
      { vmid: 100, name: 'web', node: 'pve-a', type: 'qemu', pool: 'prod' },
      { vmid: 101, name: 'db', node: 'pve-b', type: 'lxc', pool: 'prod' },
      { vmid: 102, name: 'scratch', node: 'pve-a', type: 'qemu', pool: null },
    ],
    backupRoutines: routines,
    syncedAt: '2026-11-23T11:00:00.000Z',
  };
}
