// The calendar's words and classes: what each entry, legend item and status line says, for eyes and for screen
// readers. Pure (strings in, strings out), so the wording is tested in Node; view.ts only puts it into the DOM, as text.
import { RUN_LABELS, RUN_SYMBOLS } from '../../core/health/labels';
import { formatDuration, formatTime } from '../../core/text/time';
import { dateKeyOf, sameMonth } from './dates';
import { isShown } from './layout';
import { dayLabel } from './dates';
import type { CalendarData, CalendarEntry, CalendarKind, CalendarNav, CalendarOutcome, CalendarRoutine } from './protocol';
import type { CalendarState } from './state';

/** Every kind's marker on its entries and in the legend: a glyph beside the routine's colour, so kinds read apart
 * without colour too. Not letters: the badges are letters. */
export const KIND_GLYPHS: Record<CalendarKind, string> = {
  backup: '▣', replication: '⇄', prune: '✂', gc: '♻', verify: '☑', sync: '⟳', custom: '★',
};
export const KIND_WORDS: Record<CalendarKind, string> = {
  backup: 'Backup job', replication: 'Replication', prune: 'PBS prune job', gc: 'PBS garbage collection',
  verify: 'PBS verify job', sync: 'PBS sync job', custom: 'Custom entry',
};
/** Legend headings and filter names. */
export const KIND_HEADINGS: Record<CalendarKind, string> = {
  backup: 'Backup jobs', replication: 'Replications', prune: 'Prune jobs (PBS)', gc: 'Garbage collection (PBS)',
  verify: 'Verify jobs (PBS)', sync: 'Sync jobs (PBS)', custom: 'Custom entries',
};
const KIND_ORDER: readonly CalendarKind[] = ['backup', 'replication', 'prune', 'gc', 'verify', 'sync', 'custom'];

/** The kind of a routine as the start of a sentence; backup jobs say nothing more than they did before kinds. */
function kindPrefix(r: CalendarRoutine): string {
  return r.kind === 'backup' ? '' : `${KIND_WORDS[r.kind]} `;
}

/** What a reader should know about a routine beyond its name: it will not run, it is gone, its list is cut. */
export function routineFlags(r: CalendarRoutine): string[] {
  const flags: string[] = [];
  if (!r.enabled) flags.push('disabled, will not run');
  if (r.status === 'stale') flags.push('stale, gone from Proxmox at the last sync');
  if (r.truncated) flags.push(`more than ${r.runs} runs in this range; later ones not shown`);
  if (r.timezoneAssumed) flags.push(r.kind === 'custom' ? 'no time zone given, UTC assumed' : 'node time zone unknown, UTC assumed');
  if (r.lastRunState !== null && r.lastRunState.toLowerCase() !== 'ok') flags.push(`last run failed: ${r.lastRunState}`);
  return flags;
}

/** The routine's identity as CSS classes: its colour and its pattern. Entries and the legend use the same. */
export function identityClasses(r: CalendarRoutine): string[] {
  // A custom entry with its own colour draws in it (set from script as a CSS variable, see view.ts), pattern kept.
  return [r.customColor ? 'custom-color' : `c${r.color}`, `p${r.pattern}`, `k-${r.kind}`];
}

function stateClasses(r: CalendarRoutine): string[] {
  return [r.enabled ? '' : 'is-disabled', r.status === 'stale' ? 'is-stale' : ''].filter(Boolean);
}

/** A shape for every outcome besides its colour: health's symbols, and '?' for a past run nobody recorded. */
export const OUTCOME_SYMBOLS: Record<CalendarOutcome, string> = { ...RUN_SYMBOLS, unknown: '?' };
export const OUTCOME_LABELS: Record<CalendarOutcome, string> = { ...RUN_LABELS, unknown: 'No record' };
/** Worst first, as band summaries list them. */
const OUTCOME_ORDER: readonly CalendarOutcome[] = ['failed', 'missed', 'warnings', 'running', 'unknown', 'ok'];

/** The legend's key to the outcomes: what a symbol on a past run means, and how a planned run looks. */
export const OUTCOME_KEY: readonly { outcome: CalendarOutcome | 'planned'; symbol: string; text: string }[] = [
  { outcome: 'ok', symbol: OUTCOME_SYMBOLS.ok, text: 'ran OK' },
  { outcome: 'warnings', symbol: OUTCOME_SYMBOLS.warnings, text: 'warnings' },
  { outcome: 'failed', symbol: OUTCOME_SYMBOLS.failed, text: 'failed' },
  { outcome: 'missed', symbol: OUTCOME_SYMBOLS.missed, text: 'missed' },
  { outcome: 'running', symbol: OUTCOME_SYMBOLS.running, text: 'running' },
  { outcome: 'unknown', symbol: OUTCOME_SYMBOLS.unknown, text: 'no record (before the health history)' },
  { outcome: 'planned', symbol: '', text: 'planned (future): no symbol' },
];

