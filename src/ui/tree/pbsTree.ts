// What the tree shows for a Proxmox Backup Server endpoint, as plain data built from its inventory (and the jobs'
// health when the health service has a report): Datastores with a usage bar, Jobs with their last result and next
// run, Backup Groups by namespace. Pure (no 'vscode'), so every threshold and grouping is unit-tested; pbsNodes.ts
// turns these rows into tree items. Tooltips are markdown we write, with every PBS text escaped.
import type {
  BackupGroupRecord, DatastoreRecord, Inventory, PbsJobKind, PbsJobRecord, PbsSnapshotRecord,
} from '../../core/inventory/model';
import type { JobHealth } from '../../core/health/types';
import { RUN_LABELS } from '../../core/health/labels';
import { formatDateTime, formatRelative } from '../../core/text/time';
import { escapeMarkdown } from '../format/markdown';

/** A datastore at or above this share of its capacity used is a warning: PBS needs room for GC and new chunks. */
export const DATASTORE_FULL_WARNING = 0.9;
/** A datastore PBS estimates full within this many days is a warning: time to prune harder or add disks. */
export const DATASTORE_FULL_SOON_DAYS = 30;
const BAR_CELLS = 10;

/** The icon of a row, as a codicon id and an optional theme colour (the node builder makes the ThemeIcon). */
export interface RowIcon { id: string; color?: string }
const WARNING: RowIcon = { id: 'warning', color: 'list.warningForeground' };
const FAILED: RowIcon = { id: 'error', color: 'testing.iconFailed' };
const PASSED: RowIcon = { id: 'pass', color: 'testing.iconPassed' };

export interface PbsRow {
  /** Stable within the endpoint: the tree item's id is built from it. */
  key: string;
  label: string;
  description: string;
  /** Markdown with PBS text escaped. */
  tooltip: string;
  icon: RowIcon;
  /** A problem the user must act on (a failed or missed job, a failed verification); a warning is not one. */
  problem: boolean;
  /** A datastore warning (too full, full soon, usage unreadable); not a backup problem. */
  warning: boolean;
}

export interface NamespaceGroup {
  key: string;
  store: string;
  ns: string;
  label: string;
  description: string;
  groups: PbsRow[];
}

export interface PbsTreeData {
  datastores: PbsRow[];
  jobs: PbsRow[];
  namespaces: NamespaceGroup[];
}

/** "▰▰▰▰▰▱▱▱▱▱ 52 %": a cell per tenth, filled only when that tenth is used (a full bar is 100 %). */
export function usageBar(ratio: number): string {
  const r = Math.min(1, Math.max(0, ratio));
  const filled = Math.floor(r * BAR_CELLS + 1e-9);
  return `${'▰'.repeat(filled)}${'▱'.repeat(BAR_CELLS - filled)} ${Math.round(r * 100)} %`;
}

/** "1.2 TiB", "512 GiB", "3 MiB": datastores are measured in TiB, not MiB. */
export function formatBytes(bytes: number): string {
  const units: [number, string][] = [[1024 ** 5, 'PiB'], [1024 ** 4, 'TiB'], [1024 ** 3, 'GiB'], [1024 ** 2, 'MiB'], [1024, 'KiB']];
  for (const [size, unit] of units) if (bytes >= size) return `${Number((bytes / size).toFixed(1))} ${unit}`;
  return `${bytes} B`;
}

/** Why a datastore deserves a look, or [] when it does not. */
export function datastoreWarnings(d: DatastoreRecord, now: number): string[] {
  const out: string[] = [];
  if (d.usageError) out.push(`PBS could not read its usage: ${d.usageError}`);
  const ratio = d.totalBytes && d.usedBytes !== null ? d.usedBytes / d.totalBytes : null;
  if (ratio !== null && ratio >= DATASTORE_FULL_WARNING) out.push(`${Math.round(ratio * 100)} % used (warning from ${DATASTORE_FULL_WARNING * 100} %)`);
  if (d.estimatedFullDate !== null && d.estimatedFullDate - now <= DATASTORE_FULL_SOON_DAYS * 86_400) {
    out.push(d.estimatedFullDate <= now ? 'PBS estimates it full already'
      : `PBS estimates it full ${formatRelative(d.estimatedFullDate, now)} (within ${DATASTORE_FULL_SOON_DAYS} days)`);
  }
  return out;
}

