// The health evaluation as it was before it was optimized, kept verbatim as the reference the optimized one is held
// against (referenceEquivalence.test.ts). Not used by the extension.
// What became of each scheduled run of a routine: the vzdump task that ran it, matched by node and time, and the
// outcome read from the task's status and log summary. A run is only known from a task, never assumed.
import type { BackupRoutine, TaskRecord, VzdumpLogSummary } from '../../../../src/core/inventory/model';
import type { RoutineRun, RunFailure, RunOutcome } from '../../../../src/core/health/types';

/** pvescheduler starts a job within its minute; a task that starts this long after T is not that run. */
export const RUN_WINDOW_SECONDS = 15 * 60;

/** One scheduled run of one routine on one node, before it is matched to a task. */
export interface RunSlot {
  routine: BackupRoutine;
  node: string;
  scheduled: number;
  /** The guests on `node` the routine selects (a failure of the whole task fails each of them). */
  guests: readonly number[];
}

function sameSet(a: readonly number[], b: readonly number[]): boolean {
  if (a.length !== b.length) return false;
  const s = new Set(a);
  return b.every((x) => s.has(x));
}

/**
 * Whether a log's first line describes this routine, for logs without `--job-id` (older PVE): the same storage
 * (when both name one) and the same selection.
 */
export function summaryDescribes(summary: VzdumpLogSummary, routine: BackupRoutine): boolean {
  if (summary.storage !== null && routine.storage !== null && summary.storage !== routine.storage) return false;
  const s = routine.selection;
  switch (s.mode) {
    case 'pool': return summary.pool === s.pool;
    case 'vmids': return summary.pool === null && !summary.all && sameSet(summary.vmids, s.vmids);
    case 'all': return summary.pool === null && summary.all && sameSet(summary.exclude, s.exclude);
  }
}

function inWindow(task: TaskRecord, slot: RunSlot): boolean {
  return task.startTime >= slot.scheduled && task.startTime < slot.scheduled + RUN_WINDOW_SECONDS;
}

/** Slots in a stable order: by time, then job id, then node. */
function bySlotOrder(a: RunSlot, b: RunSlot): number {
  return a.scheduled - b.scheduled || (a.routine.jobId < b.routine.jobId ? -1 : a.routine.jobId > b.routine.jobId ? 1 : 0) || (a.node < b.node ? -1 : a.node > b.node ? 1 : 0);
}

/** Tasks sorted by start time, with a skip list over the ones already given to a slot. */
class TaskQueue {
  private readonly tasks: TaskRecord[];
  /** next[i]: the first index >= i whose task may still be free (path-compressed, so a lookup is amortised O(1)). */
  private readonly next: number[];

  constructor(tasks: TaskRecord[]) {
    this.tasks = tasks.sort((a, b) => a.startTime - b.startTime || (a.upid < b.upid ? -1 : a.upid > b.upid ? 1 : 0));
    this.next = tasks.map((_, i) => i);
    this.next.push(tasks.length);
  }

  private free(i: number): number {
    let root = i;
    while (this.next[root] !== root) root = this.next[root];
    while (this.next[i] !== root) { const up = this.next[i]; this.next[i] = root; i = up; }
    return root;
  }

  /** The earliest free task that starts in the slot's window and that `accepts` takes; it is then no longer free. */
  take(slot: RunSlot, used: Set<TaskRecord>, accepts: (task: TaskRecord) => boolean): TaskRecord | null {
    let lo = 0;
    let hi = this.tasks.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.tasks[mid].startTime < slot.scheduled) lo = mid + 1;
      else hi = mid;
    }
    for (let i = this.free(lo); i < this.tasks.length && inWindow(this.tasks[i], slot); i = this.free(i + 1)) {
      const task = this.tasks[i];
      if (used.has(task)) { this.next[i] = i + 1; continue; }
      if (accepts(task)) {
        used.add(task);
        this.next[i] = i + 1;
        return task;
      }
    }
    return null;
  }
}

function queues(tasks: readonly TaskRecord[], key: (t: TaskRecord) => string | null): Map<string, TaskQueue> {
  const lists = new Map<string, TaskRecord[]>();
  for (const t of tasks) {
    const k = key(t);
    if (k === null) continue;
    const list = lists.get(k);
    if (list) list.push(t); else lists.set(k, [t]);
  }
  return new Map([...lists].map(([k, list]) => [k, new TaskQueue(list)]));
}

