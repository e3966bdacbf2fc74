// The job state machine alone: inputs in, state and effects out, time moved by hand. No files, no timers, no runner.
import { strict as assert } from 'node:assert';
import { JobError } from '../../../src/core/jobs';
import {
  JobEffect, JobInput, JobState, MachineConfig, StepResult, checkCancellable, nextDue, stateOf, step,
} from '../../../src/core/jobs/jobMachine';
import type { JobRequest } from '../../../src/core/jobs';

const SEC = 1000;
const MIN = 60 * SEC;
const HOUR = 60 * MIN;
const DAY = 24 * HOUR;
const T0 = Date.parse('2026-06-01T10:00:00Z');

/** Drives the machine like the service does, keeping the state and the effects of the last step. */
class Driver {
  state: JobState = stateOf([]);
  now = T0;
  effects: JobEffect[] = [];
  private ids = 0;
  readonly config: MachineConfig;
  startRuns = true;

  constructor(config: Partial<MachineConfig> = {}) {
    this.config = { maxCount: 100, maxAgeMs: 30 * DAY, newId: () => `j${++this.ids}`, ...config };
  }

  do(input: JobInput): StepResult {
    const r = step(this.state, input, { now: this.now, config: this.config, startRuns: this.startRuns });
    this.state = r.state;
    this.effects = r.effects;
    return r;
  }

  schedule(request: Partial<JobRequest> & Pick<JobRequest, 'schedule'>, id = `r${++this.ids}`): StepResult {
    return this.do({ op: 'schedule', id, chainId: id, request: { syncType: 'all', endpoints: ['pve1'], ...request } });
  }

  finish(id: string, status: 'completed' | 'errored' | 'failed' = 'completed', interrupted = false): StepResult {
    return this.do({ op: 'runFinished', id, status, ...(status !== 'completed' ? { error: `${status} on purpose` } : {}), result: { stages: [], endpoints: [] }, interrupted });
  }

  tick(ms = 0): StepResult {
    this.now += ms;
    return this.do({ op: 'tick' });
  }

  job(id: string) {
    return this.state.jobs.get(id);
  }

  get jobs() {
    return [...this.state.jobs.values()];
  }

  chain(chainId: string) {
    return this.jobs.filter((j) => j.chainId === chainId).sort((a, b) => a.scheduledAt - b.scheduledAt);
  }

  started(): string[] {
    return this.effects.flatMap((e) => (e.type === 'startRun' ? [e.jobId] : []));
  }

  logs(id?: string): string[] {
    return this.effects.flatMap((e) => (e.type === 'log' && (!id || e.jobId === id) ? [`${e.level}: ${e.message}`] : []));
  }

  kinds(): string[] {
    return this.effects.map((e) => e.type);
  }
}

