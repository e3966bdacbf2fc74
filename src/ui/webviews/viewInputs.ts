// The narrow slice of the inventory the webviews read, picked from the core's own types (src/core/inventory/model.ts),
// so a field's type is written once; a new inventory field does not ripple into the views.
import type { BackupRoutine, GuestRecord, Inventory } from '../../core/inventory/model';

export type GuestInput = Pick<GuestRecord, 'vmid' | 'name' | 'node' | 'type'> & Partial<Pick<GuestRecord, 'pool'>>;

/** Fields the views show when present; inventories stored before they existed lack them. */
type LaterRoutineFields = 'timezoneNote' | 'scheduleError' | 'keepHourly' | 'retentionSource' | 'mode' | 'compress';

export type RoutineInput = Pick<BackupRoutine,
  | 'jobId' | 'enabled' | 'schedule' | 'nextRun' | 'nextRunSource' | 'timezone' | 'node' | 'storage' | 'selection' | 'comment'
  | 'notesTemplate' | 'keepLast' | 'keepDaily' | 'keepWeekly' | 'keepMonthly' | 'keepYearly' | 'keepAll' | 'bwlimit' | 'zstd'
  | 'ioWorkers' | 'fleecing' | 'fleecingStorage' | 'repeatMissed' | 'pbsChangeDetectionMode' | 'raw' | 'firstSeen' | 'lastSeen'>
  & Partial<Pick<BackupRoutine, LaterRoutineFields>>
  // The views show a routine as active or stale, whatever other lifecycle states the store may add.
  & { status: 'active' | 'stale' };

export interface InventoryInput {
  endpoint: Pick<Inventory['endpoint'], 'id' | 'name'> & Partial<Pick<Inventory['endpoint'], 'kind' | 'url' | 'fingerprint'>>;
  nodes: Pick<Inventory['nodes'][number], 'name' | 'timezone'>[];
  guests: GuestInput[];
  backupRoutines: RoutineInput[];
  syncedAt: Inventory['syncedAt'];
  /** What the calendar reads beside the backup jobs (replications, PBS jobs, where jobs write); stored inventories
   * from before these collections lack them. */
  storages?: Inventory['storages'];
  disks?: Inventory['disks'];
  replications?: Inventory['replications'];
  datastores?: Inventory['datastores'];
  pbsJobs?: Inventory['pbsJobs'];
}

/** The schedule engine as the detail view uses it (structurally src/core/schedule's Schedule). */
export interface DetailSchedule {
  normalized: string;
  describe(): string;
  take(after: number, n: number, tz: string): number[];
  between(from: number, to: number, tz: string, limit?: number): number[];
}

export type DetailScheduleParser = (text: string) => DetailSchedule;

export function isoToEpoch(iso: string | null | undefined): number | null {
  if (!iso) return null;
  const ms = Date.parse(iso);
  return Number.isFinite(ms) ? Math.floor(ms / 1000) : null;
}
