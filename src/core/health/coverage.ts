// Backup coverage per guest: which backup routines include it, and whether any of them will actually run.
// Unlike Proxmox's own "not backed up" report, a guest whose only job is disabled (or stale) is NOT covered.
import type { BackupRoutine, Inventory } from '../inventory/model';
import { routineIncludes } from './selection';

export type CoverageState = 'covered' | 'disabled-only' | 'not-covered';

export interface GuestCoverage {
  vmid: number;
  state: CoverageState;
  /** Active, enabled routines that back this guest up. */
  routines: string[];
  /** Routines that would include it but are disabled or stale. */
  inactiveRoutines: string[];
  /** Newest backup (epoch seconds) found on any storage; null when none. */
  lastBackup: number | null;
  /** Earliest next run among the covering routines. */
  nextBackup: number | null;
}

export function coverageOf(inv: Inventory): Map<number, GuestCoverage> {
  const lastBackup = new Map<number, number>();
  for (const b of inv.backups) {
    if (b.vmid === null || b.ctime === null) continue;
    if ((lastBackup.get(b.vmid) ?? -1) < b.ctime) lastBackup.set(b.vmid, b.ctime);
  }
  const out = new Map<number, GuestCoverage>();
  for (const g of inv.guests) {
    const active: BackupRoutine[] = [];
    const inactive: string[] = [];
    for (const r of inv.backupRoutines) {
      if (!routineIncludes(r, g)) continue;
      if (r.enabled && r.status === 'active') active.push(r);
      else inactive.push(r.jobId);
    }
    const next = active.map((r) => r.nextRun).filter((n): n is number => n !== null);
    out.set(g.vmid, {
      vmid: g.vmid,
      state: active.length ? 'covered' : inactive.length ? 'disabled-only' : 'not-covered',
      routines: active.map((r) => r.jobId),
      inactiveRoutines: inactive,
      lastBackup: lastBackup.get(g.vmid) ?? null,
      nextBackup: next.length ? Math.min(...next) : null,
    });
  }
  return out;
}
