// The orphan sweep, off by default: objects carrying our tag whose Proxmox endpoint is none of the endpoints still
// kept (an endpoint removed from VS Code or from the store leaves its objects in NetBox: Remove Endpoint never deletes
// anything there). Listed first (a dry run is the default everywhere), deleted only when asked, dependents first. An
// object is an orphan only by equality of our endpoint field, read back from NetBox, never by a server-side filter.
import type { NetBoxApi } from './api';
import { CF_ENDPOINT, CF_KEY, customFieldValue, OWNER_TAG } from './identity';
import { BatchWriter, type ItemFailure } from './writer';

/** The collections we own, dependents first: the order deletes must go in. Journal entries go with their objects. */
export const SWEEP_ORDER: ReadonlyArray<{ type: string; path: string }> = [
  { type: 'IP addresses', path: '/api/ipam/ip-addresses/' },
  { type: 'MAC addresses', path: '/api/dcim/mac-addresses/' },
  { type: 'VM interfaces', path: '/api/virtualization/interfaces/' },
  { type: 'virtual disks', path: '/api/virtualization/virtual-disks/' },
  { type: 'virtual machines', path: '/api/virtualization/virtual-machines/' },
  { type: 'interfaces', path: '/api/dcim/interfaces/' },
  { type: 'devices', path: '/api/dcim/devices/' },
  { type: 'clusters', path: '/api/virtualization/clusters/' },
];

export interface OrphanObject {
  type: string;
  path: string;
  id: number;
  display: string;
  /** The endpoint it came from. */
  endpoint: string;
}

export async function findOrphans(api: NetBoxApi, keep: ReadonlySet<string>, signal?: AbortSignal): Promise<OrphanObject[]> {
  const out: OrphanObject[] = [];
  for (const { type, path } of SWEEP_ORDER) {
    for (const o of await api.list(path, { tag: OWNER_TAG.slug }, signal)) {
      const endpoint = customFieldValue(o, CF_ENDPOINT);
      // Tagged by hand, without our fields: not known to be ours, so not ours to delete.
      if (typeof customFieldValue(o, CF_KEY) !== 'string' || typeof endpoint !== 'string' || !endpoint) continue;
      if (keep.has(endpoint)) continue;
      out.push({ type, path, id: o.id, display: String(o.display ?? o.name ?? o.id), endpoint });
    }
  }
  return out;
}

/** Deletes the orphans found, in SWEEP_ORDER; one that NetBox refuses (409) is named and the others still go. */
export async function deleteOrphans(api: NetBoxApi, orphans: readonly OrphanObject[], signal?: AbortSignal): Promise<{ deleted: number; failures: ItemFailure[] }> {
  const writer = new BatchWriter(api, 250, signal);
  let deleted = 0;
  const failures: ItemFailure[] = [];
  for (const { type, path } of SWEEP_ORDER) {
    const these = orphans.filter((o) => o.path === path);
    if (!these.length) continue;
    const out = await writer.delete(path, these.map((o) => ({ label: `${type.replace(/s$/, '')} ${o.display} (endpoint ${o.endpoint})`, body: o.id })));
    deleted += out.results.filter((r) => r === true).length;
    failures.push(...out.failures);
  }
  return { deleted, failures };
}
