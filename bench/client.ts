// API client figures: decode throughput of a large /cluster/resources body, the effect of the per-endpoint
// concurrency limit against a simulator with per-request latency, and of connection reuse. Prints figures and
// ratios only; nothing here passes or fails on speed.
import { performance } from 'node:perf_hooks';
import { decodeClusterResources, ProxmoxClient, type GuestResource } from '../src/core/proxmox';
import { startSimulator } from '../src/sim';

function syntheticResources(count: number): unknown[] {
  const out: unknown[] = [];
  for (let i = 0; i < count; i++) {
    const vmid = 100 + i;
    const type = i % 3 === 0 ? 'lxc' : 'qemu';
    out.push({
      id: `${type}/${vmid}`, type, vmid: i % 7 === 0 ? String(vmid) : vmid, node: `pve${i % 8}`, name: `guest-${vmid}`,
      status: i % 5 === 0 ? 'stopped' : 'running', template: 0, tags: 'prod;web', cpu: 0.0123, maxcpu: 4, mem: 1e9,
      maxmem: 4e9, disk: 0, maxdisk: 34359738368, uptime: 123456, netin: 1, netout: 2, diskread: 3, diskwrite: 4,
    });
  }
  return out;
}

async function main(): Promise<void> {
  const body = syntheticResources(20_000);
  const times: number[] = [];
  for (let i = 0; i < 9; i++) {
    // CPU time rather than wall time, so that other processes on a shared machine do not count.
    const t0 = process.cpuUsage();
    decodeClusterResources(body, 'data');
    const used = process.cpuUsage(t0);
    times.push((used.user + used.system) / 1000);
  }
  // The median of nine rounds: the first rounds include JIT warm-up, and the machine may be shared.
  const median = times.sort((a, b) => a - b)[4];
  console.log(`decode /cluster/resources, 20,000 entries: median ${median.toFixed(1)} ms CPU (${(median / 20).toFixed(2)} ms per 1,000 entries)`);

  const sim = await startSimulator({ seed: 3, nodes: 3, guests: 60, jobs: 3, latencyMs: 10 });
  try {
    const endpoint = { id: 'bench', name: 'bench', url: sim.url, tokenId: sim.tokenId, fingerprint: sim.fingerprint };
    const probe = new ProxmoxClient(endpoint, sim.tokenSecret);
    const guests = (await probe.clusterResources('vm')).filter((r): r is GuestResource => r.type === 'qemu' || r.type === 'lxc');
    await probe.close();
    const online = new Set(sim.cluster.nodes.filter((n) => n.online).map((n) => n.name));
    const targets = guests.filter((g) => online.has(g.node));

    const timeConfigs = async (concurrency: number): Promise<{ ms: number; requests: number }> => {
      const c = new ProxmoxClient(endpoint, sim.tokenSecret, { concurrency });
      const start = performance.now();
      await Promise.all(targets.map((g) => (g.type === 'qemu' ? c.qemuConfig(g.node, g.vmid) : c.lxcConfig(g.node, g.vmid))));
      const ms = performance.now() - start;
      const requests = c.requestCount;
      await c.close();
      return { ms, requests };
    };
    const serial = await timeConfigs(1);
    const parallel = await timeConfigs(8);
    console.log(`${targets.length} guest configs, 10 ms simulated latency: concurrency 1 ${serial.ms.toFixed(0)} ms, ` +
      `concurrency 8 ${parallel.ms.toFixed(0)} ms, ratio ${(serial.ms / parallel.ms).toFixed(1)}x; requests ${serial.requests} / ${parallel.requests}`);

    // Connection reuse: one pooled client vs a fresh client (new TLS handshake) per request.
    const n = 40;
    const pooled = new ProxmoxClient(endpoint, sim.tokenSecret, { concurrency: 1 });
    let start = performance.now();
    for (let i = 0; i < n; i++) await pooled.version();
    const pooledMs = performance.now() - start;
    await pooled.close();
    start = performance.now();
    for (let i = 0; i < n; i++) {
      const fresh = new ProxmoxClient(endpoint, sim.tokenSecret, { concurrency: 1 });
      await fresh.version();
      await fresh.close();
    }
    const freshMs = performance.now() - start;
    console.log(`${n} sequential GET /version: pooled ${pooledMs.toFixed(0)} ms, new connection each ${freshMs.toFixed(0)} ms, ` +
      `ratio ${(freshMs / pooledMs).toFixed(2)}x (latency included in both)`);

    // Retries under an intermittent fault: how many requests a flaky proxy costs.
    sim.setFaults(['/cluster/resources:reset:0.3']);
    const flaky = new ProxmoxClient(endpoint, sim.tokenSecret, { retries: 5, retryBaseMs: 5 });
    for (let i = 0; i < 20; i++) await flaky.clusterResources();
    console.log(`20 GET /cluster/resources with 30% resets: ${flaky.requestCount} requests sent (${(flaky.requestCount / 20).toFixed(2)} per call), all succeeded`);
    await flaky.close();
  } finally {
    await sim.close();
  }
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
