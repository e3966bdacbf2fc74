// PBS stage 4: the snapshots of every datastore + namespace (GET /admin/datastore/{store}/snapshots?ns=): type,
// id, time, size, owner, protection, comment and PBS's own verification. Scoped per datastore + namespace like the
// groups: a failed listing keeps that namespace's snapshots (their verification state included) and fails only its
// item, so one unreadable namespace never looks like a namespace whose backups were all pruned.
import type { PbsSnapshotRecord } from '../../../inventory/model';
import type { PbsSnapshot } from '../../../pbs/api';
import type { StageDefinition } from '../types';
import { listPerNamespace } from './scope';

/** PVE's rule for the same snapshot (PBSPlugin): encrypted when PBS names the key's fingerprint, or when every archive
 * is encrypted; the index and the client log are never encrypted, so they do not count. */
export function isEncrypted(s: Pick<PbsSnapshot, 'fingerprint' | 'files'>): boolean {
  if (s.fingerprint) return true;
  const archives = s.files.filter((f) => f.filename !== 'index.json.blob' && f.filename !== 'client.log.blob');
  return archives.length > 0 && archives.every((f) => f.cryptMode === 'encrypt');
}

export function snapshotRecord(store: string, ns: string, s: PbsSnapshot): PbsSnapshotRecord {
  const fileSizes = s.files.map((f) => f.size).filter((n): n is number => typeof n === 'number');
  return {
    store, ns, backupType: s.backupType, backupId: s.backupId, backupTime: s.backupTime,
    // PBS sends the total as `size`; an older answer only per file.
    sizeBytes: s.size ?? (fileSizes.length ? fileSizes.reduce((a, b) => a + b, 0) : null),
    owner: s.owner ?? null,
    protected: s.protected,
    comment: s.comment ?? null,
    verification: s.verification ? { state: s.verification.state, upid: s.verification.upid ?? null } : null,
    encrypted: isEncrypted(s),
  };
}

export const pbsSnapshots: StageDefinition = {
  name: 'pbs-snapshots',
  startMessage: 'Reading the snapshots of every datastore and namespace.',
  run: (run) => listPerNamespace(run, 'pbsSnapshots', 'snapshots', (t) => run.ctx.pbs.snapshots(t.store, t.ns, run.call), snapshotRecord),
};