/** "1 failed, 2 with warnings, 5 OK": a band's past runs, worst first. */
export function outcomeCounts(counts: Partial<Record<CalendarOutcome, number>>): string {
  return OUTCOME_ORDER.filter((o) => counts[o]).map((o) => `${counts[o]} ${o === 'warnings' ? 'with warnings' : OUTCOME_LABELS[o].toLowerCase()}`).join(', ');
}

export interface EntryModel {
  /** The routine's badge, shown in its own element before the text. */
  badge: string;
  /** The kind's glyph (KIND_GLYPHS), before the badge. */
  kindGlyph: string;
  /** Another source writes to the same storage or datastore within the overlap window. */
  overlap: boolean;
  /** Backup jobs open their job (and past runs their details); other kinds have no job view yet. */
  opens: boolean;
  /** A past entry's outcome symbol (its own element, coloured by class); null for a planned entry. */
  symbol: string | null;
  /** A past single run: a click opens its details rather than the job. */
  past: boolean;
  /** The job's name (with a disabled/stale marker): first, because it is what a reader looks for; it may be cut. */
  name: string;
  /** When: a run's time, a band's span and rhythm. After the name, in its own element that is never cut. */
  when: string;
  /** The cluster (endpoint name) when more than one is in view, else null. */
  cluster: string | null;
  /** name, time and cluster as one line (what the text snapshot and tests read). */
  text: string;
  /** For screen readers: the whole sentence, flags included. */
  label: string;
  title: string;
  classes: string[];
}

export interface EntryOptions {
  /** The setting proxbox.times.zone: in 'local' the tooltip adds the node's time. */
  zoneMode?: 'local' | 'node';
  /** More than one endpoint is in view: every entry names its cluster. */
  showCluster?: boolean;
}

/** One formatter per zone: building one costs more than formatting a month of entries with it (a month of 200 jobs
 * names a zone in every entry's tooltip); null for a zone the platform does not know. */
const abbreviators = new Map<string, Intl.DateTimeFormat | null>();

/** "CET", "GMT+9": the zone's short name at an instant, as the platform knows it (en-US has the most abbreviations). */
export function zoneAbbreviation(epochSeconds: number, zone: string): string {
  let f = abbreviators.get(zone);
  if (f === undefined) {
    try {
      f = new Intl.DateTimeFormat('en-US', { timeZone: zone, timeZoneName: 'short' });
    } catch {
      f = null;
    }
    if (abbreviators.size < 500) abbreviators.set(zone, f);
  }
  if (!f) return zone;
  return f.formatToParts(epochSeconds * 1000).find((p) => p.type === 'timeZoneName')?.value ?? zone;
}

/** "03:00 GMT+9": a time that names its zone. */
export function zonedTime(epochSeconds: number, zone: string): string {
  return `${formatTime(epochSeconds, zone)} ${zoneAbbreviation(epochSeconds, zone)}`;
}

/** The tooltip's line on the node's own clock, when the calendar shows another zone. */
function nodeTimeLine(start: number, r: CalendarRoutine, zone: string, mode: 'local' | 'node'): string {
  if (mode !== 'local' || r.timezone === zone) return '';
  return `\nOn the node's clock (${r.timezone}${r.timezoneAssumed ? ', assumed' : ''}): ${formatTime(start, r.timezone)} ${zoneAbbreviation(start, r.timezone)}, ${dateKeyOf(start, r.timezone)}`;
}

