// What became of each scheduled run of a routine: the vzdump task that ran it, matched by node and time, and the
// outcome read from the task's status and log summary. A run is only known from a task, never assumed.
import type { BackupRoutine, TaskRecord, VzdumpLogSummary } from '../inventory/model';
import type { RoutineRun, RunFailure, RunOutcome } from './types';

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
  // A log that died before its command line names at most a storage (from its error): that is all it can match on.
  // (A routine without a storage writes to the default one, whatever its id: it may be the one named.)
  if (!summary.all && summary.vmids.length === 0 && summary.pool === null) return summary.storage !== null;
  const s = routine.selection;
  switch (s.mode) {
    case 'pool': return summary.pool === s.pool;
    case 'vmids': return summary.pool === null && !summary.all && sameSet(summary.vmids, s.vmids);
    case 'all': return summary.pool === null && summary.all && sameSet(summary.exclude, s.exclude);
  }
}

/** Slots in a stable order: by time, then job id, then node. */
function bySlotOrder(a: RunSlot, b: RunSlot): number {
  return a.scheduled - b.scheduled || (a.routine.jobId < b.routine.jobId ? -1 : a.routine.jobId > b.routine.jobId ? 1 : 0) || (a.node < b.node ? -1 : a.node > b.node ? 1 : 0);
}

const byStartAndUpid = (a: TaskRecord, b: TaskRecord): number => a.startTime - b.startTime || (a.upid < b.upid ? -1 : a.upid > b.upid ? 1 : 0);
const INDEX_BITS = 2 ** 20;

/**
 * Sorts tasks by start time, then UPID, stably (as a sort with that comparator). Start times are whole seconds, so
 * this sorts numbers (start × 2^20 + position) natively and then orders each run of equal start times by UPID, which
 * is much cheaper than calling a comparator for every pair.
 */
function sortTasks(tasks: TaskRecord[]): void {
  const n = tasks.length;
  let numeric = n < INDEX_BITS;
  for (let i = 0; i < n && numeric; i++) {
    const s = tasks[i].startTime;
    numeric = Number.isInteger(s) && s >= 0 && s < 2 ** 32;
  }
  if (!numeric) { tasks.sort(byStartAndUpid); return; }
  const keys = new Float64Array(n);
  for (let i = 0; i < n; i++) keys[i] = tasks[i].startTime * INDEX_BITS + i;
  keys.sort();
  const copy = tasks.slice();
  for (let i = 0; i < n; i++) {
    const key = keys[i];
    tasks[i] = copy[key - Math.floor(key / INDEX_BITS) * INDEX_BITS];
  }
  for (let i = 0; i < n;) {
    let j = i + 1;
    while (j < n && tasks[j].startTime === tasks[i].startTime) j++;
    if (j - i > 1) {
      // A stable insertion sort by UPID: equal UPIDs keep their order, which is their order in the input.
      for (let a = i + 1; a < j; a++) {
        const t = tasks[a];
        let b = a - 1;
        while (b >= i && tasks[b].upid > t.upid) { tasks[b + 1] = tasks[b]; b--; }
        tasks[b + 1] = t;
      }
    }
    i = j;
  }
}

/**
 * Tasks sorted by start time, with a skip list over the ones already given to a slot. The same task object listed
 * twice is kept once (it could only ever be given to one slot).
 */
export class TaskQueue {
  private readonly tasks: TaskRecord[];
  /** next[i]: the first index >= i whose task may still be free (path-compressed, so a lookup is amortised O(1)). */
  private readonly next: Int32Array;

  constructor(tasks: TaskRecord[]) {
    sortTasks(tasks);
    // Copies of one object sort next to each other (same start and UPID): keep the first.
    let n = 0;
    let runStart = 0;
    for (let i = 0; i < tasks.length; i++) {
      const t = tasks[i];
      if (n > 0 && (tasks[n - 1].startTime !== t.startTime || tasks[n - 1].upid !== t.upid)) runStart = n;
      let dup = false;
      for (let j = runStart; j < n; j++) if (tasks[j] === t) { dup = true; break; }
      if (!dup) tasks[n++] = t;
    }
    tasks.length = n;
    this.tasks = tasks;
    this.next = new Int32Array(n + 1);
    for (let i = 0; i <= n; i++) this.next[i] = i;
  }

  private free(i: number): number {
    const next = this.next;
    let root = i;
    while (next[root] !== root) root = next[root];
    while (next[i] !== root) { const up = next[i]; next[i] = root; i = up; }
    return root;
  }

  /**
   * The earliest free task that starts in the window of a run scheduled at `scheduled` and, when `describes` is
   * given, whose log summary describes that routine; it is then no longer free.
   */
  take(scheduled: number, describes: BackupRoutine | null): TaskRecord | null {
    const tasks = this.tasks;
    let lo = 0;
    let hi = tasks.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (tasks[mid].startTime < scheduled) lo = mid + 1;
      else hi = mid;
    }
    const end = scheduled + RUN_WINDOW_SECONDS;
    for (let i = this.free(lo); i < tasks.length; i = this.free(i + 1)) {
      const task = tasks[i];
      if (!(task.startTime >= scheduled && task.startTime < end)) break;
      if (describes === null || summaryDescribes(task.vzdump!, describes)) {
        this.next[i] = i + 1;
        return task;
      }
    }
    return null;
  }
}

