// When a backup routine runs next. Proxmox's own `next-run` wins when the server sends it (PVE 9.1 lists it);
// otherwise the schedule engine evaluates the calendar event in the node's time zone, because vzdump runs jobs in
// node local time. A job without a node runs on every node, each in its own zone: the earliest of those is next.
import { capText } from '../text/cap';
import type { BackupRoutine, Inventory, NodeRecord } from './model';
import { Schedule, parseSchedule } from '../schedule';

// Parsing is the costly part and a cluster has few distinct schedules: keep each parsed once per process.
const parsed = new Map<string, Schedule | Error>();
const MAX_CACHED = 1000;

function scheduleOf(text: string): Schedule {
  let s = parsed.get(text);
  if (!s) {
    try {
      s = parseSchedule(text, 'calendar');
    } catch (err) {
      s = err instanceof Error ? err : new Error(String(err));
    }
    if (parsed.size >= MAX_CACHED) parsed.clear();
    parsed.set(text, s);
  }
  if (s instanceof Error) throw s;
  return s;
}

export interface NextRunResult {
  nextRun: number | null;
  timezone: string | null;
  error: string | null;
}

/** The zones a job runs in: its node's, or every node's when it is not pinned to one. */
export function routineZones(node: string | null, nodes: readonly NodeRecord[]): string[] {
  const candidates = node ? nodes.filter((n) => n.name === node) : nodes;
  const zones = [...new Set(candidates.map((n) => n.timezone).filter((z): z is string => !!z))];
  return zones.length ? zones : ['UTC'];
}

/**
 * Why the zone a routine's times are read in is an assumption (UTC), or null when it is a node's own zone. A job
 * bound to a node the cluster does not have deserves more than a silent UTC: pvescheduler starts a job only on the
 * node it names, so no node runs it at all.
 */
export function routineZoneNote(node: string | null, nodes: readonly NodeRecord[]): string | null {
  if (node) {
    const n = nodes.find((x) => x.name === node);
    if (!n) return `node '${node}' is not in the cluster, so no node runs this job (Proxmox starts a job only on the node it names); its times are shown in UTC`;
    return n.timezone ? null : `the time zone of node '${node}' could not be read yet; its times assume UTC`;
  }
  if (nodes.some((n) => n.timezone)) return null;
  return 'no node\'s time zone could be read yet; the times assume UTC';
}

export function computeNextRun(schedule: string, zones: readonly string[], afterSeconds: number): NextRunResult {
  if (!schedule.trim()) return { nextRun: null, timezone: zones[0] ?? null, error: 'the job has no schedule' };
  let best: NextRunResult = { nextRun: null, timezone: zones[0] ?? null, error: null };
  for (const zone of zones) {
    try {
      const at = scheduleOf(schedule).next(afterSeconds, zone);
      if (at !== null && (best.nextRun === null || at < best.nextRun)) best = { nextRun: at, timezone: zone, error: null };
    } catch (err) {
      // The schedule is server text: quote only its start (a hostile one may be 100,000 characters).
      return { nextRun: null, timezone: zone, error: `schedule '${capText(schedule, 200)}' cannot be evaluated: ${err instanceof Error ? err.message : String(err)}` };
    }
  }
  return best;
}

/** Fills nextRun/nextRunSource/timezone/timezoneNote/scheduleError of one routine. */
export function applyNextRun(r: BackupRoutine, pveNextRun: number | null, nodes: readonly NodeRecord[], nowSeconds: number): void {
  const zones = routineZones(r.node, nodes);
  r.timezoneNote = routineZoneNote(r.node, nodes);
  if (!r.enabled) {
    r.nextRun = null;
    r.nextRunSource = 'computed';
    r.timezone = zones[0] ?? null;
    r.scheduleError = null;
    return;
  }
  const computed = computeNextRun(r.schedule, zones, nowSeconds);
  r.timezone = computed.timezone;
  r.scheduleError = computed.error;
  if (pveNextRun !== null && pveNextRun > nowSeconds) {
    r.nextRun = pveNextRun;
    r.nextRunSource = 'proxmox';
  } else {
    r.nextRun = computed.nextRun;
    r.nextRunSource = 'computed';
  }
}

/** Recomputes next runs that are already in the past (a loaded inventory may be days old). */
export function refreshNextRuns(inv: Inventory, nowSeconds: number): void {
  for (const r of inv.backupRoutines) {
    if (r.status !== 'active' || !r.enabled) continue;
    if (r.nextRun !== null && r.nextRun > nowSeconds) continue;
    const computed = computeNextRun(r.schedule, routineZones(r.node, inv.nodes), nowSeconds);
    r.timezoneNote = routineZoneNote(r.node, inv.nodes);
    r.nextRun = computed.nextRun;
    r.nextRunSource = 'computed';
    r.timezone = computed.timezone;
    r.scheduleError = computed.error;
  }
}