/** A run or a band as an entry of a day. `compact` for a month cell, where the end of the text is what gets cut. */
export function entryModel(e: CalendarEntry, r: CalendarRoutine, compact: boolean, zone: string, options: EntryOptions = {}): EntryModel {
  const flags = routineFlags(r);
  const marker = r.status === 'stale' ? '⚠ ' : !r.enabled ? '⊘ ' : '';
  const cluster = options.showCluster ? r.endpointName : null;
  const name = `${marker}${r.label}`;
  let when: string;
  let label: string;
  let outcome: CalendarOutcome | undefined;
  if (e.kind === 'run') {
    outcome = e.outcome;
    when = formatTime(e.at, zone);
    if (outcome === undefined) {
      label = `${kindPrefix(r)}${r.label} (${r.endpointName}, job ${r.badge}) runs at ${zonedTime(e.at, zone)}`;
    } else {
      const guests = e.failedGuests ? `, ${e.failedGuests} guest${e.failedGuests === 1 ? '' : 's'} failed` : '';
      label = `${kindPrefix(r)}${r.label} (${r.endpointName}, job ${r.badge}) was due at ${zonedTime(e.at, zone)}: ${OUTCOME_LABELS[outcome]}${guests}`;
    }
  } else {
    outcome = e.worst;
    const every = e.every === null ? 'irregular' : `every ${formatDuration(e.every)}`;
    const span = `${formatTime(e.start, zone)}–${formatTime(e.end, zone)}`;
    when = compact ? `${every} · ${e.count}×` : `${span} · ${every} · ${e.count}×`;
    label = `${kindPrefix(r)}${r.label} (${r.endpointName}, job ${r.badge}) runs ${e.count} times from ${zonedTime(e.start, zone)} to ${zonedTime(e.end, zone)}, ${every}`;
    if (e.outcomes) {
      const past = Object.values(e.outcomes).reduce((n, c) => n + (c ?? 0), 0);
      label += `; past runs: ${outcomeCounts(e.outcomes)}${past < e.count ? `; ${e.count - past} planned` : ''}`;
    }
  }
  const overlap = e.overlap === true;
  if (overlap) label += '; overlaps another job on the same storage or datastore (listed under the month)';
  if (flags.length) label += ` — ${flags.join('; ')}`;
  const opens = r.kind === 'backup';
  const past = opens && e.kind === 'run' && outcome !== undefined;
  const start = e.kind === 'run' ? e.at : e.start;
  // The name first: in a narrow cell the end of the name is what gets cut, never the time.
  const text = `${name}${e.kind === 'band' && !compact ? '\n' : ' '}${when}${cluster ? ` · ${cluster}` : ''}`;
  const extra = [
    r.target ? `Writes to: ${r.target}` : '',
    r.note ? `Note: ${r.note}` : '',
    r.lastRunState !== null ? `Last run (as PBS reports it): ${r.lastRunState}` : '',
  ].filter(Boolean).map((line) => `\n${line}`).join('');
  const action = past ? '\nClick for what happened at this run.' : opens ? '\nClick to open the job.' : '';
  return {
    badge: r.badge,
    kindGlyph: KIND_GLYPHS[r.kind],
    overlap,
    opens,
    symbol: outcome === undefined ? null : OUTCOME_SYMBOLS[outcome],
    past,
    name, when, cluster, text,
    label,
    title: `${r.badge}: ${label}${nodeTimeLine(start, r, zone, options.zoneMode ?? 'local')}\nSchedule: ${r.schedule}${r.description ? ` (${r.description})` : ''}${extra}${action}`,
    classes: ['entry', ...identityClasses(r), e.kind, ...stateClasses(r), ...(outcome === undefined ? ['planned'] : ['past', `o-${outcome}`]), ...(overlap ? ['overlap'] : [])],
  };
}

/** Whether the shown jobs come from more than one endpoint: then every entry names its cluster. */
export function showsClusters(data: CalendarData | null, showDisabled: boolean, hiddenKinds: readonly CalendarKind[] = []): boolean {
  return new Set((data?.routines ?? []).filter((r) => isShown(r, showDisabled, hiddenKinds)).map((r) => r.endpointId)).size > 1;
}

/** The line that says which zone every time on the page is in. */
export function zoneNote(state: CalendarState): string {
  if (state.zoneMode !== 'node') return `Times in ${state.zone} (this computer's time; a run's tooltip gives its node's time).`;
  return state.context.value?.nodeZone
    ? `Times in ${state.zone} (node time, as Proxmox shows them; proxbox.times.zone).`
    : `Times in ${state.zone}: this computer's time, because the jobs' nodes are not all in one known zone (a run's tooltip gives its node's time).`;
}

/** The runs the status line counts: those on the month's own days (not the grid's days of the months around it), or
 * the week's. */
export function runsOnPage(data: CalendarData, nav: CalendarState['nav']): number {
  const shown = new Set(data.routines.filter((r) => isShown(r, nav.showDisabled, nav.hiddenKinds)).map((r) => r.key));
  let n = 0;
  for (const day of data.days) {
    if (nav.view === 'month' && !sameMonth(day.date, nav.anchor)) continue;
    for (const e of day.entries) if (shown.has(e.routine)) n += e.kind === 'run' ? 1 : e.count;
  }
  return n;
}

