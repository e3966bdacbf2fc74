import assert from 'node:assert/strict';
import { LatencyPlan, LatencySyntaxError } from '../../../src/sim/latency';
import { startSimulator } from '../../../src/sim';
import { api } from './http';

describe('simulator: latency plan', () => {
  const draws = (plan: LatencyPlan, path: string, n = 50): number[] => Array.from({ length: n }, () => plan.delay(path));

  it('jitter is drawn per request from the seed: the same seed repeats, another seed reorders', () => {
    const a = draws(new LatencyPlan({ latencyMs: 5, jitterMs: 20, seed: 1 }), '/nodes/pve1/qemu/100/config');
    assert.deepEqual(draws(new LatencyPlan({ latencyMs: 5, jitterMs: 20, seed: 1 }), '/nodes/pve1/qemu/100/config'), a);
    assert.notDeepEqual(draws(new LatencyPlan({ latencyMs: 5, jitterMs: 20, seed: 2 }), '/nodes/pve1/qemu/100/config'), a);
    assert.ok(a.every((ms) => ms >= 5 && ms <= 25), a.join(' '));
    assert.ok(new Set(a).size > 10, 'the delays spread over the range');
    assert.deepEqual(draws(new LatencyPlan({ latencyMs: 7 }), '/version', 3), [7, 7, 7], 'no jitter: the fixed latency');
  });

  it('slow paths add their delay to matching paths only; set() changes only what it names', () => {
    const plan = new LatencyPlan({ latencyMs: 2, slowPaths: ['/nodes/*/network:300', '/api2/json/cluster/backup:40'] });
    assert.equal(plan.delay('/nodes/pve2/network'), 302);
    assert.equal(plan.delay('/cluster/backup'), 42, 'a full API path is accepted too');
    assert.equal(plan.delay('/nodes/pve2/qemu/100/config'), 2);
    plan.set({ latencyMs: 0 });
    assert.equal(plan.delay('/nodes/pve2/network'), 300);
    assert.throws(() => plan.set({ latencyMs: 9, slowPaths: ['nodes:10'] }), LatencySyntaxError);
    assert.equal(plan.delay('/nodes/pve2/network'), 300, 'a malformed slow path changes nothing');
    for (const bad of ['/x', '/x:-1', '/x:soon', ':5']) assert.throws(() => new LatencyPlan({ slowPaths: [bad] }), LatencySyntaxError, bad);
  });

  it('a running simulator applies a slow path set at run time', async () => {
    const sim = await startSimulator({ seed: 3 });
    try {
      sim.setLatency({ slowPaths: ['/version:150'] });
      let t = Date.now();
      assert.equal((await api(sim, '/version')).status, 200);
      assert.ok(Date.now() - t >= 140, 'the slow path waits');
      sim.setLatency({ slowPaths: [] });
      t = Date.now();
      await api(sim, '/version');
      assert.ok(Date.now() - t < 140, 'and stops when cleared');
    } finally {
      await sim.close();
    }
  });
});
