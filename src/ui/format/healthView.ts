// How backup health reads in the tree: status icons in the testing colours, a guest's line and tooltip, a routine's
// last run. Pure (no 'vscode'), so the tree items are thin shells and the wording is tested in Node.
import { RUN_LABELS, RUN_SYMBOLS, STATUS_LABELS } from '../../core/health/labels';
import { HEALTH_STATUS_ORDER, type GuestHealth, type GuestHealthStatus, type HealthReport, type RoutineRun } from '../../core/health/types';
import { formatDateTime, formatRelative } from '../../core/text/time';
import { escapeMarkdown } from './markdown';

/** codicon id and theme colour id per status (the testing colours: users read them as pass/fail already). */
export const STATUS_ICONS: Record<GuestHealthStatus, { id: string; color: string }> = {
  failed: { id: 'error', color: 'testing.iconFailed' },
  overdue: { id: 'watch', color: 'testing.iconErrored' },
  never: { id: 'circle-slash', color: 'testing.iconFailed' },
  'not-covered': { id: 'shield', color: 'testing.iconQueued' },
  'verify-failed': { id: 'unverified', color: 'testing.iconErrored' },
  excluded: { id: 'eye-closed', color: 'testing.iconSkipped' },
  ok: { id: 'pass', color: 'testing.iconPassed' },
};

export interface StatusGroup {
  status: GuestHealthStatus;
  guests: GuestHealth[];
}

/** Every status in reading order with its guests, including empty ones (a zero is information too). */
export function groupByStatus(report: HealthReport): StatusGroup[] {
  const by = new Map<GuestHealthStatus, GuestHealth[]>(HEALTH_STATUS_ORDER.map((s) => [s, []]));
  for (const g of report.guests) by.get(g.status)!.push(g);
  return HEALTH_STATUS_ORDER.map((status) => ({ status, guests: by.get(status)! }));
}

/** "Failed 2 · Overdue 1 · OK 40": the non-zero counts. */
export function summaryLine(report: HealthReport): string {
  return HEALTH_STATUS_ORDER.filter((s) => report.summary[s] > 0).map((s) => `${STATUS_LABELS[s]} ${report.summary[s]}`).join(' · ');
}

export function guestHealthLabel(g: GuestHealth): string {
  return `${g.vmid} ${g.name}`.trim();
}

/** The line beside a guest: its reason, or for an ok guest the age of its newest backup. */
export function guestHealthDescription(g: GuestHealth, now: number): string {
  if (g.status === 'ok') return g.lastBackup !== null ? `backed up ${formatRelative(g.lastBackup, now)}` : 'ok';
  return g.reason || STATUS_LABELS[g.status];
}

/** Markdown; every text from Proxmox escaped. */
export function guestHealthTooltip(g: GuestHealth, now: number, routineName: (jobId: string) => string, zone?: string): string {
  const rows: [string, string][] = [
    ['Status', STATUS_LABELS[g.status]],
    ['Why', g.reason ? escapeMarkdown(g.reason) : '—'],
    ['Node', escapeMarkdown(g.node)],
    ['Last backup', g.lastBackup === null ? 'none found' : `${formatDateTime(g.lastBackup, zone)} (${formatRelative(g.lastBackup, now)})`],
    ['Backups', String(g.backupCount)],
    ['Next backup', g.nextBackup === null ? 'none scheduled' : `${formatDateTime(g.nextBackup, zone)} (${formatRelative(g.nextBackup, now)})`],
    ['Backup jobs', g.routines.length ? g.routines.map((r) => escapeMarkdown(routineName(r))).join(', ') : 'none'],
  ];
  if (g.verification) rows.push(['Verification', escapeMarkdown(g.verification)]);
  return [`**${escapeMarkdown(guestHealthLabel(g))}**`, '', ...rows.map(([k, v]) => `${k}: ${v}  `)].join('\n');
}

/** "last run ✗ 2 failed", "last run ✓ 5 h ago", "last run ○ missed": what PVE's job grid does not show. */
export function lastRunText(run: RoutineRun | null, now: number): string {
  if (!run) return 'no run in the history window';
  const sym = RUN_SYMBOLS[run.status];
  if (run.status === 'failed') {
    const n = run.failedGuests.length;
    return `last run ${sym} ${n ? `${n} failed` : 'failed'}`;
  }
  if (run.status === 'missed') return `last run ${sym} missed (${formatRelative(run.scheduled, now)})`;
  if (run.status === 'warnings') return `last run ${sym} warnings`;
  return `last run ${sym} ${formatRelative(run.started ?? run.scheduled, now)}`;
}

/** One line per run for a tooltip: "✗ Failed · Mon, Nov 30, 02:30 AM on pve1 · 2 guests failed". */
export function runLine(run: RoutineRun, zone?: string): string {
  const parts = [`${RUN_SYMBOLS[run.status]} ${RUN_LABELS[run.status]}`, `${formatDateTime(run.scheduled, zone)} on ${run.node}`];
  if (run.failedGuests.length) parts.push(`${run.failedGuests.length} guest${run.failedGuests.length === 1 ? '' : 's'} failed`);
  if (run.jobError) parts.push(run.jobError);
  return parts.join(' · ');
}