export interface LegendItem {
  key: string;
  kind: CalendarKind;
  kindGlyph: string;
  customColor: string | null;
  /** Backup jobs open their job view; the other kinds have none. */
  opens: boolean;
  endpointId: string;
  routineId: string;
  badge: string;
  name: string;
  note: string;
  flags: string[];
  error: string | undefined;
  label: string;
  classes: string[];
}

/** The legend: every shown routine with the same badge and look as its entries, in badge order. */
export function legendItems(data: CalendarData | null, showDisabled: boolean, hiddenKinds: readonly CalendarKind[] = []): LegendItem[] {
  return (data?.routines ?? []).filter((r) => isShown(r, showDisabled, hiddenKinds)).map((r) => {
    const flags = routineFlags(r);
    const opens = r.kind === 'backup';
    const details = [r.target ? `writes to ${r.target}` : '', r.note ?? ''].filter(Boolean).join(' · ');
    return {
      key: r.key, kind: r.kind, kindGlyph: KIND_GLYPHS[r.kind], customColor: r.customColor, opens,
      endpointId: r.endpointId, routineId: r.routineId, badge: r.badge, name: r.label,
      note: ` ${r.endpointName} · ${r.schedule}${r.description ? ` (${r.description})` : ''} · ${r.runs} runs${details ? ` · ${details}` : ''}`,
      flags, error: r.error,
      label: `${opens ? 'Job' : KIND_WORDS[r.kind]} ${r.badge}: ${r.label} on ${r.endpointName}: ${r.schedule}, ${r.runs} runs${details ? `, ${details}` : ''}${flags.length ? `; ${flags.join('; ')}` : ''}.${opens ? ' Open the job.' : ''}`,
      classes: ['entry', 'legend-item', ...identityClasses(r), ...stateClasses(r)],
    };
  });
}

export interface StatusModel {
  text: string;
  kind: 'status' | 'error';
  /** Offer "Try again": the last request failed. */
  retry: boolean;
  /** Something is under way (aria-busy). */
  busy: boolean;
}

/** The line under the toolbar: what is loading, what failed and how to go on, or what is shown. */
export function statusModel(state: CalendarState): StatusModel {
  const { context, runs, nav } = state;
  if (context.value === null) {
    if (context.status === 'error') return { text: `The calendar could not reach the extension: ${context.error}`, kind: 'error', retry: true, busy: false };
    return { text: 'Waiting for the extension…', kind: 'status', retry: false, busy: true };
  }
  const endpoints = context.value.endpoints;
  if (endpoints.length === 0) {
    return { text: 'No Proxmox endpoint yet. Add one (Proxbox: Add Endpoint) or try the simulated cluster, then sync it.', kind: 'status', retry: false, busy: false };
  }
  if (runs.status === 'error') return { text: `The runs could not be computed: ${runs.error}`, kind: 'error', retry: true, busy: false };
  if (runs.status === 'loading' || runs.status === 'idle') return { text: 'Computing the runs…', kind: 'status', retry: false, busy: true };
  const data = runs.value as CalendarData;
  const shown = data.routines.filter((r) => isShown(r, nav.showDisabled, nav.hiddenKinds));
  let text = data.routines.length === 0
    ? 'No backup jobs in the synced inventory. Sync an endpoint to read its jobs.'
    : `${runsOnPage(data, nav)} runs of ${shown.length} backup job(s) in this ${nav.view}, times in ${state.zone}.`;
  const filter = nav.endpointId === null ? undefined : endpoints.find((e) => e.id === nav.endpointId);
  if (filter) text += ` Only ${filter.name}.`;
  const hidden = data.routines.length - shown.length;
  if (hidden) text += ` ${hidden} disabled job(s) hidden.`;
  const unsynced = endpoints.filter((e) => e.syncedAt === null && (nav.endpointId === null || nav.endpointId === e.id));
  if (unsynced.length) text += ` Not synced yet: ${unsynced.map((e) => e.name).join(', ')}.`;
  return { text, kind: 'status', retry: false, busy: false };
}

export interface LegendGroup {
  kind: CalendarKind;
  heading: string;
  glyph: string;
  items: LegendItem[];
}

