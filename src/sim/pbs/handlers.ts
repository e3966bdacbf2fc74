// The PBS API paths Proxbox reads, rendered from the PBS model in pbs-api-types' kebab-case shapes, plus the
// listing a PVE `pbs` storage shows of it (PVE's PBSPlugin list_volumes), so both sides list the same backups.
import { isValidTimeZone, zoneOffsetAt } from '../../core/schedule';
import { ApiError, type Handler, onlyParams, type RequestContext, Router } from '../router';
import type { SimStorage } from '../model';
import type { SimPbs, SimPbsDatastore, SimPbsJobStatus, SimPbsSnapshot } from './model';

function pbsOf(ctx: RequestContext): SimPbs {
  if (!ctx.cluster.pbs) throw new ApiError(500, 'the simulated PBS has no model');
  return ctx.cluster.pbs;
}

function storeOf(ctx: RequestContext): SimPbsDatastore {
  const store = pbsOf(ctx).datastores.find((d) => d.store === ctx.params.store);
  if (!store) throw new ApiError(400, `datastore '${ctx.params.store}' does not exist`);
  return store;
}

function nsOf(ctx: RequestContext, store: SimPbsDatastore): string {
  const ns = ctx.query.get('ns') ?? '';
  if (ns !== '' && !store.namespaces.includes(ns)) throw new ApiError(400, `namespace '${ns}' does not exist`);
  return ns;
}

function withStatus(out: Record<string, unknown>, s: SimPbsJobStatus): Record<string, unknown> {
  if (s.nextRun !== undefined) out['next-run'] = s.nextRun;
  if (s.lastRunState !== undefined) out['last-run-state'] = s.lastRunState;
  if (s.lastRunUpid !== undefined) out['last-run-upid'] = s.lastRunUpid;
  if (s.lastRunEndtime !== undefined) out['last-run-endtime'] = s.lastRunEndtime;
  return out;
}

const defined = (o: Record<string, unknown>): Record<string, unknown> => Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined));

function snapshotItem(s: SimPbsSnapshot): Record<string, unknown> {
  return defined({
    'backup-type': s.backupType, 'backup-id': s.backupId, 'backup-time': s.backupTime,
    files: s.files.map((f) => defined({ filename: f.filename, 'crypt-mode': f.cryptMode, size: f.size })),
    size: s.size, owner: s.owner, protected: s.protected, comment: s.comment, fingerprint: s.fingerprint,
    verification: s.verification && { state: s.verification.state, upid: s.verification.upid },
  });
}

const storeFilter = (ctx: RequestContext): ((x: { store: string }) => boolean) => {
  onlyParams(ctx.query, ['store']);
  const store = ctx.query.get('store');
  return (x) => !store || x.store === store;
};

const version: Handler = (ctx) => {
  const pbs = pbsOf(ctx);
  return { data: { version: pbs.version, release: pbs.release, repoid: 'a1b2c3d4e5f6' } };
};

const datastores: Handler = (ctx) => ({
  data: pbsOf(ctx).datastores.map((d) => defined({ store: d.store, comment: d.comment, maintenance: d.maintenance })),
});

const datastoreUsage: Handler = (ctx) => ({
  data: pbsOf(ctx).datastores.map((d) => ({
    store: d.store, total: d.total, used: d.used, avail: d.total - d.used, 'estimated-full-date': d.estimatedFullDate,
    'backend-type': 'filesystem', 'mount-status': 'nonremovable',
    history: Array.from({ length: 8 }, (_, i) => Math.round((d.used / d.total - (7 - i) * 0.005) * 1e4) / 1e4),
    'history-start': ctx.now - 8 * 86400, 'history-delta': 86400,
  })),
});

const namespaces: Handler = (ctx) => {
  onlyParams(ctx.query, ['parent', 'max-depth']);
  const store = storeOf(ctx);
  return { data: [{ ns: '' }, ...store.namespaces.map((ns) => ({ ns }))] };
};

const snapshots: Handler = (ctx) => {
  onlyParams(ctx.query, ['ns', 'backup-type', 'backup-id']);
  const store = storeOf(ctx);
  const ns = nsOf(ctx, store);
  const type = ctx.query.get('backup-type');
  const id = ctx.query.get('backup-id');
  return {
    data: pbsOf(ctx).snapshots
      .filter((s) => s.store === store.store && s.ns === ns && (!type || s.backupType === type) && (!id || s.backupId === id))
      .map(snapshotItem),
  };
};

const groups: Handler = (ctx) => {
  onlyParams(ctx.query, ['ns', 'backup-type']);
  const store = storeOf(ctx);
  const ns = nsOf(ctx, store);
  const byGroup = new Map<string, SimPbsSnapshot[]>();
  for (const s of pbsOf(ctx).snapshots) {
    if (s.store !== store.store || s.ns !== ns) continue;
    const key = `${s.backupType}/${s.backupId}`;
    byGroup.set(key, [...(byGroup.get(key) ?? []), s]);
  }
  return {
    data: [...byGroup.values()].map((list) => {
      const last = list.reduce((a, b) => (b.backupTime > a.backupTime ? b : a));
      return defined({
        'backup-type': last.backupType, 'backup-id': last.backupId, 'last-backup': last.backupTime, 'backup-count': list.length,
        files: last.files.map((f) => f.filename).sort(), owner: last.owner, comment: last.comment,
      });
    }),
  };
};

