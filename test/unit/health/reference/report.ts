// The health evaluation as it was before it was optimized, kept verbatim as the reference the optimized one is held
// against (referenceEquivalence.test.ts). Not used by the extension.
// Backup health of every guest and routine of a set of inventories at one instant: the entry point. Everything that
// is costly is done once per inventory (backups indexed by vmid, each schedule parsed once, each routine's selection
// resolved once), so that 10,000 guests and 200 routines evaluate in well under 100 ms.
import type { BackupRecord, BackupRoutine, GuestRecord, Inventory } from '../../../../src/core/inventory/model';
import { parseSchedule, proxmoxGivesUp, type Schedule } from '../../../../src/core/schedule';
import { dueRun } from '../../../../src/core/health/dueRun';
import { effectivePolicyFor, storagesMatching } from '../../../../src/core/health/policyMatch';
import { routineProblems, type ScheduleStopCheck } from '../../../../src/core/health/routineProblems';
import { assignTasks, runOf, type RunSlot } from './runs';
import { routineIncludes } from '../../../../src/core/health/selection';
import { guestVerdict, type CoveringRoutine } from './status';
import {
  HEALTH_STATUS_ORDER, type GuestHealth, type HealthOptions, type HealthReport, type HealthSummary, type PolicyViolation,
  type RoutineHealth, type RoutineRun,
} from '../../../../src/core/health/types';

export const DEFAULT_GRACE_SECONDS = 360 * 60;
export const DEFAULT_HISTORY_DAYS = 14;

/** Checks that other parts of the core supply (see routineProblems.ts); the schedule engine's by default. */
export interface HealthChecks {
  scheduleStops?: ScheduleStopCheck;
}

/** Proxmox's own calendar engine gives up on some schedules at a daylight-saving change (schedule/proxmoxStops.ts). */
const proxmoxStops: ScheduleStopCheck = (schedule, tz, now) => {
  const stop = proxmoxGivesUp(schedule, now, tz);
  return stop ? { kind: 'schedule-stops', message: stop.message } : null;
};

interface PreparedRoutine {
  routine: BackupRoutine;
  tz: string;
  schedule: Schedule | null;
  scheduleError: string | null;
  /** Enabled, active and with a schedule that parses: the routines that back anything up. */
  covers: boolean;
  /** The guests it selects. */
  selected: GuestRecord[];
}

function prepare(r: BackupRoutine, guests: readonly GuestRecord[], byVmid: ReadonlyMap<number, GuestRecord>): PreparedRoutine {
  const tz = r.timezone ?? 'UTC';
  let schedule: Schedule | null = null;
  let scheduleError: string | null = null;
  try {
    schedule = parseSchedule(r.schedule);
    schedule.next(0, tz); // an unknown zone throws here, once, rather than in the middle of the rules
  } catch (err) {
    schedule = null;
    scheduleError = (err as Error).message;
  }
  // A vmid list is resolved through its own ids (not by testing every guest); the rule itself stays routineIncludes.
  const pool = r.selection.mode === 'vmids'
    ? r.selection.vmids.map((v) => byVmid.get(v)).filter((g): g is GuestRecord => g !== undefined)
    : guests;
  const selected = pool.filter((g) => routineIncludes(r, g));
  // A routine whose schedule cannot be read is still enabled in Proxmox, which runs it if it can: it covers its guests
  // (the problem is listed on the routine), but has no due run nor runs we could compute.
  return { routine: r, tz, schedule, scheduleError, covers: r.enabled && r.status === 'active', selected };
}

function push<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}

function indexBackups(backups: readonly BackupRecord[]): Map<number, BackupRecord[]> {
  const out = new Map<number, BackupRecord[]>();
  for (const b of backups) {
    if (b.vmid !== null) push(out, b.vmid, b);
  }
  for (const list of out.values()) list.sort((a, b) => (b.ctime ?? -Infinity) - (a.ctime ?? -Infinity));
  return out;
}

