// One collection brought to match what the inventory says: list what we own once, compare in memory, and write only
// the differences (bulk create, bulk update with ids, bulk delete). Objects are matched by our key custom field, so
// a renamed guest is an update, and only objects carrying our tag and our endpoint are ever listed, changed or deleted.
import type { NetBoxApi, NetBoxObject } from './api';
import { changedFields } from './compare';
import { CF_ENDPOINT, CF_KEY, customFieldValue, ownedQuery } from './identity';
import { BatchWriter, type ItemFailure } from './writer';

export interface DesiredObject {
  key: string;
  label: string;
  body: Record<string, unknown>;
  /**
   * Fields written only when the object is created or when NetBox has no value (a VM's primary IP: the user may
   * have chosen another one).
   */
  createOnly?: Record<string, unknown>;
}

export interface CollectionCounts {
  created: number;
  updated: number;
  deleted: number;
  unchanged: number;
  failed: number;
}

export interface CollectionResult {
  /** Our objects after the writes, by key (those that failed to be created are missing). */
  byKey: Map<string, NetBoxObject>;
  /** Keys of the objects created in this run. */
  created: Set<string>;
  counts: CollectionCounts;
  failures: ItemFailure[];
}

export interface CollectionSpec {
  /** Our name for the kind, in counts and messages: "virtual machines". */
  type: string;
  path: string;
  /** Delete owned objects the inventory no longer has: only when Proxmox's listing of them was complete this run. */
  deleteMissing: boolean;
}

export interface ReconcileContext {
  api: NetBoxApi;
  writer: BatchWriter;
  endpointId: string;
  signal?: AbortSignal;
}

/** Every object of `spec` owned by this endpoint, by key. Duplicates (a crash between create and its answer) are returned apart. */
export async function listOwned(ctx: ReconcileContext, path: string): Promise<{ byKey: Map<string, NetBoxObject>; duplicates: NetBoxObject[] }> {
  const rows = await ctx.api.list(path, ownedQuery(ctx.endpointId), ctx.signal);
  const byKey = new Map<string, NetBoxObject>();
  const duplicates: NetBoxObject[] = [];
  for (const row of [...rows].sort((a, b) => a.id - b.id)) {
    // The filter is only as exact as the field's filter_logic (a "loose" field made by hand matches "lab" in
    // "lab-2"): what is ours is decided here, by equality, before anything is compared, updated or deleted.
    if (customFieldValue(row, CF_ENDPOINT) !== ctx.endpointId) continue;
    const key = customFieldValue(row, CF_KEY);
    if (typeof key !== 'string' || !key) continue;
    if (byKey.has(key)) duplicates.push(row);
    else byKey.set(key, row);
  }
  return { byKey, duplicates };
}

export async function reconcileCollection(
  ctx: ReconcileContext,
  spec: CollectionSpec,
  desired: readonly DesiredObject[],
  listed?: { byKey: Map<string, NetBoxObject>; duplicates: NetBoxObject[] },
): Promise<CollectionResult> {
  const existing = listed ?? await listOwned(ctx, spec.path);
  const counts: CollectionCounts = { created: 0, updated: 0, deleted: 0, unchanged: 0, failed: 0 };
  const failures: ItemFailure[] = [];
  const byKey = new Map<string, NetBoxObject>();
  const created = new Set<string>();

  const toCreate: DesiredObject[] = [];
  const toUpdate: Array<{ d: DesiredObject; id: number }> = [];
  const patches: Array<Record<string, unknown>> = [];
  const wanted = new Set<string>();
  for (const d of desired) {
    if (wanted.has(d.key)) continue;
    wanted.add(d.key);
    const have = existing.byKey.get(d.key);
    if (!have) {
      toCreate.push(d);
      continue;
    }
    const fill = Object.fromEntries(Object.entries(d.createOnly ?? {}).filter(([k]) => have[k] === null || have[k] === undefined));
    const patch = changedFields(have, { ...d.body, ...fill });
    if (patch) {
      toUpdate.push({ d, id: have.id });
      patches.push(patch);
    } else {
      byKey.set(d.key, have);
      counts.unchanged++;
    }
  }

  if (toCreate.length) {
    const out = await ctx.writer.create(spec.path, toCreate.map((d) => ({ label: d.label, body: { ...d.body, ...d.createOnly } })));
    out.results.forEach((r, i) => {
      if (r && r !== true) {
        byKey.set(toCreate[i].key, r);
        created.add(toCreate[i].key);
        counts.created++;
      }
    });
    failures.push(...out.failures);
  }
  if (toUpdate.length) {
    const out = await ctx.writer.update(spec.path, toUpdate.map((u, i) => ({ label: u.d.label, body: { id: u.id, ...patches[i] } })));
    out.results.forEach((r, i) => {
      if (r && r !== true) {
        byKey.set(toUpdate[i].d.key, r);
        counts.updated++;
      } else {
        // Still ours and still there: later collections may refer to it.
        const have = existing.byKey.get(toUpdate[i].d.key);
        if (have) byKey.set(toUpdate[i].d.key, have);
      }
    });
    failures.push(...out.failures);
  }
  if (spec.deleteMissing) {
    const gone = [...existing.byKey.entries()].filter(([key]) => !wanted.has(key)).map(([, o]) => o).concat(existing.duplicates);
    if (gone.length) {
      const out = await ctx.writer.delete(spec.path, gone.map((o) => ({ label: `${spec.type.replace(/s$/, '')} ${String(o.display ?? o.name ?? o.id)}`, body: o.id })));
      counts.deleted += out.results.filter((r) => r === true).length;
      failures.push(...out.failures);
    }
  }
  counts.failed = failures.length;
  return { byKey, created, counts, failures };
}
