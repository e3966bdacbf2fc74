// Storage endpoints: the storage.cfg index, per-node storage status, and storage content (backups, disk images,
// ISO images, container templates).
import { ApiError, boolParam, Handler, onlyParams, permissionDenied, RequestContext, Router } from '../router';
import { canAuditVm, findNode, parseVmid } from '../lookup';
import { subSeed } from '../random';
import type { SimCluster, SimStorage } from '../model';
import { pveListingOfPbs } from '../pbs/handlers';

/** Storages configured for a node (storage.cfg `nodes`), optionally with disabled ones. */
export function nodeStorages(cluster: SimCluster, node: string, includeDisabled = false): SimStorage[] {
  return cluster.storages.filter((s) => (!s.nodes || s.nodes.includes(node)) && (includeDisabled || !s.disable));
}

function configEntry(s: SimStorage, digest: string): Record<string, unknown> {
  const e: Record<string, unknown> = { storage: s.storage, type: s.type, content: s.content.join(','), digest };
  if (s.shared) e.shared = 1;
  if (s.nodes) e.nodes = s.nodes.join(',');
  if (s.disable) e.disable = 1;
  for (const key of ['path', 'server', 'port', 'export', 'datastore', 'namespace', 'username', 'fingerprint', 'pool', 'vgname', 'thinpool'] as const) {
    if (s[key] !== undefined) e[key] = s[key];
  }
  // Retention is a raw property string here, unlike the parsed object in /cluster/backup.
  if (s.pruneBackups) e['prune-backups'] = s.pruneBackups;
  if (s.maxProtectedBackups !== undefined) e['max-protected-backups'] = s.maxProtectedBackups;
  return e;
}

const storageIndex: Handler = (ctx) => {
  onlyParams(ctx.query, ['type']);
  const type = ctx.query.get('type');
  if (!ctx.token.datastoreAudit) return { data: [] };
  const digest = subSeed(ctx.cluster.storages.length, ...ctx.cluster.storages.map((s) => s.storage)).toString(16).padStart(8, '0').repeat(5);
  return { data: ctx.cluster.storages.filter((s) => !type || s.type === type).map((s) => configEntry(s, digest)) };
};

/** Local storages differ per node; shared ones report the same figures everywhere. */
function usage(s: SimStorage, node: string): { total: number; used: number } {
  if (s.shared) return { total: s.total, used: s.used };
  const f = 0.5 + (subSeed(1, s.storage, node) % 1000) / 1000;
  return { total: s.total, used: Math.min(s.total, Math.floor(s.used * f)) };
}

const nodeStorageStatus: Handler = (ctx) => {
  onlyParams(ctx.query, ['content', 'enabled', 'format', 'storage', 'target']);
  const node = findNode(ctx);
  const content = ctx.query.get('content');
  const onlyEnabled = boolParam(ctx.query, 'enabled');
  const withFormat = boolParam(ctx.query, 'format');
  const only = ctx.query.get('storage');
  if (!ctx.token.datastoreAudit) return { data: [] };
  const data = nodeStorages(ctx.cluster, node.name, true)
    .filter((s) => (!content || content.split(',').every((c) => s.content.includes(c))) && (!onlyEnabled || !s.disable) && (!only || s.storage === only))
    .map((s) => {
      const e: Record<string, unknown> = { storage: s.storage, type: s.type, content: s.content.join(','), shared: s.shared ? 1 : 0 };
      if (s.disable) {
        e.enabled = 0;
        e.active = 0;
        return e;
      }
      const u = usage(s, node.name);
      Object.assign(e, { enabled: 1, active: 1, total: u.total, used: u.used, avail: u.total - u.used,
        used_fraction: Math.round((u.used / u.total) * 1e8) / 1e8 });
      if (withFormat && ctx.cluster.version === '9.1' && s.content.includes('images')) {
        e.formats = { default: 'raw', supported: ['raw'] };
        e.select_existing = 0;
      }
      return e;
    });
  return { data };
};

