// One backup, one identity. A PVE storage of type `pbs` names a server, a datastore and a namespace; when a PBS
// endpoint we also sync is that server, every backup PVE lists on the storage is a snapshot PBS lists too. Both
// are keyed by pbsSnapshotKey (datastore + namespace + type/id + time), so health counts each backup once and takes
// its verification from PBS, which is the one that verifies.
import { endpointKind, pbsSnapshotKey, type Inventory, type StorageRecord } from '../inventory/model';
import { parseBackupVolid } from '../proxmox/parsers/backupVolid';
import { normalizeFingerprint } from '../proxmox/tls';
import { withPbsPort } from './client';

const PBS_DEFAULT_PORT = 8007;

/** A PVE `pbs` storage that is a datastore (and namespace) of a PBS endpoint we know. */
export interface PbsStorageMatch {
  pveEndpointId: string;
  storage: string;
  pbsEndpointId: string;
  store: string;
  ns: string;
}

function hostOf(url: string): { host: string; port: number } | undefined {
  try {
    const u = new URL(url);
    return { host: u.hostname.replace(/^\[|\]$/g, '').toLowerCase(), port: u.port ? Number(u.port) : u.protocol === 'https:' ? 443 : 80 };
  } catch {
    return undefined;
  }
}

function sameFingerprint(a: string | null | undefined, b: string | null | undefined): boolean | undefined {
  if (!a || !b) return undefined;
  try {
    return normalizeFingerprint(a) === normalizeFingerprint(b);
  } catch {
    return undefined;
  }
}

/** Whether the storage points at this PBS endpoint: same port and datastore, and the same host name, or (a storage
 * configured by address, the endpoint by name) the same pinned certificate. Two pinned fingerprints that differ
 * are two servers, whatever the names say. */
export function storagePointsAt(storage: StorageRecord, pbs: Inventory): boolean {
  if (storage.type !== 'pbs' || !storage.server || !storage.datastore) return false;
  if (!pbs.datastores.some((d) => d.store === storage.datastore)) return false;
  // The PBS client adds port 8007 to a URL that names none (withPbsPort), so the port compared is the one it uses.
  const target = hostOf(withPbsPort(pbs.endpoint.url));
  if (!target) return false;
  if ((storage.port ?? PBS_DEFAULT_PORT) !== target.port) return false;
  const fp = sameFingerprint(storage.fingerprint, pbs.endpoint.fingerprint);
  if (fp === false) return false;
  const host = storage.server.replace(/^\[|\]$/g, '').toLowerCase();
  return host === target.host || fp === true;
}

/** Every `pbs` storage of the PVE inventories matched to the PBS inventory it points at. */
export function matchPbsStorages(inventories: readonly Inventory[]): PbsStorageMatch[] {
  const pbs = inventories.filter((i) => endpointKind(i.endpoint) === 'pbs');
  const out: PbsStorageMatch[] = [];
  for (const pve of inventories) {
    if (endpointKind(pve.endpoint) !== 'pve') continue;
    for (const s of pve.storages) {
      const target = pbs.find((p) => storagePointsAt(s, p));
      if (target) out.push({ pveEndpointId: pve.endpoint.id, storage: s.storage, pbsEndpointId: target.endpoint.id, store: s.datastore!, ns: s.namespace ?? '' });
    }
  }
  return out;
}

/** The PBS identity of a backup PVE lists on a matched storage (`pbs1:backup/vm/100/2024-01-01T04:00:00Z`), or
 * undefined when the volid is not a PBS one. */
export function pbsKeyOfVolid(match: PbsStorageMatch, volid: string): string | undefined {
  const v = parseBackupVolid(volid);
  if (!v || v.kind !== 'pbs' || v.vmid === undefined || v.epoch === undefined) return undefined;
  return pbsSnapshotKey({ store: match.store, ns: match.ns, backupType: v.guestType === 'qemu' ? 'vm' : 'ct', backupId: String(v.vmid), backupTime: v.epoch });
}
