// Simulator capacity: runs `proxbox sim` with 10,000 guests as its own process, drives the heavy listings and a
// config walk from here, and prints the simulator process's resident memory (target: under 200 MB), start-up time
// and request figures. Run after a build: node out/bench/sim.js [guests] [nodes].
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { request, Agent } from 'node:https';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { createInterface } from 'node:readline';

const guests = Number(process.argv[2] ?? 10_000);
const nodes = Number(process.argv[3] ?? 16);
const agent = new Agent({ keepAlive: true, rejectUnauthorized: false });
const mb = (bytes: number): string => (bytes / 1024 / 1024).toFixed(1);

function get(url: string, auth: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = request(url, { agent, headers: { Authorization: auth } }, (res) => {
      let size = 0;
      res.on('data', (c: Buffer) => (size += c.length));
      res.on('end', () => (res.statusCode === 200 ? resolve(size) : reject(new Error(`${url}: HTTP ${res.statusCode}`))));
    });
    req.on('error', reject);
    req.end();
  });
}

interface Ready {
  url: string;
  tokenId: string;
  tokenSecret: string;
}

/** Peak resident memory of a process (Linux), or undefined elsewhere. */
function peakRss(pid: number): number | undefined {
  try {
    const m = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) * 1024 : undefined;
  } catch {
    return undefined;
  }
}

async function main(): Promise<void> {
  const cli = join(__dirname, '..', '..', 'dist', 'cli.js');
  const t0 = performance.now();
  const child = spawn(process.execPath, [cli, 'sim', '--guests', String(guests), '--nodes', String(nodes), '--jobs', '40'], { stdio: ['ignore', 'pipe', 'inherit'] });
  const first = await new Promise<string>((resolve, reject) => {
    createInterface({ input: child.stdout! }).once('line', resolve);
    child.once('exit', (code) => reject(new Error(`proxbox sim exited with ${code} before it was ready`)));
  });
  const ready = JSON.parse(first) as Ready;
  const buildMs = performance.now() - t0;
  const auth = `PVEAPIToken=${ready.tokenId}=${ready.tokenSecret}`;
  const api = (p: string): string => `${ready.url}/api2/json${p}`;
  const stats = async (): Promise<{ total: number; rssBytes: number }> => {
    const body = await new Promise<string>((resolve, reject) => {
      request(`${ready.url}/_sim/stats`, { agent }, (res) => {
        let text = '';
        res.on('data', (c: Buffer) => (text += c.toString()));
        res.on('end', () => resolve(text));
      }).on('error', reject).end();
    });
    return JSON.parse(body) as { total: number; rssBytes: number };
  };
  console.log(`proxbox sim: ${nodes} nodes, ${guests} guests, 40 jobs; ready in ${buildMs.toFixed(0)} ms; RSS ${mb((await stats()).rssBytes)} MB`);

  const timed = async (label: string, path: string, repeat = 3): Promise<void> => {
    let bytes = 0;
    const t = performance.now();
    for (let i = 0; i < repeat; i++) bytes = await get(api(path), auth);
    const rss = (await stats()).rssBytes;
    console.log(`${label}: ${((performance.now() - t) / repeat).toFixed(1)} ms per request, ${(bytes / 1024).toFixed(0)} KiB; simulator RSS ${mb(rss)} MB`);
  };
  await timed('GET /cluster/resources', '/cluster/resources');
  await timed('GET /cluster/backup', '/cluster/backup');
  await timed('GET /cluster/backup-info/not-backed-up', '/cluster/backup-info/not-backed-up');
  await timed('GET /nodes/pve1/qemu', '/nodes/pve1/qemu');
  await timed('GET /nodes/pve1/storage/pbs1/content?content=backup', '/nodes/pve1/storage/pbs1/content?content=backup');
  await timed('GET /nodes/pve1/tasks?limit=500', '/nodes/pve1/tasks?limit=500');

  // Every guest's config once, 16 at a time, as a sync would.
  const list = JSON.parse(await new Promise<string>((resolve, reject) => {
    request(api('/cluster/resources?type=vm'), { agent, headers: { Authorization: auth } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve(Buffer.concat(chunks).toString()));
    }).on('error', reject).end();
  })) as { data: Array<{ node: string; type: string; vmid: number }> };
  const configs = list.data.map((g) => `/nodes/${g.node}/${g.type}/${g.vmid}/config`);
  const t = performance.now();
  let next = 0;
  await Promise.all(Array.from({ length: 16 }, async () => {
    while (next < configs.length) await get(api(configs[next++]), auth);
  }));
  const secs = (performance.now() - t) / 1000;
  console.log(`${configs.length} guest configs (16 concurrent): ${secs.toFixed(2)} s, ${(configs.length / secs).toFixed(0)} requests/s`);

  const end = await stats();
  const peak = peakRss(child.pid!);
  console.log(`simulator RSS after serving: ${mb(end.rssBytes)} MB${peak ? `, peak ${mb(peak)} MB` : ''} (limit 200 MB): ${(peak ?? end.rssBytes) < 200 * 1024 * 1024 ? 'OK' : 'OVER'}`);
  console.log(`requests served: ${end.total}`);
  agent.destroy();
  child.kill('SIGTERM');
  await new Promise((resolve) => child.once('exit', resolve));
}

main().catch((err) => {
  console.error(err);
  process.exitCode = 1;
});