export function datastoreRow(d: DatastoreRecord, now: number, timeZone?: string): PbsRow {
  const warnings = datastoreWarnings(d, now);
  const ratio = d.totalBytes && d.usedBytes !== null ? d.usedBytes / d.totalBytes : null;
  const usage = ratio !== null ? `${usageBar(ratio)} · ${formatBytes(d.usedBytes!)} of ${formatBytes(d.totalBytes!)}` : 'usage unknown';
  const description = [usage, d.maintenance ? `maintenance: ${d.maintenance}` : ''].filter(Boolean).join(' · ');
  const lines = [`**Datastore ${escapeMarkdown(d.store)}**`, ''];
  if (d.comment) lines.push(`${escapeMarkdown(d.comment)}  `);
  if (ratio !== null) {
    lines.push(`Used: ${formatBytes(d.usedBytes!)} of ${formatBytes(d.totalBytes!)} (${Math.round(ratio * 100)} %)  `);
    if (d.availBytes !== null) lines.push(`Available: ${formatBytes(d.availBytes)}  `);
  }
  lines.push(d.estimatedFullDate !== null
    ? `Estimated full: ${escapeMarkdown(formatDateTime(d.estimatedFullDate, timeZone))} (${formatRelative(d.estimatedFullDate, now)})  `
    : 'Estimated full: PBS gives no estimate (too little history, or usage not growing)  ');
  if (d.maintenance) lines.push(`Maintenance mode: ${escapeMarkdown(d.maintenance)}  `);
  for (const w of warnings) lines.push(`⚠ ${escapeMarkdown(w)}  `);
  return {
    key: `datastore/${d.store}`, label: d.store, description, tooltip: lines.join('\n'),
    icon: warnings.length ? WARNING : { id: 'database' }, problem: false, warning: warnings.length > 0,
  };
}

const KIND_LABELS: Record<PbsJobKind, string> = { prune: 'Prune', gc: 'Garbage collection', verify: 'Verify', sync: 'Sync' };
const KIND_ORDER: Record<PbsJobKind, number> = { prune: 0, gc: 1, verify: 2, sync: 3 };

/** PBS's own words for the last run: `ok` reads OK, anything else is PBS's error text as it gave it. */
function lastRunWords(j: PbsJobRecord): string {
  if (j.lastRunState === null) return 'never ran';
  return j.lastRunState.toLowerCase() === 'ok' ? 'OK' : j.lastRunState;
}

/**
 * A job row. With its JobHealth (from the health report) the verdict is health's, which also knows a missed run;
 * without one, only PBS's last-run-state is known: an error text is a failure.
 */
