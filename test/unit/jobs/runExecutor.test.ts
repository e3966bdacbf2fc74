// The run executor alone: what the runner is asked, what a run's outcome becomes, what the log receives.
import { strict as assert } from 'node:assert';
import { Job, LogLevel, ManualClock, SyncOutcome, SyncRunRequest, SyncRunner } from '../../../src/core/jobs';
import { RunExecutor } from '../../../src/core/jobs/runExecutor';
import { FakeRunner } from '../../helpers/jobsFakes';

const T0 = Date.parse('2026-06-01T10:00:00Z');

function job(over: Partial<Job> = {}): Job {
  return { id: 'j1', chainId: 'j1', syncType: 'all', endpoints: ['pve1'], status: 'running', schedule: { mode: 'now' }, createdAt: T0, scheduledAt: T0, startedAt: T0, ...over };
}

/** A runner that answers each endpoint as scripted. */
class ScriptedRunner implements SyncRunner {
  readonly requests: Omit<SyncRunRequest, 'signal' | 'onEvent'>[] = [];
  constructor(private readonly script: Record<string, (req: SyncRunRequest) => Promise<SyncOutcome>>) {}
  run(req: SyncRunRequest): Promise<SyncOutcome> {
    const { signal: _signal, onEvent: _onEvent, ...rest } = req;
    this.requests.push(rest);
    return this.script[req.endpointId](req);
  }
}

function collect(): { lines: string[]; log: (level: LogLevel, message: string) => void } {
  const lines: string[] = [];
  return { lines, log: (level, message) => lines.push(`${level}: ${message}`) };
}

describe('run executor', () => {
  it('asks the runner for each endpoint in turn, naming the job, its stages, whether the user watches and what triggered it', async () => {
    const clock = new ManualClock(T0);
    const runner = new ScriptedRunner({ a: async () => ({ ok: true }), b: async () => ({ ok: true }) });
    const ex = new RunExecutor({ runner, clock });
    await ex.run(job({ endpoints: ['a', 'b'], syncType: 'backups', interactive: true }), new AbortController().signal, () => undefined);
    await ex.run(job({ id: 'j2', endpoints: ['a'], syncType: 'custom', stages: ['devices', 'storage'], schedule: { mode: 'seconds', seconds: 10 } }), new AbortController().signal, () => undefined);
    assert.deepEqual(runner.requests, [
      { jobId: 'j1', endpointId: 'a', stages: ['backups'], interactive: true, trigger: 'manual' },
      { jobId: 'j1', endpointId: 'b', stages: ['backups'], interactive: true, trigger: 'manual' },
      { jobId: 'j2', endpointId: 'a', stages: ['devices', 'storage'], interactive: false, trigger: 'schedule' },
    ]);
  });

  it('a clean run is completed, with the per-stage result and readable lines from the pipeline events', async () => {
    const clock = new ManualClock(T0);
    const runner = new FakeRunner(clock);
    runner.durationMs = 2000;
    const { lines, log } = collect();
    const running = new RunExecutor({ runner, clock }).run(job(), new AbortController().signal, log);
    await clock.advance(2000);
    const outcome = await running;
    assert.equal(outcome.status, 'completed');
    assert.equal(outcome.interrupted, false);
    assert.equal(outcome.error, undefined);
    assert.deepEqual(outcome.result.stages, [{ endpoint: 'pve1', stage: 'devices', status: 'completed', count: 3, created: 1, updated: 2, deleted: 0, failed: 0, skipped: 0, durationSeconds: 0.41 }]);
    assert.deepEqual(outcome.result.endpoints, [{ endpoint: 'pve1', ok: true, message: 'Sync completed.', durationSeconds: 2 }]);
    assert.deepEqual(lines, [
      'debug: [pve1] Devices (nodes, cluster): started — Starting devices synchronization.',
      'debug: [pve1] Devices (nodes, cluster): summary — created 1, updated 2, deleted 0, failed 0, skipped 0, total 3',
      'info: [pve1] Devices (nodes, cluster): completed, 3 items, 1 created, 2 updated in 0.41 s',
      'info: [pve1] sync finished OK in 0.5 s — Sync completed.',
    ]);
  });

  it('ok=false is errored; a runner that throws makes the run failed; the first error is the one kept; every endpoint runs', async () => {
    const clock = new ManualClock(T0);
    const runner = new ScriptedRunner({
      a: async () => ({ ok: false, message: 'storage failed' }),
      b: async () => { throw new Error('socket hang up'); },
      c: async () => ({ ok: true }),
    });
    const { lines, log } = collect();
    const errored = await new RunExecutor({ runner, clock }).run(job({ endpoints: ['a'] }), new AbortController().signal, log);
    assert.equal(errored.status, 'errored');
    assert.equal(errored.error, 'a: storage failed');
    const failed = await new RunExecutor({ runner, clock }).run(job({ endpoints: ['a', 'b', 'c'] }), new AbortController().signal, log);
    assert.equal(failed.status, 'failed');
    assert.equal(failed.error, 'a: storage failed');
    assert.deepEqual(failed.result.endpoints.map((e) => [e.endpoint, e.ok]), [['a', false], ['b', false], ['c', true]]);
    assert.ok(lines.includes('error: [b] the sync broke: socket hang up'));
  });

  it('a stopped run is failed and interrupted, with the reason as its error; later endpoints do not run', async () => {
    const clock = new ManualClock(T0);
    const runner = new FakeRunner(clock);
    runner.durationMs = 60_000;
    const ac = new AbortController();
    const { lines, log } = collect();
    const running = new RunExecutor({ runner, clock }).run(job({ endpoints: ['pve1', 'pve2'] }), ac.signal, log);
    await clock.advance(1000);
    ac.abort(new Error('Cancelled by user.'));
    const outcome = await running;
    assert.equal(outcome.status, 'failed');
    assert.equal(outcome.interrupted, true);
    assert.equal(outcome.error, 'Cancelled by user.');
    assert.deepEqual(runner.calls.map((c) => c.endpointId), ['pve1']);
    assert.equal(lines.at(-1), 'warning: Cancelled by user.');
  });

  it('keeps secrets out of the error and the result it hands back', async () => {
    const secret = 'e3b0c442-98fc-1c14-9afb-f4c8996fb924';
    const runner = new ScriptedRunner({ pve1: async () => ({ ok: false, message: `401 with ${secret}` }) });
    const outcome = await new RunExecutor({ runner, clock: new ManualClock(T0), secrets: () => [secret] }).run(job(), new AbortController().signal, () => undefined);
    assert.equal(outcome.error, 'pve1: 401 with ***');
    assert.ok(!JSON.stringify(outcome).includes(secret));
  });
});
