// The simulator's hostile answers: `huge`, `long-number` and `long-schedule` faults, parsed with an optional size
// and put on the wire with the path's real data.
import assert from 'node:assert/strict';
import { request as httpsRequest } from 'node:https';
import { FAULT_KINDS, faultSize, FaultSyntaxError, parseFault } from '../../../src/sim/faults';
import { startSimulator, RunningSimulator } from '../../../src/sim';
import { api, authHeader } from './http';

type Row = Record<string, unknown>;

describe('simulator: hostile fault strings', () => {
  it('knows the hostile kinds and their sizes, with defaults', () => {
    for (const k of ['huge', 'long-number', 'long-schedule']) assert.ok((FAULT_KINDS as readonly string[]).includes(k), k);
    assert.equal(faultSize(parseFault('/cluster/status:huge')), 100);
    assert.equal(faultSize(parseFault('/cluster/status:huge=200')), 200);
    assert.equal(parseFault('/cluster/status:huge=200:0.5').rate, 0.5);
    assert.equal(faultSize(parseFault('/cluster/resources:long-number')), 100_000);
    assert.equal(faultSize(parseFault('/cluster/resources:long-number=5000')), 5000);
    assert.equal(faultSize(parseFault('/cluster/backup:long-schedule')), 100_000);
    assert.equal(parseFault('/cluster/status:huge=200').kind, 'huge');
    // The old kinds parse as before, with no size field at all.
    assert.equal('size' in parseFault('/version:500'), false);
  });

  it('rejects a size where none is taken, or out of range, saying what is expected', () => {
    for (const bad of ['/x:500=3', '/x:huge=0', '/x:huge=abc', '/x:huge=', '/x:huge=99999', '/x:long-number=1=2', '/x:huge=1.5']) {
      assert.throws(() => parseFault(bad), (e: Error) => e instanceof FaultSyntaxError && /size|expected/.test(e.message), bad);
    }
  });
});

describe('simulator: hostile answers on the wire', function () {
  this.timeout(30_000);
  let sim: RunningSimulator;
  before(async () => {
    sim = await startSimulator({ seed: 3, nodes: 2, guests: 6, jobs: 3, now: 1_795_000_000 });
  });
  afterEach(() => sim.setFaults([]));
  after(() => sim.close());

  it('long-number: one guest row of /cluster/resources gets a 100,000-digit maxmem; the rest is unchanged', async () => {
    const clean = (await api(sim, '/cluster/resources')).json as { data: Row[] };
    sim.setFaults(['/cluster/resources:long-number']);
    const res = await api(sim, '/cluster/resources');
    assert.equal(res.status, 200);
    const rows = (res.json as { data: Row[] }).data;
    const changed = rows.filter((r, i) => JSON.stringify(r) !== JSON.stringify(clean.data[i]));
    assert.equal(changed.length, 1);
    assert.ok(typeof changed[0].vmid === 'number', 'a guest row');
    assert.equal(changed[0].maxmem, `${'9'.repeat(100_000)}x`);
    // The model is untouched: without the fault the answer is clean again.
    sim.setFaults([]);
    assert.deepEqual((await api(sim, '/cluster/resources')).json, clean);
  });

  it('long-schedule: one backup job gets x + 100,000 spaces + x', async () => {
    sim.setFaults(['/cluster/backup:long-schedule']);
    const jobs = ((await api(sim, '/cluster/backup')).json as { data: Row[] }).data;
    assert.ok(jobs.length >= 2);
    assert.equal(jobs[0].schedule, `x${' '.repeat(100_000)}x`);
    assert.ok(jobs.slice(1).every((j) => typeof j.schedule === 'string' && (j.schedule as string).length < 100));
  });

  it('huge: the real envelope plus N MiB of padding, chunked, valid JSON', async () => {
    const clean = (await api(sim, '/cluster/status')).json as { data: unknown };
    sim.setFaults(['/cluster/status:huge=3']);
    const res = await api(sim, '/cluster/status');
    assert.equal(res.status, 200);
    assert.equal(res.headers['transfer-encoding'], 'chunked');
    assert.equal(res.headers['content-length'], undefined);
    assert.ok(res.body.length > 3 * 1024 * 1024 && res.body.length < 3 * 1024 * 1024 + 10_000, `${res.body.length} bytes`);
    const json = res.json as { data: unknown; padding: string };
    assert.deepEqual(json.data, clean.data);
    assert.equal(json.padding.length, 3 * 1024 * 1024);
  });

  it('huge: stops writing when the client goes away (a 2 GiB answer costs the simulator nothing)', async () => {
    sim.setFaults(['/cluster/status:huge=2048']);
    const before = process.memoryUsage().rss;
    let received = 0;
    await new Promise<void>((resolve, reject) => {
      const req = httpsRequest(new URL('/api2/json/cluster/status', sim.url), {
        headers: { Authorization: authHeader(sim.tokenId, sim.tokenSecret) }, rejectUnauthorized: false, agent: false,
      }, (res) => {
        res.on('data', (c: Buffer) => {
          received += c.length;
          if (received > 4 * 1024 * 1024) {
            req.destroy();
            resolve();
          }
        });
        res.on('error', () => resolve());
      });
      req.on('error', (e) => (received > 4 * 1024 * 1024 ? resolve() : reject(e)));
      req.end();
    });
    // The simulator notices and the next request is served normally.
    sim.setFaults([]);
    const t0 = performance.now();
    assert.equal((await api(sim, '/version')).status, 200);
    assert.ok(performance.now() - t0 < 2000);
    assert.ok(process.memoryUsage().rss - before < 200 * 1024 * 1024, 'the padding is never built in memory');
  });
});
