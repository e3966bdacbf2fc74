// How a backup routine reads in the tree: label, description, icon and tooltip. Pure, so the tree item is a thin shell.
import { effectiveExclude, ignoredExclude } from '../../core/health/selection';
import { formatDateTime, formatRelative } from '../../core/text/time';
import { codeSpan, escapeMarkdown } from './markdown';

/** The fields of the inventory's BackupRoutine the tree shows (the real model is structurally wider). */
export interface RoutineLike {
  jobId: string;
  enabled: boolean;
  schedule: string;
  status: string; // 'active' | 'stale'
  nextRun?: number | null;
  nextRunSource?: string;
  timezone?: string | null;
  node?: string | null;
  storage?: string | null;
  comment?: string | null;
  lastSeen?: string | number | null;
  keepLast?: number | null; keepHourly?: number | null; keepDaily?: number | null; keepWeekly?: number | null;
  keepMonthly?: number | null; keepYearly?: number | null; keepAll?: boolean | null;
  retentionSource?: string | null; // 'job' | 'storage' | 'none'
  scheduleError?: string | null;
  selection?: { mode: string; vmids?: readonly number[]; pool?: string | null; exclude?: readonly number[] } | null;
}

export type RoutineState = 'active' | 'disabled' | 'stale';

export interface RoutinePresentation {
  state: RoutineState;
  label: string;
  description: string;
  /** codicon id and theme colour id; the vscode layer turns them into a ThemeIcon. */
  icon: { id: string; color?: string };
  tooltip: string; // markdown: every text from Proxmox escaped (markdown.ts)
}

export function routineState(r: RoutineLike): RoutineState {
  if (r.status === 'stale') return 'stale';
  return r.enabled ? 'active' : 'disabled';
}

/** "keep-last 3, keep-daily 7" or the PVE wording when nothing is set on the job. */
export function describeRetention(r: RoutineLike): string {
  if (r.keepAll) return 'keep all';
  const parts: string[] = [];
  const add = (label: string, v: number | null | undefined) => { if (typeof v === 'number' && v > 0) parts.push(`${label} ${v}`); };
  add('keep-last', r.keepLast); add('keep-hourly', r.keepHourly); add('keep-daily', r.keepDaily);
  add('keep-weekly', r.keepWeekly); add('keep-monthly', r.keepMonthly); add('keep-yearly', r.keepYearly);
  if (!parts.length) return 'fallback from storage config';
  return r.retentionSource === 'storage' ? `${parts.join(', ')} (from the storage)` : parts.join(', ');
}

/** "all guests", "all guests except 101, 102", "pool web", "3 guests: 100, 101, 102" (exclude only where vzdump applies it). */
export function describeSelection(r: RoutineLike): string | undefined {
  const s = r.selection;
  if (!s) return undefined;
  const list = (v: readonly number[]) => (v.length > 8 ? `${v.slice(0, 8).join(', ')}, … (${v.length})` : v.join(', '));
  const excluded = effectiveExclude(s);
  const ignored = ignoredExclude(s);
  const ignoredText = ignored.length ? ` (exclude ${list(ignored)} ignored: vzdump applies it only to all guests)` : '';
  if (s.mode === 'all') return excluded.length ? `all guests except ${list(excluded)}` : 'all guests';
  if (s.mode === 'pool') return `pool ${s.pool ?? '?'}${ignoredText}`;
  const v = s.vmids ?? [];
  return `${v.length} guest${v.length === 1 ? '' : 's'}${v.length ? `: ${list(v)}` : ''}${ignoredText}`;
}

function seenText(v: string | number | null | undefined, tz?: string): string | undefined {
  if (v === undefined || v === null || v === '') return undefined;
  const secs = typeof v === 'number' ? (v > 1e12 ? v / 1000 : v) : Date.parse(v) / 1000;
  return Number.isFinite(secs) ? formatDateTime(secs, tz) : String(v);
}

export function presentRoutine(r: RoutineLike, nowSeconds: number, displayZone?: string): RoutinePresentation {
  const state = routineState(r);
  const label = r.comment?.trim() ? `${r.comment.trim()}` : r.jobId;
  const next = typeof r.nextRun === 'number' ? r.nextRun : undefined;
  let description: string;
  let icon: RoutinePresentation['icon'];
  if (state === 'stale') {
    description = `stale · ${r.schedule} · gone from Proxmox`;
    icon = { id: 'warning', color: 'list.warningForeground' };
  } else if (state === 'disabled') {
    description = `disabled · ${r.schedule}`;
    icon = { id: 'circle-slash', color: 'disabledForeground' };
  } else {
    const when = r.scheduleError ? 'schedule not understood' : next === undefined ? 'no next run' : next <= nowSeconds ? 'next run pending' : `next ${formatRelative(next, nowSeconds)}`;
    description = `${r.schedule} · ${when}`;
    icon = { id: 'calendar', color: 'testing.iconPassed' };
  }
  if (label !== r.jobId) description += ` · ${r.jobId}`;

  const rows: [string, string][] = [
    ['Status', state === 'stale' ? 'stale — no longer listed by Proxmox (kept, not deleted)' : state],
    ['Schedule', r.schedule ? codeSpan(r.schedule) : '—'],
    ['Next run', state !== 'active' ? (state === 'disabled' ? 'none — the job is disabled and will not run' : 'none — the job no longer exists in Proxmox')
      : next === undefined ? 'unknown' : `${formatDateTime(next, displayZone)} (${formatRelative(next, nowSeconds)})` +
        (r.nextRunSource ? `, ${r.nextRunSource === 'proxmox' ? 'from Proxmox' : 'computed'}` : '') +
        (r.timezone ? `, node zone ${escapeMarkdown(r.timezone)}` : '')],
    ['Storage', r.storage ? escapeMarkdown(r.storage) : '—'],
    ['Node', r.node ? escapeMarkdown(r.node) : 'all nodes'],
    ['Retention', describeRetention(r)],
  ];
  const sel = describeSelection(r);
  if (sel) rows.push(['Selection', escapeMarkdown(sel)]);
  if (r.scheduleError) rows.push(['Schedule problem', escapeMarkdown(r.scheduleError)]);
  const seen = seenText(r.lastSeen, displayZone);
  if (state === 'stale' && seen) rows.push(['Last seen', escapeMarkdown(seen)]);
  const tooltip = [`**${escapeMarkdown(label)}** (${escapeMarkdown(r.jobId)})`, '', ...rows.map(([k, v]) => `${k}: ${v}  `)].join('\n');
  return { state, label, description, icon, tooltip };
}
