// One collection brought to match what the inventory says: list what we own once, compare in memory, and write only
// the differences (bulk create, bulk update with ids, bulk delete). Objects are matched by our key custom field, so
// a renamed guest is an update, and only objects carrying our tag and our endpoint are ever listed, changed or deleted.
import type { NetBoxApi, NetBoxObject } from './api';
import { changedFields } from './compare';
import { CF_ENDPOINT, CF_KEY, customFieldValue, ownedQuery } from './identity';
import { BatchWriter, writtenBefore, type ItemFailure } from './writer';

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
  /**
   * Delete owned objects the inventory no longer has: only when Proxmox's listing of them was complete this run.
   * 'last': after every collection was written (objects others may still point at until then: nodes).
   */
  deleteMissing: boolean | 'last';
}

export interface ReconcileContext {
  api: NetBoxApi;
  writer: BatchWriter;
  endpointId: string;
  signal?: AbortSignal;
  /** Deletes waiting for the end of the run, in the order the collections were written. */
  deferred: DeferredDelete[];
  /** Ids deleted in this run, per list path (a VM's primary IP that was deleted is unset by NetBox). */
  deleted: Map<string, Set<number>>;
  /** Tags this sync manages (ours, Proxmox's); any other tag on an object we own is the user's and is kept. */
  managedTag?: (slug: string) => boolean;
  /** Hears each collection's result as soon as it exists, so what was written before an error can be reported. */
  track?: (type: string, result: CollectionResult) => void;
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

/** A bulk write whose earlier batches are counted when a later one meets an error that ends the sink. */
async function counted<T>(write: Promise<T>, counts: CollectionCounts, kind: 'created' | 'updated' | 'deleted'): Promise<T> {
  try {
    return await write;
  } catch (err) {
    counts[kind] += writtenBefore(err);
    throw err;
  }
}

/** Objects to delete once every collection has been created and updated (deleteMissing: 'last'). */
export interface DeferredDelete {
  spec: CollectionSpec;
  gone: NetBoxObject[];
  /** The counts and failures of the collection they belong to, completed when the deletes run. */
  result: CollectionResult;
}

const label = (spec: CollectionSpec, o: NetBoxObject): string => `${spec.type.replace(/s$/, '')} ${String(o.display ?? o.name ?? o.id)}`;

/** Deletes objects, counting them into their collection's result; the ids deleted are remembered per path. */
export async function deleteObjects(ctx: ReconcileContext, spec: CollectionSpec, gone: NetBoxObject[], result: CollectionResult): Promise<void> {
  if (!gone.length) return;
  const out = await counted(ctx.writer.delete(spec.path, gone.map((o) => ({ label: label(spec, o), body: o.id }))), result.counts, 'deleted');
  const deleted = ctx.deleted.get(spec.path) ?? new Set<number>();
  out.results.forEach((r, i) => { if (r === true) deleted.add(gone[i].id); });
  ctx.deleted.set(spec.path, deleted);
  result.counts.deleted += out.results.filter((r) => r === true).length;
  result.failures.push(...out.failures);
  result.counts.failed = result.failures.length;
}

/** Our tags on an object we update stay as we want them; tags a user added in NetBox are kept (a PATCH replaces the set). */
function withForeignTags(ctx: ReconcileContext, desired: unknown, existing: unknown): unknown {
  if (!Array.isArray(desired) || !Array.isArray(existing) || !ctx.managedTag) return desired;
  const slugs = new Set(desired.map((t) => String((t as { slug?: unknown }).slug)));
  const kept = existing
    .map((t) => t as { name?: unknown; slug?: unknown })
    .filter((t) => typeof t.slug === 'string' && !slugs.has(t.slug) && !ctx.managedTag!(t.slug))
    .map((t) => ({ name: String(t.name), slug: String(t.slug) }));
  return kept.length ? [...desired, ...kept] : desired;
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
  const result: CollectionResult = { byKey, created, counts, failures };
  ctx.track?.(spec.type, result);

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
    const body = 'tags' in d.body ? { ...d.body, tags: withForeignTags(ctx, d.body.tags, have.tags) } : d.body;
    const patch = changedFields(have, { ...body, ...fill });
    if (patch) {
      toUpdate.push({ d, id: have.id });
      patches.push(patch);
    } else {
      byKey.set(d.key, have);
      counts.unchanged++;
    }
  }

  // Deletes first (a destroyed guest's name or a moved address may be taken again by a create below), except where
  // other objects may still refer to what goes (nodes: guests move away from them in a later step): those wait.
  const gone = spec.deleteMissing ? [...existing.byKey.entries()].filter(([key]) => !wanted.has(key)).map(([, o]) => o).concat(existing.duplicates) : [];
  if (spec.deleteMissing === 'last') ctx.deferred.push({ spec, gone, result });
  else await deleteObjects(ctx, spec, gone, result);

  if (toCreate.length) {
    const out = await counted(ctx.writer.create(spec.path, toCreate.map((d) => ({ label: d.label, body: { ...d.body, ...d.createOnly } }))), counts, 'created');
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
    const out = await counted(ctx.writer.update(spec.path, toUpdate.map((u, i) => ({ label: u.d.label, body: { id: u.id, ...patches[i] } }))), counts, 'updated');
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
  counts.failed = failures.length;
  return result;
}
