// PBS stage 2: the namespaces of every readable datastore (GET /admin/datastore/{store}/namespace). A datastore
// whose listing fails keeps its namespaces of the last sync; one in an unreadable maintenance mode is skipped and
// keeps them too; the namespaces of a datastore that is gone go with it.
import type { NamespaceRecord } from '../../../inventory/model';
import type { StageDefinition } from '../types';
import { forEachItem } from '../types';
import { unreadableReason } from './scope';

export const namespaces: StageDefinition = {
  name: 'namespaces',
  startMessage: 'Reading the namespaces of every datastore.',
  async run(run) {
    const { ctx } = run;
    const stores = run.get('datastores');
    const readable = stores.filter((d) => {
      const why = unreadableReason(d);
      if (why) run.itemSkipped(why);
      return !why;
    });
    run.discovery(readable.map((d) => ({ name: d.store, item_type: 'datastore' })), `Listing the namespaces of ${readable.length} datastore(s).`);
    run.attempted = readable.length;
    const found: NamespaceRecord[] = [];
    const listed = new Set<string>();
    await forEachItem(run, readable, ctx.limits.node, (d) => ({ name: d.store, item_type: 'datastore' }), async (d) => {
      const rows = await ctx.pbs.namespaces(d.store, run.call);
      for (const n of rows) found.push({ store: d.store, ns: n.ns, comment: n.comment ?? null });
      listed.add(d.store);
    });
    run.assertNotAllFailed();
    const known = new Set(stores.map((d) => d.store));
    run.reconcile('namespaces', found, (r) => listed.has(r.store) || !known.has(r.store));
    return found.length;
  },
};
