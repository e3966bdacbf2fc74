// Stage 6: backups. Every backup-capable storage is listed once: a shared storage (NFS, PBS, Ceph) from one node
// that has it available, a local one from each node that has it. Only the (storage, node) listings
// that succeeded completely can remove anything: one with rows the client had to leave out keeps what it held.
import type { BackupRecord, StorageRecord } from '../../inventory/model';
import type { StorageContentItem } from '../../proxmox/types';
import type { DroppedRow } from '../../proxmox/decoders/primitives';
import type { StageDefinition } from './types';
import { forEachItem } from './types';
import { num, str } from './guestConfig';

interface Listing {
  storage: StorageRecord;
  /** The node to ask. */
  via: string;
  /** null for a shared storage. */
  node: string | null;
}

export function backupFromContent(e: StorageContentItem, storage: string, node: string | null): BackupRecord {
  const encrypted = e.encrypted !== undefined && e.encrypted !== null && e.encrypted !== '' && e.encrypted !== '0';
  return {
    volid: e.volid,
    storage,
    node,
    vmid: num(e.vmid),
    subtype: str(e.subtype),
    format: str(e.format),
    ctime: num(e.ctime),
    sizeBytes: num(e.size),
    notes: str(e.notes),
    protected: e.protected,
    encrypted,
    verification: e.verification ? { state: e.verification.state, upid: e.verification.upid ?? null } : null,
  };
}

export function planListings(storages: readonly StorageRecord[], onlineNodes: readonly string[]): Listing[] {
  const online = new Set(onlineNodes);
  const out: Listing[] = [];
  for (const s of storages) {
    if (!s.enabled || !s.content.includes('backup')) continue;
    let nodes = s.perNode.filter((p) => p.status === 'available' && online.has(p.node)).map((p) => p.node);
    if (s.perNode.length === 0) nodes = onlineNodes.filter((n) => !s.nodes || s.nodes.includes(n));
    if (nodes.length === 0) continue;
    if (s.shared) out.push({ storage: s, via: nodes[0], node: null });
    else for (const n of nodes) out.push({ storage: s, via: n, node: n });
  }
  return out;
}

export const backups: StageDefinition = {
  name: 'backups',
  startMessage: 'Reading backups on backup storages.',
  async run(run) {
    const { ctx } = run;
    const online = run.get('nodes').filter((n) => n.status !== 'offline' && !ctx.unreachableNodes.has(n.name)).map((n) => n.name);
    const listings = planListings(run.get('storages'), online);
    const label = (l: Listing): string => (l.node ? `${l.storage.storage} on ${l.node}` : `${l.storage.storage} (shared)`);
    run.discovery(listings.map((l) => ({ name: label(l), item_type: 'storage' })), `Listing ${listings.length} backup storage(s).`);
    run.attempted = listings.length;
    const found: BackupRecord[] = [];
    const done = new Set<string>();
    await forEachItem(run, listings, ctx.limits.backup, (l) => ({ name: label(l), item_type: 'storage' }), async (l) => {
      let complete = true;
      // This stage knows which records a listing speaks for, so a listing with rows left out narrows only its scope.
      const call = { ...run.call, onDropped: (rows: DroppedRow[]) => { run.rowsDropped(rows, { partial: false }); complete = false; } };
      const entries = await ctx.api.storageContent(l.via, l.storage.storage, { content: 'backup' }, call);
      for (const e of entries) {
        // PVE names the content type of every row it lists; a row that does not say `backup` (an ISO, a template,
        // a trimmed capture) is not a backup, whatever the filter asked for.
        if (e.content !== 'backup') continue;
        found.push(backupFromContent(e, l.storage.storage, l.node));
      }
      if (complete) done.add(`${l.storage.storage}\u0000${l.node ?? ''}`);
    });
    run.assertNotAllFailed();
    const storages = new Set(run.get('storages').map((s) => s.storage));
    run.reconcile('backups', found, (b) => done.has(`${b.storage}\u0000${b.node ?? ''}`) || !storages.has(b.storage));
    return found.length;
  },
};
