// Stage 2: storages. /storage gives the configuration (type, content, shared, retention); the shared
// /cluster/resources gives where each one is available, which the backups stage uses to list every storage once.
import type { Retention, StorageRecord } from '../../inventory/model';
import type { StorageResource } from '../../proxmox/types';
import type { PruneBackups } from '../../proxmox/parsers/pruneBackups';
import type { StageDefinition } from './types';
import { num, str } from './guestConfig';

export function retentionOf(p: PruneBackups | undefined): Retention | null {
  if (!p) return null;
  const r: Retention = {
    keepLast: p.keepLast ?? null, keepHourly: p.keepHourly ?? null, keepDaily: p.keepDaily ?? null, keepWeekly: p.keepWeekly ?? null,
    keepMonthly: p.keepMonthly ?? null, keepYearly: p.keepYearly ?? null, keepAll: p.keepAll ?? null,
  };
  return Object.values(r).some((v) => v !== null) ? r : null;
}

export const storage: StageDefinition = {
  name: 'storage',
  startMessage: 'Reading storages.',
  async run(run) {
    const { ctx } = run;
    const [configs, resources] = await Promise.all([ctx.api.storageIndex(run.call), ctx.resources(run)]);
    const perNode = new Map<string, StorageRecord['perNode']>();
    for (const r of resources) {
      if (r.type !== 'storage') continue;
      const s = r as StorageResource;
      const list = perNode.get(s.storage) ?? [];
      list.push({ node: s.node, status: s.status ?? 'unknown', totalBytes: num(s.maxdisk) });
      perNode.set(s.storage, list);
    }
    const records: StorageRecord[] = configs.map((c) => ({
      storage: c.storage,
      type: c.type,
      content: [...c.content].sort(),
      shared: c.shared,
      enabled: !c.disabled,
      nodes: c.nodes.length ? [...c.nodes].sort() : null,
      path: str(c.path),
      server: str(c.server),
      datastore: str(c.datastore),
      namespace: c.type === 'pbs' ? (c.namespace ?? '') : null,
      port: c.port ?? null,
      fingerprint: str(c.fingerprint),
      export: str(c.raw.export),
      pruneBackups: retentionOf(c.pruneBackups),
      perNode: (perNode.get(c.storage) ?? []).sort((a, b) => a.node.localeCompare(b.node)),
    }));
    run.discovery(records.map((s) => ({ name: s.storage, item_type: 'storage' })), `Discovered ${records.length} storage(s).`);
    run.reconcile('storages', records);
    return records.length;
  },
};
