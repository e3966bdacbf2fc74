// PBS stage 3: the backup groups of every datastore + namespace (GET /admin/datastore/{store}/groups?ns=), with
// their snapshot count, newest backup and owner. Scoped per datastore + namespace (scope.ts): a failed listing
// keeps that namespace's groups and fails only its item.
import type { BackupGroupRecord } from '../../../inventory/model';
import type { PbsGroup } from '../../../pbs/api';
import type { StageDefinition } from '../types';
import { forEachItem } from '../types';
import { namespaceTargets, readableTargets, scopeOf, targetKey, targetLabel } from './scope';

export function groupRecord(store: string, ns: string, g: PbsGroup): BackupGroupRecord {
  return {
    store, ns, backupType: g.backupType, backupId: g.backupId, lastBackup: g.lastBackup ?? null, backupCount: g.backupCount,
    owner: g.owner ?? null, comment: g.comment ?? null,
  };
}

export const backupGroups: StageDefinition = {
  name: 'backup-groups',
  startMessage: 'Reading the backup groups of every datastore and namespace.',
  async run(run) {
    const { ctx } = run;
    const targets = namespaceTargets(run.get('datastores'), run.get('namespaces'));
    const readable = readableTargets(run, targets);
    run.discovery(readable.map((t) => ({ name: targetLabel(t), item_type: 'namespace' })), `Listing the backup groups of ${readable.length} namespace(s).`);
    run.attempted = readable.length;
    const found: BackupGroupRecord[] = [];
    const listed = new Set<string>();
    await forEachItem(run, readable, ctx.limits.backup, (t) => ({ name: targetLabel(t), item_type: 'namespace' }), async (t) => {
      const rows = await ctx.pbs.groups(t.store, t.ns, run.call);
      for (const g of rows) found.push(groupRecord(t.store, t.ns, g));
      listed.add(targetKey(t));
    });
    run.assertNotAllFailed();
    run.reconcile('backupGroups', found, scopeOf(targets, listed));
    return found.length;
  },
};
