// What the routine page says, as a model of headings, tables, lists and notes: which page to show for the state
// (loading, failed, error, no routine, detail), and every word of the detail. Pure, so it is tested in Node; view.ts
// turns the model into DOM, every string as text.
import { formatDateTime, formatRelative } from '../../core/text/time';
import type { GuestRef, RoutineDetail } from './protocol';
import type { RoutineUiState } from './state';

export interface Row {
  label: string;
  value: string;
  /** Shown as code (a schedule as written or normalized). */
  code?: boolean;
}

export type Block =
  | { kind: 'text'; text: string }
  | { kind: 'note'; text: string }
  | { kind: 'error'; text: string }
  | { kind: 'warning'; label: string; text: string }
  | { kind: 'table'; caption: string; rows: Row[] }
  | { kind: 'runs'; runs: { iso: string; text: string; relative: string }[] }
  | { kind: 'guests'; caption: string; guests: { vmid: string; name: string; type: string; node: string; missing: boolean }[] }
  | { kind: 'subheading'; text: string }
  | { kind: 'pre'; text: string; raw: boolean };

export interface Section {
  title: string;
  blocks: Block[];
}

export interface DetailModel {
  title: string;
  endpoint: string;
  badges: { text: string; kind: 'ok' | 'off' | 'warn' }[];
  comment: string;
  sections: Section[];
}

/** A line above the page about where its content comes from: the saved view, a refresh, a refresh that failed. */
export interface Banner {
  text: string;
  error: boolean;
  retry: boolean;
}

export type RoutinePage =
  | { kind: 'loading'; text: string }
  /** The extension could not be asked (or did not answer), and nothing was saved to show meanwhile. */
  | { kind: 'failed'; title: string; error: string }
  /** The panel does not know which routine it shows (its saved state was unreadable). */
  | { kind: 'no-target'; title: string; message: string }
  | { kind: 'error'; title: string; error: string; endpointId: string; banner: Banner | null }
  | { kind: 'detail'; endpointId: string; detail: DetailModel; banner: Banner | null };

export function routinePage(ui: RoutineUiState, now: number, zone: string): RoutinePage {
  const { routine } = ui;
  const shown = routine.value;
  if (shown === null) {
    if (routine.status === 'error') return { kind: 'failed', title: 'Backup job', error: `The backup job could not be loaded: ${routine.error}` };
    return { kind: 'loading', text: 'Loading the backup job…' };
  }
  if (shown.status === 'no-target') {
    return { kind: 'no-target', title: 'Backup job', message: shown.error ?? 'This panel does not know which backup job it showed. Choose one, or close the panel.' };
  }
  const banner = bannerOf(ui);
  if (shown.status === 'error' || !shown.detail) {
    return { kind: 'error', title: `Backup job ${shown.routineId}`, error: shown.error ?? 'The backup job could not be shown.', endpointId: shown.endpointId, banner };
  }
  return { kind: 'detail', endpointId: shown.endpointId, detail: detailModel(shown.detail, now, zone), banner };
}

function bannerOf(ui: RoutineUiState): Banner | null {
  const { routine, cached } = ui;
  if (routine.status === 'loading') {
    return { text: cached ? 'Showing this job as it was when the panel was last open; asking for the current state…' : 'Refreshing…', error: false, retry: false };
  }
  if (routine.status === 'error') {
    return { text: `Could not refresh${cached ? ' (this is the job as it was when the panel was last open)' : ''}: ${routine.error}`, error: true, retry: true };
  }
  return null;
}

function when(epoch: number | null, now: number, zone: string): string | null {
  return epoch === null ? null : `${formatDateTime(epoch, zone)} (${formatRelative(epoch, now)})`;
}

function table(caption: string, rows: [string, string | null | undefined, boolean?][]): Block {
  return {
    kind: 'table', caption,
    rows: rows.filter((r): r is [string, string, boolean?] => r[1] !== null && r[1] !== undefined && r[1] !== '')
      .map(([label, value, code]) => (code ? { label, value, code } : { label, value })),
  };
}

function guests(list: GuestRef[], caption: string): Block {
  if (list.length === 0) return { kind: 'note', text: 'None.' };
  return {
    kind: 'guests', caption,
    guests: list.map((g) => ({
      vmid: String(g.vmid), name: g.name ?? 'not in the inventory', type: g.type === 'qemu' ? 'VM' : g.type === 'lxc' ? 'Container' : '',
      node: g.node ?? '', missing: g.name === null,
    })),
  };
}