/** The legend grouped by kind, in KIND_ORDER; kinds without a shown routine are left out. */
export function legendGroups(data: CalendarData | null, nav: Pick<CalendarNav, 'showDisabled' | 'hiddenKinds'>): LegendGroup[] {
  const items = legendItems(data, nav.showDisabled, nav.hiddenKinds);
  return KIND_ORDER.map((kind) => ({ kind, heading: KIND_HEADINGS[kind], glyph: KIND_GLYPHS[kind], items: items.filter((i) => i.kind === kind) }))
    .filter((g) => g.items.length > 0);
}

export interface KindFilter {
  kind: CalendarKind;
  text: string;
  /** How many routines of the kind the data holds (whatever the filters). */
  count: number;
  shown: boolean;
}

/** One switch per kind the data has: a user without PBS never sees a PBS filter. */
export function kindFilters(data: CalendarData | null, hiddenKinds: readonly CalendarKind[]): KindFilter[] {
  const routines = data?.routines ?? [];
  return KIND_ORDER.map((kind) => ({ kind, text: `${KIND_GLYPHS[kind]} ${KIND_HEADINGS[kind]}`, count: routines.filter((r) => r.kind === kind).length, shown: !hiddenKinds.includes(kind) }))
    .filter((f) => f.count > 0);
}

export interface OverlapItem {
  /** The earlier run's date, for the list's order and ids. */
  date: string;
  text: string;
}

/** The overlaps of the page whose both runs are shown (filters apply): in the month view those starting in the month. */
export function overlapItems(data: CalendarData | null, nav: CalendarNav, zone: string): OverlapItem[] {
  if (!data) return [];
  const routines = new Map(data.routines.map((r) => [r.key, r]));
  const out: OverlapItem[] = [];
  for (const o of data.overlaps ?? []) {
    const a = routines.get(o.first.routine);
    const b = routines.get(o.second.routine);
    if (!isShown(a, nav.showDisabled, nav.hiddenKinds) || !isShown(b, nav.showDisabled, nav.hiddenKinds)) continue;
    const date = dateKeyOf(o.first.start, zone);
    if (nav.view === 'month' && !sameMonth(date, nav.anchor)) continue;
    const run = (r: CalendarRoutine, x: { start: number; end: number }) =>
      `${x.end > x.start ? `${formatTime(x.start, zone)}–${formatTime(x.end, zone)}` : formatTime(x.start, zone)} ${KIND_GLYPHS[r.kind]} ${r.badge} ${KIND_WORDS[r.kind].toLowerCase()} ${r.label} (${r.endpointName})`;
    const apart = o.apartSeconds === 0 ? 'at the same time' : `${formatDuration(o.apartSeconds)} apart`;
    out.push({ date, text: `${dayLabel(date)}: ${run(a, o.first)} and ${run(b, o.second)} both write to ${o.resourceLabel}, ${apart}` });
  }
  return out;
}

/** The heading of the overlap list: how many and within which window. */
export function overlapHeading(count: number, data: CalendarData | null, view: CalendarNav['view']): string {
  const window = formatDuration(data?.overlapWindowSeconds ?? 1800);
  const more = data?.overlapsLeftOut ? ` (${data.overlapsLeftOut} more not listed)` : '';
  return count === 0
    ? `No overlaps in this ${view}: no two jobs write to the same storage or datastore within ${window}.`
    : `${count} overlap${count === 1 ? '' : 's'} in this ${view}: runs writing to the same storage or datastore within ${window}${more}`;
}

/** A stable element id for an entry, so the keyboard focus survives a redraw and returns after the details close.
 * The badge is unique per routine and made of letters only. */
export function entryId(e: CalendarEntry, r: CalendarRoutine): string {
  return e.kind === 'run' ? `run-${r.badge}-${e.at}` : `band-${r.badge}-${e.start}`;
}

/** "pve-a: ✗ Failed · job errors · 02:30–02:41". */
export function detailNodeHeading(n: { node: string; status: CalendarOutcome; taskStatus: string | null; started: number | null; ended: number | null }, zone: string): string {
  const parts = [`${n.node}: ${OUTCOME_SYMBOLS[n.status]} ${OUTCOME_LABELS[n.status]}`];
  if (n.taskStatus) parts.push(`task status ${n.taskStatus}`);
  if (n.started !== null) parts.push(n.ended !== null ? `${formatTime(n.started, zone)}–${formatTime(n.ended, zone)}` : `started ${formatTime(n.started, zone)}`);
  return parts.join(' · ');
}
