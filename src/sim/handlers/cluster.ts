// Cluster-wide endpoints: version, status, resources, options, corosync nodes, pools and replication jobs.
import { ApiError, enumParam, Handler, onlyParams, RequestContext, Router } from '../router';
import { canAuditVm, requireSysAudit } from '../lookup';
import { rootDiskSize } from './guests';
import { nodeStorages } from './storage';
import { Rng } from '../random';
import type { SimGuest, SimNode } from '../model';

const versionInfo = { '9.1': { version: '9.1.3', release: '9.1' }, '8.4': { version: '8.4.1', release: '8.4' } } as const;

function nodeEntry(ctx: RequestContext, n: SimNode): Record<string, unknown> {
  const e: Record<string, unknown> = { id: `node/${n.name}`, type: 'node', node: n.name, status: n.online ? 'online' : 'offline' };
  // Without Sys.Audit PVE still lists the node but hides its numbers.
  if (!n.online || !ctx.token.sysAudit) return e;
  Object.assign(e, nodeStats(ctx, n));
  e['cgroup-mode'] = 2;
  return e;
}

/** The usage figures of a node, shared by /cluster/resources and /nodes. */
export function nodeStats(ctx: RequestContext, n: SimNode): Record<string, unknown> {
  const guests = ctx.cluster.guests.filter((g) => g.node === n.name && g.status === 'running');
  const mem = Math.min(n.maxmem, 4 * 1024 ** 3 + guests.reduce((s, g) => s + g.memUsed, 0));
  return {
    cpu: Math.round((0.02 + Math.min(0.9, guests.reduce((s, g) => s + g.cpuUsage * g.cores, 0) / n.maxcpu)) * 1e6) / 1e6,
    maxcpu: n.maxcpu,
    mem,
    maxmem: n.maxmem,
    disk: Math.floor(n.maxdisk * 0.12),
    maxdisk: n.maxdisk,
    uptime: n.uptime,
    level: n.level,
  };
}

export function guestResource(ctx: RequestContext, g: SimGuest): Record<string, unknown> {
  const node = ctx.cluster.nodes.find((n) => n.name === g.node);
  const e: Record<string, unknown> = {
    id: `${g.type}/${g.vmid}`, type: g.type, vmid: g.vmid, node: g.node, name: g.name,
    // PVE has no fresh status for guests on a node it cannot reach.
    status: node?.online === false ? 'unknown' : g.status,
    template: g.template ? 1 : 0,
    maxcpu: g.cores * g.sockets, cpu: g.cpuUsage, maxmem: g.memoryMiB * 1024 * 1024, mem: g.memUsed,
    maxdisk: rootDiskSize(g), disk: g.type === 'lxc' && g.status === 'running' ? Math.floor(rootDiskSize(g) * 0.3) : 0,
    uptime: g.uptime, netin: g.netin, netout: g.netout, diskread: g.diskread, diskwrite: g.diskwrite,
  };
  if (g.tags.length) e.tags = g.tags.join(';');
  if (g.pool) e.pool = g.pool;
  if (g.lock) e.lock = g.lock;
  if (ctx.cluster.version === '9.1' && g.type === 'qemu') e.memhost = g.memUsed;
  return e;
}

const resources: Handler = (ctx) => {
  onlyParams(ctx.query, ['type']);
  const type = enumParam(ctx.query, 'type', ['vm', 'storage', 'node', 'sdn'] as const);
  const data: Record<string, unknown>[] = [];
  if (!type || type === 'vm') {
    for (const g of ctx.cluster.guests) if (canAuditVm(ctx.token, g.vmid)) data.push(guestResource(ctx, g));
  }
  if (!type || type === 'node') for (const n of ctx.cluster.nodes) data.push(nodeEntry(ctx, n));
  if (!type || type === 'storage') {
    if (ctx.token.datastoreAudit) {
      for (const n of ctx.cluster.nodes) {
        for (const s of nodeStorages(ctx.cluster, n.name)) {
          data.push({ id: `storage/${n.name}/${s.storage}`, type: 'storage', node: n.name, storage: s.storage,
            status: n.online ? 'available' : 'unknown', plugintype: s.type, content: s.content.join(','),
            shared: s.shared ? 1 : 0, disk: s.used, maxdisk: s.total });
        }
      }
    }
  }
  if (!type) {
    for (const p of ctx.cluster.pools) data.push({ id: `/pool/${p.poolid}`, type: 'pool', pool: p.poolid });
  }
  if (!type || type === 'sdn') {
    for (const n of ctx.cluster.nodes) {
      data.push({ id: `sdn/${n.name}/localnetwork`, type: 'sdn', sdn: 'localnetwork', node: n.name, status: n.online ? 'ok' : 'unknown' });
    }
  }
  return { data };
};

