// Builds what the routine detail view shows from the inventory. Formatting only (labels, guest names, next runs from
// the schedule engine); no vscode import, so it is unit-tested in plain mocha.
import type { GuestRef, LabelledValue, RoutineDetail } from '../../webview/routine/protocol';
import { isoToEpoch, type DetailScheduleParser, type InventoryInput, type RoutineInput } from './viewInputs';
import { parseSchedule, proxmoxGivesUp } from '../../core/schedule';
import { effectiveExclude, ignoredExclude, selectedGuests, unknownVmids } from '../../core/health/selection';
import { wordsInZone } from '../../core/calendar/occurrences';

export const NEXT_RUNS_SHOWN = 10;

export function buildRoutineDetail(
  inventory: InventoryInput,
  routine: RoutineInput,
  parse: DetailScheduleParser,
  now: number,
): RoutineDetail {
  const guests = new Map(inventory.guests.map((g) => [g.vmid, g]));
  const ref = (vmid: number): GuestRef => {
    const g = guests.get(vmid);
    return { vmid, name: g?.name ?? null, node: g?.node ?? null, type: g?.type ?? null };
  };
  const zone = routine.timezone ?? null;
  const timezone = zone ?? 'UTC';

  let normalized: string | null = null;
  let description: string | null = null;
  let error: string | null = routine.scheduleError ?? null;
  let nextRuns: number[] = [];
  let scheduleStop: string | null = null;
  try {
    const schedule = parse(routine.schedule);
    normalized = schedule.normalized;
    description = wordsInZone(schedule.describe(), zone !== null && !routine.timezoneNote ? zone : null);
    nextRuns = schedule.take(now, NEXT_RUNS_SHOWN, timezone);
    // The rule is the core's; it needs the core's own schedule object (parseSchedule is cached, so no second parse).
    scheduleStop = proxmoxGivesUp(parseSchedule(routine.schedule, 'calendar'), now, timezone)?.message ?? null;
  } catch (e) {
    error = `${e instanceof Error ? e.message : String(e)}. Fix the job's schedule in Proxmox (Datacenter → Backup), then sync.`;
  }

  const selection = routine.selection;
  // Which guests are selected is the core's rule (vzdump's); this view only names them. vmids the job lists that
  // the inventory lacks are shown too, marked: vzdump still tries them, and each of those backups fails.
  const selected = [...selectedGuests(routine, inventory.guests).map((g) => ref(g.vmid)), ...unknownVmids(routine, inventory.guests).map(ref)];
  const ignored = ignoredExclude(selection);
  const selectionNote = ignored.length
    ? `The job also lists ${ignored.join(', ')} under exclude, but vzdump applies exclude only when backing up all guests: ` +
      `this ${selection.mode === 'pool' ? 'pool' : 'list'} job backs ${ignored.length === 1 ? 'it' : 'them'} up all the same.`
    : null;
  // When the pipeline stored no next run although the schedule has runs (a stale inventory, or no `next-run` from
  // Proxmox and none computed yet), the first of the runs computed here is the next one.
  const fillNextRun = routine.nextRun === null && routine.enabled && routine.status === 'active' && nextRuns.length > 0;
  const nextRun = fillNextRun ? nextRuns[0] : routine.nextRun;
  const nextRunSource = fillNextRun ? 'computed' : routine.nextRun === null ? null : routine.nextRunSource;
  return {
    endpointId: inventory.endpoint.id,
    endpointName: inventory.endpoint.name,
    routineId: routine.jobId,
    enabled: routine.enabled,
    status: routine.status,
    firstSeen: isoToEpoch(routine.firstSeen),
    lastSeen: isoToEpoch(routine.lastSeen),
    schedule: { source: routine.schedule, normalized, description, error },
    timezone,
    timezoneAssumed: zone === null || !!routine.timezoneNote,
    timezoneNote: routine.timezoneNote ?? null,
    nextRun,
    nextRunSource,
    nextRuns,
    scheduleStop,
    node: routine.node,
    storage: routine.storage,
    selection: {
      mode: selection.mode,
      pool: selection.pool,
      guests: selected.sort((a, b) => a.vmid - b.vmid),
      excluded: effectiveExclude(selection).map(ref).sort((a, b) => a.vmid - b.vmid),
      note: selectionNote,
    },
    retention: retentionOf(routine),
    advanced: advancedOf(routine),
    comment: routine.comment ?? '',
    notesTemplate: routine.notesTemplate ?? '',
    rawConfig: JSON.stringify(routine.raw, null, 2),
    syncedAt: isoToEpoch(inventory.syncedAt),
  };
}

function retentionOf(r: RoutineInput): LabelledValue[] {
  const out: LabelledValue[] = [];
  if (r.keepAll) out.push({ label: 'Keep all', value: 'yes' });
  const keep: [string, number | null | undefined][] = [
    ['Keep last', r.keepLast], ['Keep hourly', r.keepHourly], ['Keep daily', r.keepDaily],
    ['Keep weekly', r.keepWeekly], ['Keep monthly', r.keepMonthly], ['Keep yearly', r.keepYearly],
  ];
  for (const [label, value] of keep) if (value !== null && value !== undefined) out.push({ label, value: String(value) });
  if (out.length && r.retentionSource === 'storage') out.push({ label: 'From', value: `the storage's settings (${r.storage ?? 'unknown storage'})` });
  return out;
}

function advancedOf(r: RoutineInput): LabelledValue[] {
  const rows: [string, string | null][] = [
    ['Mode', r.mode ?? null],
    ['Compression', r.compress ?? null],
    ['Bandwidth limit', r.bwlimit === null ? null : `${r.bwlimit} KiB/s`],
    ['Zstd threads', r.zstd === null ? null : r.zstd === 0 ? '0 (half of the cores)' : String(r.zstd)],
    ['IO workers', r.ioWorkers === null ? null : String(r.ioWorkers)],
    ['Fleecing', r.fleecing],
    ['Fleecing storage', r.fleecingStorage],
    ['Repeat missed', r.repeatMissed === null ? null : r.repeatMissed ? 'yes' : 'no'],
    ['PBS change detection', r.pbsChangeDetectionMode],
  ];
  return rows.filter((row): row is [string, string] => row[1] !== null && row[1] !== '')
    .map(([label, value]) => ({ label, value }));
}
