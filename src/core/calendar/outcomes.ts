// What became of the runs the calendar shows: a planned run in the past carries the outcome backup health recorded
// for it (the worst over the nodes it ran on), or 'unknown' when health has no record of it; a future run carries
// none. Also the details of one past run, for the view's popover. Pure; the runs come from the health report.
import type { RoutineRun, RunOutcome } from '../health/types';

/** A past run's outcome; 'unknown' when health has no record (outside its history window, or before it first ran). */
export type CalendarOutcome = RunOutcome | 'unknown';

/** Worst first. 'unknown' ranks above 'ok': a stretch with runs nobody can vouch for must not read as all fine. */
export const OUTCOME_SEVERITY: Record<CalendarOutcome, number> = {
  failed: 5, missed: 4, warnings: 3, running: 2, unknown: 1, ok: 0,
};

/** The outcomes in the order the legend and the band summaries list them (worst first). */
export const CALENDAR_OUTCOMES: readonly CalendarOutcome[] = ['failed', 'missed', 'warnings', 'running', 'unknown', 'ok'];

export function worseOutcome(a: CalendarOutcome, b: CalendarOutcome): CalendarOutcome {
  return OUTCOME_SEVERITY[b] > OUTCOME_SEVERITY[a] ? b : a;
}

export interface RunSummary {
  outcome: CalendarOutcome;
  /** Distinct guests that failed at this time, over all nodes. */
  failedGuests: number;
}

/** Indexes one routine's recorded runs by their scheduled time: one entry per T, the worst over all nodes. */
export function summarizeRuns(runs: readonly RoutineRun[]): Map<number, RunSummary> {
  const byTime = new Map<number, { outcome: CalendarOutcome; guests: Set<number> }>();
  for (const run of runs) {
    const known = byTime.get(run.scheduled);
    if (known) {
      known.outcome = worseOutcome(known.outcome, run.status);
      for (const g of run.failedGuests) known.guests.add(g);
    } else {
      byTime.set(run.scheduled, { outcome: run.status, guests: new Set(run.failedGuests) });
    }
  }
  return new Map([...byTime].map(([t, v]) => [t, { outcome: v.outcome, failedGuests: v.guests.size }]));
}

/** The outcome of the planned run at `at`: from the record, or 'unknown' when there is none. */
export function outcomeAt(summary: ReadonlyMap<number, RunSummary> | undefined, at: number): RunSummary {
  return summary?.get(at) ?? { outcome: 'unknown', failedGuests: 0 };
}

export interface RunDetailFailure {
  vmid: number;
  /** The guest's name from the inventory; null when the guest is no longer in it. */
  name: string | null;
  reason: string;
  lines: string[];
}

export interface RunDetailNode {
  node: string;
  status: RunOutcome;
  /** UPID of the vzdump task; null when missed. */
  task: string | null;
  started: number | null;
  ended: number | null;
  taskStatus: string | null;
  jobError: string | null;
  /** Guests that failed; those without a log summary are listed with an empty reason. */
  failures: RunDetailFailure[];
}

export interface RunDetail {
  endpointId: string;
  routineId: string;
  at: number;
  /** The worst outcome over the nodes, or 'unknown' when there is no record. */
  outcome: CalendarOutcome;
  /** One per node the run was recorded on, in node order; empty when there is no record. */
  runs: RunDetailNode[];
}

/** The details of the planned run at `at`, per node, failed guests named from the inventory. */
export function runDetail(
  ref: { endpointId: string; routineId: string; at: number },
  runs: readonly RoutineRun[] | undefined,
  guestName: (vmid: number) => string | undefined,
): RunDetail {
  const at = (runs ?? []).filter((r) => r.scheduled === ref.at).sort((a, b) => (a.node < b.node ? -1 : a.node > b.node ? 1 : 0));
  const nodes = at.map((r): RunDetailNode => {
    const described = new Set(r.failures.map((f) => f.vmid));
    // A guest the status lists as failed but whose log was not read still belongs in the list, without a reason.
    const failures = [
      ...r.failures.map((f) => ({ vmid: f.vmid, reason: f.reason, lines: [...f.lines] })),
      ...r.failedGuests.filter((v) => !described.has(v)).map((vmid) => ({ vmid, reason: '', lines: [] as string[] })),
    ].sort((a, b) => a.vmid - b.vmid).map((f) => ({ ...f, name: guestName(f.vmid) ?? null }));
    return {
      node: r.node, status: r.status, task: r.task, started: r.started, ended: r.ended, taskStatus: r.taskStatus,
      jobError: r.jobError, failures,
    };
  });
  const outcome = nodes.reduce<CalendarOutcome>((w, n) => worseOutcome(w, n.status), nodes.length ? 'ok' : 'unknown');
  return { endpointId: ref.endpointId, routineId: ref.routineId, at: ref.at, outcome, runs: nodes };
}
