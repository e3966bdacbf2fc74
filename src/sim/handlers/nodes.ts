// Node endpoints: the node index, node status, node time, host network configuration and the task archive.
import { ApiError, boolParam, enumParam, Handler, intParam, onlyParams, permissionDenied, RequestContext, Router } from '../router';
import { findNode, parseVmid } from '../lookup';
import { nodeStats } from './cluster';
import { Rng } from '../random';
import { zoneOffsetAt } from '../../core/schedule';
import type { SimNode, SimTask } from '../model';
import { vzdumpLogLines } from '../vzdumpLog';

const nodeIndex: Handler = (ctx) => ({
  data: ctx.cluster.nodes.map((n) => {
    const e: Record<string, unknown> = { node: n.name, status: n.online ? 'online' : 'offline', id: `node/${n.name}`, type: 'node' };
    if (n.online) {
      e.ssl_fingerprint = ctx.cluster.fingerprint;
      // Without Sys.Audit the node is listed but its figures are left out.
      if (ctx.token.sysAudit) Object.assign(e, nodeStats(ctx, n));
    }
    return e;
  }),
});

function requireNodeAudit(ctx: RequestContext, node: SimNode): void {
  if (!ctx.token.sysAudit) throw permissionDenied(`/nodes/${node.name}`, 'Sys.Audit');
}

const nodeStatus: Handler = (ctx) => {
  const n = findNode(ctx);
  requireNodeAudit(ctx, n);
  const stats = nodeStats(ctx, n);
  const mem = stats.mem as number;
  const rng = Rng.of(n.nodeid, n.name);
  const version = ctx.cluster.version === '9.1' ? '9.1.3/6d53a1c0f1a7c3e2' : '8.4.1/2a5fa54a8503f96d';
  return {
    data: {
      uptime: n.uptime,
      cpu: stats.cpu,
      idle: 0,
      wait: Math.round(rng.next() * 1000) / 100000,
      loadavg: [rng.next(), rng.next(), rng.next()].map((x) => (x * n.maxcpu * 0.2).toFixed(2)),
      cpuinfo: { cores: n.maxcpu / n.sockets / 2, cpus: n.maxcpu, model: n.cpuModel, sockets: n.sockets, mhz: '3400.000', hvm: '1', user_hz: 100, flags: 'fpu vme de pse tsc msr pae mce cx8 apic sep mtrr' },
      memory: { total: n.maxmem, used: mem, free: n.maxmem - mem, ...(ctx.cluster.version === '9.1' ? { available: n.maxmem - mem } : {}) },
      swap: { total: 8 * 1024 ** 3, used: 0, free: 8 * 1024 ** 3 },
      ksm: { shared: 0 },
      rootfs: { total: n.maxdisk, used: stats.disk, free: n.maxdisk - (stats.disk as number), avail: n.maxdisk - (stats.disk as number) },
      pveversion: `pve-manager/${version}`,
      kversion: `Linux ${n.kernel} #1 SMP PREEMPT_DYNAMIC PMX ${n.kernel.replace('-pve', '')} (2025-09-01T12:00Z)`,
      'current-kernel': { sysname: 'Linux', release: n.kernel, version: `#1 SMP PREEMPT_DYNAMIC PMX ${n.kernel.replace('-pve', '')} (2025-09-01T12:00Z)`, machine: 'x86_64' },
      'boot-info': { mode: 'efi', secureboot: 0 },
    },
  };
};

const nodeTime: Handler = (ctx) => {
  const n = findNode(ctx);
  requireNodeAudit(ctx, n);
  const time = ctx.now;
  return { data: { timezone: n.timezone, time, localtime: time + zoneOffsetAt(time, n.timezone) } };
};

