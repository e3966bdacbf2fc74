// Stage 5: task history, the newest finished tasks of each node (vzdump runs among them). A node
// whose task list fails keeps the tasks the last sync saw.
import type { TaskRecord } from '../../inventory/model';
import type { StageDefinition } from './types';
import { forEachItem } from './types';

export const taskHistory: StageDefinition = {
  name: 'task-history',
  startMessage: 'Reading task history.',
  async run(run) {
    const { ctx } = run;
    const nodes = run.get('nodes').filter((n) => !ctx.unreachableNodes.has(n.name));
    run.discovery(nodes.map((n) => ({ name: n.name, item_type: 'node' })), `Reading tasks of ${nodes.length} node(s).`);
    run.attempted = nodes.length;
    let count = 0;
    const listed = new Set<string>();
    const all: TaskRecord[] = [];
    await forEachItem(run, nodes, ctx.limits.node, (n) => ({ name: n.name, item_type: 'node' }), async (n) => {
      const tasks = await ctx.api.nodeTasks(n.name, { limit: ctx.options.taskLimit }, run.call);
      for (const t of tasks) {
        all.push({
          upid: t.upid, node: t.node || n.name, type: t.type, id: t.id || null, user: t.user,
          startTime: t.starttime, endTime: t.endtime ?? null, status: t.status ?? null,
        });
      }
      listed.add(n.name);
      count += tasks.length;
    });
    run.assertNotAllFailed();
    const known = new Set(run.get('nodes').map((n) => n.name));
    run.reconcile('tasks', all, (t) => listed.has(t.node) || !known.has(t.node));
    return count;
  },
};
