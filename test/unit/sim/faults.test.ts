import assert from 'node:assert/strict';
import { FaultPlan, FaultSyntaxError, parseFault } from '../../../src/sim/faults';
import { startSimulator, RunningSimulator } from '../../../src/sim';
import { api, authHeader, get } from './http';

describe('simulator: fault strings', () => {
  it('parses glob, kind and rate, with rate 1 by default', () => {
    assert.deepEqual(
      { ...parseFault('/cluster/backup*:500:0.25'), pattern: undefined },
      { text: '/cluster/backup*:500:0.25', glob: '/cluster/backup*', kind: '500', rate: 0.25, pattern: undefined },
    );
    assert.equal(parseFault('/nodes/pve3/*:offline-node').rate, 1);
    assert.equal(parseFault('/api2/json/version:reset').glob, '/version', 'a full API path is accepted too');
    assert.ok(parseFault('/nodes/pve3/*:500').pattern.test('/nodes/pve3/qemu/100/config'));
    assert.ok(!parseFault('/nodes/pve3/*:500').pattern.test('/nodes/pve30/qemu'));
  });

  it('rejects malformed faults with a message that shows the expected form', () => {
    for (const bad of ['/x:boom', 'cluster:500', '/x', '/x:500:2', ':500']) {
      assert.throws(() => parseFault(bad), (e: Error) => e instanceof FaultSyntaxError && /expected|rate|must start/.test(e.message), bad);
    }
  });

  it('fires a partial rate deterministically for the same seed', () => {
    const run = (seed: number): boolean[] => {
      const plan = new FaultPlan(seed, ['/cluster/*:500:0.3']);
      return Array.from({ length: 200 }, () => plan.pick('/cluster/resources') !== undefined);
    };
    const a = run(9);
    assert.deepEqual(run(9), a);
    assert.notDeepEqual(run(10), a);
    const fired = a.filter(Boolean).length;
    assert.ok(fired > 30 && fired < 90, `${fired} of 200 at rate 0.3`);
    assert.equal(new FaultPlan(9, ['/cluster/*:500:0.3']).pick('/version'), undefined, 'other paths never fail');
  });

  it('keeps the previous faults when new ones do not parse', () => {
    const plan = new FaultPlan(1, ['/version:500']);
    assert.throws(() => plan.set(['/version:nope']), FaultSyntaxError);
    assert.equal(plan.pick('/version')?.kind, '500');
  });
});

describe('simulator: faults, latency and offline nodes on the wire', () => {
  let sim: RunningSimulator;
  const auth = (): Record<string, string> => ({ Authorization: authHeader(sim.tokenId, sim.tokenSecret) });
  before(async () => {
    sim = await startSimulator({ seed: 3, now: 1_795_000_000 });
  });
  afterEach(() => sim.setFaults([]));
  after(() => sim.close());

  it('500: PVE error envelope; other paths unaffected', async () => {
    sim.setFaults(['/cluster/backup*:500']);
    const res = await api(sim, '/cluster/backup');
    assert.equal(res.status, 500);
    assert.equal((res.json as { data: null }).data, null);
    assert.equal((await api(sim, '/cluster/resources')).status, 200);
  });

  it('596 and offline-node: proxy errors with an empty body', async () => {
    sim.setFaults(['/nodes/pve2/*:offline-node', '/storage:596']);
    const off = await api(sim, '/nodes/pve2/qemu');
    assert.equal(off.status, 595);
    assert.equal(off.body, '');
    assert.equal((await api(sim, '/nodes/pve1/qemu')).status, 200);
    const slow = await api(sim, '/storage');
    assert.equal(slow.status, 596);
    assert.equal(slow.statusMessage, 'Connection timed out');
  });

  it('401: authentication failure even with the right token', async () => {
    sim.setFaults(['/version:401']);
    const res = await api(sim, '/version');
    assert.equal(res.status, 401);
    assert.equal(res.body, '');
  });

  it('badjson: 200 with a body that is not JSON', async () => {
    sim.setFaults(['/cluster/resources:badjson']);
    const res = await get(sim.url, '/api2/json/cluster/resources', auth());
    assert.equal(res.status, 200);
    assert.throws(() => JSON.parse(res.body), SyntaxError);
  });

  it('reset: the connection is destroyed', async () => {
    sim.setFaults(['/version:reset']);
    await assert.rejects(get(sim.url, '/api2/json/version', auth(), 5000, false), (e: NodeJS.ErrnoException) => /ECONNRESET|socket hang up/.test(`${e.code} ${e.message}`));
  });

  it('timeout: never answers; the client gives up and close() still returns', async () => {
    sim.setFaults(['/cluster/status:timeout']);
    await assert.rejects(get(sim.url, '/api2/json/cluster/status', auth(), 300, false), (e: NodeJS.ErrnoException) => e.code === 'CLIENT_TIMEOUT');
    // A held request must not keep close() waiting: start a second simulator, hold a request, close it.
    const other = await startSimulator({ seed: 3, faults: ['/version:timeout'] });
    const pending = get(other.url, '/api2/json/version', { Authorization: authHeader(other.tokenId, other.tokenSecret) }, 30_000, false).catch((e: Error) => e);
    await new Promise((r) => setTimeout(r, 100));
    await other.close();
    assert.ok((await pending) instanceof Error);
  });

  it('an offline node in the model: 595 on its paths, offline in the cluster views', async () => {
    const node = sim.cluster.nodes[2];
    node.online = false;
    try {
      const res = await api(sim, `/nodes/${node.name}/status`);
      assert.equal(res.status, 595);
      const status = (await api(sim, '/cluster/status')).json as { data: Array<{ name: string; online?: number }> };
      assert.equal(status.data.find((e) => e.name === node.name)?.online, 0);
      const nodes = (await api(sim, '/nodes')).json as { data: Array<{ node: string; status: string }> };
      assert.equal(nodes.data.find((e) => e.node === node.name)?.status, 'offline');
      const vms = (await api(sim, '/cluster/resources?type=vm')).json as { data: Array<{ node: string; status: string }> };
      assert.ok(vms.data.filter((v) => v.node === node.name).every((v) => v.status === 'unknown'));
    } finally {
      node.online = true;
    }
  });

  it('latency: every answer waits at least the configured time', async () => {
    const slow = await startSimulator({ seed: 3, latencyMs: 150 });
    try {
      const t = Date.now();
      const res = await api(slow, '/version');
      assert.equal(res.status, 200);
      assert.ok(Date.now() - t >= 140, 'the delay is applied');
    } finally {
      await slow.close();
    }
  });
});
