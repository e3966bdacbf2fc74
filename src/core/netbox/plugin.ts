// The netbox-proxbox plugin's own models, when the plugin is installed: its Proxmox endpoint, storages, backup
// routines (with active/stale), backups, snapshots, task history and replications, with the plugin's field names.
// The plugin's models carry tags but not our custom fields (those exist for NetBox's own types only), so an object
// is ours by our tag and its place: under our cluster (storages), our plugin endpoint (routines, replications) or one
// of our VMs (backups, snapshots, tasks), and is matched by the key Proxmox gives it (a volume id, a UPID, a job id).
import type { BackupRecord, BackupRoutine, Inventory, ReplicationRecord, SnapshotRecord, StorageRecord, TaskRecord } from '../inventory/model';
import type { NetBoxObject } from './api';
import { OWNER_TAG } from './identity';
import { ownerTagRef } from './desired';
import type { CollectionResult, DesiredObject, ReconcileContext } from './reconcile';
import { reconcileCollection } from './reconcile';

const P = '/api/plugins/proxbox';
const iso = (epoch: number | null): string | null => (epoch === null ? null : new Date(epoch * 1000).toISOString());
// NetBox trims text on write: compared untrimmed, a comment ending in a newline would be written again every sync.
const cut = (s: string | null, n: number): string | null => (s === null ? null : s.trim().slice(0, n));
const text = (s: string | null): string | null => (s === null ? null : s.trim());
const refId = (v: unknown): number | undefined => (typeof v === 'number' ? v : v && typeof v === 'object' && typeof (v as { id?: unknown }).id === 'number' ? (v as { id: number }).id : undefined);

export interface PluginScope {
  clusterId: number;
  /** Our VMs in NetBox by vmid. */
  vmIds: Map<number, number>;
  /** Proxmox stages that completed in this run (deletion only for those). */
  completed: ReadonlySet<string>;
}

/** Lists a plugin model's objects that carry our tag and belong to this endpoint (by `belongs`), keyed by `key`. */
async function listPlugin(ctx: ReconcileContext, path: string, belongs: (o: NetBoxObject) => boolean, key: (o: NetBoxObject) => string | undefined): Promise<{ byKey: Map<string, NetBoxObject>; duplicates: NetBoxObject[] }> {
  const rows = await ctx.api.list(path, { tag: OWNER_TAG.slug }, ctx.signal);
  const byKey = new Map<string, NetBoxObject>();
  const duplicates: NetBoxObject[] = [];
  for (const o of [...rows].sort((a, b) => a.id - b.id)) {
    if (!belongs(o)) continue;
    const k = key(o);
    if (k === undefined) continue;
    if (byKey.has(k)) duplicates.push(o);
    else byKey.set(k, o);
  }
  return { byKey, duplicates };
}

/** reconcileCollection over a plugin listing; the key lives in the object's own fields, not in custom fields. */
async function reconcilePlugin(ctx: ReconcileContext, type: string, path: string, deleteMissing: boolean, desired: DesiredObject[],
  belongs: (o: NetBoxObject) => boolean, key: (o: NetBoxObject) => string | undefined): Promise<CollectionResult> {
  const listed = await listPlugin(ctx, path, belongs, key);
  return reconcileCollection(ctx, { type, path, deleteMissing }, desired, listed);
}

function pluginEndpointBody(inv: Inventory): Record<string, unknown> {
  const u = new URL(inv.endpoint.url);
  return {
    name: cut(inv.endpoint.name, 255), domain: u.hostname, port: Number(u.port || 8006),
    mode: inv.cluster && !inv.cluster.standalone ? 'cluster' : 'standalone', verify_ssl: !inv.endpoint.fingerprint, tags: [ownerTagRef],
  };
}

function storageBody(s: StorageRecord, clusterId: number): Record<string, unknown> {
  return {
    cluster: clusterId, name: s.storage, storage_type: s.type, content: cut(s.content.join(','), 255), path: s.path, nodes: s.nodes ? s.nodes.join(',') : null,
    shared: s.shared, enabled: s.enabled, server: s.server, datastore: s.datastore, tags: [ownerTagRef],
  };
}

