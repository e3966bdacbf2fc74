// The NetBox sink at scale: the simulator with 5,000 guests on 20 nodes (its own process, no latency: the Proxmox
// side is measured by bench/pipeline.ts), synced through the pipeline with a netbox step into the schema-validating
// fake NetBox (its own process too, 5 ms per request, as a NetBox on the same network answers). Override with GUESTS,
// NODES, NETBOX_LATENCY_MS. Prints, each with its goal: NetBox requests per guest on a first sync (goal < 0.5), the
// writes among them; a re-sync with no change in Proxmox (goal: only reads, 0 writes); the netbox step's wall time
// and the peak RSS of the syncing process.
// Run: npm run build && node out/bench/netbox.js
import { fork, spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { runSync, type CompleteData } from '../src/core/pipeline';
import { netboxSinkFor } from '../src/core/netbox';
import { startFakeNetBox } from '../test/helpers/netbox/server';

const GUESTS = Number(process.env.GUESTS ?? 5000);
const NODES = Number(process.env.NODES ?? 20);
const LATENCY = Number(process.env.NETBOX_LATENCY_MS ?? 5);
const GOAL = { requestsPerGuest: 0.5, resyncWrites: 0 };

interface FakeInfo { url: string; token: string; fingerprint: string }
interface FakeStats { reads: number; writes: number; violations: number }

// The fake NetBox runs in a child of this same file, so the memory figure is the syncing process's alone.
if (process.argv[2] === '--fake-netbox') {
  void (async () => {
    const nb = await startFakeNetBox({ version: '4.6', latencyMs: LATENCY });
    const stats = (): FakeStats => {
      const writes = nb.requests.filter((r) => r.method !== 'GET').length;
      return { reads: nb.requests.length - writes, writes, violations: nb.violations.length };
    };
    process.on('message', (m: string) => {
      if (m === 'stats') process.send!(stats());
      if (m === 'reset') {
        nb.requests.length = 0;
        process.send!('reset');
      }
      if (m === 'close') void nb.close().then(() => process.exit(0));
    });
    process.send!({ url: nb.url, token: nb.token, fingerprint: nb.fingerprint });
  })();
} else {
  void main();
}

function ask<T>(child: ChildProcess, message: string): Promise<T> {
  return new Promise((resolve) => {
    child.once('message', (m) => resolve(m as T));
    child.send(message);
  });
}

async function main(): Promise<void> {
  const cli = join(__dirname, '..', '..', 'dist', 'cli.js');
  const sim = spawn(process.execPath, [cli, 'sim', '--guests', String(GUESTS), '--nodes', String(NODES), '--jobs', '40', '--seed', '11'], { stdio: ['ignore', 'pipe', 'inherit'] });
  const simInfo = await new Promise<{ url: string; tokenId: string; tokenSecret: string; fingerprint: string }>((resolve) => {
    createInterface({ input: sim.stdout! }).once('line', (l) => resolve(JSON.parse(l)));
  });
  const fake = fork(__filename, ['--fake-netbox'], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  const nb = await new Promise<FakeInfo>((resolve) => fake.once('message', (m) => resolve(m as FakeInfo)));
  const store = mkdtempSync(join(tmpdir(), 'proxbox-bench-nb-'));
  const endpoint = { id: 'bench', name: 'Bench', url: simInfo.url, tokenId: simInfo.tokenId, fingerprint: simInfo.fingerprint };
  const sink = () => netboxSinkFor(endpoint, { url: nb.url, fingerprint: nb.fingerprint, site: 'Bench' }, nb.token, { timeoutMs: 60_000, retries: 0, maxResponseBytes: 256 * 2 ** 20 });
  let peak = 0;
  const timer = setInterval(() => { peak = Math.max(peak, process.memoryUsage.rss()); }, 25);
  const run = async (label: string): Promise<CompleteData> => {
    await ask(fake, 'reset');
    const c = await runSync({ endpoint, secret: simInfo.tokenSecret, store, sinks: [sink()], options: { timeoutMs: 60_000 } });
    const s = await ask<FakeStats>(fake, 'stats');
    const step = c.stages.find((o) => o.step === 'netbox');
    const perGuest = (s.reads + s.writes) / GUESTS;
    console.log(`${label}: ok=${c.ok}; NetBox ${s.reads + s.writes} requests (${s.reads} reads, ${s.writes} writes) = ${perGuest.toFixed(3)} per guest; ` +
      `netbox step ${step?.duration_seconds.toFixed(1)} s (${step?.created} created, ${step?.updated} updated, ${step?.deleted} deleted); schema violations ${s.violations}`);
    if (!c.ok) console.log(JSON.stringify(c.errors).slice(0, 2000));
    return c;
  };
  try {
    const first = await run(`first sync of ${GUESTS} guests, NetBox at ${LATENCY} ms per request`);
    const firstStats = await ask<FakeStats>(fake, 'stats');
    const perGuest = (firstStats.reads + firstStats.writes) / GUESTS;
    console.log(`  goal < ${GOAL.requestsPerGuest} requests per guest: ${perGuest < GOAL.requestsPerGuest ? 'met' : 'MISSED'} (${perGuest.toFixed(3)}); ok: ${first.ok ? 'met' : 'MISSED'}`);
    const again = await run('re-sync, no change in Proxmox');
    const s = await ask<FakeStats>(fake, 'stats');
    console.log(`  goal: only reads, ${GOAL.resyncWrites} writes: ${s.writes === GOAL.resyncWrites && again.ok ? 'met' : 'MISSED'} (${s.reads} reads = ${(s.reads / GUESTS).toFixed(3)} per guest, ${s.writes} writes)`);
    clearInterval(timer);
    console.log(`peak RSS of the syncing process ${(peak / 2 ** 20).toFixed(0)} MB (the simulator and the fake NetBox run in their own processes)`);
  } finally {
    clearInterval(timer);
    fake.send('close');
    sim.kill();
    rmSync(store, { recursive: true, force: true });
  }
}