/** Which queue family a task belongs to (the three passes below); each task is in at most one. */
export function taskKind(t: TaskRecord): 'job' | 'nojob' | 'unread' | null {
  if (t.type !== 'vzdump') return null;
  if (t.vzdump?.jobId) return 'job';
  // A log without its command line (vzdump died before printing it, e.g. `TASK ERROR: could not activate storage`)
  // says nothing about the job: the task is matched by node and time, like one whose log was not read.
  if (t.vzdump && t.vzdump.jobId === null) return namesItsJob(t.vzdump) ? 'nojob' : 'unread';
  if (t.vzdump === undefined) return 'unread';
  return null;
}

/** Whether a log's first line was there to say which storage and guests the run was for. */
function namesItsJob(s: VzdumpLogSummary): boolean {
  return s.all || s.vmids.length > 0 || s.pool !== null || s.storage !== null || s.node !== null;
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
 * taken: many jobs starting at the same minute on one node must not make the matching quadratic. The kinds are
 * disjoint, so a task taken in one pass is never offered in another.
 * (report.ts runs the same passes node by node without building slots; this is the general form.)
 */
export function assignTasks(slots: readonly RunSlot[], tasks: readonly TaskRecord[]): (TaskRecord | null)[] {
  const result: (TaskRecord | null)[] = slots.map(() => null);
  const order = slots.map((_, i) => i).sort((a, b) => bySlotOrder(slots[a], slots[b]));
  const withJob = queues(tasks, (t) => (taskKind(t) === 'job' ? `${t.node}\u0000${t.vzdump!.jobId}` : null));
  const withoutJob = queues(tasks, (t) => (taskKind(t) === 'nojob' ? t.node : null));
  const unread = queues(tasks, (t) => (taskKind(t) === 'unread' ? t.node : null));
  for (const i of order) {
    const s = slots[i];
    result[i] = withJob.get(`${s.node}\u0000${s.routine.jobId}`)?.take(s.scheduled, null) ?? null;
  }
  for (const i of order) {
    const s = slots[i];
    if (!result[i]) result[i] = withoutJob.get(s.node)?.take(s.scheduled, s.routine) ?? null;
  }
  for (const i of order) {
    const s = slots[i];
    if (!result[i]) result[i] = unread.get(s.node)?.take(s.scheduled, null) ?? null;
  }
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
  if (summary.jobError === null && summary.started.length === 0) return out;
  const seen = new Set(out.map((f) => f.vmid));
  // Whether a guest finished: logs list finished guests in the order they started, so a cursor answers most
  // questions; the set is built only for one it cannot.
  const finishedList = summary.finished;
  let cursor = 0;
  let finished: Set<number> | null = null;
  const isFinished = (vmid: number): boolean => {
    if (cursor < finishedList.length && finishedList[cursor] === vmid) { cursor++; return true; }
    finished ??= new Set(finishedList);
    return finished.has(vmid);
  };
  const add = (vmid: number, reason: string): void => {
    if (seen.has(vmid) || isFinished(vmid)) return;
    seen.add(vmid);
    out.push({ vmid, reason, lines: [] });
  };
  if (summary.jobError !== null) for (const vmid of slot.guests) add(vmid, summary.jobError);
  if (summary.started.length) {
    const reason = `the task ended with '${task.status ?? 'no status'}' before this backup finished`;
    for (const vmid of summary.started) add(vmid, reason);
  }
  return out;
}

/** The run of a slot with its task (or none), or null when the run's window is not over and no task is known yet. */
/** One frozen empty list for the runs nothing failed in (nearly all): 56,000 runs must not mean 112,000 arrays. */
const NOTHING: readonly never[] = Object.freeze([]);

export function runOf(slot: RunSlot, task: TaskRecord | null, now: number): RoutineRun | null {
  if (!task) {
    if (slot.scheduled + RUN_WINDOW_SECONDS > now) return null;
    return {
      scheduled: slot.scheduled, node: slot.node, status: 'missed', task: null, failedGuests: NOTHING, started: null, ended: null,
      taskStatus: null, failures: NOTHING, jobError: null,
    };
  }
  const status = outcomeOfTask(task);
  const failures = status === 'failed' ? failuresOf(slot, task) : NOTHING;
  return {
    scheduled: slot.scheduled,
    node: slot.node,
    status,
    task: task.upid,
    failedGuests: failures.length ? failures.map((f) => f.vmid) : NOTHING,
    started: task.startTime,
    ended: task.endTime,
    taskStatus: task.status ?? null,
    failures,
    jobError: task.vzdump?.jobError ?? null,
  };
}
