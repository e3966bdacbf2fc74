// Stage 2: storages. /storage gives the configuration (type, content, shared, retention); the shared
// /cluster/resources gives where each one is available, which the backups stage uses to list every storage once.
import type { Retention, StorageRecord } from '../../inventory/model';
import type { StageDefinition } from './types';
import { flag, num, splitPropertyString, str } from './guestConfig';

export function parseRetention(value: unknown): Retention | null {
  if (value === undefined || value === null || value === '') return null;
  let map: Record<string, unknown>;
  if (typeof value === 'string') map = splitPropertyString(value);
  else if (typeof value === 'object') map = value as Record<string, unknown>;
  else return null;
  const n = (k: string): number | null => num(map[k]);
  const r: Retention = {
    keepLast: n('keep-last'), keepHourly: n('keep-hourly'), keepDaily: n('keep-daily'), keepWeekly: n('keep-weekly'),
    keepMonthly: n('keep-monthly'), keepYearly: n('keep-yearly'), keepAll: flag(map['keep-all']),
  };
  return Object.values(r).some((v) => v !== null) ? r : null;
}

export const storage: StageDefinition = {
  name: 'storage',
  startMessage: 'Reading storages.',
  async run(run) {
    const { ctx } = run;
    const [configs, resources] = await Promise.all([ctx.api.storageIndex(ctx.call), ctx.resources()]);
    const perNode = new Map<string, StorageRecord['perNode']>();
    for (const r of resources) {
      if (r.type !== 'storage' || !r.storage || !r.node) continue;
      const list = perNode.get(r.storage) ?? [];
      list.push({ node: r.node, status: r.status ?? 'unknown', totalBytes: num(r.maxdisk) });
      perNode.set(r.storage, list);
    }
    const records: StorageRecord[] = configs.map((c) => ({
      storage: c.storage,
      type: c.type,
      content: (c.content ?? '').split(',').map((s) => s.trim()).filter(Boolean).sort(),
      shared: flag(c.shared) === true,
      enabled: flag(c.disable) !== true,
      nodes: c.nodes ? String(c.nodes).split(',').map((s) => s.trim()).filter(Boolean).sort() : null,
      path: str(c.path),
      server: str(c.server),
      datastore: str(c.datastore),
      pruneBackups: parseRetention(c['prune-backups']),
      perNode: (perNode.get(c.storage) ?? []).sort((a, b) => a.node.localeCompare(b.node)),
    }));
    run.discovery(records.map((s) => ({ name: s.storage, item_type: 'storage' })), `Discovered ${records.length} storage(s).`);
    run.reconcile('storages', records);
    return records.length;
  },
};
