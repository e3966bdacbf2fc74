// What the routine page says, as a model of headings, tables, lists and notes: which page to show for the state
// (loading, failed, error, no routine, detail), and every word of the detail. Pure, so it is tested in Node; view.ts
// turns the model into DOM, every string as text.
import { formatDateTime, formatRelative } from '../../core/text/time';
import type { GuestRef, RoutineDetail, TimesZone } from './protocol';
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
  /** `text` in the zone the page shows; `title` the same instant in the other zone (a tooltip). */
  | { kind: 'runs'; runs: { iso: string; text: string; relative: string; title: string }[] }
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

/** The zone times are shown in and the other one (for tooltips and secondary text), each with how it is named. */
export interface Zones {
  shown: string;
  shownName: string;
  other: string;
  otherName: string;
}

/**
 * Which zone the page shows times in, from the setting `proxbox.times.zone`: 'local' is the viewer's zone (the
 * browser's, passed in so tests never depend on the machine), 'node' the zone the job's node evaluates it in.
 */
export function displayZones(mode: TimesZone, viewer: string, node: string): Zones {
  const local = { zone: viewer, name: `${viewer}, your time` };
  const nodes = { zone: node, name: `${node}, the node's time` };
  const [a, b] = mode === 'node' ? [nodes, local] : [local, nodes];
  return { shown: a.zone, shownName: a.name, other: b.zone, otherName: b.name };
}

/** "Tue 1 Dec 2026, 19:00 Europe/Berlin": every time shown names its zone. */
export function zoned(epoch: number, zone: string): string {
  return `${formatDateTime(epoch, zone)} ${zone}`;
}

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
  return { kind: 'detail', endpointId: shown.endpointId, detail: detailModel(shown.detail, now, zone, shown.timesZone ?? 'local'), banner };
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
  return epoch === null ? null : `${zoned(epoch, zone)} (${formatRelative(epoch, now)})`;
}

/** The same instant in the other zone, as secondary text; nothing when both zones are the same. */
function otherZone(epoch: number, z: Zones): string {
  return z.other === z.shown ? '' : `; ${zoned(epoch, z.other)}`;
}

/**
 * "Next run" from one source that agrees with the list of next runs. Proxmox's `next-run` and the first run the
 * schedule engine computes must be the same instant; when they are not, the page says so and shows both, named,
 * rather than two unrelated times (a wrong node zone, or an inventory older than the run Proxmox reported).
 */
export function nextRunText(d: RoutineDetail, now: number, z: Zones): string {
  if (d.nextRun === null) return d.enabled ? 'none' : 'none (disabled)';
  const first = d.nextRuns.length ? d.nextRuns[0] : null;
  const at = `${when(d.nextRun, now, z.shown)}${otherZone(d.nextRun, z)}`;
  if (d.nextRunSource !== 'proxmox') return `${at} — computed by Proxbox`;
  if (first === null || first === d.nextRun) return `${at} — as Proxmox reports it${first === null ? '' : ', and as Proxbox computes it'}`;
  const ours = `${when(first, now, z.shown)}${otherZone(first, z)}`;
  if (d.nextRun <= now) {
    return `${ours} — computed by Proxbox; Proxmox reported ${zoned(d.nextRun, z.shown)} at the last sync, which has passed. Sync to read Proxmox's next run.`;
  }
  return `Proxmox reports ${at}, but Proxbox computes ${ours} from the schedule in ${d.timezone}. They differ: the list below is Proxbox's. ` +
    'Check the time zone of the job\'s node in Proxmox, then sync.';
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

/** @param zone the viewer's zone; @param mode the setting `proxbox.times.zone` (which zone the page shows). */
export function detailModel(d: RoutineDetail, now: number, zone: string, mode: TimesZone = 'local'): DetailModel {
  const z = displayZones(mode, zone, d.timezone);
  const selectionText = d.selection.mode === 'all' ? 'All guests' + (d.selection.excluded.length ? ' except the excluded ones' : '')
    : d.selection.mode === 'pool' ? `Pool ${d.selection.pool ?? ''}` : `${d.selection.guests.length} selected guest(s)`;
  const nodeZone = d.timezoneNote ? `${d.timezone} (assumed: ${d.timezoneNote})`
    : d.timezoneAssumed ? `${d.timezone} (assumed: the node's time zone is not known yet)` : d.timezone;
  const nextRun = nextRunText(d, now, z);
  const runs: Block = d.nextRuns.length
    ? {
      kind: 'runs',
      runs: d.nextRuns.map((t) => ({
        iso: new Date(t * 1000).toISOString(), text: formatDateTime(t, z.shown), relative: formatRelative(t, now), title: zoned(t, z.other),
      })),
    }
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
      // The runs are shown in the chosen zone (named here); each run's tooltip has it in the other one.
      title: d.nextRuns.length ? `Next ${d.nextRuns.length} runs (${z.shownName})` : `Next runs (${z.shownName})`,
      blocks: [...(d.enabled ? [] : [{ kind: 'note', text: 'The job is disabled: these are the times it would run if enabled.' } as Block]), runs],
    },
    {
      title: 'Status',
      blocks: [table('Status', [
        ['Enabled', d.enabled ? 'yes' : 'no'],
        ['Status', d.status],
        ['First seen', when(d.firstSeen, now, z.shown)],
        ['Last seen', when(d.lastSeen, now, z.shown)],
        ['Inventory synced', when(d.syncedAt, now, z.shown)],
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
