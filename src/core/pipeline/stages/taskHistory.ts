// Stage 5: task history. Per node two listings, merged by UPID: the newest tasks of any type (what the views show),
// and every vzdump task of the last `historyDays` days, however many (backup health matches each scheduled run of a
// job to the task that ran it, and a busy node's newest 500 tasks may span only hours). A node whose listing fails
// keeps the tasks the last sync saw.
//
// A finished vzdump task of the window that did not end `OK` gets its log read once, parsed (health/vzdumpLog.ts) and kept on the
// task: the next sync copies the summary from the stored task instead of reading the log again, so a re-sync with
// no new task makes no log request and changes nothing. A log that cannot be read is an item failure: the task is
// stored without a summary, and the next sync tries again.
import type { TaskRecord, VzdumpLogSummary } from '../../inventory/model';
import { parseVzdumpLog } from '../../health/vzdumpLog';
import type { StageDefinition } from './types';
import { forEachItem } from './types';

/** Lines read of one log: a qemu backup logs up to ~110 lines (its progress), so this covers runs of ~450 guests. */
export const TASK_LOG_LINE_LIMIT = 50_000;
/** Cap of the vzdump listing per node (PVE has no "all"): far above 366 days of a half-hourly job. */
export const VZDUMP_LISTING_LIMIT = 20_000;

/** A finished vzdump task whose log says something backup health needs (its status is not `OK`). */
export function needsVzdumpLog(t: TaskRecord): boolean {
  return t.type === 'vzdump' && t.endTime !== null && t.status !== null && t.status !== 'OK';
}

export const taskHistory: StageDefinition = {
  name: 'task-history',
  startMessage: 'Reading task history.',
  async run(run) {
    const { ctx } = run;
    const nodes = run.get('nodes').filter((n) => !ctx.unreachableNodes.has(n.name));
    run.discovery(nodes.map((n) => ({ name: n.name, item_type: 'node' })), `Reading tasks of ${nodes.length} node(s).`);
    run.attempted = nodes.length;
    const since = Math.floor(ctx.now() / 1000) - ctx.options.historyDays * 86400;
    const listed = new Set<string>();
    const byUpid = new Map<string, TaskRecord>();
    await forEachItem(run, nodes, ctx.limits.node, (n) => ({ name: n.name, item_type: 'node' }), async (n) => {
      const [newest, vzdump] = await Promise.all([
        ctx.api.nodeTasks(n.name, { limit: ctx.options.taskLimit }, run.call),
        // `all`: Proxmox lists finished tasks only by default, and a backup still running must not look missed.
        ctx.api.nodeTasks(n.name, { typefilter: 'vzdump', since, limit: VZDUMP_LISTING_LIMIT, source: 'all' }, run.call),
      ]);
      for (const t of [...newest, ...vzdump]) {
        byUpid.set(t.upid, {
          upid: t.upid, node: t.node || n.name, type: t.type, id: t.id || null, user: t.user,
          startTime: t.starttime, endTime: t.endtime ?? null, status: t.status ?? null,
        });
      }
      listed.add(n.name);
    });
    const all = [...byUpid.values()];

    // Summaries already read by an earlier sync are kept without a request.
    const known = new Map<string, VzdumpLogSummary>();
    for (const t of run.get('tasks')) if (t.vzdump) known.set(t.upid, t.vzdump);
    const toRead: TaskRecord[] = [];
    for (const t of all) {
      // Older vzdump tasks that the newest-tasks listing happens to bring are outside what health reads.
      if (!needsVzdumpLog(t) || t.startTime < since) continue;
      const kept = known.get(t.upid);
      if (kept) t.vzdump = kept;
      else toRead.push(t);
    }
    // Log reads count as items, so failed logs alone never make "every item failed".
    run.attempted += toRead.length;
    await forEachItem(run, toRead, ctx.limits.node, (t) => ({ name: t.upid, item_type: 'task' }), async (t) => {
      const page = await ctx.api.taskLog(t.node, t.upid, { start: 0, limit: TASK_LOG_LINE_LIMIT }, run.call);
      const lines = page.lines.map((l) => l.t);
      // PVE answers a log file it cannot open with this one line (and 200): nothing was read, try again next time.
      if (lines.length <= 1 && /^unable to open file - /.test(lines[0] ?? '')) {
        throw new Error(`the log of ${t.upid} could not be read: ${lines[0]}`);
      }
      t.vzdump = parseVzdumpLog(lines, page.total > lines.length);
    });

    run.assertNotAllFailed();
    const nodeNames = new Set(run.get('nodes').map((n) => n.name));
    run.reconcile('tasks', all, (t) => listed.has(t.node) || !nodeNames.has(t.node));
    return all.length;
  },
};