const pruneJobs: Handler = (ctx) => {
  const keep = storeFilter(ctx);
  return {
    data: pbsOf(ctx).pruneJobs.filter(keep).map((j) => withStatus(defined({
      id: j.id, store: j.store, schedule: j.schedule, disable: j.disable || undefined, ns: j.ns, 'max-depth': j.maxDepth, comment: j.comment, ...j.keep,
    }), j)),
  };
};

const verifyJobs: Handler = (ctx) => {
  const keep = storeFilter(ctx);
  return {
    data: pbsOf(ctx).verifyJobs.filter(keep).map((j) => withStatus(defined({
      id: j.id, store: j.store, schedule: j.schedule, ns: j.ns, 'ignore-verified': j.ignoreVerified, 'outdated-after': j.outdatedAfter, comment: j.comment,
    }), j)),
  };
};

const syncJobs: Handler = (ctx) => {
  const keep = storeFilter(ctx);
  return {
    data: pbsOf(ctx).syncJobs.filter(keep).map((j) => withStatus(defined({
      id: j.id, store: j.store, schedule: j.schedule, ns: j.ns, remote: j.remote, 'remote-store': j.remoteStore,
      'remove-vanished': j.removeVanished, 'group-filter': j.groupFilter, owner: j.owner, 'sync-direction': j.direction, comment: j.comment,
    }), j)),
  };
};

const gcJobs: Handler = (ctx) => {
  const keep = storeFilter(ctx);
  return {
    data: pbsOf(ctx).gc.filter(keep).map((g) => withStatus(defined({
      store: g.store, upid: g.lastRunUpid, schedule: g.schedule, duration: g.duration, 'removed-bytes': g.removedBytes, 'pending-bytes': g.pendingBytes,
    }), { ...g, lastRunUpid: undefined })),
  };
};

/** proxmox-backup src/api2/node/time.rs get_time: the zone name, the UTC epoch and the epoch shifted by the offset. */
const nodeTime: Handler = (ctx) => {
  const pbs = pbsOf(ctx);
  // PBS has one node; its API takes `localhost` (or its own host name) for it.
  if (ctx.params.node !== 'localhost' && ctx.params.node !== pbs.node) throw new ApiError(400, `no such node '${ctx.params.node}'`);
  if (pbs.timeRefused) throw new ApiError(403, 'permission check failed');
  const time = ctx.now;
  // PBS reads the name from /etc/timezone and the offset from libc: a test may set a name no zone database knows.
  const offset = isValidTimeZone(pbs.timezone) ? zoneOffsetAt(time, pbs.timezone) : 0;
  return { data: { timezone: pbs.timezone, time, localtime: time + offset } };
};

export function buildPbsRouter(): Router {
  return new Router()
    .get('/version', version)
    .get('/admin/datastore', datastores)
    .get('/status/datastore-usage', datastoreUsage)
    .get('/admin/datastore/{store}/namespace', namespaces)
    .get('/admin/datastore/{store}/groups', groups)
    .get('/admin/datastore/{store}/snapshots', snapshots)
    .get('/admin/prune', pruneJobs)
    .get('/admin/verify', verifyJobs)
    .get('/admin/sync', syncJobs)
    .get('/admin/gc', gcJobs)
    .get('/nodes/{node}/time', nodeTime);
}

/**
 * What PVE's storage-content listing shows of a `pbs` storage: the vm and ct snapshots of its datastore and
 * namespace, asked of the PBS (PVE's PBSPlugin skips host backups).
 */
export function pveListingOfPbs(pbs: SimPbs, s: SimStorage, vmid: number | undefined): Record<string, unknown>[] {
  const ns = s.namespace ?? '';
  const out: Record<string, unknown>[] = [];
  for (const snap of pbs.snapshots) {
    if (snap.store !== s.datastore || snap.ns !== ns || snap.backupType === 'host') continue;
    const id = Number(snap.backupId);
    if (vmid !== undefined && id !== vmid) continue;
    const stamp = new Date(snap.backupTime * 1000).toISOString().replace(/\.\d{3}Z$/, 'Z');
    const e: Record<string, unknown> = {
      volid: `${s.storage}:backup/${snap.backupType}/${snap.backupId}/${stamp}`, content: 'backup', format: `pbs-${snap.backupType}`,
      subtype: snap.backupType === 'vm' ? 'qemu' : 'lxc', vmid: id, ctime: snap.backupTime, size: snap.size,
    };
    if (snap.comment !== undefined) e.notes = snap.comment;
    if (snap.protected) e.protected = 1;
    if (snap.verification) e.verification = { ...snap.verification };
    if (snap.fingerprint) e.encrypted = snap.fingerprint;
    out.push(e);
  }
  return out;
}