describe('job state machine', () => {
  describe('scheduling', () => {
    it('a "now" job starts at once, and the index is saved before its run starts', () => {
      const m = new Driver();
      const r = m.schedule({ schedule: { mode: 'now' } }, 'a');
      assert.equal(r.scheduled?.job.status, 'running');
      assert.equal(r.scheduled?.queued, false);
      assert.equal(m.job('a')?.startedAt, T0);
      assert.deepEqual(m.kinds(), ['log', 'log', 'save', 'startRun']);
      assert.deepEqual(m.logs('a'), ['info: Scheduled: all on pve1, run now; first run 2026-06-01T10:00:00.000Z.', 'info: Starting sync: all on pve1.']);
    });

    it('a future job waits; nextDue tells when; a tick at that time starts it', () => {
      const m = new Driver();
      m.schedule({ schedule: { mode: 'once', at: T0 + HOUR } }, 'a');
      assert.equal(m.job('a')?.status, 'scheduled');
      assert.deepEqual(m.started(), []);
      assert.equal(nextDue(m.state), T0 + HOUR);
      m.tick(HOUR - 1);
      assert.deepEqual(m.started(), []);
      assert.deepEqual(m.kinds(), [], 'nothing changed: no save either');
      m.tick(1);
      assert.deepEqual(m.started(), ['a']);
      assert.equal(nextDue(m.state), undefined);
    });

    it('never touches the state it was given', () => {
      const m = new Driver();
      m.schedule({ schedule: { mode: 'now' } }, 'a');
      const before = m.state;
      const snapshot = JSON.stringify([...before.jobs.values()]);
      m.finish('a');
      assert.equal(JSON.stringify([...before.jobs.values()]), snapshot);
      assert.equal(before.jobs.get('a')?.status, 'running');
    });

    it('keeps interactive on the job that was requested interactively, not on its successors', () => {
      const m = new Driver();
      m.schedule({ schedule: { mode: 'interval', minutes: 30 }, interactive: true }, 'a');
      assert.equal(m.job('a')?.interactive, true);
      m.now += 5 * MIN;
      m.finish('a');
      const next = m.chain('a').find((j) => j.status === 'scheduled');
      assert.ok(next);
      assert.equal(next.interactive, undefined);
    });
  });

  describe('enqueue once', () => {
    it('the same key with the same schedule is kept; a changed one replaces the old chain', () => {
      const m = new Driver();
      const req = { key: 'nightly', schedule: { mode: 'interval' as const, minutes: 60, startAt: T0 + HOUR } };
      m.schedule(req, 'a');
      const kept = m.schedule(req, 'b');
      assert.equal(kept.scheduled?.kept, true);
      assert.equal(kept.scheduled?.job.id, 'a');
      assert.equal(m.job('b'), undefined);
      m.schedule({ ...req, schedule: { mode: 'interval', minutes: 30, startAt: T0 + HOUR } }, 'c');
      assert.deepEqual(m.jobs.map((j) => j.id), ['c']);
      assert.ok(m.effects.some((e) => e.type === 'removeLog' && e.jobId === 'a'), 'the replaced job\'s log goes too');
    });

    it('a replaced chain whose run is in progress ends after that run, without a successor', () => {
      const m = new Driver();
      m.schedule({ key: 'k', schedule: { mode: 'continuous' } }, 'a');
      assert.equal(m.job('a')?.status, 'running');
      m.schedule({ key: 'k', endpoints: ['pve2'], schedule: { mode: 'continuous' } }, 'b');
      m.now += MIN;
      m.finish('a');
      assert.equal(m.job('a')?.status, 'completed');
      assert.deepEqual(m.chain('a').map((j) => j.id), ['a'], 'no successor');
    });

    it('a "now" request for a busy endpoint is queued once and starts when the endpoint is free; a second is refused', () => {
      const m = new Driver();
      m.schedule({ schedule: { mode: 'now' } }, 'a');
      const other = m.schedule({ endpoints: ['pve2'], schedule: { mode: 'now' } }, 'o');
      assert.equal(other.scheduled?.job.status, 'running', 'another endpoint runs in parallel');
      const q = m.schedule({ syncType: 'devices', schedule: { mode: 'now' } }, 'q');
      assert.equal(q.scheduled?.queued, true);
      assert.deepEqual(m.logs('q').slice(-1), ['info: Queued: waiting for the running sync of pve1 to finish.']);
      const before = m.state;
      assert.throws(() => m.schedule({ endpoints: ['pve1', 'pve3'], schedule: { mode: 'now' } }, 'x'),
        (e: unknown) => e instanceof JobError && /sync of pve1 is running and another one \(q\) is already queued/.test(e.message) && /cancel it first/.test(e.message));
      assert.equal(m.state, before, 'a refused command changes nothing');
      m.now += 5 * MIN;
      m.finish('a');
      assert.deepEqual(m.started(), ['q']);
      assert.equal(m.job('q')?.startedAt, T0 + 5 * MIN);
    });

    it('a scheduled run due while its endpoint is busy with a queue behind it is not run, and its chain continues', () => {
      const m = new Driver();
      m.schedule({ schedule: { mode: 'now' } }, 'a');
      m.schedule({ schedule: { mode: 'now' } }, 'q');
      m.schedule({ syncType: 'backups', schedule: { mode: 'interval', minutes: 15, startAt: T0 + 10 * MIN } }, 'rec');
      m.tick(10 * MIN);
      const skipped = m.job('rec');
      assert.equal(skipped?.status, 'failed');
      assert.equal(skipped?.error, 'Not run: a sync of pve1 was running and another one was already queued.');
      assert.equal(m.chain('rec').find((j) => j.status === 'scheduled')?.scheduledAt, T0 + 25 * MIN);
      assert.deepEqual(m.started(), []);
    });

    it('a scheduled run due while its endpoint is busy waits in the queue', () => {
      const m = new Driver();
      m.schedule({ schedule: { mode: 'now' } }, 'a');
      m.schedule({ schedule: { mode: 'once', at: T0 + MIN } }, 'b');
      m.tick(MIN);
      assert.equal(m.job('b')?.status, 'pending');
      m.finish('a');
      assert.deepEqual(m.started(), ['b']);
    });
  });

  describe('catch-up', () => {
    it('after a gap, one run stands for the missed ones, says so, and the chain goes back onto its grid', () => {
      const m = new Driver();
      m.schedule({ schedule: { mode: 'interval', minutes: 60 } }, 'a');
      m.now += MIN;
      m.finish('a');
      const next = m.chain('a')[1];
      assert.equal(next.scheduledAt, T0 + HOUR);
      m.tick(5 * HOUR + 30 * MIN); // asleep from 10:01 to 15:31
      assert.deepEqual(m.started(), [next.id], 'exactly one run');
      assert.deepEqual(m.job(next.id)?.catchUp, { missed: 4, since: T0 + HOUR });
      assert.match(m.logs(next.id)[0], /^warning: Catch-up run: this run was due at 2026-06-01T11:00:00.000Z and 4 more scheduled runs were missed/);
      m.now += MIN;
      m.finish(next.id);
      assert.equal(m.chain('a').find((j) => j.status === 'scheduled')?.scheduledAt, T0 + 6 * HOUR, '16:00, not 15:32 + 60 min');
    });

    it('a run late by more than a minute without a whole occurrence missed is a late run', () => {
      const m = new Driver();
      m.schedule({ schedule: { mode: 'once', at: T0 + HOUR } }, 'a');
      m.tick(HOUR + 2 * MIN);
      assert.deepEqual(m.job('a')?.catchUp, { missed: 0, since: T0 + HOUR });
      assert.match(m.logs('a')[0], /^warning: Late run: this run was due at 2026-06-01T11:00:00.000Z/);
    });
  });

  describe('cancel', () => {
    it('a running job: its run is aborted and its schedule ends, with the stop saved on the record', () => {
      const m = new Driver();
      m.schedule({ schedule: { mode: 'continuous', backoffSeconds: 45 } }, 'a');
      m.do({ op: 'cancel', id: 'a' });
      assert.deepEqual(m.effects.filter((e) => e.type !== 'log'), [{ type: 'abort', jobId: 'a', reason: 'Cancelled by user; its schedule ends here.' }, { type: 'save' }]);
      assert.equal(m.job('a')?.stopping, 'cancel', 'saved, so a reload before the run has stopped does not restart it');
      m.now += 10 * SEC;
      m.do({ op: 'runFinished', id: 'a', status: 'failed', error: 'Cancelled by user.', interrupted: true });
      assert.equal(m.job('a')?.status, 'failed');
      assert.equal(m.job('a')?.stopping, undefined);
      m.tick(DAY);
      assert.deepEqual(m.jobs.map((j) => j.id), ['a'], 'no successor');
    });

    it('a scheduled job: marked failed at once, its log written, its chain ended', () => {
      const m = new Driver();
      m.schedule({ schedule: { mode: 'interval', minutes: 30, startAt: T0 + HOUR } }, 'a');
      m.do({ op: 'cancel', id: 'a' });
      assert.equal(m.job('a')?.status, 'failed');
      assert.equal(m.job('a')?.error, 'Cancelled by user.');
      assert.equal(m.job('a')?.completedAt, T0);
      assert.deepEqual(m.logs('a'), ['warning: Cancelled by user before it ran; its schedule ends here.']);
      assert.ok(m.effects.some((e) => e.type === 'flushLog' && e.jobId === 'a'));
      m.tick(DAY);
      assert.deepEqual(m.jobs.map((j) => j.id), ['a'], 'no successor');
    });

    it('a queued job: taken out of the queue and never run', () => {
      const m = new Driver();
      m.schedule({ schedule: { mode: 'now' } }, 'a');
      m.schedule({ schedule: { mode: 'now' } }, 'q');
      m.do({ op: 'cancel', id: 'q' });
      assert.equal(m.job('q')?.status, 'failed');
      m.finish('a');
      assert.deepEqual(m.started(), []);
    });

    it('a finished run of a schedule that goes on: the schedule is cancelled (the run ended between the click and the command)', () => {
      const m = new Driver();
      m.schedule({ schedule: { mode: 'interval', minutes: 30 } }, 'a');
      m.now += MIN;
      m.finish('a');
      const next = m.chain('a')[1];
      assert.equal(next.status, 'scheduled');
      m.do({ op: 'cancel', id: 'a' });
      assert.equal(m.job('a')?.status, 'completed', 'the finished run keeps its outcome');
      assert.equal(m.job(next.id)?.status, 'failed');
      assert.equal(m.job(next.id)?.error, 'Cancelled by user.');
      m.tick(DAY);
      assert.equal(m.chain('a').length, 2, 'no run after the cancel');
    });

    it('a finished job whose schedule has nothing left: refused with what to do next', () => {
      const once = new Driver();
      once.schedule({ schedule: { mode: 'now' } }, 'b');
      once.finish('b', 'errored');
      assert.throws(() => once.do({ op: 'cancel', id: 'b' }), (e: unknown) => e instanceof JobError &&
        /^Job b has already finished \(errored at 2026-06-01T10:00:00.000Z\) and its schedule has no further run, so there is nothing to cancel\. Open its log .*"Proxbox: Clear Sync History" removes it/.test(e.message));
      assert.throws(() => checkCancellable(once.state.jobs, 'b'), /nothing to cancel/);
      assert.doesNotThrow(() => checkCancellable(once.state.jobs, 'unknown'));
    });

    it('an unknown job: refused', () => {
      assert.throws(() => new Driver().do({ op: 'cancel', id: 'nope' }), /No job nope: it may have finished and been removed/);
    });
  });

  describe('delete', () => {
    it('a scheduled job: removed with its log; its chain ends', () => {
      const m = new Driver();
      m.schedule({ schedule: { mode: 'interval', minutes: 30, startAt: T0 + HOUR } }, 'a');
      m.do({ op: 'delete', id: 'a' });
      assert.deepEqual(m.jobs, []);
      assert.deepEqual(m.effects, [{ type: 'removeLog', jobId: 'a' }, { type: 'save' }]);
    });

    it('a running job: its run is aborted, then the record goes and the chain ends', () => {
      const m = new Driver();
      m.schedule({ schedule: { mode: 'continuous' } }, 'a');
      m.do({ op: 'delete', id: 'a' });
      assert.deepEqual(m.effects.filter((e) => e.type !== 'log'), [{ type: 'abort', jobId: 'a', reason: 'Deleted by user while running; its schedule ends here.' }, { type: 'save' }]);
      assert.equal(m.job('a')?.status, 'running', 'still running until its run has wound down');
      assert.equal(m.job('a')?.stopping, 'delete');
      m.now += MIN;
      m.do({ op: 'runFinished', id: 'a', status: 'failed', error: 'Deleted by user while running; its schedule ends here.', interrupted: true });
      assert.deepEqual(m.jobs, [], 'no record, no successor');
      assert.ok(m.effects.some((e) => e.type === 'removeLog' && e.jobId === 'a'));
      m.tick(HOUR);
      assert.deepEqual(m.jobs, []);
    });

    it('a finished record of a schedule that goes on: the schedule goes (the run ended after the click), its history stays', () => {
      const m = new Driver();
      m.schedule({ schedule: { mode: 'interval', minutes: 30 } }, 'a');
      m.now += MIN;
      m.finish('a');
      m.do({ op: 'delete', id: 'a' });
      assert.deepEqual(m.chain('a').map((j) => `${j.id} ${j.status}`), ['a completed']);
      m.do({ op: 'delete', id: 'a' });
      assert.deepEqual(m.jobs, [], 'with nothing left to run, the record itself goes');
    });

    it('an unknown job: nothing happens', () => {
      const m = new Driver();
      m.do({ op: 'delete', id: 'nope' });
      assert.deepEqual(m.effects, []);
    });
  });

  describe('the next run of a chain', () => {
    it('continuous: after a completed run, the pause; after a failed or errored one, the back-off; after a stop from outside, the pause', () => {
      const m = new Driver();
      m.schedule({ schedule: { mode: 'continuous', backoffSeconds: 45, pauseSeconds: 30 } }, 'a');
      const ran: number[] = [];
      const logged: string[] = [];
      const finishCurrent = (status: 'completed' | 'errored' | 'failed', interrupted = false): void => {
        const current = m.jobs.find((j) => j.status === 'running');
        assert.ok(current, 'a run in progress');
        ran.push((current.startedAt ?? 0) - T0);
        m.now += 10 * SEC;
        m.finish(current.id, status, interrupted);
        logged.push(...m.logs());
        const next = m.jobs.find((j) => j.status === 'scheduled');
        if (next) m.tick(Math.max(0, next.scheduledAt - m.now));
      };
      finishCurrent('completed'); // pause 30 s
      finishCurrent('errored'); // back-off 45 s
      finishCurrent('failed'); // back-off 45 s
      finishCurrent('failed', true); // a closed window: no back-off, the pause
      finishCurrent('completed');
      assert.deepEqual(ran.map((t) => t / SEC), [0, 40, 95, 150, 190]);
      const done = m.chain('a').filter((j) => j.status !== 'running' && j.status !== 'scheduled');
      assert.deepEqual(done.map((j) => j.status), ['completed', 'errored', 'failed', 'failed', 'completed']);
      assert.match(logged.join('\n'), /Next run: 2026-06-01T10:03:50.000Z \(job j\d+\)\./);
    });

    it('a one-off job has no next run', () => {
      const m = new Driver();
      m.schedule({ schedule: { mode: 'now' } }, 'a');
      m.finish('a', 'failed');
      assert.deepEqual(m.jobs.map((j) => j.id), ['a']);
      assert.match(m.logs('a').join('\n'), /error: Job failed in 0\.0 s: failed on purpose/);
    });

    it('a run whose record was settled meanwhile (an orphan recorded by a take-over) is ignored', () => {
      const m = new Driver();
      m.schedule({ schedule: { mode: 'interval', minutes: 30 } }, 'a');
      m.do({ op: 'adopt', live: new Set(), reason: 'The window running this sync stopped.' });
      const settled = m.jobs.length;
      m.finish('a');
      assert.equal(m.job('a')?.status, 'failed');
      assert.equal(m.jobs.length, settled, 'no second successor');
    });
  });

  describe('taking the schedule over', () => {
    it('marks runs without a live runner failed with the reason, continues their chains, and leaves live ones alone', () => {
      const m = new Driver();
      m.schedule({ schedule: { mode: 'interval', minutes: 30 } }, 'orphan');
      m.schedule({ endpoints: ['pve2'], schedule: { mode: 'now' } }, 'mine');
      m.now += 40 * MIN;
      m.do({ op: 'adopt', live: new Set(['mine']), reason: 'The window running this sync stopped before it finished.' });
      assert.equal(m.job('orphan')?.status, 'failed');
      assert.equal(m.job('orphan')?.error, 'The window running this sync stopped before it finished.');
      assert.equal(m.job('mine')?.status, 'running');
      // Interrupted, not a failed sync: no back-off, only NetBox's floor of one minute after the run ended.
      const next = m.chain('orphan')[1];
      assert.equal(next.status, 'scheduled');
      assert.equal(next.scheduledAt, T0 + 41 * MIN);
      assert.match(m.logs('orphan').join('\n'), /error: Job failed in 2400\.0 s: The window running this sync stopped/);
    });

    it('starts nothing while the service shuts down', () => {
      const m = new Driver();
      m.schedule({ schedule: { mode: 'continuous' } }, 'a');
      m.startRuns = false;
      m.finish('a', 'failed', true);
      assert.deepEqual(m.started(), []);
      assert.equal(m.jobs.find((j) => j.id !== 'a')?.status, 'scheduled', 'the next scheduler starts it');
    });
  });

  describe('a continuous schedule (issue 11, item 1)', () => {
    /** Runs the chain for `runs` quick runs (1 s each), as the simulated cluster syncs; returns the running record. */
    function runFor(m: Driver, runs: number): string {
      for (let i = 0; i < runs; i++) {
        const current = m.jobs.find((j) => j.status === 'running');
        assert.ok(current, 'a run in progress');
        m.now += SEC;
        m.finish(current.id);
        if (m.jobs.some((j) => j.status === 'running')) continue; // no pause: the next run started at once
        const next = m.jobs.find((j) => j.status === 'scheduled');
        assert.ok(next, 'the chain goes on');
        m.tick(next.scheduledAt - m.now);
      }
      return m.jobs.find((j) => j.status === 'running')!.id;
    }

    it('keeps the pause between runs (default 30 s), so quick syncs do not run back to back', () => {
      const m = new Driver();
      m.schedule({ schedule: { mode: 'continuous' } }, 'c');
      runFor(m, 3);
      const starts = m.chain('c').map((j) => ((j.startedAt ?? 0) - T0) / SEC);
      assert.deepEqual(starts, [0, 31, 62, 93]);
    });

    it('cancel with the record the user saw running, after it ended and the next run started: the schedule stops', () => {
      const m = new Driver();
      m.schedule({ schedule: { mode: 'continuous', pauseSeconds: 0 } }, 'c');
      const seen = 'c';
      runFor(m, 2);
      m.do({ op: 'cancel', id: seen });
      const running = m.jobs.find((j) => j.status === 'running')!;
      assert.ok(m.effects.some((e) => e.type === 'abort' && e.jobId === running.id), 'the run in progress is aborted');
      m.now += SEC;
      m.finish(running.id, 'failed', true);
      m.tick(DAY);
      assert.deepEqual(m.jobs.filter((j) => j.status === 'scheduled' || j.status === 'running' || j.status === 'pending'), []);
    });

    it('a schedule cancelled or deleted while running stays stopped when the next scheduler adopts the orphan (a reload)', () => {
      for (const op of ['cancel', 'delete'] as const) {
        const m = new Driver();
        m.schedule({ schedule: { mode: 'continuous' } }, 'c');
        m.do({ op, id: 'c' });
        // The window reloads before the run has wound down: only the saved records reach the next scheduler.
        const saved = m.jobs.map((j) => structuredClone(j));
        const next = new Driver();
        next.state = stateOf(saved);
        next.now = m.now + 5 * SEC;
        next.do({ op: 'adopt', live: new Set(), reason: 'The window closed.' });
        next.tick(DAY);
        assert.deepEqual(next.started(), [], op);
        assert.deepEqual(next.jobs.map((j) => `${j.id} ${j.status}`), op === 'cancel' ? ['c failed'] : [], op);
      }
    });

    it('bounds the history per schedule: a busy schedule never pushes out another schedule\'s runs or the manual syncs', () => {
      const m = new Driver({ maxCount: 5 });
      m.schedule({ endpoints: ['pve2'], schedule: { mode: 'now' } }, 'manual');
      m.now += SEC;
      m.finish('manual');
      m.schedule({ endpoints: ['pve2'], schedule: { mode: 'interval', minutes: 60 } }, 'hourly');
      m.now += SEC;
      m.finish('hourly');
      m.schedule({ schedule: { mode: 'continuous', pauseSeconds: 0 } }, 'c');
      runFor(m, 20);
      const finished = (chain: string) => m.chain(chain).filter((j) => j.status === 'completed').length;
      assert.equal(finished('c'), 5, 'the continuous schedule keeps its newest 5');
      assert.equal(finished('hourly'), 1);
      assert.equal(m.job('manual')?.status, 'completed');
    });
  });

  describe('removing an endpoint (issue 11, item 2)', () => {
    it('removes every record of its own jobs (a run in progress once stopped); jobs of several endpoints go on without it', () => {
      const m = new Driver();
      m.schedule({ schedule: { mode: 'now' } }, 'old');
      m.finish('old');
      m.schedule({ schedule: { mode: 'continuous' } }, 'cont');
      m.schedule({ schedule: { mode: 'cron', expr: '0 2 * * *', tz: 'UTC' } }, 'cron');
      m.schedule({ endpoints: ['pve2', 'pve1'], schedule: { mode: 'interval', minutes: 60, startAt: T0 + HOUR } }, 'both');
      m.schedule({ endpoints: ['pve2'], schedule: { mode: 'once', at: T0 + HOUR } }, 'other');
      m.do({ op: 'forgetEndpoint', endpoint: 'pve1' });
      assert.ok(m.effects.some((e) => e.type === 'abort' && e.jobId === 'cont'));
      assert.deepEqual(m.jobs.map((j) => j.id).sort(), ['both', 'cont', 'other'], 'the running one waits for its run to stop');
      assert.deepEqual(m.job('both')?.endpoints, ['pve2']);
      m.now += SEC;
      m.finish('cont', 'failed', true);
      assert.deepEqual(m.jobs.map((j) => j.id).sort(), ['both', 'other']);
      for (const id of ['old', 'cont', 'cron']) assert.ok(m.effects.some((e) => e.type === 'removeLog' && e.jobId === id) || !m.job(id), id);
      m.tick(DAY);
      assert.ok(m.jobs.every((j) => !j.endpoints.includes('pve1')), 'nothing of pve1 runs again');
    });
  });

  describe('history', () => {
    it('keeps at most maxCount finished jobs, removing the oldest with their logs', () => {
      const m = new Driver({ maxCount: 3 });
      for (let i = 0; i < 5; i++) {
        m.schedule({ schedule: { mode: 'now' } }, `n${i}`);
        m.now += MIN;
        m.finish(`n${i}`);
      }
      assert.deepEqual(m.jobs.map((j) => j.id), ['n2', 'n3', 'n4']);
      assert.deepEqual(m.effects.filter((e) => e.type === 'removeLog'), [{ type: 'removeLog', jobId: 'n1' }]);
    });

    it('drops finished jobs older than maxAgeMs, never unfinished ones', () => {
      const m = new Driver({ maxAgeMs: DAY });
      m.schedule({ schedule: { mode: 'now' } }, 'old');
      m.finish('old');
      m.schedule({ endpoints: ['pve2'], schedule: { mode: 'once', at: T0 + 3 * DAY } }, 'later');
      m.tick(DAY);
      assert.deepEqual(m.jobs.map((j) => j.id).sort(), ['later', 'old'], 'exactly a day old is kept');
      m.tick(1);
      assert.deepEqual(m.jobs.map((j) => j.id), ['later']);
      assert.deepEqual(m.effects, [{ type: 'removeLog', jobId: 'old' }, { type: 'save' }]);
    });

    it('clearHistory removes every finished job and says how many', () => {
      const m = new Driver();
      m.schedule({ schedule: { mode: 'now' } }, 'a');
      m.finish('a');
      m.schedule({ schedule: { mode: 'now' } }, 'b');
      m.finish('b', 'errored');
      m.schedule({ schedule: { mode: 'once', at: T0 + HOUR } }, 'c');
      assert.equal(m.do({ op: 'clearHistory' }).removed, 2);
      assert.deepEqual(m.jobs.map((j) => j.id), ['c']);
    });
  });
});
