// Backup health of every guest and routine of a set of inventories at one instant: the entry point. Everything that
// is costly is done once per inventory (backups indexed by vmid, each schedule parsed once, each routine's selection
// resolved once); bench/health.ts measures 10,000 guests and 200 routines against a 100 ms budget.
import { endpointKind, type BackupRecord, type BackupRoutine, type GuestRecord, type Inventory, type TaskRecord } from '../inventory/model';
import { parseSchedule, proxmoxGivesUp, type Schedule } from '../schedule';
import { dueRun } from './dueRun';
import { evaluateJobs } from './jobHealth';
import { PbsBackups } from './pbsBackups';
import { effectivePolicyFor, storagesMatching } from './policyMatch';
import { routineProblems, type ScheduleStopCheck } from './routineProblems';
import { RUN_WINDOW_SECONDS, runOf, TaskQueue, taskKind, type RunSlot } from './runs';
import { routineIncludes } from './selection';
import { guestVerdict, type CoveringRoutine } from './status';
import {
  HEALTH_STATUS_ORDER, type GuestHealth, type HealthOptions, type HealthReport, type HealthSummary, type PolicyViolation,
  type RoutineHealth, type RoutineRun,
} from './types';

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

/** What a schedule gives at `now` in a zone: parsed once per (schedule, zone) and shared by the routines that use it. */
interface ScheduleFacts {
  /** The zone these facts are computed in. */
  tz: string;
  schedule: Schedule | null;
  error: string | null;
  due: number | null;
  /** Scheduled runs in the history window; computed on first use. */
  times: number[] | null;
  /** The global rank of each of `times` (see timeRank below). */
  timeRanks: Int32Array | null;
  next: number | null | undefined;
}

interface PreparedRoutine {
  routine: BackupRoutine;
  tz: string;
  facts: ScheduleFacts;
  /** Enabled, active and with a schedule that parses: the routines that back anything up. */
  covers: boolean;
  /** Indices (in inv.guests) of the guests it selects (shared by routines with the same selection: read only). */
  selected: number[];
}

const EMPTY_RUNS: readonly RoutineRun[] = [];
/** Which of a scheduled time's runs on several nodes speaks for it. */
const OUTCOME_SEVERITY: Record<RoutineRun['status'], number> = { running: 0, ok: 1, warnings: 2, missed: 3, failed: 4 };
const NO_ROUTINES: readonly BackupRoutine[] = [];
const NO_BACKUPS: readonly BackupRecord[] = [];

function scheduleFacts(cache: Map<string, ScheduleFacts>, text: string, tz: string, now: number, graceSeconds: number): ScheduleFacts {
  const key = `${text}\u0000${tz}`;
  let f = cache.get(key);
  if (f) return f;
  let schedule: Schedule | null = null;
  let error: string | null = null;
  try {
    schedule = parseSchedule(text);
    schedule.next(0, tz); // an unknown zone throws here, once, rather than in the middle of the rules
  } catch (err) {
    schedule = null;
    error = (err as Error).message;
  }
  f = { tz, schedule, error, due: schedule ? dueRun(schedule, now, graceSeconds, tz) : null, times: null, timeRanks: null, next: undefined };
  cache.set(key, f);
  return f;
}

const newestFirst = (a: BackupRecord, b: BackupRecord): number => (b.ctime ?? -Infinity) - (a.ctime ?? -Infinity);

