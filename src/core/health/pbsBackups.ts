// A guest's backups on a Proxmox Backup Server, seen through PVE and through PBS as one set. A PVE `pbs` storage
// matched to a PBS endpoint we sync (pbs/identity.ts) lists the same snapshots PBS lists in that datastore and
// namespace; each is keyed by pbsSnapshotKey, counted once, and carries PBS's own verification. Storages that match
// no PBS endpoint are left exactly as PVE listed them.
//
// Two cases where the two views disagree, and what is done about them:
// - Two PVE endpoints whose storages point at the same datastore + namespace: a PBS group is `vm/100` whatever
//   cluster wrote it, so PBS cannot say which cluster's guest 100 a snapshot belongs to. Such a target is
//   ambiguous: neither cluster gains PBS-only snapshots from it (attributing them could make one cluster's guest
//   look backed up by the other's backups); each keeps what its own PVE listing shows (which is what PVE itself
//   shows, and what health counted before PBS endpoints), with PBS's verification for those.
// - The two inventories were synced at different times. A snapshot PBS lists but PVE did not is counted when PBS
//   was synced no earlier than PVE, or when it is newer than PVE's sync (PVE could not have seen it). An older one
//   that a newer PVE listing no longer has was pruned since, and is not counted, but only when that listing shows
//   it ran after the snapshot was made: it holds a snapshot of the same datastore + namespace that is newer. The
//   inventory's sync time alone does not prove that: a sync whose listing of this storage failed keeps the records
//   of the listing before (a failed listing changes nothing), and dropping PBS's snapshots against that older
//   listing would turn a backed-up guest into "overdue". (A snapshot whose backup time is older than what PVE
//   listed but that reached the datastore later, through a PBS sync or pull job, still counts as pruned until PVE
//   lists it.) A snapshot PVE lists but PBS does not is always counted: PBS may simply not have been synced since
//   (or its listing of that namespace failed), and dropping it could turn a backed-up guest into "never". The
//   verification is the newer inventory's (PBS's on a tie, or when the newer one has none).
import { endpointKind, pbsSnapshotKey, type BackupRecord, type Inventory, type PbsSnapshotRecord } from '../inventory/model';
import { matchPbsStorages, pbsKeyOfVolid, type PbsStorageMatch } from '../pbs/identity';

interface Target {
  match: PbsStorageMatch;
  pbs: Inventory;
  /** Another PVE endpoint points at the same datastore + namespace of this PBS. */
  shared: boolean;
}

const targetKey = (m: PbsStorageMatch): string => `${m.pbsEndpointId}\u0000${m.store}\u0000${m.ns}`;

function syncedAt(inv: Inventory): number | null {
  if (!inv.syncedAt) return null;
  const t = Date.parse(inv.syncedAt) / 1000;
  return Number.isFinite(t) ? t : null;
}

/** The backup time a PBS volid carries ("…/vm/100/2024-01-01T04:00:00Z"), for a listing row without a ctime. */
function volidTime(volid: string): number | null {
  const m = /\/(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z)$/.exec(volid);
  const t = m ? Date.parse(m[1]!) / 1000 : NaN;
  return Number.isFinite(t) ? t : null;
}

