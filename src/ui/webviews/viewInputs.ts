// The narrow slice of the inventory the webviews read. The real Inventory (src/core/inventory/model.ts) is
// structurally assignable to it; keeping the slice here means a new inventory field never ripples into the views.

export interface GuestInput {
  vmid: number;
  name: string;
  node: string;
  type: 'qemu' | 'lxc';
  pool?: string | null;
}

export interface RoutineInput {
  jobId: string;
  enabled: boolean;
  schedule: string;
  nextRun: number | null;
  nextRunSource: 'proxmox' | 'computed';
  timezone: string | null;
  /** Why the zone is assumed (absent in inputs that predate it). */
  timezoneNote?: string | null;
  scheduleError?: string | null;
  node: string | null;
  storage: string | null;
  selection: { mode: 'vmids' | 'all' | 'pool'; vmids: number[]; pool: string | null; exclude: number[] };
  comment: string | null;
  notesTemplate: string | null;
  keepLast: number | null;
  keepHourly?: number | null;
  keepDaily: number | null;
  keepWeekly: number | null;
  keepMonthly: number | null;
  keepYearly: number | null;
  keepAll: boolean | null;
  retentionSource?: 'job' | 'storage' | 'none';
  bwlimit: number | null;
  zstd: number | null;
  ioWorkers: number | null;
  fleecing: string | null;
  fleecingStorage: string | null;
  repeatMissed: boolean | null;
  pbsChangeDetectionMode: string | null;
  mode?: string | null;
  compress?: string | null;
  raw: Record<string, unknown>;
  status: 'active' | 'stale';
  /** ISO times. */
  firstSeen: string;
  lastSeen: string;
}

export interface InventoryInput {
  endpoint: { id: string; name: string };
  nodes: { name: string; timezone: string | null }[];
  guests: GuestInput[];
  backupRoutines: RoutineInput[];
  /** ISO time of the last sync that changed the inventory. */
  syncedAt: string | null;
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
