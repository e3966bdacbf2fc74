// What every export reads: the stored inventories, their backup health at one instant, and the calendar of a range
// with past runs' outcomes from that health (as the calendar webview shows them). Shared by `proxbox calendar`,
// `proxbox report`, `proxbox serve` and the Glance feed, so all of them show the same runs and the same verdicts.
import { buildCalendar, calendarSources, routineKey, type CalendarData } from '../calendar';
import { evaluateHealth, DEFAULT_GRACE_SECONDS, DEFAULT_HISTORY_DAYS } from '../health/report';
import type { HealthReport, RoutineRun } from '../health/types';
import { listInventories, loadInventory } from '../inventory/inventory';
import type { Inventory } from '../inventory/model';
import type { CustomEntry } from '../calendar/custom';
import { epochFromWallTime, parseSchedule } from '../schedule';

/** Every inventory of a store, in the store's order. */
export async function readInventories(store: string, now: number): Promise<Inventory[]> {
  const out: Inventory[] = [];
  for (const ref of await listInventories(store)) {
    const inv = await loadInventory(store, ref.id, now);
    if (inv) out.push(inv);
  }
  return out;
}

/** Backup health with the defaults of `proxbox health` (no policy). */
export function healthAt(inventories: readonly Inventory[], now: number): HealthReport {
  return evaluateHealth(inventories, { now, graceSeconds: DEFAULT_GRACE_SECONDS, historyDays: DEFAULT_HISTORY_DAYS, policy: null });
}

export interface CalendarRange {
  from: number;
  to: number;
  timeZone: string;
  now: number;
  /** Only this endpoint's sources (identities are still assigned over all of them); undefined for all. */
  endpointId?: string;
  /** Custom entries (the policy file's `calendar.entries`): database dumps, restic runs… */
  custom?: readonly CustomEntry[];
  /** Runs on one storage this close together overlap; default 30 min, as the setting. */
  overlapWindowSeconds?: number;
  /** The widest range accepted (an .ics export widened to whole days, see icsRange); default the calendar's. */
  maxRangeSeconds?: number;
}

/** The calendar of [from, to) from the inventories, past runs carrying the outcomes the health report recorded.
 * Throws CalendarRangeError (a clear sentence) for an empty, too long or unknown-zone range. */
export function calendarOf(inventories: readonly Inventory[], report: HealthReport, range: CalendarRange): CalendarData {
  const all = calendarSources(inventories, range.custom ?? []);
  const shown = range.endpointId === undefined ? all : all.filter((s) => s.endpointId === range.endpointId);
  const outcomes = new Map<string, readonly RoutineRun[]>();
  for (const r of report.routines) outcomes.set(routineKey(r.endpoint, r.jobId), r.runs);
  return buildCalendar(shown, {
    from: range.from, to: range.to, timeZone: range.timeZone, now: range.now, outcomes, identityOver: all,
    parse: (text) => parseSchedule(text, 'calendar'), parseCron: (text) => parseSchedule(text, 'cron'),
    ...(range.overlapWindowSeconds !== undefined ? { overlapWindowSeconds: range.overlapWindowSeconds } : {}),
    ...(range.maxRangeSeconds !== undefined ? { maxRangeSeconds: range.maxRangeSeconds } : {}),
  });
}

/** Year and month (1-12) of an instant in a zone. */
export function monthOf(epoch: number, timeZone: string): { year: number; month: number } {
  const p = new Intl.DateTimeFormat('en-US', { timeZone, year: 'numeric', month: 'numeric' }).formatToParts(new Date(epoch * 1000));
  return { year: Number(p.find((x) => x.type === 'year')?.value), month: Number(p.find((x) => x.type === 'month')?.value) };
}

/** [first instant of the month holding `epoch`, first instant `months` months later), local midnight in the zone. */
export function monthsRange(epoch: number, timeZone: string, months: number): { from: number; to: number } {
  const { year, month } = monthOf(epoch, timeZone);
  const end = month - 1 + months;
  return {
    from: epochFromWallTime(timeZone, year, month, 1),
    to: epochFromWallTime(timeZone, year + Math.floor(end / 12), (end % 12) + 1, 1),
  };
}
