// Loading and saving an endpoint's inventory. Each collection is its own versioned document under
// endpoints/<endpoint folder>/, so a sync that changed only the backup routines rewrites only that file, and a
// sync that changed nothing writes nothing at all. The token secret is never part of any document.
import { createHash } from 'node:crypto';
import { DocumentStore } from './store';
import { COLLECTIONS, ClusterInfo, CollectionName, EndpointRef, Inventory, emptyInventory } from './model';
import { refreshNextRuns } from './nextRun';
import { redactDeepIfNeeded } from '../secrets/redact';

export const INVENTORY_VERSION = 1;
const META_KIND = 'proxbox.inventory.meta';
const collectionKind = (c: CollectionName): string => `proxbox.inventory.${c}`;

interface MetaDocument {
  endpoint: EndpointRef;
  cluster: ClusterInfo | null;
  syncedAt: string | null;
}

/** The folder of an endpoint inside the store: its id when that is a safe name, a hash of it otherwise. */
export function endpointFolder(endpointId: string): string {
  if (/^[A-Za-z0-9_][A-Za-z0-9._-]{0,99}$/.test(endpointId)) return `endpoints/${endpointId}`;
  return `endpoints/id-${createHash('sha256').update(endpointId).digest('hex').slice(0, 24)}`;
}

function metaName(endpointId: string): string {
  return `${endpointFolder(endpointId)}/meta.json`;
}

function collectionName(endpointId: string, c: CollectionName): string {
  return `${endpointFolder(endpointId)}/${c}.json`;
}

export function openStore(store: DocumentStore | string): DocumentStore {
  return typeof store === 'string' ? new DocumentStore(store) : store;
}

/** Only what may be stored about an endpoint: never a secret, whatever the caller's object holds. */
export function endpointRef(e: EndpointRef): EndpointRef {
  const ref: EndpointRef = { id: e.id, name: e.name, url: e.url, tokenId: e.tokenId };
  if (e.fingerprint) ref.fingerprint = e.fingerprint;
  if (e.kind === 'pbs') ref.kind = 'pbs';
  return ref;
}

/**
 * The stored inventory of one endpoint, or undefined when it was never synced. Next runs that lie in the past are
 * recomputed for `nowSeconds` (a stored next run is only as fresh as the last sync that changed something).
 */
export async function loadInventory(store: DocumentStore | string, endpointId: string, nowSeconds = Math.floor(Date.now() / 1000)): Promise<Inventory | undefined> {
  const s = openStore(store);
  const meta = await s.read<MetaDocument>(metaName(endpointId), META_KIND, INVENTORY_VERSION);
  if (!meta) return undefined;
  const inv = emptyInventory(meta.endpoint);
  inv.cluster = meta.cluster;
  inv.syncedAt = meta.syncedAt;
  const parts = await Promise.all(COLLECTIONS.map((c) => s.read<unknown[]>(collectionName(endpointId, c), collectionKind(c), INVENTORY_VERSION)));
  COLLECTIONS.forEach((c, i) => {
    const data = parts[i];
    if (data !== undefined) {
      if (!Array.isArray(data)) throw new Error(`the stored ${c} of endpoint '${endpointId}' is not a list; delete ${collectionName(endpointId, c)} and sync again`);
      (inv as unknown as Record<string, unknown>)[c] = data;
    }
  });
  fillAddedFields(inv);
  refreshNextRuns(inv, nowSeconds);
  return inv;
}

/**
 * Fields added to a record type after release are filled with their "nothing to say" value when an older document
 * lacks them, so that old and new records compare equal and the first sync after an upgrade rewrites nothing.
 */
function fillAddedFields(inv: Inventory): void {
  for (const r of inv.backupRoutines) r.timezoneNote ??= null;
  for (const s of inv.storages) {
    s.namespace ??= null;
    s.port ??= null;
    s.fingerprint ??= null;
    s.export ??= null;
  }
}

export interface SaveResult {
  written: number;
}

/**
 * Writes the named collections and, when anything was written or the meta changed, the meta document last.
 * Every document passes the one redactor first (with `secrets`, the run's token secret): server text that echoes a
 * credential (a job comment holding `PVEAPIToken=…`) is stored as `***`.
 */
export async function saveInventory(
  store: DocumentStore | string,
  inv: Inventory,
  collections: Iterable<CollectionName>,
  metaChanged: boolean,
  secrets: readonly string[] = [],
): Promise<SaveResult> {
  const s = openStore(store);
  let written = 0;
  for (const c of collections) {
    const r = await s.write(collectionName(inv.endpoint.id, c), collectionKind(c), INVENTORY_VERSION, redactDeepIfNeeded(inv[c], secrets));
    if (r.written) written++;
  }
  if (written > 0 || metaChanged) {
    const meta: MetaDocument = { endpoint: endpointRef(inv.endpoint), cluster: inv.cluster, syncedAt: inv.syncedAt };
    const r = await s.write(metaName(inv.endpoint.id), META_KIND, INVENTORY_VERSION, redactDeepIfNeeded(meta, secrets));
    if (r.written) written++;
  }
  return { written };
}

/** The endpoints a store holds an inventory for (their ids, from the meta documents). */
export async function listInventories(store: DocumentStore | string): Promise<EndpointRef[]> {
  const s = openStore(store);
  const names = (await s.list('endpoints/')).filter((n) => /^endpoints\/[^/]+\/meta\.json$/.test(n));
  const out: EndpointRef[] = [];
  for (const n of names) {
    const meta = await s.read<MetaDocument>(n, META_KIND, INVENTORY_VERSION);
    if (meta) out.push(meta.endpoint);
  }
  return out;
}

/** Forgets everything stored for an endpoint (its documents), e.g. when the endpoint is removed. */
export async function removeInventory(store: DocumentStore | string, endpointId: string): Promise<void> {
  const s = openStore(store);
  for (const name of await s.list(`${endpointFolder(endpointId)}/`)) await s.remove(name);
}
