// What the per-datastore PBS stages list, and which stored records each listing speaks for. Like the PVE backups
// stage per storage: a listing that failed (or was not made) keeps its scope's records, a listing that succeeded
// replaces them, and records whose datastore or namespace is gone from the inventory go with it.
import type { DatastoreRecord, Inventory, NamespaceRecord } from '../../../inventory/model';
import type { StageRun } from '../../context';
import type { ItemInfo } from '../../events';
import { forEachItem } from '../types';

/** PBS maintenance modes in which a datastore cannot be read (read-only still can). */
const UNREADABLE_MODES = new Set(['offline', 'delete', 'unmount']);

/**
 * Why a datastore is not listed in this run, or undefined when it can be. PBS gives the mode as a property string
 * ("type=offline,message=…"), older versions as the bare mode.
 */
export function unreadableReason(d: Pick<DatastoreRecord, 'maintenance'>): string | undefined {
  if (!d.maintenance) return undefined;
  const parts = d.maintenance.split(',').map((p) => p.trim());
  const mode = parts.find((p) => p.startsWith('type='))?.slice(5) ?? (parts[0].includes('=') ? undefined : parts[0]);
  return mode && UNREADABLE_MODES.has(mode) ? `datastore in maintenance mode ${mode}` : undefined;
}

/** One datastore + namespace to list; `ns` '' is the root namespace. */
export interface NamespaceTarget {
  store: string;
  ns: string;
  /** Set when the datastore cannot be read in this run: the target is skipped and its records kept. */
  skip?: string;
}

export const targetKey = (t: { store: string; ns: string }): string => `${t.store}\u0000${t.ns}`;
export const targetLabel = (t: { store: string; ns: string }): string => `${t.store}:${t.ns === '' ? '/' : t.ns}`;

/**
 * Every datastore + namespace the inventory knows in this run: the root namespace of every datastore (it always
 * exists, whether or not PBS lists it) plus the listed ones. The namespaces of a datastore whose namespace listing
 * failed are those of the last sync (the namespaces stage kept them), so its groups are still listed.
 */
export function namespaceTargets(datastores: readonly DatastoreRecord[], namespaces: readonly NamespaceRecord[]): NamespaceTarget[] {
  const out = new Map<string, NamespaceTarget>();
  for (const d of datastores) {
    const skip = unreadableReason(d);
    const add = (ns: string): void => {
      const t: NamespaceTarget = { store: d.store, ns, ...(skip ? { skip } : {}) };
      out.set(targetKey(t), t);
    };
    add('');
    for (const n of namespaces) if (n.store === d.store) add(n.ns);
  }
  return [...out.values()];
}

/** The targets a stage lists: the readable ones; the others count as skipped (with their reason). */
export function readableTargets(run: StageRun, targets: readonly NamespaceTarget[]): NamespaceTarget[] {
  const readable: NamespaceTarget[] = [];
  for (const t of targets) {
    if (t.skip) run.itemSkipped(t.skip);
    else readable.push(t);
  }
  return readable;
}

/**
 * The reconcile scope of a per-namespace listing: the records of a target listed completely in this run, and the
 * records of a datastore or namespace the inventory no longer has (they are gone with it).
 */
export function scopeOf(targets: readonly NamespaceTarget[], listed: ReadonlySet<string>): (r: { store: string; ns: string }) => boolean {
  const known = new Set(targets.map(targetKey));
  return (r) => listed.has(targetKey(r)) || !known.has(targetKey(r));
}

/** The collections filled by one listing per datastore + namespace. */
export type PerNamespaceCollection = 'backupGroups' | 'pbsSnapshots';

/**
 * The run of a stage that lists one collection per datastore + namespace (groups, snapshots): the readable targets
 * become its items, each listing is fetched within the backup concurrency limit and turned into records, and the
 * reconcile speaks only for the targets listed completely (scopeOf). Returns the number of records found.
 */
export async function listPerNamespace<C extends PerNamespaceCollection, Row>(
  run: StageRun,
  collection: C,
  /** What a listing holds, for the discovery message: "backup groups", "snapshots". */
  what: string,
  fetch: (t: NamespaceTarget) => Promise<Row[]>,
  toRecord: (store: string, ns: string, row: Row) => Inventory[C][number],
): Promise<number> {
  const targets = namespaceTargets(run.get('datastores'), run.get('namespaces'));
  const readable = readableTargets(run, targets);
  const item = (t: NamespaceTarget): ItemInfo => ({ name: targetLabel(t), item_type: 'namespace' });
  run.discovery(readable.map(item), `Listing the ${what} of ${readable.length} namespace(s).`);
  run.attempted = readable.length;
  const found: Inventory[C][number][] = [];
  const listed = new Set<string>();
  await forEachItem(run, readable, run.ctx.limits.backup, item, async (t) => {
    const rows = await fetch(t);
    for (const row of rows) found.push(toRecord(t.store, t.ns, row));
    listed.add(targetKey(t));
  });
  run.assertNotAllFailed();
  run.reconcile(collection, found as Inventory[C], scopeOf(targets, listed));
  return found.length;
}