/**
 * The task that ran each slot (same index), or null. Each task goes to at most one slot, in three passes so that
 * the surest evidence is used first when two routines share a run time on a node:
 * 1. tasks whose log names the job id go to that routine's slot, and never to another routine's;
 * 2. tasks whose log has no job id go to a slot whose routine has the storage and selection the log names;
 * 3. tasks whose log was not read (status OK) go by node and time alone, slot by slot in a stable order.
 * Each pass looks only at its own kind of task, per node (and job), through a queue that skips the tasks already
 * taken: many jobs starting at the same minute on one node must not make the matching quadratic.
 */
export function assignTasks(slots: readonly RunSlot[], tasks: readonly TaskRecord[]): (TaskRecord | null)[] {
  const result: (TaskRecord | null)[] = slots.map(() => null);
  const order = slots.map((_, i) => i).sort((a, b) => bySlotOrder(slots[a], slots[b]));
  const vzdump = tasks.filter((t) => t.type === 'vzdump');
  const used = new Set<TaskRecord>();
  const withJob = queues(vzdump, (t) => (t.vzdump?.jobId ? `${t.node}\u0000${t.vzdump.jobId}` : null));
  const withoutJob = queues(vzdump, (t) => (t.vzdump && t.vzdump.jobId === null ? t.node : null));
  const unread = queues(vzdump, (t) => (t.vzdump === undefined ? t.node : null));
  const pass = (queueOf: (slot: RunSlot) => TaskQueue | undefined, accepts: (task: TaskRecord, slot: RunSlot) => boolean): void => {
    for (const i of order) {
      if (result[i]) continue;
      const slot = slots[i];
      result[i] = queueOf(slot)?.take(slot, used, (t) => accepts(t, slot)) ?? null;
    }
  };
  pass((s) => withJob.get(`${s.node}\u0000${s.routine.jobId}`), () => true);
  pass((s) => withoutJob.get(s.node), (t, s) => summaryDescribes(t.vzdump!, s.routine));
  pass((s) => unread.get(s.node), () => true);
  return result;
}

/** `OK`, `WARNINGS: <n>`, or anything else (`job errors`, an error text) once the task has ended. */
export function outcomeOfTask(task: TaskRecord): RunOutcome {
  if (task.status === null || task.status === undefined || task.status === '') return task.endTime === null ? 'running' : 'failed';
  if (task.status === 'OK') return 'ok';
  if (task.status.startsWith('WARNINGS')) return 'warnings';
  return 'failed';
}

/**
 * Which guests a failed task failed, with Proxmox's words: each `ERROR: Backup of VM … failed - …` of the log; with a
 * job error (before any guest) or no log read at all, every guest of the routine on that node, with the job's error
 * or the task's status as the reason; and a guest that started but neither finished nor failed (the task died).
 */
function failuresOf(slot: RunSlot, task: TaskRecord): RunFailure[] {
  const summary = task.vzdump;
  if (!summary) return slot.guests.map((vmid) => ({ vmid, reason: `the task ended with '${task.status ?? 'no status'}'`, lines: [] }));
  const out: RunFailure[] = summary.failed.map((f) => ({ vmid: f.vmid, reason: f.reason, lines: f.lines }));
  const seen = new Set(out.map((f) => f.vmid));
  const finished = new Set(summary.finished);
  const add = (vmid: number, reason: string): void => {
    if (seen.has(vmid) || finished.has(vmid)) return;
    seen.add(vmid);
    out.push({ vmid, reason, lines: [] });
  };
  if (summary.jobError !== null) for (const vmid of slot.guests) add(vmid, summary.jobError);
  for (const vmid of summary.started) add(vmid, `the task ended with '${task.status ?? 'no status'}' before this backup finished`);
  return out;
}

/** The run of a slot with its task (or none), or null when the run's window is not over and no task is known yet. */
export function runOf(slot: RunSlot, task: TaskRecord | null, now: number): RoutineRun | null {
  if (!task) {
    if (slot.scheduled + RUN_WINDOW_SECONDS > now) return null;
    return {
      scheduled: slot.scheduled, node: slot.node, status: 'missed', task: null, failedGuests: [], started: null, ended: null,
      taskStatus: null, failures: [], jobError: null,
    };
  }
  const status = outcomeOfTask(task);
  const failures = status === 'failed' ? failuresOf(slot, task) : [];
  return {
    scheduled: slot.scheduled,
    node: slot.node,
    status,
    task: task.upid,
    failedGuests: failures.map((f) => f.vmid),
    started: task.startTime,
    ended: task.endTime,
    taskStatus: task.status ?? null,
    failures,
    jobError: task.vzdump?.jobError ?? null,
  };
}
