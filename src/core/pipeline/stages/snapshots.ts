// Stage 7: snapshots, one listing per guest (the `current` pseudo-entry is not a snapshot). A guest
// whose listing failed keeps its snapshots, a guest that is gone loses them.
import type { SnapshotRecord } from '../../inventory/model';
import type { StageDefinition } from './types';
import { forEachItem } from './types';
import { num, str } from './guestConfig';

export const snapshots: StageDefinition = {
  name: 'snapshots',
  startMessage: 'Reading snapshots.',
  async run(run) {
    const { ctx } = run;
    const guests = run.get('guests');
    const present = new Set(guests.map((g) => g.vmid));
    const todo = guests.filter((g) => {
      if (ctx.unreachableNodes.has(g.node)) {
        run.itemSkipped('guest on unreachable node');
        return false;
      }
      return true;
    });
    run.attempted = todo.length;
    const listed = new Set<number>();
    const found: SnapshotRecord[] = [];
    await forEachItem(run, todo, ctx.limits.vm, (g) => ({ name: `${g.name} (${g.vmid})`, item_type: g.type }), async (g) => {
      const list = g.type === 'qemu' ? await ctx.api.qemuSnapshots(g.node, g.vmid, run.call) : await ctx.api.lxcSnapshots(g.node, g.vmid, run.call);
      for (const s of list) {
        if (s.current) continue;
        found.push({
          vmid: g.vmid, type: g.type, node: g.node, name: s.name, description: (s.description ?? '').trim(),
          snaptime: num(s.snaptime), parent: str(s.parent), vmstate: s.vmstate === true,
        });
      }
      listed.add(g.vmid);
    });
    run.assertNotAllFailed();
    run.reconcile('snapshots', found, (s) => listed.has(s.vmid) || !present.has(s.vmid));
    return found.length;
  },
};