function byString(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/**
 * The runs of every covering routine on every node that hosts a guest it selects, matched to tasks as assignTasks
 * (runs.ts) does, but node by node and without building slot objects: a node's slots are (routine, time) pairs
 * encoded as one number (time rank × routines + job-id rank), so that sorting them is a numeric sort. Returns, per
 * prepared routine and node index, the runs on that node oldest first, and per routine all its runs by (time, node).
 */
function routineRuns(
  inv: Inventory, routines: readonly PreparedRoutine[], nodeNames: readonly string[], nodeIndex: ReadonlyMap<string, number>,
  nodeOf: Int32Array, from: number, now: number, factsOn: (pi: number, n: number) => ScheduleFacts,
): { perNode: (RoutineRun[] | undefined)[][]; all: RoutineRun[][] } {
  const R = routines.length;
  const N = nodeNames.length;
  const guests = inv.guests;
  // Per routine: the node indices hosting a guest it selects, in order of first appearance.
  const nodesOf: number[][] = [];
  const nodesOfSelection = new Map<readonly number[], number[]>();
  const seen = new Int32Array(N).fill(-1);
  // Per routine and node position: the schedule's facts in that node's zone (vzdump runs in each node's local time),
  // and where that node's runs start in the routine's grid.
  const factsAt: ScheduleFacts[][] = [];
  const offsets: Int32Array[] = [];
  const timesOf: (number[] | null)[] = [];
  const allTimes: number[] = [];
  for (let pi = 0; pi < R; pi++) {
    const p = routines[pi];
    let nodes: number[] = [];
    if (p.covers && p.facts.schedule) {
      const known = nodesOfSelection.get(p.selected);
      if (known) nodes = known;
      else {
        for (const gi of p.selected) {
          const n = nodeOf[gi];
          if (seen[n] !== pi) { seen[n] = pi; nodes.push(n); }
        }
        nodesOfSelection.set(p.selected, nodes);
      }
    }
    nodesOf.push(nodes);
    const at: ScheduleFacts[] = [];
    const offset = new Int32Array(nodes.length + 1);
    factsAt.push(at);
    offsets.push(offset);
    if (nodes.length === 0) { timesOf.push(null); continue; }
    nodes.forEach((n, pos) => {
      const f = factsOn(pi, n);
      if (!f.times) {
        f.times = f.schedule!.between(from, now + 1, f.tz);
        for (const t of f.times) allTimes.push(t);
      }
      at.push(f);
      offset[pos + 1] = offset[pos] + f.times.length;
    });
    // The routine's own zone's runs (all its nodes' when they share it, as in nearly every cluster).
    timesOf.push(at[0].times);
  }
  // Ranks of the distinct run times, and of the routines by job id (ties by their order in the inventory).
  allTimes.sort((a, b) => a - b);
  const rankOfTime = new Map<number, number>();
  for (const t of allTimes) if (!rankOfTime.has(t)) rankOfTime.set(t, rankOfTime.size);
  const distinctTimes = [...rankOfTime.keys()];
  for (let pi = 0; pi < R; pi++) {
    for (const f of factsAt[pi]) if (!f.timeRanks) f.timeRanks = Int32Array.from(f.times!, (t) => rankOfTime.get(t)!);
  }
  const byJob = routines.map((_, i) => i).sort((a, b) => byString(routines[a].routine.jobId, routines[b].routine.jobId) || a - b);
  const jobRank = new Int32Array(R);
  byJob.forEach((pi, rank) => { jobRank[pi] = rank; });

  // Slots per node.
  const counts = new Int32Array(N);
  for (let pi = 0; pi < R; pi++) {
    nodesOf[pi].forEach((n, pos) => { counts[n] += factsAt[pi][pos].times!.length; });
  }
  // Small keys sort and divide as integers; Float64Array only for an unusually long history.
  const small = distinctTimes.length * R < 2 ** 31;
  const keys: (Int32Array | Float64Array)[] = [];
  for (let n = 0; n < N; n++) keys.push(small ? new Int32Array(counts[n]) : new Float64Array(counts[n]));
  counts.fill(0);
  for (let pi = 0; pi < R; pi++) {
    const jr = jobRank[pi];
    for (let pos = 0; pos < nodesOf[pi].length; pos++) {
      const n = nodesOf[pi][pos];
      const ranks = factsAt[pi][pos].timeRanks!;
      const k = keys[n];
      let c = counts[n];
      for (let i = 0; i < ranks.length; i++) k[c++] = ranks[i] * R + jr;
      counts[n] = c;
    }
  }

  // The tasks, by node and kind (assignTasks' three queues).
  const withJob: (Map<string, TaskRecord[]> | undefined)[] = new Array(N);
  const withoutJob: (TaskRecord[] | undefined)[] = new Array(N);
  const unread: (TaskRecord[] | undefined)[] = new Array(N);
  // The oldest vzdump task known per node: before it the stored history may simply not reach (a sync reads a window of
  // days, and health may be asked about a longer one), so a run without a task there is unknown, not missed.
  const earliest = new Float64Array(N).fill(Infinity);
  for (const t of inv.tasks) {
    const kind = taskKind(t);
    if (kind === null) continue;
    const n = nodeIndex.get(t.node);
    if (n === undefined || keys[n].length === 0) continue;
    if (t.startTime < earliest[n]) earliest[n] = t.startTime;
    if (kind === 'job') {
      const m = withJob[n] ??= new Map();
      const list = m.get(t.vzdump!.jobId!);
      if (list) list.push(t); else m.set(t.vzdump!.jobId!, [t]);
    } else if (kind === 'nojob') (withoutJob[n] ??= []).push(t);
    else (unread[n] ??= []).push(t);
  }

  // Per routine, the runs on each node, in a grid [node position × time index], filled node by node.
  const grid: (RoutineRun | null)[][] = routines.map((_, pi) => new Array(offsets[pi][nodesOf[pi].length]).fill(null));
  const nodePos: Int32Array[] = routines.map((_, pi) => {
    const pos = new Int32Array(N).fill(-1);
    nodesOf[pi].forEach((n, i) => { pos[n] = i; });
    return pos;
  });
  const cursor: Int32Array[] = routines.map((_, pi) => new Int32Array(nodesOf[pi].length));
  const slot = new LazySlot(guests, routines, nodeOf);
  for (let n = 0; n < N; n++) {
    const k = keys[n];
    if (k.length === 0) continue;
    k.sort();
    // Decoded once: the routine and the time of each slot.
    const slotRoutine = new Int32Array(k.length);
    const slotTime = new Float64Array(k.length);
    for (let i = 0; i < k.length; i++) {
      const key = k[i];
      const jr = key % R;
      slotRoutine[i] = byJob[jr];
      slotTime[i] = distinctTimes[(key - jr) / R];
    }
    const tasks: (TaskRecord | null)[] = new Array(k.length).fill(null);
    const jobQueues = withJob[n] ? new Map([...withJob[n]!].map(([job, list]) => [job, new TaskQueue(list)])) : null;
    if (jobQueues) {
      for (let i = 0; i < k.length; i++) {
        const q = jobQueues.get(routines[slotRoutine[i]].routine.jobId);
        if (q) tasks[i] = q.take(slotTime[i], null);
      }
    }
    if (withoutJob[n]) {
      const q = new TaskQueue(withoutJob[n]!);
      for (let i = 0; i < k.length; i++) if (!tasks[i]) tasks[i] = q.take(slotTime[i], routines[slotRoutine[i]].routine);
    }
    if (unread[n]) {
      const q = new TaskQueue(unread[n]!);
      for (let i = 0; i < k.length; i++) if (!tasks[i]) tasks[i] = q.take(slotTime[i], null);
    }
    slot.node = nodeNames[n];
    slot.nodeIndex = n;
    for (let i = 0; i < k.length; i++) {
      const pi = slotRoutine[i];
      slot.scheduled = slotTime[i];
      slot.routineIndex = pi;
      slot.routine = routines[pi].routine;
      const p = nodePos[pi][n];
      // A routine's slots on a node come in time order: the cursor is the time index.
      const at = offsets[pi][p] + cursor[pi][p]++;
      // A run whose window closed before the node's oldest known task is unknown; a node with no vzdump task at all
      // is judged over the whole window: its scheduler may have stopped long ago.
      if (!tasks[i] && earliest[n] !== Infinity && slotTime[i] + RUN_WINDOW_SECONDS <= earliest[n]) continue;
      grid[pi][at] = runOf(slot, tasks[i], now);
    }
  }

  const perNode: (RoutineRun[] | undefined)[][] = [];
  const all: RoutineRun[][] = [];
  for (let pi = 0; pi < R; pi++) {
    const byNode: (RoutineRun[] | undefined)[] = [];
    const runs: RoutineRun[] = [];
    perNode.push(byNode);
    all.push(runs);
    const times = timesOf[pi];
    if (!times) continue;
    const g = grid[pi];
    const nodes = nodesOf[pi];
    const offset = offsets[pi];
    nodes.forEach((n, p) => {
      let list: RoutineRun[] | undefined;
      for (let i = offset[p]; i < offset[p + 1]; i++) {
        const r = g[i];
        if (r) (list ??= []).push(r);
      }
      byNode[n] = list;
    });
    // By time, then node name: interleaved directly when every node has the same run times, else sorted.
    const positions = nodes.map((_, p) => p).sort((a, b) => byString(nodeNames[nodes[a]], nodeNames[nodes[b]]));
    if (factsAt[pi].every((f) => f.times === times)) {
      const T = times.length;
      for (let i = 0; i < T; i++) {
        for (const p of positions) {
          const r = g[p * T + i];
          if (r) runs.push(r);
        }
      }
    } else {
      for (const p of positions) for (let i = offset[p]; i < offset[p + 1]; i++) if (g[i]) runs.push(g[i]!);
      runs.sort((a, b) => a.scheduled - b.scheduled || byString(a.node, b.node));
    }
  }
  return { perNode, all };
}

/** The slot runOf reads, reused for every run; the guests it fails as a whole are listed only when asked. */
class LazySlot implements RunSlot {
  routine!: BackupRoutine;
  node = '';
  scheduled = 0;
  routineIndex = 0;
  nodeIndex = 0;
  private readonly cache = new Map<number, number[]>();

  constructor(private readonly all: readonly GuestRecord[], private readonly routines: readonly PreparedRoutine[], private readonly nodeOf: Int32Array) {}

  get guests(): readonly number[] {
    const key = this.routineIndex * 65536 + this.nodeIndex;
    let list = this.cache.get(key);
    if (!list) {
      list = [];
      for (const gi of this.routines[this.routineIndex].selected) if (this.nodeOf[gi] === this.nodeIndex) list.push(this.all[gi].vmid);
      this.cache.set(key, list);
    }
    return list;
  }
}

function evaluateInventory(inv: Inventory, pbs: PbsBackups, options: HealthOptions, checks: HealthChecks, guestsOut: GuestHealth[], routinesOut: RoutineHealth[], violations: PolicyViolation[]): void {
  const { now, graceSeconds, historyDays, policy } = options;
  const guests = inv.guests;
  const G = guests.length;
  // Facts are kept per vmid, as one guest per vmid (the last, as a Map built from the list keeps).
  const byVmid = new Map<number, number>();
  for (let i = 0; i < G; i++) byVmid.set(guests[i].vmid, i);
  const canon = new Int32Array(G);
  const nodeIndex = new Map<string, number>();
  const nodeNames: string[] = [];
  const nodeOf = new Int32Array(G);
  for (let i = 0; i < G; i++) {
    const g = guests[i];
    canon[i] = byVmid.get(g.vmid)!;
    let n = nodeIndex.get(g.node);
    if (n === undefined) { n = nodeNames.length; nodeIndex.set(g.node, n); nodeNames.push(g.node); }
    nodeOf[i] = n;
  }

  // Backups per vmid, newest first (without a ctime last).
  const backups: (BackupRecord[] | undefined)[] = new Array(G);
  // On a `pbs` storage matched to a PBS endpoint, PVE's and PBS's listings as one (pbsBackups.ts).
  for (const b of pbs.backupsOf(inv)) {
    if (b.vmid === null) continue;
    const i = byVmid.get(b.vmid);
    if (i === undefined) continue;
    const list = backups[i];
    if (list) list.push(b); else backups[i] = [b];
  }
  for (const list of backups) {
    if (!list || list.length < 2) continue;
    let sorted = true;
    for (let i = 1; i < list.length && sorted; i++) sorted = (list[i - 1].ctime ?? -Infinity) >= (list[i].ctime ?? -Infinity);
    if (!sorted) list.sort(newestFirst);
  }

  const cache = new Map<string, ScheduleFacts>();
  const selections = new Map<string, number[]>();
  const routines: PreparedRoutine[] = inv.backupRoutines.map((r) => {
    const tz = r.timezone ?? 'UTC';
    // A vmid list is resolved through its own ids (not by testing every guest); otherwise the rule is routineIncludes.
    const selected: number[] = [];
    if (r.selection.mode === 'vmids') {
      // routineIncludes(r, g) for a guest found by one of the listed vmids: only the node remains to check.
      for (const v of r.selection.vmids) {
        const i = byVmid.get(v);
        if (i !== undefined && (!r.node || r.node === guests[i].node)) selected.push(i);
      }
    } else {
      // routineIncludes reads only the routine's node and selection: routines that agree on them select the same
      // guests (a cluster has several jobs over all guests, or over one pool), so each such list is resolved once.
      const key = JSON.stringify([r.node || '', r.selection.mode, r.selection.pool, r.selection.exclude]);
      const known = selections.get(key);
      if (known) return { routine: r, tz, facts: scheduleFacts(cache, r.schedule, tz, now, graceSeconds), covers: r.enabled && r.status === 'active', selected: known };
      for (let i = 0; i < G; i++) if (routineIncludes(r, guests[i])) selected.push(i);
      selections.set(key, selected);
    }
    // A routine whose schedule cannot be read is still enabled in Proxmox, which runs it if it can: it covers its
    // guests (the problem is listed on the routine), but has no due run nor runs we could compute.
    return { routine: r, tz, facts: scheduleFacts(cache, r.schedule, tz, now, graceSeconds), covers: r.enabled && r.status === 'active', selected };
  });
  const R = routines.length;

  // The covering routines of each vmid, in routine order, as one flat list: coverIndex[coverStart[c] .. coverStart[c + 1]).
  const coverStart = new Int32Array(G + 1);
  const inactive: (BackupRoutine[] | undefined)[] = new Array(G);
  for (let pi = 0; pi < R; pi++) {
    const p = routines[pi];
    if (p.covers) {
      for (const gi of p.selected) coverStart[canon[gi] + 1]++;
    } else {
      for (const gi of p.selected) { const c = canon[gi]; const l = inactive[c]; if (l) l.push(p.routine); else inactive[c] = [p.routine]; }
    }
  }
  for (let c = 0; c < G; c++) coverStart[c + 1] += coverStart[c];
  const coverIndex = new Int32Array(coverStart[G]);
  const fill = coverStart.slice(0, G);
  for (let pi = 0; pi < R; pi++) {
    const p = routines[pi];
    if (p.covers) for (const gi of p.selected) coverIndex[fill[canon[gi]]++] = pi;
  }

  // Scheduled runs in the history window, on each node that hosts a guest the routine selects.
  // vzdump runs a job on each node in that node's local time: a node's own zone when the sync could read it.
  const zoneOfNode = new Map(inv.nodes.map((n) => [n.name, n.timezone]));
  const nodeZones = nodeNames.map((name) => zoneOfNode.get(name) ?? null);
  const factsOn = (pi: number, n: number): ScheduleFacts => {
    const p = routines[pi];
    const tz = nodeZones[n];
    if (tz === null || tz === p.tz) return p.facts;
    const f = scheduleFacts(cache, p.routine.schedule, tz, now, graceSeconds);
    // A node zone the engine does not know: the routine's own zone is the best guess left (never a throw here).
    return f.schedule ? f : p.facts;
  };
  const { perNode, all } = routineRuns(inv, routines, nodeNames, nodeIndex, nodeOf, now - historyDays * 86400, now, factsOn);

  const nextRun: (number | null)[] = [];
  for (let pi = 0; pi < R; pi++) {
    const p = routines[pi];
    const f = p.facts;
    let next: number | null = null;
    if (p.covers && f.schedule) {
      if (f.next === undefined) f.next = f.schedule.next(now, p.tz);
      next = f.next;
    }
    nextRun.push(next);
    const runs = all[pi];
    // The last run is the newest scheduled time with an outcome, and of its runs on several nodes the worst: a job
    // that failed on one node must not read as fine because another node, later in the alphabet, was fine.
    let lastRun: RoutineRun | null = null;
    for (let i = runs.length - 1; i >= 0; i--) {
      const r = runs[i];
      if (r.status === 'running') continue;
      if (lastRun && r.scheduled !== lastRun.scheduled) break;
      if (!lastRun || OUTCOME_SEVERITY[r.status] > OUTCOME_SEVERITY[lastRun.status]) lastRun = r;
    }
    routinesOut.push({
      endpoint: inv.endpoint.id,
      jobId: p.routine.jobId,
      runs,
      lastRun,
      dueRun: f.due,
      nextRun: next,
      problems: routineProblems(p.routine, f.schedule, f.error, p.tz, now, checks.scheduleStops),
    });
  }
  // A guest's next backup reads each covering routine's next run through its job id (the last routine with it),
  // and the inventory's own when that is null.
  const lastWithJob = new Map<string, number>();
  for (let pi = 0; pi < R; pi++) lastWithJob.set(routines[pi].routine.jobId, pi);
  const nextOf = routines.map((p) => nextRun[lastWithJob.get(p.routine.jobId)!] ?? p.routine.nextRun);
  // On a node in another zone than the routine's, the next run is that node's.
  const nextOn = (pi: number, n: number): number | null => {
    const p = routines[pi];
    if (!p.covers || !p.facts.schedule) return nextOf[pi];
    const f = factsOn(pi, n);
    if (f === p.facts) return nextOf[pi];
    if (f.next === undefined) f.next = f.schedule!.next(now, f.tz);
    return f.next;
  };

  // One CoveringRoutine per routine and node, shared by the guests there.
  const N = nodeNames.length;
  const covers: (CoveringRoutine | undefined)[] = new Array(R * N);
  const required = new Map<readonly string[], Set<string>>();
  // One array for every guest's covering routines: guestVerdict reads it and keeps nothing of it.
  const cover: CoveringRoutine[] = [];
  for (let gi = 0; gi < G; gi++) {
    const g = guests[gi];
    const c = canon[gi];
    const first = coverStart[c];
    const count = coverStart[c + 1] - first;
    const n = nodeOf[gi];
    cover.length = count;
    const jobs: string[] = new Array(count);
    let nextBackup: number | null = null;
    for (let i = 0; i < count; i++) {
      const pi = coverIndex[first + i];
      const p = routines[pi];
      let cr = covers[pi * N + n];
      if (!cr) {
        const f = p.facts.schedule ? factsOn(pi, n) : p.facts;
        cr = covers[pi * N + n] = { routine: p.routine, tz: f.tz, dueRun: f.due, runs: perNode[pi][n] ?? EMPTY_RUNS };
      }
      cover[i] = cr;
      jobs[i] = p.routine.jobId;
      const next = nextOn(pi, n);
      if (next !== null) nextBackup = nextBackup === null ? next : Math.min(nextBackup, next);
    }
    const list = backups[c] ?? NO_BACKUPS;
    const eff = policy ? effectivePolicyFor(policy, g, inv.endpoint) : null;
    let requiredStorages: Set<string> | null = null;
    if (eff?.requireStorage) {
      const entries = eff.requireStorage.storages;
      requiredStorages = required.get(entries) ?? null;
      if (!requiredStorages) required.set(entries, requiredStorages = storagesMatching(entries, inv.storages));
    }
    const verdict = guestVerdict({ guest: g, now, covering: cover, inactive: inactive[c] ?? NO_ROUTINES, backups: list, policy: eff, requiredStorages });
    const newest = list.length ? list[0] : undefined;
    const out: GuestHealth = {
      endpoint: inv.endpoint.id, vmid: g.vmid, name: g.name, node: g.node, type: g.type,
      status: verdict.status, reason: verdict.reason,
      lastBackup: newest?.ctime ?? null,
      backupCount: list.length,
      nextBackup,
      routines: jobs,
      verification: newest?.verification?.state ?? null,
    };
    if (verdict.policyRule !== undefined) out.policyRule = verdict.policyRule;
    guestsOut.push(out);
    for (const v of verdict.violations) violations.push({ rule: v.rule, endpoint: inv.endpoint.id, vmid: g.vmid, name: g.name, message: v.message });
  }
}

function byGuest(a: GuestHealth, b: GuestHealth): number {
  return (a.endpoint < b.endpoint ? -1 : a.endpoint > b.endpoint ? 1 : 0) || a.vmid - b.vmid;
}

/**
 * Backup health of every guest and routine of the PVE inventories in `inventories`, and of every job of the PBS ones,
 * at `options.now`. PVE and PBS inventories are judged together: a PVE `pbs` storage that is a datastore of one of
 * these PBS endpoints (or of `options.context`) counts each backup once, with PBS's verification (pbsBackups.ts).
 */
export function evaluateHealth(inventories: readonly Inventory[], options: HealthOptions, checks: HealthChecks = { scheduleStops: proxmoxStops }): HealthReport {
  const guests: GuestHealth[] = [];
  const routines: RoutineHealth[] = [];
  const violations: PolicyViolation[] = [];
  const pbs = new PbsBackups(options.context?.length ? [...inventories, ...options.context] : inventories);
  for (const inv of inventories) {
    if (endpointKind(inv.endpoint) === 'pve') evaluateInventory(inv, pbs, options, checks, guests, routines, violations);
  }
  const jobs = evaluateJobs(inventories.filter((i) => endpointKind(i.endpoint) === 'pbs'), options.now, options.graceSeconds);
  // By status (display order), then endpoint, then vmid: a stable bucket per status, each sorted on the rest.
  const buckets = new Map<string, GuestHealth[]>(HEALTH_STATUS_ORDER.map((s) => [s, []]));
  for (const g of guests) buckets.get(g.status)!.push(g);
  guests.length = 0;
  for (const bucket of buckets.values()) {
    let sorted = true;
    for (let i = 1; i < bucket.length && sorted; i++) sorted = byGuest(bucket[i - 1], bucket[i]) <= 0;
    if (!sorted) bucket.sort(byGuest);
    for (const g of bucket) guests.push(g);
  }
  const summary = Object.fromEntries(HEALTH_STATUS_ORDER.map((s) => [s, 0])) as HealthSummary;
  for (const g of guests) summary[g.status]++;
  return { now: options.now, graceSeconds: options.graceSeconds, historyDays: options.historyDays, summary, guests, routines, jobs, violations };
}
