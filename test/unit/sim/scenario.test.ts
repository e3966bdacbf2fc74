// `--scenario health`: what the descriptor says was planted is checked against the simulator's own answers over
// HTTPS (task listings, task logs through the client and the log parser, backups), never against fixed values, and
// the same `now` gives the same scenario.
import assert from 'node:assert/strict';
import { startSimulator, type RunningSimulator, type PlantedProblem } from '../../../src/sim';
import { parseSimArgs } from '../../../src/cli/commands/sim';
import { UsageError } from '../../../src/cli/io';
import { ProxmoxClient } from '../../../src/core/proxmox';
import { parseVzdumpLog } from '../../../src/core/health/vzdumpLog';

const NOW = 1_795_000_000;
const WINDOW = 15 * 60;

describe('simulator: --scenario health', function () {
  this.timeout(30_000);
  let sim: RunningSimulator;
  let client: ProxmoxClient;
  before(async () => {
    sim = await startSimulator({ scenario: 'health', now: NOW });
    client = new ProxmoxClient({ id: 's', name: 's', url: sim.url, tokenId: sim.tokenId, fingerprint: sim.fingerprint }, sim.tokenSecret);
  });
  after(async () => {
    await client.close();
    await sim.close();
  });

  const planted = <K extends PlantedProblem['kind']>(kind: K): Extract<PlantedProblem, { kind: K }>[] =>
    sim.cluster.scenario!.planted.filter((p): p is Extract<PlantedProblem, { kind: K }> => p.kind === kind);

  async function runTask(node: string, scheduled: number) {
    const tasks = await client.nodeTasks(node, { typefilter: 'vzdump', since: scheduled, until: scheduled + WINDOW, limit: 100 });
    return tasks.filter((t) => t.starttime >= scheduled && t.starttime < scheduled + WINDOW);
  }

  it('plants every kind of problem, small and readable', () => {
    assert.equal(sim.cluster.scenario?.name, 'health');
    const kinds = new Set(sim.cluster.scenario!.planted.map((p) => p.kind));
    assert.deepEqual([...kinds].sort(), ['added-after-last-run', 'disabled-only', 'failed-guest', 'job-error', 'missed-run', 'newer-backup-from-other-job',
      'not-covered', 'two-jobs-one-failed', 'verify']);
    assert.equal(sim.cluster.nodes.length, 3);
    assert.ok(sim.cluster.guests.length <= 20 && sim.cluster.jobs.length <= 8);
  });

  it('a missed run has no task on its node, while the other nodes ran it', async () => {
    for (const m of planted('missed-run')) {
      assert.deepEqual(await runTask(m.node, m.scheduled), []);
      const job = sim.cluster.jobs.find((j) => j.id === m.jobId)!;
      const others = [...new Set(sim.cluster.guests.filter((g) => job.vmid!.split(',').includes(String(g.vmid)) && g.node !== m.node).map((g) => g.node))];
      assert.ok(others.length > 0);
      // The other nodes ran at the same wall-clock time in their own zones, so look at their own run of that day.
      for (const node of others) assert.ok(sim.cluster.tasks.some((t) => t.node === node && t.vzdump?.job === m.jobId), node);
    }
  });

  it('failed guests and job errors are in the run task\'s status and log, in Proxmox\'s words', async () => {
    for (const f of planted('failed-guest')) {
      const [task] = await runTask(f.node, f.scheduled);
      assert.equal(task.status, 'job errors');
      const page = await client.taskLog(f.node, task.upid, { limit: 0 });
      const s = parseVzdumpLog(page.lines.map((l) => l.t), false);
      assert.deepEqual(s.failed.find((x) => x.vmid === f.vmid)?.reason, f.reason);
      assert.equal(s.storage, sim.cluster.jobs.find((j) => j.id === f.jobId)!.storage);
    }
    assert.ok(planted('failed-guest').some((f) => /No space left on device/.test(f.reason)));
    for (const e of planted('job-error')) {
      const [task] = await runTask(e.node, e.scheduled);
      assert.equal(task.status, e.reason);
      const page = await client.taskLog(e.node, task.upid);
      assert.equal(parseVzdumpLog(page.lines.map((l) => l.t), false).jobError, e.reason);
    }
  });

  it('backups agree with the plant: verification, never-run guests, a newer backup from another job', () => {
    const backupsOf = (vmid: number) => sim.cluster.backups.filter((b) => b.vmid === vmid);
    for (const v of planted('verify')) {
      const list = backupsOf(v.vmid).filter((b) => b.storage === v.storage);
      assert.ok(list.length > 0);
      assert.ok(list.every((b) => (b.verification?.state ?? 'none') === v.state), `${v.vmid}`);
    }
    for (const a of planted('added-after-last-run')) {
      assert.ok(sim.cluster.jobs.find((j) => j.id === a.jobId)!.vmid!.split(',').includes(String(a.vmid)));
      assert.deepEqual(backupsOf(a.vmid), []);
      assert.ok(sim.cluster.tasks.filter((t) => t.vzdump?.job === a.jobId).every((t) => !t.vzdump!.guests.includes(a.vmid)));
    }
    for (const n of planted('not-covered')) {
      assert.ok(!sim.cluster.jobs.some((j) => j.vmid?.split(',').includes(String(n.vmid)) || j.all || j.pool));
      assert.deepEqual(backupsOf(n.vmid), []);
    }
    for (const d of planted('disabled-only')) {
      const jobs = sim.cluster.jobs.filter((j) => j.vmid?.split(',').includes(String(d.vmid)));
      assert.deepEqual(jobs.map((j) => [j.id, j.enabled]), [[d.jobId, 0]]);
    }
    for (const n of planted('newer-backup-from-other-job')) {
      // Which run made a backup: the run task of that job that holds its ctime.
      const by = (jobId: string) => backupsOf(n.vmid).filter((b) => b.storage === n.storage && sim.cluster.tasks.some((t) =>
        t.vzdump?.job === jobId && t.node === sim.cluster.guests.find((g) => g.vmid === n.vmid)!.node && b.ctime >= t.starttime && b.ctime <= t.endtime!));
      const own = Math.max(...by(n.jobId).map((b) => b.ctime));
      const other = Math.max(...by(n.otherJobId).map((b) => b.ctime));
      assert.ok(other > own, `${other} > ${own}`);
    }
    for (const t of planted('two-jobs-one-failed')) {
      assert.ok(planted('failed-guest').some((f) => f.vmid === t.vmid && f.jobId === t.failedJobId));
      assert.ok(!planted('failed-guest').some((f) => f.vmid === t.vmid && f.jobId === t.okJobId));
    }
  });

  it('is the same for the same now, and the CLI takes --scenario health and refuses others', async () => {
    const again = await startSimulator({ scenario: 'health', now: NOW });
    try {
      assert.deepEqual(again.cluster.scenario, sim.cluster.scenario);
      assert.deepEqual(again.cluster.tasks.map((t) => t.upid), sim.cluster.tasks.map((t) => t.upid));
    } finally {
      await again.close();
    }
    assert.equal((parseSimArgs(['--scenario', 'health']) as { scenario?: string }).scenario, 'health');
    assert.throws(() => parseSimArgs(['--scenario', 'chaos']), (e: Error) => e instanceof UsageError && /--scenario must be one of health/.test(e.message));
  });
});