const TEMPLATES = ['debian-12-standard_12.7-1_amd64.tar.zst', 'ubuntu-24.04-standard_24.04-2_amd64.tar.zst', 'alpine-3.20-default_20240908_amd64.tar.xz'];
const ISOS = ['debian-12.7.0-amd64-netinst.iso', 'ubuntu-24.04.1-live-server-amd64.iso', 'virtio-win-0.1.262.iso'];

function content(ctx: RequestContext): { data: unknown } {
  onlyParams(ctx.query, ['content', 'vmid']);
  const node = findNode(ctx);
  const id = ctx.params.storage;
  if (!ctx.token.datastoreAudit) throw permissionDenied(`/storage/${id}`, 'Datastore.Audit', 'Datastore.AllocateSpace');
  const s = ctx.cluster.storages.find((x) => x.storage === id);
  if (!s) throw new ApiError(500, `storage '${id}' does not exist`);
  if (s.nodes && !s.nodes.includes(node.name)) throw new ApiError(500, `storage '${id}' is not available on node '${node.name}'`);
  if (s.disable) throw new ApiError(500, `storage '${id}' is disabled`);
  const kind = ctx.query.get('content');
  const rawVmid = ctx.query.get('vmid');
  const vmid = rawVmid ? parseVmid(rawVmid) : undefined;
  const wants = (c: string): boolean => s.content.includes(c) && (!kind || kind === c);
  const out: Record<string, unknown>[] = [];
  if (wants('backup') && s.type === 'pbs' && ctx.cluster.pbs) {
    // As a real PVE: the listing of a pbs storage is asked of the PBS.
    out.push(...pveListingOfPbs(ctx.cluster.pbs, s, vmid));
  } else if (wants('backup')) {
    for (const b of ctx.cluster.backups) {
      if (b.storage !== s.storage || (!s.shared && b.node !== node.name) || (vmid !== undefined && b.vmid !== vmid)) continue;
      const e: Record<string, unknown> = { volid: b.volid, content: 'backup', format: b.format, subtype: b.subtype, vmid: b.vmid, ctime: b.ctime, size: b.size };
      if (b.notes !== undefined) e.notes = b.notes;
      if (b.protected) e.protected = 1;
      if (b.verification) e.verification = { ...b.verification };
      if (b.encrypted) e.encrypted = b.encrypted;
      out.push(e);
    }
  }
  if (wants('images') || wants('rootdir')) {
    for (const g of ctx.cluster.guests) {
      if ((!s.shared && g.node !== node.name) || (vmid !== undefined && g.vmid !== vmid) || !canAuditVm(ctx.token, g.vmid)) continue;
      const c = g.type === 'qemu' ? 'images' : 'rootdir';
      if (!wants(c)) continue;
      for (const d of g.disks) {
        if (d.storage !== s.storage || d.media) continue;
        out.push({ volid: `${s.storage}:${d.volume}`, content: c, format: 'raw', size: d.sizeBytes, vmid: g.vmid, ctime: g.ctime });
      }
    }
  }
  if (wants('iso') && vmid === undefined) {
    ISOS.forEach((iso, i) => out.push({ volid: `${s.storage}:iso/${iso}`, content: 'iso', format: 'iso', size: (628 + i * 1900) * 1024 * 1024, ctime: ctx.cluster.epoch - (200 + i * 30) * 86400 }));
  }
  if (wants('vztmpl') && vmid === undefined) {
    TEMPLATES.forEach((t, i) => out.push({ volid: `${s.storage}:vztmpl/${t}`, content: 'vztmpl', format: t.endsWith('.zst') ? 'tzst' : 'txz', size: (120 + i * 40) * 1024 * 1024, ctime: ctx.cluster.epoch - (100 + i * 20) * 86400 }));
  }
  out.sort((a, b) => (String(a.volid) < String(b.volid) ? -1 : String(a.volid) > String(b.volid) ? 1 : 0));
  return { data: out };
}

export function registerStorageRoutes(r: Router): void {
  r.get('/storage', storageIndex)
    .get('/nodes/{node}/storage', nodeStorageStatus)
    .get('/nodes/{node}/storage/{storage}/content', content);
}
