// Issue 11, items 1 and 2 in a real VS Code: a continuous schedule is stopped from the palette and from the tree's
// stop button (both name a run record that may have ended meanwhile), and Remove Endpoint leaves no job, run or
// status behind. That a stop and a removal hold across a reload is proven on the persisted state by the JobService
// unit tests (a second service over the same storage folder after the first was disposed, as a reload does).
import { strict as assert } from 'node:assert';
import * as vscode from 'vscode';
import { startSimulator, type RunningSimulator } from '../../src/sim';
import { testing } from './extension';

const live = (s: string) => s === 'running' || s === 'pending' || s === 'scheduled';

async function until(what: string, check: () => boolean, ms = 30_000): Promise<void> {
  const end = Date.now() + ms;
  while (!check()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe('schedules: stopping a continuous sync and removing an endpoint', function () {
  this.timeout(120_000);
  let sim: RunningSimulator;
  let api: Awaited<ReturnType<typeof testing>>;
  const EP = 'schedules-sim';
  const OTHER = 'schedules-sim-2';

  before(async () => {
    api = await testing();
    sim = await startSimulator({ seed: 5, nodes: 1, guests: 3, jobs: 1 });
    await api.addEndpoint({ id: EP, name: 'Schedules cluster', url: sim.url, tokenId: sim.tokenId, fingerprint: sim.fingerprint }, sim.tokenSecret);
  });

  after(async () => {
    await api?.removeEndpoint(EP).catch(() => undefined);
    await api?.removeEndpoint(OTHER).catch(() => undefined);
    await sim?.close();
  });

  for (const from of ['palette', 'tree'] as const) {
    it(`Cancel Sync from the ${from} stops the continuous schedule, not one run, with a record that has ended meanwhile`, async () => {
      const first = await api.scheduleJob({ syncType: 'devices', endpoints: [EP], schedule: { mode: 'continuous', pauseSeconds: 1 } });
      const chain = () => api.jobs().filter((j) => j.chainId === first.chainId);
      // Let the first run end and the schedule move on to a new record: the row the user clicked is stale.
      await until('a second run of the schedule', () => chain().length >= 2);
      assert.ok(chain().some((j) => live(j.status)), 'the schedule goes on');
      const ok = from === 'tree'
        ? await vscode.commands.executeCommand('proxbox.job.cancel', first.id)
        : await vscode.commands.executeCommand('proxbox.job.cancel');
      assert.equal(ok, true);
      await until('the schedule to stop', () => !chain().some((j) => live(j.status)));
      const count = chain().length;
      await new Promise((r) => setTimeout(r, 3000)); // three pauses: no further run
      assert.equal(chain().length, count, 'no run after the cancel');
      assert.ok(chain().filter((j) => j.status === 'completed').length >= 1, 'its history is kept');
    });
  }

  it('Cancel Running Sync finds the continuous schedule between two runs', async () => {
    const first = await api.scheduleJob({ syncType: 'devices', endpoints: [EP], schedule: { mode: 'continuous', pauseSeconds: 30 } });
    const chain = () => api.jobs().filter((j) => j.chainId === first.chainId);
    await until('the pause after the first run', () => chain().some((j) => j.status === 'scheduled'));
    assert.equal(await vscode.commands.executeCommand('proxbox.sync.cancel'), true);
    await until('the schedule to stop', () => !chain().some((j) => live(j.status)));
  });

  it('Remove Endpoint removes its schedules, runs and status; the status bar forgets it', async () => {
    await api.addEndpoint({ id: OTHER, name: 'Schedules cluster 2', url: sim.url, tokenId: sim.tokenId, fingerprint: sim.fingerprint }, sim.tokenSecret);
    await api.scheduleJob({ syncType: 'devices', endpoints: [OTHER], schedule: { mode: 'continuous', pauseSeconds: 1 } });
    await api.scheduleJob({ syncType: 'devices', endpoints: [OTHER], schedule: { mode: 'cron', expr: '0 2 * * *', tz: 'UTC' } });
    const both = await api.scheduleJob({ syncType: 'devices', endpoints: [OTHER, EP], schedule: { mode: 'interval', minutes: 600, startAt: Date.now() + 3_600_000 } });
    await until('a finished run of the endpoint', () => api.jobs().some((j) => j.endpoints.includes(OTHER) && j.status === 'completed'));
    await api.removeEndpoint(OTHER);
    assert.deepEqual(api.jobs().filter((j) => j.endpoints.includes(OTHER)).map((j) => `${j.id} ${j.status}`), []);
    assert.deepEqual(api.jobs().find((j) => j.id === both.id)?.endpoints, [EP], 'a job of two endpoints goes on with the other');
    assert.ok(api.runs().every((r) => r.endpointId !== OTHER), 'its run records are gone');
    assert.doesNotMatch(api.statusBar().tooltip, /Schedules cluster 2/);
    await new Promise((r) => setTimeout(r, 3000));
    assert.deepEqual(api.jobs().filter((j) => j.endpoints.includes(OTHER)), [], 'nothing of it runs again');
    await vscode.commands.executeCommand('proxbox.job.cancel', both.id);
  });
});
