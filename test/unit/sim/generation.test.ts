import assert from 'node:assert/strict';
import { generateCluster, GenerateOptions } from '../../../src/sim/generate';
import { guestCoveredBy } from '../../../src/sim/coverage';

const base: GenerateOptions = { seed: 5, nodes: 3, guests: 30, jobs: 8, version: '9.1', now: 1_795_000_000 };
const json = (o: unknown): string => JSON.stringify(o);

describe('simulator: seeded generation', () => {
  it('gives the same cluster for the same seed and a different one for another seed', () => {
    assert.equal(json(generateCluster(base)), json(generateCluster(base)));
    assert.notEqual(json(generateCluster(base).guests), json(generateCluster({ ...base, seed: 6 }).guests));
  });

  it('keeps the first K jobs identical when fewer jobs are asked for', () => {
    const all = generateCluster(base).jobs;
    for (const k of [0, 1, 3, 7]) {
      assert.deepEqual(generateCluster({ ...base, jobs: k }).jobs, all.slice(0, k), `jobs: ${k}`);
    }
  });

  it('keeps existing guests when more guests are asked for', () => {
    const small = generateCluster({ ...base, guests: 10 }).guests;
    const big = generateCluster({ ...base, guests: 30 }).guests;
    assert.deepEqual(big.slice(0, 10), small);
  });

  it('mixes every kind of object the pipeline must handle', () => {
    const c = generateCluster({ ...base, guests: 60, jobs: 8 });
    const g = c.guests;
    assert.ok(g.some((x) => x.type === 'qemu') && g.some((x) => x.type === 'lxc'));
    assert.ok(g.some((x) => x.status === 'running') && g.some((x) => x.status === 'stopped'));
    assert.ok(g.some((x) => x.agent && x.agentRunning) && g.some((x) => x.agent && !x.agentRunning) && g.some((x) => x.type === 'qemu' && !x.agent));
    assert.ok(g.some((x) => x.snapshots.length > 1), 'snapshot chains');
    assert.ok(g.some((x) => x.template), 'templates');
    assert.ok(c.jobs.some((j) => j.enabled === 0), 'a disabled job');
    assert.ok(c.jobs.some((j) => j.all === 1) && c.jobs.some((j) => j.vmid) && c.jobs.some((j) => j.pool), 'all, vmid and pool selections');
    assert.ok(c.jobs.some((j) => j.fleecing) && c.jobs.some((j) => j['prune-backups']), 'fleecing and retention');
    assert.ok(new Set(c.nodes.map((n) => n.timezone)).size >= 2, 'nodes in several time zones');
    assert.ok(c.replications.length > 0 && c.backups.length > 0 && c.tasks.length > 0);
    assert.ok(c.backups.some((b) => b.volid.startsWith('pbs1:backup/vm/')) && c.backups.some((b) => /:backup\/vzdump-(qemu|lxc)-\d+-\d{4}_\d\d_\d\d-\d\d_\d\d_\d\d\./.test(b.volid)));
    const uncovered = g.filter((x) => !c.jobs.some((j) => guestCoveredBy(j, x)));
    assert.ok(uncovered.length > 0, 'some guests are in no job');
  });

  it('puts backups only at times the job really runs, in the past', () => {
    const c = generateCluster(base);
    for (const b of c.backups) assert.ok(b.ctime < c.epoch, `${b.volid} is in the future`);
    // Every dir-storage backup name carries the node's local time of its ctime.
    const local = c.backups.filter((b) => b.storage === 'local' && b.node);
    for (const b of local) {
      const tz = c.nodes.find((n) => n.name === b.node)!.timezone;
      const stamp = /(\d{4})_(\d\d)_(\d\d)-(\d\d)_(\d\d)_(\d\d)/.exec(b.volid)!;
      const parts = new Intl.DateTimeFormat('en-CA', { timeZone: tz, hourCycle: 'h23', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit' })
        .formatToParts(new Date(b.ctime * 1000)).filter((p) => p.type !== 'literal').map((p) => p.value);
      assert.deepEqual(stamp.slice(1), parts, b.volid);
    }
  });

  it('builds a large cluster with unique vmids and MAC addresses (bench/sim.ts measures 10,000)', () => {
    const c = generateCluster({ ...base, guests: 2000, nodes: 8, jobs: 20 });
    assert.equal(c.guests.length, 2000);
    assert.equal(new Set(c.guests.map((g) => g.vmid)).size, 2000);
    const macs = c.guests.flatMap((g) => g.nics.map((n) => n.mac));
    assert.equal(new Set(macs).size, macs.length, 'MAC addresses are unique');
  });
});
