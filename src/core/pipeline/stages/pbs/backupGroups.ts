// PBS stage 3: the backup groups of every datastore + namespace (GET /admin/datastore/{store}/groups?ns=), with
// their snapshot count, newest backup and owner. Scoped per datastore + namespace (scope.ts): a failed listing
// keeps that namespace's groups and fails only its item.
import type { BackupGroupRecord } from '../../../inventory/model';
import type { PbsGroup } from '../../../pbs/api';
import type { StageDefinition } from '../types';
import { listPerNamespace } from './scope';

export function groupRecord(store: string, ns: string, g: PbsGroup): BackupGroupRecord {
  return {
    store, ns, backupType: g.backupType, backupId: g.backupId, lastBackup: g.lastBackup ?? null, backupCount: g.backupCount,
    owner: g.owner ?? null, comment: g.comment ?? null,
  };
}

export const backupGroups: StageDefinition = {
  name: 'backup-groups',
  startMessage: 'Reading the backup groups of every datastore and namespace.',
  run: (run) => listPerNamespace(run, 'backupGroups', 'backup groups', (t) => run.ctx.pbs.groups(t.store, t.ns, run.call), groupRecord),
};