/** "2024-01-01T04:00:00Z", as PVE's pbs plugin writes backup times into volids. */
function isoSeconds(epoch: number): string {
  return new Date(epoch * 1000).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

export class PbsBackups {
  /** Per PVE endpoint id: its matched storages by storage id. */
  private readonly targets = new Map<string, Map<string, Target>>();
  /** Per PBS endpoint id: its snapshots by key, and by datastore + namespace (built on first use). */
  private readonly byKey = new Map<string, Map<string, PbsSnapshotRecord>>();
  private readonly byNamespace = new Map<string, Map<string, PbsSnapshotRecord[]>>();

  /** `inventories`: PVE and PBS inventories together (the PBS ones may be context only, not reported). */
  constructor(inventories: readonly Inventory[]) {
    const matches = matchPbsStorages(inventories);
    const pbsById = new Map(inventories.filter((i) => endpointKind(i.endpoint) === 'pbs').map((i) => [i.endpoint.id, i]));
    const pointing = new Map<string, Set<string>>();
    for (const m of matches) {
      const k = targetKey(m);
      const set = pointing.get(k) ?? new Set<string>();
      set.add(m.pveEndpointId);
      pointing.set(k, set);
    }
    for (const m of matches) {
      const pbs = pbsById.get(m.pbsEndpointId);
      if (!pbs) continue;
      let byStorage = this.targets.get(m.pveEndpointId);
      if (!byStorage) this.targets.set(m.pveEndpointId, byStorage = new Map());
      byStorage.set(m.storage, { match: m, pbs, shared: pointing.get(targetKey(m))!.size > 1 });
    }
  }

  /** Whether any storage of this endpoint is a PBS datastore we know (otherwise its backups stay as listed). */
  matches(endpointId: string): boolean {
    return this.targets.has(endpointId);
  }

  private snapshotsByKey(pbs: Inventory): Map<string, PbsSnapshotRecord> {
    let m = this.byKey.get(pbs.endpoint.id);
    if (!m) {
      m = new Map(pbs.pbsSnapshots.map((s) => [pbsSnapshotKey(s), s]));
      this.byKey.set(pbs.endpoint.id, m);
    }
    return m;
  }

  private snapshotsIn(pbs: Inventory, store: string, ns: string): readonly PbsSnapshotRecord[] {
    let m = this.byNamespace.get(pbs.endpoint.id);
    if (!m) {
      m = new Map();
      for (const s of pbs.pbsSnapshots) {
        const k = `${s.store}\u0000${s.ns}`;
        const list = m.get(k);
        if (list) list.push(s); else m.set(k, [s]);
      }
      this.byNamespace.set(pbs.endpoint.id, m);
    }
    return m.get(`${store}\u0000${ns}`) ?? [];
  }

  /**
   * The backups of a PVE inventory with its matched PBS storages resolved: each PBS snapshot once (whether PVE
   * listed it, on one storage or several, or only PBS did), with PBS's verification. The inventory's own list when
   * none of its storages is matched.
   */
  backupsOf(inv: Inventory): readonly BackupRecord[] {
    const byStorage = this.targets.get(inv.endpoint.id);
    if (!byStorage || endpointKind(inv.endpoint) !== 'pve') return inv.backups;
    const pveSynced = syncedAt(inv);
    const pbsIsNewer = (pbs: Inventory): boolean => {
      const p = syncedAt(pbs);
      return pveSynced === null || p === null || p >= pveSynced;
    };
    const seen = new Set<string>();
    const out: BackupRecord[] = [];
    /** Per datastore + namespace, the newest snapshot PVE's listing holds: that listing ran after it was made. */
    const newestListed = new Map<string, number>();
    for (const b of inv.backups) {
      const t = byStorage.get(b.storage);
      const key = t ? pbsKeyOfVolid(t.match, b.volid) : undefined;
      if (!t || key === undefined) { out.push(b); continue; }
      const listedTime = b.ctime ?? volidTime(b.volid);
      if (listedTime !== null) {
        const tk = targetKey(t.match);
        newestListed.set(tk, Math.max(newestListed.get(tk) ?? -Infinity, listedTime));
      }
      const id = `${t.pbs.endpoint.id}\u0000${key}`;
      if (seen.has(id)) continue; // the same snapshot through a second storage (or a second node's listing)
      seen.add(id);
      const snap = this.snapshotsByKey(t.pbs).get(key);
      if (!snap) { out.push(b); continue; }
      const verification = pbsIsNewer(t.pbs) ? snap.verification ?? b.verification : b.verification ?? snap.verification;
      out.push(verification === b.verification ? b : { ...b, verification });
    }
    // What PBS lists and PVE did not, for the guests of this inventory (vm ↔ qemu, ct ↔ lxc).
    const guestType = new Map(inv.guests.map((g) => [g.vmid, g.type]));
    const done = new Set<string>();
    for (const [storage, t] of byStorage) {
      const tk = targetKey(t.match);
      if (t.shared || done.has(tk)) continue;
      done.add(tk);
      const newer = pbsIsNewer(t.pbs);
      for (const s of this.snapshotsIn(t.pbs, t.match.store, t.match.ns)) {
        if (s.backupType === 'host' || !/^\d+$/.test(s.backupId)) continue;
        const vmid = Number(s.backupId);
        const type = guestType.get(vmid);
        if (type === undefined || (type === 'qemu') !== (s.backupType === 'vm')) continue;
        const id = `${t.pbs.endpoint.id}\u0000${pbsSnapshotKey(s)}`;
        if (seen.has(id)) continue;
        // Pruned since: PVE's newer listing ran after this snapshot was made (it holds a newer one) and lacks it.
        if (!newer && pveSynced !== null && s.backupTime <= pveSynced && s.backupTime < (newestListed.get(tk) ?? -Infinity)) continue;
        seen.add(id);
        out.push({
          volid: `${storage}:backup/${s.backupType}/${s.backupId}/${isoSeconds(s.backupTime)}`,
          storage, node: null, vmid, subtype: type, format: `pbs-${s.backupType}`, ctime: s.backupTime, sizeBytes: s.sizeBytes,
          notes: s.comment, protected: s.protected, encrypted: s.encrypted, verification: s.verification,
        });
      }
    }
    return out;
  }
}