function routineBody(r: BackupRoutine, endpointId: number, storageIds: Map<string, number>): Record<string, unknown> {
  return {
    endpoint: endpointId, job_id: r.jobId, enabled: r.enabled, schedule: cut(r.schedule, 255), next_run: iso(r.nextRun),
    storage: r.storage ? storageIds.get(r.storage) ?? null : null, comment: text(r.comment) ?? '', status: r.status,
    keep_last: r.keepLast, keep_daily: r.keepDaily, keep_weekly: r.keepWeekly, keep_monthly: r.keepMonthly, keep_yearly: r.keepYearly, keep_all: r.keepAll,
    notes_template: text(r.notesTemplate) ?? '', bwlimit: r.bwlimit, zstd: r.zstd, io_workers: r.ioWorkers, fleecing: r.fleecing ?? '',
    fleecing_storage: r.fleecingStorage ? storageIds.get(r.fleecingStorage) ?? null : null, repeat_missed: r.repeatMissed,
    pbs_change_detection_mode: r.pbsChangeDetectionMode ?? '', tags: [ownerTagRef],
  };
}

const FORMATS = new Set(['pbs-vm', 'pbs-ct', 'zst', 'iso', 'tzst', 'tgz', 'qcow2', 'raw', 'tar', 'tbz']);
const SUBTYPES = new Set(['lxc', 'ct', 'qemu', 'vm']);

function backupBody(b: BackupRecord, vm: number, storageIds: Map<string, number>): Record<string, unknown> {
  return {
    virtual_machine: vm, proxmox_storage: storageIds.get(b.storage) ?? null, storage: cut(b.storage, 255),
    subtype: b.subtype && SUBTYPES.has(b.subtype) ? b.subtype : 'undefined', format: b.format && FORMATS.has(b.format) ? b.format : 'undefined',
    creation_time: iso(b.ctime), size: b.sizeBytes, notes: text(b.notes), volume_id: cut(b.volid, 255), vmid: b.vmid,
    encrypted: b.encrypted ? 'yes' : '', verification_state: b.verification?.state ?? null, verification_upid: cut(b.verification?.upid ?? null, 255),
    tags: [ownerTagRef],
  };
}

function snapshotBody(s: SnapshotRecord, vm: number): Record<string, unknown> {
  return {
    virtual_machine: vm, name: cut(s.name, 255), vmid: s.vmid, node: cut(s.node, 255), description: text(s.description), snaptime: iso(s.snaptime),
    parent: cut(s.parent, 255), subtype: s.type, status: 'active', tags: [ownerTagRef],
  };
}

function taskBody(t: TaskRecord, vm: number, type: 'qemu' | 'lxc'): Record<string, unknown> {
  return {
    virtual_machine: vm, vm_type: type, upid: cut(t.upid, 255), node: cut(t.node, 255), task_type: cut(t.type, 255), username: cut(t.user, 255),
    start_time: iso(t.startTime), end_time: iso(t.endTime), description: `${t.type}${t.id ? ` ${t.id}` : ''}`, status: t.status ?? 'running',
    task_id: cut(t.id, 255), tags: [ownerTagRef],
  };
}

function replicationBody(r: ReplicationRecord, vm: number, endpointId: number): Record<string, unknown> {
  const jobnum = Number(/-(\d+)$/.exec(r.jobId)?.[1] ?? 0);
  return {
    endpoint: endpointId, replication_id: cut(r.jobId, 255), virtual_machine: vm, guest: r.guest, target: cut(r.target ?? '', 255), job_type: 'local',
    schedule: cut(r.schedule ?? '', 128), rate: r.rate, comment: text(r.comment), disable: !r.enabled, source: cut(r.source, 255), jobnum,
    remove_job: r.removeJob === 'local' || r.removeJob === 'full' ? r.removeJob : null, status: r.status, tags: [ownerTagRef],
  };
}

