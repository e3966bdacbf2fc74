// taskLog against the simulator over HTTPS: the UPID (full of ':') travels as one path segment, pages follow PVE's
// read_task_log (lines numbered from 1, default limit 50, limit 0 = to the end, `total` = all lines), an unknown
// but well-formed UPID gets PVE's one-line answer and a malformed one its parameter error.
import { strict as assert } from 'node:assert';
import { ProxmoxClient, ProxmoxError } from '../../../src/core/proxmox';
import { startSimulator, type RunningSimulator } from '../../../src/sim';

describe('proxmox client: taskLog (simulator)', function () {
  this.timeout(20_000);
  let sim: RunningSimulator;
  let client: ProxmoxClient;
  before(async () => {
    sim = await startSimulator({ seed: 5, nodes: 2, guests: 60, jobs: 6, now: 1_795_000_000 });
    client = new ProxmoxClient({ id: 's', name: 's', url: sim.url, tokenId: sim.tokenId, fingerprint: sim.fingerprint }, sim.tokenSecret, { retries: 0 });
  });
  after(async () => {
    await client.close();
    await sim.close();
  });

  it('pages a long vzdump log with the total, and reads it whole with limit 0', async () => {
    // The run with the most guests has a log longer than PVE's default page.
    const task = sim.cluster.tasks.filter((t) => t.vzdump && t.endtime !== undefined).sort((a, b) => b.vzdump!.guests.length - a.vzdump!.guests.length)[0];
    const whole = await client.taskLog(task.node, task.upid, { limit: 0 });
    assert.ok(whole.total > 50, `total ${whole.total}`);
    assert.equal(whole.lines.length, whole.total);
    assert.deepEqual(whole.lines.map((l) => l.n), Array.from({ length: whole.total }, (_, i) => i + 1));
    assert.match(whole.lines[0].t, /^INFO: starting new backup job: vzdump /);
    assert.match(whole.lines.at(-1)!.t, /^TASK (OK|ERROR: )/);
    const first = await client.taskLog(task.node, task.upid);
    assert.deepEqual(first.lines, whole.lines.slice(0, 50));
    assert.equal(first.total, whole.total);
    const page = await client.taskLog(task.node, task.upid, { start: 10, limit: 5 });
    assert.deepEqual(page.lines, whole.lines.slice(10, 15));
    const path = Object.keys(sim.stats().byPath).find((p) => p.endsWith('/log'))!;
    assert.ok(path.includes(encodeURIComponent(task.upid)), path);
  });

  it('answers an unknown task as PVE does, and refuses a malformed UPID', async () => {
    const unknown = await client.taskLog('pve1', 'UPID:pve1:00000001:00000002:00000003:vzdump::root@pam:');
    assert.deepEqual(unknown, { lines: [{ n: 1, t: 'unable to open file - No such file or directory' }], total: 1 });
    await assert.rejects(client.taskLog('pve1', 'not-a-upid'), (e: unknown) => e instanceof ProxmoxError && e.status === 400);
  });
});