function networkEntries(n: SimNode): Record<string, unknown>[] {
  const third = n.ip.split('.')[3];
  return [
    { iface: 'eno1', type: 'eth', method: 'manual', method6: 'manual', families: ['inet'], priority: 3, exists: 1, active: 1 },
    { iface: 'eno2', type: 'eth', method: 'manual', method6: 'manual', families: ['inet'], priority: 4, exists: 1, active: 1 },
    { iface: 'eno3', type: 'eth', method: 'manual', method6: 'manual', families: ['inet'], priority: 5, exists: 1, active: 1 },
    { iface: 'bond0', type: 'bond', method: 'manual', method6: 'manual', families: ['inet'], priority: 6, slaves: 'eno2 eno3',
      bond_mode: '802.3ad', bond_xmit_hash_policy: 'layer2+3', 'bond-primary': undefined, autostart: 1, active: 1 },
    { iface: 'vmbr0', type: 'bridge', method: 'static', method6: 'static', families: ['inet', 'inet6'], priority: 7, address: n.ip,
      netmask: '24', cidr: `${n.ip}/24`, gateway: '10.0.0.1', address6: `fd00::${third}`, netmask6: 64, cidr6: `fd00::${third}/64`,
      bridge_ports: 'eno1', bridge_stp: 'off', bridge_fd: '0', autostart: 1, active: 1, comments: 'Management and guest LAN\n' },
    { iface: 'vmbr1', type: 'bridge', method: 'manual', method6: 'manual', families: ['inet'], priority: 8, bridge_ports: 'bond0',
      bridge_stp: 'off', bridge_fd: '0', bridge_vlan_aware: 1, bridge_vids: '2-4094', autostart: 1, active: 1 },
    { iface: 'vmbr1.50', type: 'vlan', method: 'static', method6: 'manual', families: ['inet'], priority: 9, address: `10.50.0.${third}`,
      netmask: '24', cidr: `10.50.0.${third}/24`, 'vlan-raw-device': 'vmbr1', 'vlan-id': '50', options: ['metric 200'], autostart: 1, active: 1,
      comments: 'Storage network\n' },
  ].map((e) => Object.fromEntries(Object.entries(e).filter(([, v]) => v !== undefined)));
}

const NETWORK_TYPES = ['bridge', 'bond', 'eth', 'alias', 'vlan', 'fabric', 'OVSBridge', 'OVSBond', 'OVSPort', 'OVSIntPort', 'vnet', 'any_bridge', 'any_local_bridge', 'include_sdn'] as const;

const network: Handler = (ctx) => {
  onlyParams(ctx.query, ['type']);
  const type = enumParam(ctx.query, 'type', NETWORK_TYPES);
  const n = findNode(ctx);
  const all = networkEntries(n);
  const data = all.filter((e) => !type || type === 'include_sdn' || e.type === type || ((type === 'any_bridge' || type === 'any_local_bridge') && e.type === 'bridge'));
  return { data };
};

type StatusClass = 'ok' | 'error' | 'warning' | 'unknown';

function statusClass(t: SimTask): StatusClass {
  if (t.status === 'OK') return 'ok';
  if (t.status.startsWith('WARNINGS')) return 'warning';
  if (t.status === 'unexpected status') return 'unknown';
  return 'error';
}

const tasks: Handler = (ctx) => {
  onlyParams(ctx.query, ['errors', 'limit', 'since', 'source', 'start', 'statusfilter', 'typefilter', 'until', 'userfilter', 'vmid']);
  const n = findNode(ctx);
  const start = intParam(ctx.query, 'start', 0) ?? 0;
  // PVE's default page is 50; limit=0 lists nothing (its filter stops once the limit is used up) but counts all.
  const limit = intParam(ctx.query, 'limit', 0) ?? 50;
  const since = intParam(ctx.query, 'since');
  const until = intParam(ctx.query, 'until');
  const errors = boolParam(ctx.query, 'errors');
  const source = enumParam(ctx.query, 'source', ['archive', 'active', 'all'] as const) ?? 'archive';
  const typefilter = ctx.query.get('typefilter');
  const userfilter = ctx.query.get('userfilter');
  const statusfilter = ctx.query.get('statusfilter');
  const rawVmid = ctx.query.get('vmid');
  const vmid = rawVmid ? String(parseVmid(rawVmid)) : undefined;
  const wanted = statusfilter ? new Set(statusfilter.split(/[,;\s]+/).filter(Boolean)) : undefined;
  const [tokenUser] = ctx.token.tokenId.split('!');
  const matching = ctx.cluster.tasks.filter((t) => {
    if (t.node !== n.name) return false;
    // Without Sys.Audit only the caller's own tasks are listed.
    if (!ctx.token.sysAudit && t.user !== tokenUser) return false;
    if (source === 'active' && t.endtime !== undefined) return false;
    if (source === 'archive' && t.endtime === undefined) return false;
    if (since !== undefined && t.starttime < since) return false;
    if (until !== undefined && t.starttime > until) return false;
    if (typefilter && t.type !== typefilter) return false;
    if (userfilter && !t.user.toLowerCase().includes(userfilter.toLowerCase())) return false;
    if (vmid && t.id !== vmid) return false;
    if (errors && statusClass(t) === 'ok') return false;
    if (wanted && !wanted.has(statusClass(t))) return false;
    return true;
  });
  const page = matching.slice(start, start + limit).map((t) => {
    const e: Record<string, unknown> = { upid: t.upid, node: t.node, pid: t.pid, pstart: t.pstart, starttime: t.starttime, type: t.type, id: t.id, user: t.user };
    if (t.tokenid) e.tokenid = t.tokenid;
    if (t.endtime !== undefined) {
      e.endtime = t.endtime;
      e.status = t.status;
    } else {
      e.status = 'RUNNING';
    }
    return e;
  });
  return { data: page, total: matching.length };
};

