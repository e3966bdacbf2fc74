// The pipeline against the simulator at scale: 5,000 guests on 20 nodes, 20 ms per request (override with GUESTS,
// NODES, JOBS, LATENCY_MS). The simulator runs in its own process (`proxbox sim`), so the memory figure is the
// pipeline's. Prints, each with its goal: Proxmox requests per guest (no more than the sequential runner needed,
// 11,890 for the default cluster = 2.38 per guest; the design's limit is 3), wall time against the request-bound
// limit requests × latency ÷ concurrency (within 1.10×), peak RSS (< 300 MB); the same for a no-change re-sync, and
// the time to load the stored inventory (and a 10,000-guest one). VERBOSE=1 adds each stage's start and end.
// Run: npm run build && node out/bench/pipeline.js
import { spawn, ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { createInterface } from 'node:readline';
import { get as httpsGet } from 'node:https';
import { runSync, CompleteData, PipelineEvent } from '../src/core/pipeline';
import { loadInventory, saveInventory } from '../src/core/inventory/inventory';
import { COLLECTIONS, Inventory } from '../src/core/inventory/model';
import { ProxmoxClient, type EndpointConfig } from '../src/core/proxmox';

const GUESTS = Number(process.env.GUESTS ?? 5000);
const NODES = Number(process.env.NODES ?? 20);
const LATENCY = Number(process.env.LATENCY_MS ?? 20);
const JOBS = Number(process.env.JOBS ?? 40);
const CONCURRENCY = 8;
const GOAL = {
  /**
   * Requests of the default cluster: 11,617 before stages ran concurrently, plus what backup health reads (one vzdump
   * listing per node and one log per failed vzdump task: 11,890 on the first sync). A different cluster has no
   * recorded figure, only the design's limit of 3 per guest.
   */
  requestsPerGuest: GUESTS === 5000 && NODES === 20 && JOBS === 40 ? 11890 / 5000 : 3,
  wallVsBound: 1.1,
  peakRssMb: 300,
};

interface SimInfo { url: string; tokenId: string; tokenSecret: string; fingerprint: string; httpUrl: string }

function startSim(): Promise<{ child: ChildProcess; info: SimInfo }> {
  const cli = join(__dirname, '..', '..', 'dist', 'cli.js');
  const child = spawn(process.execPath, [cli, 'sim', '--guests', String(GUESTS), '--nodes', String(NODES), '--jobs', String(JOBS), '--latency-ms', String(LATENCY), '--seed', '11'], { stdio: ['ignore', 'pipe', 'inherit'] });
  return new Promise((resolve, reject) => {
    const rl = createInterface({ input: child.stdout! });
    rl.once('line', (line) => resolve({ child, info: JSON.parse(line) as SimInfo }));
    child.once('exit', (code) => reject(new Error(`simulator exited with ${code}`)));
  });
}

const mark = (ok: boolean): string => (ok ? 'met' : 'MISSED');

/** The simulator's request counters (its /_sim/stats, outside the API): all, task listings, task logs. */
async function simRequests(url: string): Promise<{ total: number; tasks: number; logs: number }> {
  const body = await new Promise<string>((resolve, reject) => {
    httpsGet(`${url}/_sim/stats`, { rejectUnauthorized: false }, (res) => {
      let text = '';
      res.on('data', (c: Buffer) => (text += c.toString('utf8')));
      res.on('end', () => resolve(text));
    }).on('error', reject);
  });
  const stats = JSON.parse(body) as { total: number; byPath: Record<string, number> };
  const sum = (re: RegExp): number => Object.entries(stats.byPath).filter(([p]) => re.test(p)).reduce((a, [, n]) => a + n, 0);
  return { total: stats.total, tasks: sum(/\/tasks$/), logs: sum(/\/tasks\/[^/]+\/log$/) };
}

async function measured(label: string, run: (onEvent: (e: PipelineEvent) => void) => Promise<CompleteData>): Promise<CompleteData> {
  // memoryUsage.rss() alone: the full memoryUsage() also gathers V8 heap statistics, and 40 times a second that cost
  // showed up as about a tenth of the pipeline's CPU in a profile.
  let peak = process.memoryUsage.rss();
  const timer = setInterval(() => { peak = Math.max(peak, process.memoryUsage.rss()); }, 25);
  const t0 = performance.now();
  const cpu0 = process.cpuUsage();
  const timeline = new Map<string, { start?: number; end?: number }>();
  const c = await run((e) => {
    if (e.event !== 'step' || e.data.step === 'sync') return;
    const t = timeline.get(e.data.step) ?? {};
    if (e.data.status === 'started') t.start = performance.now() - t0;
    else t.end = performance.now() - t0;
    timeline.set(e.data.step, t);
  });
  const wall = (performance.now() - t0) / 1000;
  const cpu = process.cpuUsage(cpu0);
  const cpuSeconds = (cpu.user + cpu.system) / 1e6;
  clearInterval(timer);
  peak = Math.max(peak, process.memoryUsage.rss());
  const req = c.result.requests;
  const bound = (req * LATENCY) / 1000 / CONCURRENCY;
  const perGuest = req / GUESTS;
  const peakMb = peak / 2 ** 20;
  console.log(`${label}: ok=${c.ok}; ${req} requests = ${perGuest.toFixed(2)} per guest (goal ≤ ${GOAL.requestsPerGuest.toFixed(2)}: ${mark(perGuest <= GOAL.requestsPerGuest + 1e-9)}); ` +
    `wall ${wall.toFixed(1)} s vs request-bound ${bound.toFixed(1)} s = ${(wall / bound).toFixed(2)}× (goal ≤ ${GOAL.wallVsBound.toFixed(2)}×: ${mark(wall / bound <= GOAL.wallVsBound)}); ` +
    `peak RSS ${peakMb.toFixed(0)} MB (goal < ${GOAL.peakRssMb}: ${mark(peakMb < GOAL.peakRssMb)}); pipeline CPU ${cpuSeconds.toFixed(1)} s; load average ${loadavg()[0].toFixed(1)} on ${cpus().length} cores; ` +
    `created ${c.result.created}, updated ${c.result.updated}, deleted ${c.result.deleted}, files written ${c.result.written}`);
  if (!c.ok) console.log(JSON.stringify(c.errors));
  if (process.env.VERBOSE) {
    console.log('  ' + [...timeline].map(([step, t]) => `${step} ${((t.start ?? 0) / 1000).toFixed(1)}–${((t.end ?? 0) / 1000).toFixed(1)} s`).join(', '));
  }
  return c;
}

/**
 * The same kind of request the pipeline makes most (guest configs), sent by the client alone at the same
 * concurrency: how close to the request-bound limit this machine, under its current load, lets any caller come.
 * Every request crosses two processes' event loops (and TLS) on top of the simulated latency; on a shared machine
 * that overhead, not the pipeline, decides most of the distance to the bound.
 */
async function transportFloor(endpoint: EndpointConfig, secret: string, inv: Inventory): Promise<void> {
  const guests = inv.guests.slice(0, 2000);
  const client = new ProxmoxClient(endpoint, secret, { concurrency: CONCURRENCY });
  try {
    const t0 = performance.now();
    await Promise.all(guests.map((g) => (g.type === 'qemu' ? client.qemuConfig(g.node, g.vmid) : client.lxcConfig(g.node, g.vmid))));
    const wall = (performance.now() - t0) / 1000;
    const bound = (client.requestCount * LATENCY) / 1000 / CONCURRENCY;
    console.log(`transport floor: ${client.requestCount} guest-config reads by the client alone at concurrency ${CONCURRENCY}: wall ${wall.toFixed(1)} s vs request-bound ` +
      `${bound.toFixed(1)} s = ${(wall / bound).toFixed(2)}× (no goal: the least this machine allows now; load average ${loadavg()[0].toFixed(1)})`);
  } finally {
    await client.close();
  }
}

function enlarge(inv: Inventory, factor: number): Inventory {
  const big: Inventory = { ...inv, endpoint: { ...inv.endpoint, id: 'bench-10k' } };
  for (const c of COLLECTIONS) {
    const list = inv[c] as unknown as Record<string, unknown>[];
    const out: unknown[] = [];
    for (let k = 0; k < factor; k++) {
      for (const r of list) {
        const copy: Record<string, unknown> = { ...r };
        if (typeof copy.vmid === 'number') copy.vmid = (copy.vmid as number) + k * 100000;
        if (typeof copy.volid === 'string') copy.volid = `${copy.volid as string}#${k}`;
        if (typeof copy.upid === 'string') copy.upid = `${copy.upid as string}#${k}`;
        if (typeof copy.jobId === 'string') copy.jobId = `${copy.jobId as string}#${k}`;
        if (c === 'nodes' || c === 'storages') { if (k > 0) continue; }
        out.push(copy);
      }
    }
    (big as unknown as Record<string, unknown>)[c] = out;
  }
  return big;
}

async function main(): Promise<void> {
  console.log(`pipeline: ${GUESTS} guests on ${NODES} nodes, ${JOBS} backup jobs, ${LATENCY} ms per request, concurrency ${CONCURRENCY}`);
  const { child, info } = await startSim();
  const store = mkdtempSync(join(tmpdir(), 'proxbox-bench-pipeline-'));
  try {
    const endpoint = { id: 'bench', name: 'bench', url: info.url, tokenId: info.tokenId, fingerprint: info.fingerprint };
    const sync = (onEvent: (e: PipelineEvent) => void): Promise<CompleteData> =>
      runSync({ endpoint, secret: info.tokenSecret, store, onEvent, options: { concurrency: { fetch: CONCURRENCY, vm: CONCURRENCY } } });
    let before = await simRequests(info.url);
    await measured('full sync      ', sync);
    let after = await simRequests(info.url);
    console.log(`  full sync: ${after.total - before.total} requests served, of which ${after.tasks - before.tasks} task listings and ${after.logs - before.logs} vzdump task logs`);
    await transportFloor(endpoint, info.tokenSecret, (await loadInventory(store, 'bench'))!);
    before = await simRequests(info.url);
    await measured('no-change sync ', sync);
    after = await simRequests(info.url);
    console.log(`  no-change sync: ${after.total - before.total} requests served, of which ${after.tasks - before.tasks} task listings and ${after.logs - before.logs} vzdump task logs (goal 0 logs: ${mark(after.logs === before.logs)})`);

    let t = performance.now();
    const inv = (await loadInventory(store, 'bench'))!;
    console.log(`load inventory (${inv.guests.length} guests): ${(performance.now() - t).toFixed(0)} ms`);
    const factor = Math.max(1, Math.ceil(10_000 / Math.max(1, inv.guests.length)));
    const big = enlarge(inv, factor);
    await saveInventory(store, big, COLLECTIONS, true);
    t = performance.now();
    const loaded = (await loadInventory(store, 'bench-10k'))!;
    const ms = performance.now() - t;
    const records = COLLECTIONS.reduce((a, c) => a + loaded[c].length, 0);
    if (process.env.VERBOSE) console.log('  ' + COLLECTIONS.map((c) => `${c} ${loaded[c].length} (${(JSON.stringify(loaded[c]).length / 2 ** 20).toFixed(1)} MB)`).join(', '));
    console.log(`load inventory (${loaded.guests.length} guests, ${records} records in all): ${ms.toFixed(0)} ms (goal well under 1000)`);
  } finally {
    child.kill('SIGTERM');
    rmSync(store, { recursive: true, force: true });
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
