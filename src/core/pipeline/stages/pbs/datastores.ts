// PBS stage 1: the datastores (GET /admin/datastore) with their usage and estimated full date
// (GET /status/datastore-usage) and maintenance mode. The usage is one more listing: when it fails the datastores
// are still synced and keep the usage figures of the last sync (an item failure, not a stage failure), so one
// refused status read does not cost the namespaces, groups and snapshots that depend on this stage.
import type { DatastoreRecord } from '../../../inventory/model';
import type { PbsDatastore, PbsDatastoreUsage } from '../../../pbs/api';
import type { StageDefinition } from '../types';

/** PBS sends -1 (or nothing) when it cannot estimate; 0 would be 1970. */
const estimate = (t: number | undefined): number | null => (t !== undefined && t > 0 ? t : null);

export function datastoreRecord(d: PbsDatastore, usage: PbsDatastoreUsage | undefined, previous: DatastoreRecord | undefined, usageRead: boolean): DatastoreRecord {
  const keep = !usageRead ? previous : undefined;
  return {
    store: d.store,
    comment: d.comment ?? null,
    maintenance: d.maintenance ?? null,
    totalBytes: keep ? keep.totalBytes : usage?.total ?? null,
    usedBytes: keep ? keep.usedBytes : usage?.used ?? null,
    availBytes: keep ? keep.availBytes : usage?.avail ?? null,
    estimatedFullDate: keep ? keep.estimatedFullDate : estimate(usage?.estimatedFullDate),
    usageError: keep ? keep.usageError : usage?.error ?? null,
  };
}

export const datastores: StageDefinition = {
  name: 'datastores',
  startMessage: 'Reading datastores and their usage.',
  async run(run) {
    const { ctx } = run;
    const list = await ctx.pbs.datastores(run.call);
    run.discovery(list.map((d) => ({ name: d.store, item_type: 'datastore' })), `Discovered ${list.length} datastore(s).`);
    let usage: PbsDatastoreUsage[] | undefined;
    try {
      usage = await ctx.pbs.datastoreUsage(run.call);
    } catch (err) {
      // Throws on its own for errors that end the run (bad token, cancel).
      run.itemFailed({ name: 'datastore usage', item_type: 'listing' }, err);
    }
    const byStore = new Map((usage ?? []).map((u) => [u.store, u]));
    const previous = new Map(run.get('datastores').map((d) => [d.store, d]));
    const records = list.map((d) => datastoreRecord(d, byStore.get(d.store), previous.get(d.store), usage !== undefined));
    run.reconcile('datastores', records);
    return records.length;
  },
};