export function detailModel(d: RoutineDetail, now: number, zone: string): DetailModel {
  const selectionText = d.selection.mode === 'all' ? 'All guests' + (d.selection.excluded.length ? ' except the excluded ones' : '')
    : d.selection.mode === 'pool' ? `Pool ${d.selection.pool ?? ''}` : `${d.selection.guests.length} selected guest(s)`;
  const nodeZone = d.timezoneNote ? `${d.timezone} (assumed: ${d.timezoneNote})`
    : d.timezoneAssumed ? `${d.timezone} (assumed: the node's time zone is not known yet)` : d.timezone;
  const nextRun = d.nextRun === null
    ? (d.enabled ? 'none' : 'none (disabled)')
    : `${when(d.nextRun, now, zone)} — ${d.nextRunSource === 'proxmox' ? 'as Proxmox reports it' : 'computed by Proxbox'}`;
  const runs: Block = d.nextRuns.length
    ? { kind: 'runs', runs: d.nextRuns.map((t) => ({ iso: new Date(t * 1000).toISOString(), text: formatDateTime(t, zone), relative: formatRelative(t, now) })) }
    : { kind: 'note', text: d.schedule.error ? 'No runs: the schedule cannot be read.' : 'This schedule has no further runs.' };
  const sections: Section[] = [
    {
      title: 'Schedule',
      blocks: [
        ...(d.schedule.error ? [{ kind: 'error', text: d.schedule.error } as Block] : []),
        // Above the table and its "Next run": that run may be the last one Proxmox ever starts.
        ...(d.scheduleStop ? [{ kind: 'warning', label: 'Proxmox stops scheduling', text: d.scheduleStop } as Block] : []),
        table('Schedule', [
          ['As written', d.schedule.source, true],
          ['Normalized', d.schedule.normalized, true],
          ['In plain words', d.schedule.description],
          ['Time zone', nodeZone],
          ['Next run', nextRun],
        ]),
      ],
    },
    {
      // The runs are shown in the viewer's zone; the schedule itself runs in the node's (the table above says which).
      title: d.nextRuns.length ? `Next ${d.nextRuns.length} runs (local time, ${zone})` : `Next runs (local time, ${zone})`,
      blocks: [...(d.enabled ? [] : [{ kind: 'note', text: 'The job is disabled: these are the times it would run if enabled.' } as Block]), runs],
    },
    {
      title: 'Status',
      blocks: [table('Status', [
        ['Enabled', d.enabled ? 'yes' : 'no'],
        ['Status', d.status],
        ['First seen', when(d.firstSeen, now, zone)],
        ['Last seen', when(d.lastSeen, now, zone)],
        ['Inventory synced', when(d.syncedAt, now, zone)],
      ])],
    },
    { title: 'Target', blocks: [table('Target', [['Node', d.node ?? 'All nodes'], ['Storage', d.storage ?? 'not set']])] },
    {
      title: 'Selection',
      blocks: [
        { kind: 'text', text: selectionText },
        ...(d.selection.note ? [{ kind: 'note', text: d.selection.note } as Block] : []),
        // Every mode lists what vzdump selects (node and exclude applied), "all" included.
        guests(d.selection.guests, 'Selected guests'),
        ...(d.selection.excluded.length ? [{ kind: 'subheading', text: 'Excluded' } as Block, guests(d.selection.excluded, 'Excluded guests')] : []),
      ],
    },
    {
      title: 'Retention',
      blocks: [d.retention.length
        ? table('Retention', d.retention.map((r) => [r.label, r.value]))
        : { kind: 'note', text: 'The job sets no retention: the storage\'s prune settings apply.' }],
    },
    {
      title: 'Advanced options',
      blocks: [d.advanced.length ? table('Advanced options', d.advanced.map((r) => [r.label, r.value])) : { kind: 'note', text: 'Proxmox defaults.' }],
    },
    { title: 'Notes template', blocks: [d.notesTemplate ? { kind: 'pre', text: d.notesTemplate, raw: false } : { kind: 'note', text: 'None.' }] },
    { title: 'Raw configuration', blocks: [{ kind: 'pre', text: d.rawConfig, raw: true }] },
  ];
  return {
    title: `Backup job ${d.routineId}`,
    endpoint: ` on ${d.endpointName}`,
    badges: [
      d.enabled ? { text: 'enabled', kind: 'ok' } : { text: 'disabled — will not run', kind: 'off' },
      d.status === 'stale' ? { text: 'stale — gone from Proxmox at the last sync', kind: 'warn' } : { text: 'active', kind: 'ok' },
    ],
    comment: d.comment,
    sections,
  };
}
