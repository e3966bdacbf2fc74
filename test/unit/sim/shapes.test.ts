import assert from 'node:assert/strict';
import { gunzipSync } from 'node:zlib';
import { parseSchedule } from '../../../src/core/schedule';
import { startSimulator, RunningSimulator } from '../../../src/sim';
import { api, authHeader, get } from './http';

const NOW = 1_795_000_000;
type Obj = Record<string, unknown>;
const data = async (sim: RunningSimulator, path: string): Promise<unknown> => ((await api(sim, path)).json as { data: unknown }).data;

describe('simulator: PVE quirks', () => {
  let sim: RunningSimulator;
  before(async () => {
    sim = await startSimulator({ seed: 21, guests: 40, jobs: 8, now: NOW });
  });
  after(() => sim.close());

  it('next-run comes from the schedule engine in the answering node\'s zone, only for enabled jobs', async () => {
    const jobs = (await data(sim, '/cluster/backup')) as Obj[];
    const tz = sim.cluster.nodes[0].timezone;
    for (const job of jobs) {
      if (job.enabled === 0) assert.equal(job['next-run'], undefined);
      else assert.equal(job['next-run'], parseSchedule(String(job.schedule)).next(NOW, tz), String(job.schedule));
    }
    const one = (await data(sim, `/cluster/backup/${String(jobs[0].id)}`)) as Obj;
    assert.equal(one['next-run'], undefined, 'the single-job call has no next-run');
    const missing = await api(sim, '/cluster/backup/nope');
    assert.equal(missing.status, 400);
    assert.deepEqual((missing.json as { errors: Obj }).errors, { id: "No such job 'nope'" });
  });

  it('prune-backups: an object of strings in /cluster/backup, a property string in /storage', async () => {
    const jobs = (await data(sim, '/cluster/backup')) as Obj[];
    const pruned = jobs.find((j) => j['prune-backups'] && !('keep-all' in (j['prune-backups'] as Obj)));
    assert.ok(pruned);
    assert.ok(Object.values(pruned['prune-backups'] as Obj).every((v) => typeof v === 'string'));
    const storages = (await data(sim, '/storage')) as Obj[];
    assert.equal(typeof storages.find((s) => s.storage === 'nfs-backup')?.['prune-backups'], 'string');
  });

  it('configs: qemu memory as a string, lxc vmid as a string in the index, tags ";"-separated, snapshots end with "current"', async () => {
    const q = sim.cluster.guests.find((g) => g.type === 'qemu' && g.tags.length > 1)!;
    const cfg = (await data(sim, `/nodes/${q.node}/qemu/${q.vmid}/config`)) as Obj;
    assert.equal(cfg.memory, String(q.memoryMiB));
    assert.equal(cfg.tags, q.tags.join(';'));
    assert.match(String(cfg.net0), /^virtio=BC:24:11:[0-9A-F:]{8},bridge=vmbr0/);
    const l = sim.cluster.guests.find((g) => g.type === 'lxc')!;
    const index = (await data(sim, `/nodes/${l.node}/lxc`)) as Obj[];
    assert.equal(index.find((e) => e.vmid === String(l.vmid))?.name, l.name);
    const snaps = (await data(sim, `/nodes/${q.node}/qemu/${q.vmid}/snapshot`)) as Obj[];
    assert.equal(snaps[snaps.length - 1].name, 'current');
    assert.equal(snaps[snaps.length - 1].description, 'You are here!');
  });

  it('a deleted snapshot disappears from the next listing', async () => {
    const g = sim.cluster.guests.find((x) => x.snapshots.length > 0)!;
    const path = `/nodes/${g.node}/${g.type}/${g.vmid}/snapshot`;
    const before = ((await data(sim, path)) as Obj[]).map((s) => s.name);
    const removed = g.snapshots.pop()!;
    const after = ((await data(sim, path)) as Obj[]).map((s) => s.name);
    assert.deepEqual(after, before.filter((n) => n !== removed.name));
  });

  it('guest agent errors: not configured, not running, agent down', async () => {
    const node = (vmid: number): string => sim.cluster.guests.find((g) => g.vmid === vmid)!.node;
    const noAgent = sim.cluster.guests.find((g) => g.type === 'qemu' && !g.agent)!;
    const res1 = await api(sim, `/nodes/${node(noAgent.vmid)}/qemu/${noAgent.vmid}/agent/network-get-interfaces`);
    assert.equal(res1.status, 500);
    assert.equal(res1.statusMessage, 'No QEMU guest agent configured');
    const g = sim.cluster.guests.find((x) => x.type === 'qemu' && x.agent)!;
    const saved = { status: g.status, agentRunning: g.agentRunning };
    try {
      g.status = 'stopped';
      assert.equal((await api(sim, `/nodes/${g.node}/qemu/${g.vmid}/agent/network-get-interfaces`)).statusMessage, `VM ${g.vmid} is not running`);
      g.status = 'running';
      g.agentRunning = false;
      assert.equal((await api(sim, `/nodes/${g.node}/qemu/${g.vmid}/agent/network-get-interfaces`)).statusMessage, 'QEMU guest agent is not running');
      g.agentRunning = true;
      const ok = (await data(sim, `/nodes/${g.node}/qemu/${g.vmid}/agent/network-get-interfaces`)) as { result: Obj[] };
      assert.equal(ok.result[1]['hardware-address'], g.nics[0].mac.toLowerCase());
    } finally {
      Object.assign(g, saved);
    }
  });

  it('a stopped container has no interfaces: data null', async () => {
    const ct = sim.cluster.guests.find((g) => g.type === 'lxc' && g.status === 'stopped')!;
    const res = await api(sim, `/nodes/${ct.node}/lxc/${ct.vmid}/interfaces`);
    assert.deepEqual(res.json, { data: null });
  });

  it('tasks: newest first, paged with total', async () => {
    const node = sim.cluster.nodes[0].name;
    // PVE's filter stops once the limit is used up: limit=0 lists nothing, yet counts every match in `total`.
    const none = (await api(sim, `/nodes/${node}/tasks?limit=0`)).json as { data: Obj[]; total: number };
    assert.deepEqual(none.data, []);
    const all = (await api(sim, `/nodes/${node}/tasks?limit=100000`)).json as { data: Obj[]; total: number };
    assert.equal(all.data.length, all.total);
    assert.equal(none.total, all.total);
    const page = (await api(sim, `/nodes/${node}/tasks?start=2&limit=3`)).json as { data: Obj[]; total: number };
    assert.equal(page.total, all.total);
    assert.deepEqual(page.data, all.data.slice(2, 5));
    const starts = all.data.map((t) => Number(t.starttime));
    assert.deepEqual(starts, [...starts].sort((a, b) => b - a));
    assert.ok(all.data.every((t) => /^UPID:[^:]+:[0-9A-F]{8}:[0-9A-F]{8}:[0-9A-F]{8}:[^:]+:[^:]*:[^:]+:$/.test(String(t.upid))));
  });

  it('not-backed-up counts disabled jobs as coverage, as PVE does', async () => {
    const list = (await data(sim, '/cluster/backup-info/not-backed-up')) as Obj[];
    const disabled = sim.cluster.jobs.find((j) => j.enabled === 0 && j.vmid)!;
    const ids = disabled.vmid!.split(',').map(Number);
    assert.ok(ids.every((id) => !list.some((e) => e.vmid === id)));
  });

  it('gzip when asked, and large lists streamed as the same JSON', async () => {
    const big = await startSimulator({ seed: 2, guests: 2500, jobs: 3, now: NOW });
    try {
      const res = await get(big.url, '/api2/json/cluster/resources?type=vm', { Authorization: authHeader(big.tokenId, big.tokenSecret) });
      const body = JSON.parse(res.body) as { data: Obj[] };
      assert.equal(body.data.length, 2500);
      const zipped = await new Promise<Buffer>((resolve, reject) => {
        import('node:https').then(({ request }) => {
          request(`${big.url}/api2/json/cluster/resources?type=vm`, { rejectUnauthorized: false, headers: { Authorization: authHeader(big.tokenId, big.tokenSecret), 'Accept-Encoding': 'gzip' } }, (r) => {
            assert.equal(r.headers['content-encoding'], 'gzip');
            const chunks: Buffer[] = [];
            r.on('data', (c: Buffer) => chunks.push(c));
            r.on('end', () => resolve(Buffer.concat(chunks)));
          }).on('error', reject).end();
        }, reject);
      });
      assert.deepEqual(JSON.parse(gunzipSync(zipped).toString()), body);
    } finally {
      await big.close();
    }
  });

  it('PVE 8.4 shapes: no memhost or pressure fields', async () => {
    const old = await startSimulator({ seed: 21, guests: 10, pveVersion: '8.4', now: NOW });
    try {
      const vms = (await data(old, '/cluster/resources?type=vm')) as Obj[];
      assert.ok(vms.every((v) => !('memhost' in v)));
      assert.equal(((await data(old, '/version')) as Obj).release, '8.4');
    } finally {
      await old.close();
    }
  });
});