const clusterStatus: Handler = (ctx) => {
  requireSysAudit(ctx, '/');
  const { cluster } = ctx;
  if (cluster.nodes.length === 1) {
    const n = cluster.nodes[0];
    return { data: [{ type: 'node', id: `node/${n.name}`, name: n.name, nodeid: 0, local: 1, online: 1, ip: n.ip, level: n.level }] };
  }
  const online = cluster.nodes.filter((n) => n.online).length;
  const data: Record<string, unknown>[] = [{
    type: 'cluster', id: 'cluster', name: cluster.name, nodes: cluster.nodes.length, version: cluster.configVersion,
    quorate: online * 2 > cluster.nodes.length ? 1 : 0,
  }];
  cluster.nodes.forEach((n, i) => {
    data.push({ type: 'node', id: `node/${n.name}`, name: n.name, nodeid: n.nodeid, local: i === 0 ? 1 : 0,
      online: n.online ? 1 : 0, ip: n.ip, level: n.level });
  });
  return { data };
};

const replication: Handler = (ctx) => ({
  data: ctx.cluster.replications.filter((r) => canAuditVm(ctx.token, r.guest)).map((r) => ({ ...r })),
});

function poolMembers(ctx: RequestContext, poolid: string): Record<string, unknown>[] {
  return ctx.cluster.guests.filter((g) => g.pool === poolid && canAuditVm(ctx.token, g.vmid)).map((g) => guestResource(ctx, g));
}

export function registerClusterRoutes(r: Router): void {
  r.get('/version', (ctx) => {
    const v = versionInfo[ctx.cluster.version];
    return { data: { version: v.version, release: v.release, repoid: Rng.of(0, v.version).hex(16) } };
  })
    .get('/cluster/status', clusterStatus)
    .get('/cluster/resources', resources)
    .get('/cluster/options', (ctx) => {
      requireSysAudit(ctx, '/');
      return { data: { keyboard: 'en-us', console: 'xtermjs', mac_prefix: 'BC:24:11' } };
    })
    .get('/cluster/config/nodes', (ctx) => {
      requireSysAudit(ctx, '/');
      return { data: ctx.cluster.nodes.map((n) => ({ node: n.name, name: n.name, nodeid: String(n.nodeid), quorum_votes: '1', ring0_addr: n.ip })) };
    })
    .get('/cluster/replication', replication)
    .get('/pools', (ctx) => {
      onlyParams(ctx.query, ['poolid', 'type']);
      const only = ctx.query.get('poolid');
      return {
        data: ctx.cluster.pools.filter((p) => !only || p.poolid === only).map((p) => {
          const e: Record<string, unknown> = { poolid: p.poolid };
          if (p.comment) e.comment = p.comment;
          if (only) e.members = poolMembers(ctx, p.poolid);
          return e;
        }),
      };
    })
    .get('/pools/{poolid}', (ctx) => {
      const p = ctx.cluster.pools.find((x) => x.poolid === ctx.params.poolid);
      if (!p) throw new ApiError(500, `pool '${ctx.params.poolid}' does not exist`);
      const e: Record<string, unknown> = { members: poolMembers(ctx, p.poolid) };
      if (p.comment) e.comment = p.comment;
      return { data: e };
    });
}
