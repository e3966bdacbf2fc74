import assert from 'node:assert/strict';
import { startSimulator, RunningSimulator } from '../../../src/sim';
import { api, authHeader, get } from './http';

const NOW = 1_795_000_000;

describe('simulator: transport, auth and envelope', () => {
  let sim: RunningSimulator;
  before(async () => {
    sim = await startSimulator({ seed: 7, now: NOW });
  });
  after(() => sim.close());

  it('serves HTTPS and HTTP on 127.0.0.1 with the {"data": …} envelope', async () => {
    assert.match(sim.url, /^https:\/\/127\.0\.0\.1:\d+$/);
    assert.match(sim.httpUrl, /^http:\/\/127\.0\.0\.1:\d+$/);
    for (const base of [sim.url, sim.httpUrl]) {
      const res = await get(base, '/api2/json/version', { Authorization: authHeader(sim.tokenId, sim.tokenSecret) });
      assert.equal(res.status, 200);
      assert.equal(res.headers.server, 'pve-api-daemon/3.0');
      const body = JSON.parse(res.body) as { data: { release: string; version: string } };
      assert.deepEqual(Object.keys(body), ['data']);
      assert.equal(body.data.release, '9.1');
    }
  });

  it('reports the certificate fingerprint in PVE format', () => {
    assert.match(sim.fingerprint, /^([0-9A-F]{2}:){31}[0-9A-F]{2}$/);
  });

  it('answers 401 with an empty body for a missing or wrong token', async () => {
    const missing = await get(sim.url, '/api2/json/cluster/resources');
    assert.equal(missing.status, 401);
    assert.equal(missing.statusMessage, 'No ticket');
    assert.equal(missing.body, '');
    const wrong = await get(sim.url, '/api2/json/cluster/resources', { Authorization: authHeader(sim.tokenId, 'not-the-secret') });
    assert.equal(wrong.status, 401);
    assert.equal(wrong.body, '');
    const unknown = await get(sim.url, '/api2/json/version', { Authorization: authHeader('root@pam!other', sim.tokenSecret) });
    assert.equal(unknown.status, 401);
  });

  it('accepts a space after PVEAPIToken and splits the value at the last "="', async () => {
    const res = await get(sim.url, '/api2/json/version', { Authorization: `PVEAPIToken ${sim.tokenId}=${sim.tokenSecret}` });
    assert.equal(res.status, 200);
  });

  it('answers 403 "Permission check failed" for a token without Sys.Audit, and filters lists instead where PVE does', async () => {
    const limited = { url: sim.url, tokenId: sim.limitedTokenId, tokenSecret: sim.limitedTokenSecret };
    const jobs = await api(limited, '/cluster/backup');
    assert.equal(jobs.status, 403);
    assert.equal(jobs.statusMessage, 'Permission check failed (/, Sys.Audit)');
    assert.deepEqual(jobs.json, { data: null, message: 'Permission check failed (/, Sys.Audit)\n' });
    const tasks = await api(limited, `/nodes/${sim.cluster.nodes[0].name}/tasks`);
    assert.equal(tasks.status, 200);
    assert.deepEqual(tasks.json, { data: [], total: 0 });
    const nodes = (await api(limited, '/nodes')).json as { data: Array<Record<string, unknown>> };
    assert.equal(nodes.data.length, sim.cluster.nodes.length);
    assert.ok(nodes.data.every((n) => n.maxmem === undefined && n.status === 'online'));
    const vms = (await api(limited, '/cluster/resources?type=vm')).json as { data: unknown[] };
    assert.equal(vms.data.length, sim.cluster.guests.length);
  });

  it('uses PVE error envelopes: 400 with errors, 500 for a missing guest, 501 for an unknown path', async () => {
    const bad = await api(sim, '/cluster/resources?type=bogus');
    assert.equal(bad.status, 400);
    assert.equal(bad.statusMessage, 'Parameter verification failed.');
    assert.ok((bad.json as { errors: Record<string, string> }).errors.type.includes('enumeration'));
    const node = sim.cluster.nodes[0].name;
    const missing = await api(sim, `/nodes/${node}/qemu/99999/config`);
    assert.equal(missing.status, 500);
    assert.equal(missing.statusMessage, `Configuration file 'nodes/${node}/qemu-server/99999.conf' does not exist`);
    assert.equal(missing.headers.connection, 'close');
    const unknown = await api(sim, '/no/such/path');
    assert.equal(unknown.status, 501);
    assert.equal(unknown.statusMessage, "Method 'GET /no/such/path' not implemented");
  });

  it('counts requests per path and resets the counts', async () => {
    sim.resetStats();
    await api(sim, '/cluster/resources?type=vm');
    await api(sim, '/cluster/resources');
    await api(sim, '/version');
    const stats = sim.stats();
    assert.equal(stats.total, 3);
    assert.equal(stats.byPath['/api2/json/cluster/resources'], 2);
    const served = JSON.parse((await get(sim.url, '/_sim/stats')).body) as { total: number };
    assert.equal(served.total, 3, 'the stats endpoint does not count itself');
    sim.resetStats();
    assert.equal(sim.stats().total, 0);
  });

  it('reflects changes to the model on the next request', async () => {
    const guest = sim.cluster.guests.find((g) => g.status === 'running')!;
    guest.status = 'stopped';
    const res = (await api(sim, '/cluster/resources?type=vm')).json as { data: Array<{ vmid: number; status: string }> };
    assert.equal(res.data.find((g) => g.vmid === guest.vmid)?.status, 'stopped');
    const removed = sim.cluster.jobs.pop()!;
    const jobs = (await api(sim, '/cluster/backup')).json as { data: Array<{ id: string }> };
    assert.ok(!jobs.data.some((j) => j.id === removed.id));
    assert.equal(jobs.data.length, sim.cluster.jobs.length);
  });
});