// PVE::UPID::decode: a UPID the log reader cannot parse is a parameter error.
const UPID_PATTERN = /^UPID:([a-zA-Z0-9]([a-zA-Z0-9-]*[a-zA-Z0-9])?):([0-9A-Fa-f]{8}):([0-9A-Fa-f]{8,9}):([0-9A-Fa-f]{8}):([^:\s/]+):([^:\s/]*):([^:\s/]+):$/;

/** The lines of a task that is not a vzdump run: only its end line matters to anyone reading it here. */
function otherTaskLines(t: SimTask): string[] {
  if (t.endtime === undefined) return [];
  return [t.status === 'OK' ? 'TASK OK' : t.status.startsWith('WARNINGS') ? `TASK ${t.status}` : `TASK ERROR: ${t.status}`];
}

/**
 * GET /nodes/{node}/tasks/{upid}/log, as PVE's read_task_log and PVE::Tools::dump_logfile answer it: lines numbered
 * from 1, `start` lines skipped, at most `limit` (default 50; 0 reads to the end), `total` = all lines. A UPID that
 * parses but names no task is not an error in PVE: the log file cannot be opened, and that is the one line it sends.
 */
const taskLog: Handler = (ctx) => {
  onlyParams(ctx.query, ['start', 'limit', 'download']);
  const n = findNode(ctx);
  const upid = ctx.params.upid;
  if (!UPID_PATTERN.test(upid)) throw new ApiError(400, 'Parameter verification failed.', { upid: 'unable to parse worker upid' });
  const start = intParam(ctx.query, 'start', 0) ?? 0;
  const limit = intParam(ctx.query, 'limit', 0) ?? 50;
  const task = ctx.cluster.tasks.find((t) => t.upid === upid);
  const [tokenUser] = ctx.token.tokenId.split('!');
  if (!ctx.token.sysAudit && task?.user !== tokenUser) requireNodeAudit(ctx, n);
  const lines = !task ? ['unable to open file - No such file or directory']
    : task.vzdump ? vzdumpLogLines(task, ctx.cluster, ctx.now) : otherTaskLines(task);
  // dump_logfile's "no content" line: ExtJS cannot page an empty store.
  if (lines.length === 0) lines.push('no content');
  const end = limit === 0 ? lines.length : Math.min(lines.length, start + limit);
  const data = [];
  for (let i = start; i < end; i++) data.push({ n: i + 1, t: lines[i] });
  return { data, total: lines.length };
};

export function registerNodeRoutes(r: Router): void {
  r.get('/nodes', nodeIndex)
    .get('/nodes/{node}/status', nodeStatus)
    .get('/nodes/{node}/time', nodeTime)
    .get('/nodes/{node}/network', network)
    .get('/nodes/{node}/tasks', tasks)
    .get('/nodes/{node}/tasks/{upid}/log', taskLog);
}