/** Writes the plugin's models; returns one result per kind. */
export async function syncPluginModels(ctx: ReconcileContext, inv: Inventory, scope: PluginScope): Promise<Array<{ type: string; result: CollectionResult }>> {
  const out: Array<{ type: string; result: CollectionResult }> = [];
  const u = new URL(inv.endpoint.url);
  const hostKey = `${u.hostname}:${u.port || 8006}`;

  const endpoint = await reconcilePlugin(ctx, 'plugin endpoints', `${P}/endpoints/proxmox/`, false,
    [{ key: hostKey, label: `plugin endpoint ${inv.endpoint.name}`, body: pluginEndpointBody(inv) }],
    () => true, (o) => `${String(o.domain)}:${String(o.port ?? 8006)}`);
  out.push({ type: 'plugin endpoints', result: endpoint });
  const endpointId = endpoint.byKey.get(hostKey)?.id;

  const storages = await reconcilePlugin(ctx, 'plugin storages', `${P}/storage/`, scope.completed.has('storage'),
    inv.storages.map((s) => ({ key: s.storage, label: `storage ${s.storage}`, body: storageBody(s, scope.clusterId) })),
    (o) => refId(o.cluster) === scope.clusterId, (o) => String(o.name));
  out.push({ type: 'plugin storages', result: storages });
  const storageIds = new Map([...storages.byKey].map(([k, o]) => [k, o.id]));

  if (endpointId !== undefined) {
    out.push({
      type: 'backup routines',
      result: await reconcilePlugin(ctx, 'backup routines', `${P}/backup-routines/`, scope.completed.has('backup-routines'),
        inv.backupRoutines.map((r) => ({ key: r.jobId, label: `backup job ${r.jobId}`, body: routineBody(r, endpointId, storageIds) })),
        (o) => refId(o.endpoint) === endpointId, (o) => String(o.job_id)),
    });
  }

  const vmSet = new Set(scope.vmIds.values());
  const mineVm = (o: NetBoxObject): boolean => vmSet.has(refId(o.virtual_machine) ?? NaN);
  const guestType = new Map(inv.guests.map((g) => [g.vmid, g.type]));

  out.push({
    type: 'backups',
    result: await reconcilePlugin(ctx, 'backups', `${P}/backups/`, scope.completed.has('backups'),
      inv.backups.flatMap((b) => {
        const vm = b.vmid === null ? undefined : scope.vmIds.get(b.vmid);
        return vm === undefined ? [] : [{ key: b.volid, label: `backup ${b.volid}`, body: backupBody(b, vm, storageIds) }];
      }), mineVm, (o) => (typeof o.volume_id === 'string' ? o.volume_id : undefined)),
  });
  out.push({
    type: 'snapshots',
    result: await reconcilePlugin(ctx, 'snapshots', `${P}/snapshots/`, scope.completed.has('snapshots'),
      inv.snapshots.flatMap((s) => {
        const vm = scope.vmIds.get(s.vmid);
        return vm === undefined ? [] : [{ key: `${s.vmid}/${s.name}`, label: `snapshot ${s.name} of guest ${s.vmid}`, body: snapshotBody(s, vm) }];
      }), mineVm, (o) => `${String(o.vmid)}/${String(o.name)}`),
  });
  out.push({
    type: 'task history',
    result: await reconcilePlugin(ctx, 'task history', `${P}/task-history/`, scope.completed.has('task-history'),
      inv.tasks.flatMap((t) => {
        const vmid = t.id !== null && /^\d+$/.test(t.id) ? Number(t.id) : undefined;
        const vm = vmid === undefined ? undefined : scope.vmIds.get(vmid);
        return vm === undefined ? [] : [{ key: t.upid, label: `task ${t.upid}`, body: taskBody(t, vm, guestType.get(vmid!) ?? 'qemu') }];
      }), mineVm, (o) => (typeof o.upid === 'string' ? o.upid : undefined)),
  });
  if (endpointId !== undefined) {
    out.push({
      type: 'replications',
      result: await reconcilePlugin(ctx, 'replications', `${P}/replications/`, scope.completed.has('replications'),
        inv.replications.flatMap((r) => {
          const vm = r.guest === null ? undefined : scope.vmIds.get(r.guest);
          // The plugin requires a target node; a job without one (never seen from Proxmox) has nothing to record.
          return vm === undefined || !r.target ? [] : [{ key: r.jobId, label: `replication ${r.jobId}`, body: replicationBody(r, vm, endpointId) }];
        }), (o) => refId(o.endpoint) === endpointId, (o) => String(o.replication_id)),
    });
  }
  return out;
}
