// Commands in a real VS Code: every failure goes through the one wrapper (explained in the log, never a rejected
// command), and a sync is always a job whose run this window records under the job's id.
import { strict as assert } from 'node:assert';
import * as vscode from 'vscode';
import { startSimulator, type RunningSimulator } from '../../src/sim';
import { testing } from './extension';

describe('commands: one wrapper, one run path', function () {
  this.timeout(90_000);
  let sim: RunningSimulator;
  let api: Awaited<ReturnType<typeof testing>>;
  const ID = 'cmd-sim';

  before(async () => {
    api = await testing();
    sim = await startSimulator({ seed: 5, nodes: 2, guests: 6, jobs: 2 });
    await api.addEndpoint({ id: ID, name: 'Commands cluster', url: sim.url, tokenId: sim.tokenId, fingerprint: sim.fingerprint }, sim.tokenSecret);
  });

  after(async () => {
    await api?.removeEndpoint(ID).catch(() => undefined);
    await sim?.close();
  });

  it('a command that fails resolves, and the log says what happened and what to do', async () => {
    // Before the wrapper, this JobError escaped the command and VS Code showed its generic "command failed" toast.
    const result = await vscode.commands.executeCommand('proxbox.job.cancel', 'no-such-job');
    assert.equal(result, undefined);
    const line = api.outputLines().find((l) => l.includes('"Cancel Sync" did not complete'));
    assert.ok(line, api.outputLines().slice(-10).join('\n'));
    assert.match(line, /\[error\].*validation error: No job no-such-job.*Refresh the Proxbox view/);
  });

  it('a sync runs as a job and is recorded under the job id; cancelling it after it ended is no error', async () => {
    const before = api.outputLines().length;
    const result = await api.sync(ID);
    assert.ok(result?.ok, JSON.stringify(result));
    const run = api.runs().find((r) => r.endpointId === ID);
    assert.ok(run, 'no run recorded for the endpoint');
    assert.match(run.id, /^[a-z0-9]+-[a-z0-9]+$/, `the run is not keyed by a job id: ${run.id}`);
    assert.ok(run.lines.some((l) => l.includes(`job ${run.id}, manual`)), run.lines.slice(0, 3).join('\n'));
    const cancelled = await vscode.commands.executeCommand('proxbox.job.cancel', run.id);
    assert.equal(cancelled, false);
    assert.ok(!api.outputLines().slice(before).some((l) => l.includes('did not complete')), 'cancelling a finished job was reported as a failure');
    // The tree lists the job (not a separate run item) with one child per stage.
    const ep = (await api.treeSnapshot()).find((n) => n.label === 'Commands cluster');
    const job = ep?.children?.find((c) => c.label === 'Syncs')?.children?.[0];
    assert.equal(job?.contextValue, 'proxbox.job.finished');
    assert.equal(job?.children?.filter((c) => c.contextValue?.startsWith('proxbox.stage.')).length, 12);
  });

  it('a second sync of a busy endpoint is queued once behind the running one, both run, each under its own job', async () => {
    const [a, b] = await Promise.all([api.sync(ID), api.sync(ID)]);
    assert.ok(a?.ok && b?.ok, JSON.stringify([a, b]));
    const ids = api.runs().filter((r) => r.endpointId === ID).map((r) => r.id);
    assert.equal(new Set(ids).size, ids.length, 'two runs share one record');
    assert.ok(ids.length >= 3, ids.join(', '));
  });
});