function evaluateInventory(inv: Inventory, options: HealthOptions, checks: HealthChecks, guestsOut: GuestHealth[], routinesOut: RoutineHealth[], violations: PolicyViolation[]): void {
  const { now, graceSeconds, historyDays, policy } = options;
  const byVmid = new Map(inv.guests.map((g) => [g.vmid, g]));
  const backups = indexBackups(inv.backups);
  const routines = inv.backupRoutines.map((r) => prepare(r, inv.guests, byVmid));

  const covering = new Map<number, PreparedRoutine[]>();
  const inactive = new Map<number, BackupRoutine[]>();
  for (const p of routines) {
    for (const g of p.selected) {
      if (p.covers) push(covering, g.vmid, p);
      else push(inactive, g.vmid, p.routine);
    }
  }

  // Scheduled runs in the history window, on each node that hosts a guest the routine selects.
  const from = now - historyDays * 86400;
  const slots: RunSlot[] = [];
  const dues = new Map<PreparedRoutine, number | null>();
  for (const p of routines) {
    dues.set(p, p.schedule ? dueRun(p.schedule, now, graceSeconds, p.tz) : null);
    if (!p.covers || !p.schedule) continue;
    const perNode = new Map<string, number[]>();
    for (const g of p.selected) push(perNode, g.node, g.vmid);
    if (perNode.size === 0) continue;
    const times = p.schedule.between(from, now + 1, p.tz);
    for (const [node, guests] of perNode) for (const scheduled of times) slots.push({ routine: p.routine, node, scheduled, guests });
  }
  const tasks = assignTasks(slots, inv.tasks);
  const runsOf = new Map<BackupRoutine, RoutineRun[]>();
  slots.forEach((slot, i) => {
    const run = runOf(slot, tasks[i], now);
    if (run) push(runsOf, slot.routine, run);
  });

  for (const p of routines) {
    const runs = (runsOf.get(p.routine) ?? []).sort((a, b) => a.scheduled - b.scheduled || (a.node < b.node ? -1 : a.node > b.node ? 1 : 0));
    let lastRun: RoutineRun | null = null;
    for (let i = runs.length - 1; i >= 0; i--) if (runs[i].status !== 'running') { lastRun = runs[i]; break; }
    routinesOut.push({
      endpoint: inv.endpoint.id,
      jobId: p.routine.jobId,
      runs,
      lastRun,
      dueRun: dues.get(p) ?? null,
      nextRun: p.covers && p.schedule ? p.schedule.next(now, p.tz) : null,
      problems: routineProblems(p.routine, p.schedule, p.scheduleError, p.tz, now, checks.scheduleStops),
    });
  }

  const health = new Map(routinesOut.filter((r) => r.endpoint === inv.endpoint.id).map((r) => [r.jobId, r]));
  // Each routine's runs split by node once, rather than filtered again for every guest.
  const runsByNode = new Map<BackupRoutine, Map<string, RoutineRun[]>>();
  for (const [routine, runs] of runsOf) {
    const perNode = new Map<string, RoutineRun[]>();
    for (const r of runs) push(perNode, r.node, r);
    runsByNode.set(routine, perNode);
  }
  for (const g of inv.guests) {
    const mine = covering.get(g.vmid) ?? [];
    const cover: CoveringRoutine[] = mine.map((p) => ({
      routine: p.routine, tz: p.tz, dueRun: dues.get(p) ?? null,
      runs: runsByNode.get(p.routine)?.get(g.node) ?? [],
    }));
    const list = backups.get(g.vmid) ?? [];
    const eff = policy ? effectivePolicyFor(policy, g, inv.endpoint) : null;
    const verdict = guestVerdict({
      guest: g, now, covering: cover, inactive: inactive.get(g.vmid) ?? [], backups: list, policy: eff,
      requiredStorages: eff?.requireStorage ? storagesMatching(eff.requireStorage.storages, inv.storages) : null,
    });
    const nexts = cover.map((c, i) => health.get(c.routine.jobId)?.nextRun ?? mine[i].routine.nextRun).filter((n): n is number => n !== null);
    guestsOut.push({
      endpoint: inv.endpoint.id, vmid: g.vmid, name: g.name, node: g.node, type: g.type,
      status: verdict.status, reason: verdict.reason,
      lastBackup: list[0]?.ctime ?? null,
      backupCount: list.length,
      nextBackup: nexts.length ? Math.min(...nexts) : null,
      routines: mine.map((p) => p.routine.jobId),
      verification: list[0]?.verification?.state ?? null,
      ...(verdict.policyRule === undefined ? {} : { policyRule: verdict.policyRule }),
    });
    for (const v of verdict.violations) violations.push({ rule: v.rule, endpoint: inv.endpoint.id, vmid: g.vmid, name: g.name, message: v.message });
  }
}

/** Backup health of every guest and routine in `inventories` at `options.now`. */
export function evaluateHealth(inventories: readonly Inventory[], options: HealthOptions, checks: HealthChecks = { scheduleStops: proxmoxStops }): HealthReport {
  const guests: GuestHealth[] = [];
  const routines: RoutineHealth[] = [];
  const violations: PolicyViolation[] = [];
  for (const inv of inventories) evaluateInventory(inv, options, checks, guests, routines, violations);
  const order = new Map(HEALTH_STATUS_ORDER.map((s, i) => [s, i]));
  guests.sort((a, b) => order.get(a.status)! - order.get(b.status)! || (a.endpoint < b.endpoint ? -1 : a.endpoint > b.endpoint ? 1 : 0) || a.vmid - b.vmid);
  const summary = Object.fromEntries(HEALTH_STATUS_ORDER.map((s) => [s, 0])) as HealthSummary;
  for (const g of guests) summary[g.status]++;
  return { now: options.now, graceSeconds: options.graceSeconds, historyDays: options.historyDays, summary, guests, routines, violations };
}
