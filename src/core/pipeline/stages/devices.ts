// Stage 1: the cluster and its nodes, with each node's time zone (backup schedules run in node local time).
// /cluster/status names the nodes and whether they are online; /cluster/resources (fetched once, shared with the
// storage and guest stages) adds their size; /nodes/{node}/time gives the zone. An offline node keeps the zone
// the last sync read.
import type { ClusterInfo, NodeRecord } from '../../inventory/model';
import type { ClusterStatusCluster, ClusterStatusNode, NodeResource } from '../../proxmox/types';
import type { StageDefinition } from './types';
import { forEachItem } from './types';
import { num, str } from './guestConfig';

export const devices: StageDefinition = {
  name: 'devices',
  startMessage: 'Reading the cluster and its nodes.',
  async run(run) {
    const { ctx } = run;
    const [status, resources] = await Promise.all([ctx.api.clusterStatus(run.call), ctx.resources(run)]);
    const clusterEntry = status.find((e): e is ClusterStatusCluster => e.type === 'cluster');
    const statusNodes = new Map(status.filter((e): e is ClusterStatusNode => e.type === 'node').map((n) => [n.name, n]));
    const resNodes = new Map(resources.filter((r): r is NodeResource => r.type === 'node').map((r) => [r.node, r]));
    const previous = new Map(run.get('nodes').map((n) => [n.name, n]));

    const names = [...new Set<string>([...statusNodes.keys(), ...resNodes.keys()])];
    const nodes: NodeRecord[] = names.map((name) => {
      const s = statusNodes.get(name);
      const r = resNodes.get(name);
      const online = s ? s.online : r?.status === 'online' ? true : r?.status === 'offline' ? false : undefined;
      return {
        name,
        status: online === true ? 'online' : online === false ? 'offline' : 'unknown',
        nodeId: s?.nodeid ?? null,
        ip: str(s?.ip),
        timezone: previous.get(name)?.timezone ?? null,
        maxCpu: num(r?.maxcpu),
        maxMemBytes: num(r?.maxmem),
        level: str(s?.level ?? r?.level),
      };
    });
    run.discovery(nodes.map((n) => ({ name: n.name, item_type: 'node' })), `Discovered ${nodes.length} node(s).`);

    for (const n of nodes) {
      if (n.status === 'offline') {
        ctx.unreachableNodes.add(n.name);
        run.itemSkipped('node offline (its time zone is kept from the last sync)');
      }
    }
    const reachable = nodes.filter((n) => n.status !== 'offline');
    run.attempted = reachable.length;
    await forEachItem(run, reachable, ctx.limits.node, (n) => ({ name: n.name, item_type: 'node' }), async (n) => {
      try {
        const t = await ctx.api.nodeTime(n.name, run.call);
        if (t.timezone) n.timezone = t.timezone;
      } catch (err) {
        // Later stages skip this node's per-node and per-guest reads instead of timing out on each of them.
        ctx.unreachableNodes.add(n.name);
        throw err;
      }
    });
    run.assertNotAllFailed();

    const cluster: ClusterInfo = clusterEntry
      ? {
          name: clusterEntry.name, standalone: false, quorate: clusterEntry.quorate ?? null,
          configVersion: clusterEntry.version ?? null, nodeCount: clusterEntry.nodes ?? nodes.length,
        }
      : { name: nodes[0]?.name ?? 'pve', standalone: true, quorate: null, configVersion: null, nodeCount: nodes.length };
    run.setCluster(cluster);
    run.reconcile('nodes', nodes);
    return nodes.length;
  },
};
