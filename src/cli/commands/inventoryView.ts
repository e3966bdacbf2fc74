// Shared by `proxbox routines`, `proxbox guests` and `proxbox demo`: reading every inventory of a store and
// rendering routines and guests as aligned text tables.
import { formatRelative, formatStamp } from '../../core/text/time';
import { existsSync } from 'node:fs';
import { UsageError } from '../io';
import { listInventories, loadInventory } from '../../core/inventory/inventory';
import type { BackupRoutine, Inventory } from '../../core/inventory/model';
import { coverageOf } from '../../core/health/coverage';
import { effectiveExclude } from '../../core/health/selection';
import { terminalSafe } from '../../core/text/terminal';

export async function loadAll(store: string, endpointId?: string): Promise<Inventory[]> {
  if (!existsSync(store)) throw new UsageError(`the store folder ${store} does not exist. Run 'proxbox sync --store ${store} …' first.`);
  const refs = await listInventories(store);
  const wanted = endpointId ? refs.filter((r) => r.id === endpointId) : refs;
  if (endpointId && wanted.length === 0) {
    throw new UsageError(`no endpoint '${endpointId}' in ${store}; it holds: ${refs.map((r) => r.id).join(', ') || 'nothing yet'}.`);
  }
  const out: Inventory[] = [];
  for (const r of wanted) {
    const inv = await loadInventory(store, r.id);
    if (inv) out.push(inv);
  }
  return out;
}

/**
 * Rows as aligned columns. Every cell goes through the one terminal sanitizer (cells hold server text: names, ids,
 * schedules), so no cell can drive the terminal or break its line. Widths are found in one pass: never by spreading
 * the rows into Math.max, which throws a RangeError at a few hundred thousand rows.
 */
export function table(rows: string[][], dropFirstColumnIfUniform = false): string {
  if (rows.length === 0) return '';
  // One endpoint: its id on every line says nothing.
  if (dropFirstColumnIfUniform && new Set(rows.slice(1).map((r) => r[0])).size <= 1) rows = rows.map((r) => r.slice(1));
  const safe = rows.map((r) => r.map(terminalSafe));
  const widths: number[] = safe[0].map(() => 0);
  for (const r of safe) {
    for (let i = 0; i < widths.length; i++) widths[i] = Math.max(widths[i], (r[i] ?? '').length);
  }
  return safe.map((r) => r.map((c, i) => (i === r.length - 1 ? c : c.padEnd(widths[i]))).join('  ').trimEnd()).join('\n') + '\n';
}

/** "2026-11-24 02:00 Europe/Vienna (in 5 h)": the time in the zone the job runs in, said so, and how far away. */
export function formatTime(epoch: number | null, tz: string | null, nowSeconds: number): string {
  if (epoch === null) return '—';
  let zone = tz ?? 'UTC';
  let text: string;
  try {
    text = formatStamp(epoch, zone);
  } catch {
    // A zone this runtime does not know: UTC, and the line says so.
    zone = 'UTC';
    text = formatStamp(epoch, zone);
  }
  return `${text} ${zone} (${formatRelative(epoch, nowSeconds)})`;
}

export function selectionText(r: BackupRoutine): string {
  const s = r.selection;
  const excluded = effectiveExclude(s);
  const ex = excluded.length ? ` except ${excluded.join(',')}` : '';
  const on = r.node ? ` on ${r.node}` : '';
  if (s.mode === 'all') return `all guests${ex}${on}`;
  if (s.mode === 'pool') return `pool ${s.pool}${on}`;
  return `${s.vmids.length > 6 ? `${s.vmids.slice(0, 6).join(',')},… (${s.vmids.length})` : s.vmids.join(',') || 'none'}${on}`;
}

export function retentionText(r: BackupRoutine): string {
  if (r.keepAll) return 'keep all';
  const parts = ([['last', r.keepLast], ['hourly', r.keepHourly], ['daily', r.keepDaily], ['weekly', r.keepWeekly], ['monthly', r.keepMonthly], ['yearly', r.keepYearly]] as const)
    .filter(([, v]) => v !== null).map(([k, v]) => `${k}=${v}`);
  if (!parts.length) return r.retentionSource === 'none' ? 'keep all (no rule)' : '—';
  return parts.join(' ') + (r.retentionSource === 'storage' ? ' (storage)' : '');
}

export function routinesTable(invs: Inventory[], nowSeconds: number): string {
  const rows = [['ENDPOINT', 'JOB', 'STATUS', 'SCHEDULE', 'NEXT RUN', 'STORAGE', 'SELECTION', 'RETENTION']];
  const notes: string[] = [];
  for (const inv of invs) {
    for (const r of inv.backupRoutines) {
      const status = r.status === 'stale' ? 'stale' : r.enabled ? 'active' : 'disabled';
      const next = r.status === 'stale' ? `gone since ${r.staleSince?.slice(0, 16).replace('T', ' ') ?? '?'}` : r.enabled
        ? (r.scheduleError ? `error: ${r.scheduleError}` : formatTime(r.nextRun, r.timezone, nowSeconds) + (r.nextRunSource === 'proxmox' ? '' : ' *'))
        : '—';
      const note = r.status === 'active' ? r.timezoneNote : null;
      rows.push([inv.endpoint.id, r.jobId, status, r.schedule || '—', next + (note ? ' !' : ''), r.storage ?? '—', selectionText(r), retentionText(r)]);
      if (note) notes.push(terminalSafe(`! ${invs.length > 1 ? `${inv.endpoint.id}/` : ''}${r.jobId}: ${note}`));
    }
  }
  // Why a zone is assumed takes a sentence: it goes under the table, and the row carries a '!' that points to it.
  return table(rows, true) + (notes.length ? `\n${notes.join('\n')}\n` : '');
}

export function guestsTable(invs: Inventory[], nowSeconds: number): string {
  const rows = [['ENDPOINT', 'VMID', 'TYPE', 'NAME', 'NODE', 'STATUS', 'BACKUP', 'LAST BACKUP', 'ROUTINES']];
  for (const inv of invs) {
    const cov = coverageOf(inv);
    for (const g of inv.guests) {
      const c = cov.get(g.vmid)!;
      const state = c.state === 'covered' ? 'covered' : c.state === 'disabled-only' ? 'NOT COVERED (job disabled/stale)' : 'NOT COVERED';
      rows.push([
        inv.endpoint.id, String(g.vmid), g.type, g.name, g.node, g.template ? 'template' : g.status, state,
        c.lastBackup === null ? 'never' : formatRelative(c.lastBackup, nowSeconds), [...c.routines, ...c.inactiveRoutines.map((r) => `(${r})`)].join(' ') || '—',
      ]);
    }
  }
  return table(rows, true);
}