export function jobRow(j: PbsJobRecord, health: JobHealth | undefined, now: number): PbsRow {
  const stale = j.status === 'stale';
  const label = `${KIND_LABELS[j.kind]} ${j.kind === 'gc' ? j.store : j.jobId}`;
  const failedByPbs = j.lastRunState !== null && j.lastRunState.toLowerCase() !== 'ok';
  const problem = health ? health.problem : !stale && j.enabled && failedByPbs;
  const last = health?.status === 'missed' ? 'missed its run'
    : `${lastRunWords(j)}${j.lastRunEndtime !== null ? ` ${formatRelative(j.lastRunEndtime, now)}` : ''}`;
  const next = stale ? 'stale' : !j.enabled ? 'disabled' : j.nextRun !== null ? `next ${formatRelative(j.nextRun, now)}` : j.schedule ? '' : 'not scheduled';
  const description = [j.kind !== 'gc' ? j.store : '', last, next].filter(Boolean).join(' · ');
  const icon: RowIcon = problem ? FAILED : stale || !j.enabled ? { id: 'circle-slash', color: 'disabledForeground' }
    : health?.status === 'warnings' ? WARNING : j.lastRunState?.toLowerCase() === 'ok' ? PASSED : { id: 'history' };
  const lines = [`**${KIND_LABELS[j.kind]} job ${escapeMarkdown(j.jobId)}**`, '', `Datastore: ${escapeMarkdown(j.store)}${j.ns ? `, namespace ${escapeMarkdown(j.ns)}` : ''}  `];
  if (j.comment) lines.push(`${escapeMarkdown(j.comment)}  `);
  lines.push(`Schedule: ${j.schedule ? escapeMarkdown(j.schedule) : 'none (runs by hand only)'}  `);
  if (j.kind === 'sync' && j.remoteStore) lines.push(`${j.direction === 'push' ? 'Pushes to' : 'Pulls from'} ${escapeMarkdown(j.remote ? `${j.remote}:${j.remoteStore}` : j.remoteStore)}  `);
  lines.push(`Last run: ${escapeMarkdown(lastRunWords(j))}${j.lastRunEndtime !== null ? `, ended ${escapeMarkdown(formatRelative(j.lastRunEndtime, now))}` : ''}  `);
  if (j.nextRun !== null) lines.push(`Next run: ${formatRelative(j.nextRun, now)}  `);
  if (health?.status) lines.push(`Health: ${RUN_LABELS[health.status]}${health.reason ? ` — ${escapeMarkdown(health.reason)}` : ''}  `);
  if (stale) lines.push('No longer listed by PBS, kept for the record.  ');
  return { key: `job/${j.kind}/${j.jobId}`, label, description, tooltip: lines.join('\n'), icon, problem, warning: false };
}

const groupKey = (r: { store: string; ns: string; backupType: string; backupId: string }) => `${r.store}/${r.ns}/${r.backupType}/${r.backupId}`;

/** A backup group: its snapshot count, its newest snapshot and that snapshot's verification. */
export function groupRow(g: BackupGroupRecord, snapshots: readonly PbsSnapshotRecord[], now: number): PbsRow {
  const newest = snapshots.reduce<PbsSnapshotRecord | undefined>((a, s) => (!a || s.backupTime > a.backupTime ? s : a), undefined);
  const count = snapshots.length || g.backupCount;
  const newestTime = newest?.backupTime ?? g.lastBackup;
  const state = newest?.verification?.state ?? null;
  const verification = state === null ? 'not verified' : state === 'ok' ? 'verified' : `verify ${state}`;
  const description = [`${count} snapshot${count === 1 ? '' : 's'}`, newestTime !== null ? `newest ${formatRelative(newestTime, now)}` : 'no snapshot', newest ? verification : '']
    .filter(Boolean).join(' · ');
  const failed = state !== null && state !== 'ok';
  const lines = [`**${escapeMarkdown(`${g.backupType}/${g.backupId}`)}**`, ''];
  if (g.comment) lines.push(`${escapeMarkdown(g.comment)}  `);
  lines.push(`Datastore: ${escapeMarkdown(g.store)}, namespace ${g.ns ? escapeMarkdown(g.ns) : 'root'}  `);
  if (g.owner) lines.push(`Owner: ${escapeMarkdown(g.owner)}  `);
  lines.push(`Snapshots: ${count}  `);
  if (newestTime !== null) lines.push(`Newest: ${formatRelative(newestTime, now)}${newest ? `, ${verification}` : ''}  `);
  return {
    key: `group/${groupKey(g)}`, label: `${g.backupType}/${g.backupId}`, description, tooltip: lines.join('\n'),
    icon: failed ? FAILED : { id: g.backupType === 'ct' ? 'package' : g.backupType === 'host' ? 'server' : 'vm' }, problem: failed, warning: false,
  };
}

/** Backup groups by datastore and namespace, the root namespace first, then namespaces by name; empty ones too. */
export function namespaceGroups(inv: Pick<Inventory, 'namespaces' | 'backupGroups' | 'pbsSnapshots'>, now: number): NamespaceGroup[] {
  const snaps = new Map<string, PbsSnapshotRecord[]>();
  for (const s of inv.pbsSnapshots) {
    const k = groupKey(s);
    let list = snaps.get(k);
    if (!list) snaps.set(k, (list = []));
    list.push(s);
  }
  const spaces = new Map<string, { store: string; ns: string; groups: BackupGroupRecord[] }>();
  const space = (store: string, ns: string) => {
    const k = `${store}\u0000${ns}`;
    let v = spaces.get(k);
    if (!v) spaces.set(k, (v = { store, ns, groups: [] }));
    return v;
  };
  for (const n of inv.namespaces) space(n.store, n.ns);
  for (const g of inv.backupGroups) space(g.store, g.ns).groups.push(g);
  const stores = new Set([...spaces.values()].map((s) => s.store));
  return [...spaces.values()]
    .sort((a, b) => a.store.localeCompare(b.store) || (a.ns === '' ? -1 : b.ns === '' ? 1 : a.ns.localeCompare(b.ns)))
    .map((s) => {
      const rows = s.groups
        .sort((a, b) => a.backupType.localeCompare(b.backupType) || a.backupId.localeCompare(b.backupId, undefined, { numeric: true }))
        .map((g) => groupRow(g, snaps.get(groupKey(g)) ?? [], now));
      const nsLabel = s.ns || 'Root namespace';
      const failed = rows.filter((r) => r.problem).length;
      return {
        key: `ns/${s.store}/${s.ns}`, store: s.store, ns: s.ns,
        // With one datastore its name on every namespace is noise; with several it tells them apart.
        label: stores.size > 1 ? `${s.store}: ${nsLabel}` : nsLabel,
        description: [`${rows.length} group${rows.length === 1 ? '' : 's'}`, failed ? `${failed} verify failed` : ''].filter(Boolean).join(' · '),
        groups: rows,
      };
    });
}

/** The whole PBS part of an endpoint's tree; `jobs` is the health report's jobs of this endpoint when there is one. */
export function pbsTreeData(inv: Inventory, jobs: readonly JobHealth[] | undefined, now: number, timeZone?: string): PbsTreeData {
  const healthOf = new Map((jobs ?? []).map((h) => [`${h.kind}/${h.id}`, h]));
  // JobHealth's id is the store for garbage collection, as PbsJobRecord's jobId is.
  const jobRows = [...inv.pbsJobs]
    .sort((a, b) => (a.status === 'stale' ? 1 : 0) - (b.status === 'stale' ? 1 : 0) || KIND_ORDER[a.kind] - KIND_ORDER[b.kind] || a.jobId.localeCompare(b.jobId))
    .map((j) => jobRow(j, healthOf.get(`${j.kind}/${j.jobId}`), now));
  return {
    datastores: [...inv.datastores].sort((a, b) => a.store.localeCompare(b.store)).map((d) => datastoreRow(d, now, timeZone)),
    jobs: jobRows,
    namespaces: namespaceGroups(inv, now),
  };
}

/** "3 problems" and friends for a group row's description. */
export function countText(rows: readonly PbsRow[], noun: string): string {
  const problems = rows.filter((r) => r.problem).length;
  const warnings = rows.filter((r) => r.warning).length;
  return [`${rows.length} ${noun}${rows.length === 1 ? '' : 's'}`, problems ? `${problems} failed` : '', warnings ? `${warnings} warning${warnings === 1 ? '' : 's'}` : '']
    .filter(Boolean).join(' · ');
}
