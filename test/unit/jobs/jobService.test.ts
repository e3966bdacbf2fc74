import { strict as assert } from 'node:assert';
import { promises as fs, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Job, JobChange, JobError, JobService, JobServiceOptions, ManualClock } from '../../../src/core/jobs';
import { FakeRunner } from '../../helpers/jobsFakes';

const SEC = 1000;
const MIN = 60 * SEC;
const HOUR = 60 * MIN;
const T0 = Date.parse('2026-06-01T10:00:00Z');

interface Harness {
  clock: ManualClock;
  runner: FakeRunner;
  service: JobService;
  advance(ms: number): Promise<void>;
}

describe('JobService', function () {
  this.timeout(60_000);
  let dir: string;
  const services: JobService[] = [];
  beforeEach(() => { dir = mkdtempSync(join(tmpdir(), 'proxbox-jobs-')); });
  afterEach(async () => {
    for (const s of services.splice(0)) await s.dispose().catch(() => undefined);
    rmSync(dir, { recursive: true, force: true });
  });

  async function harness(options: Partial<JobServiceOptions> = {}, clock = new ManualClock(T0), runner = new FakeRunner(clock)): Promise<Harness> {
    const service = new JobService({ storeDir: dir, runner, clock, heartbeatMs: HOUR, leaseTtlMs: 3 * HOUR, owner: `w${services.length}`,
      // fsync is the store's business (tested there); here it would only make the many runs slow.
      durableWrites: false, ...options });
    services.push(service);
    await service.start();
    return { clock, runner, service, advance: (ms) => clock.advance(ms, () => service.idle()) };
  }

  it('runs a sync now and records status, per-stage result and a readable log', async () => {
    const h = await harness();
    h.runner.durationMs = 2 * SEC;
    const { job, queued } = await h.service.schedule({ syncType: 'backups', endpoints: ['pve1'], schedule: { mode: 'now' } });
    assert.equal(queued, false);
    assert.equal(h.service.get(job.id)?.status, 'running');
    assert.deepEqual(h.runner.calls[0].stages, ['backups']);
    // Readable while running.
    assert.ok((await h.service.log(job.id)).some((e) => e.message === 'Starting sync: backups on pve1.'));
    await h.advance(2 * SEC);
    const done = h.service.get(job.id) as Job;
    assert.equal(done.status, 'completed');
    assert.equal(done.startedAt, T0);
    assert.equal(done.completedAt, T0 + 2 * SEC);
    assert.deepEqual(done.result?.stages, [{ endpoint: 'pve1', stage: 'devices', status: 'completed', count: 3, created: 1, updated: 2, deleted: 0, failed: 0, skipped: 0, durationSeconds: 0.41 }]);
    assert.deepEqual(done.result?.endpoints, [{ endpoint: 'pve1', ok: true, message: 'Sync completed.', durationSeconds: 2 }]);
    const log = (await h.service.log(job.id)).map((e) => `${e.level}: ${e.message}`);
    assert.ok(log.includes('info: [pve1] Devices (nodes, cluster): completed, 3 items, 1 created, 2 updated in 0.41 s'), log.join('\n'));
    assert.ok(log.includes('debug: [pve1] Devices (nodes, cluster): summary — created 1, updated 2, deleted 0, failed 0, skipped 0, total 3'), log.join('\n'));
    assert.ok(log.includes('info: Sync completed in 2.0 s.'), log.join('\n'));
    assert.equal(h.service.list().length, 1, 'a one-off job has no successor');
  });

  it('marks a run that ends with complete ok=false errored, and a run whose runner throws failed', async () => {
    const h = await harness();
    h.runner.plan = ['errored', 'throw'];
    h.runner.throwMessage = 'connect ECONNREFUSED 10.0.0.1:8006';
    const a = await h.service.schedule({ syncType: 'all', endpoints: ['pve1'], schedule: { mode: 'now' } });
    await h.advance(0);
    const b = await h.service.schedule({ syncType: 'all', endpoints: ['pve1'], schedule: { mode: 'now' } });
    await h.advance(0);
    assert.equal(h.service.get(a.job.id)?.status, 'errored');
    assert.equal(h.service.get(a.job.id)?.error, 'pve1: storage failed');
    assert.equal(h.service.get(b.job.id)?.status, 'failed');
    assert.match(h.service.get(b.job.id)?.error ?? '', /ECONNREFUSED/);
    const log = (await h.service.log(a.job.id)).map((e) => e.message).join('\n');
    assert.match(log, /Storage: connection error: Proxmox did not answer \(ECONNREFUSED\) → Check that the host is up\./);
  });

  it('every 60 minutes: runs on the hour from the first run, and continues after failures', async () => {
    const h = await harness();
    h.runner.durationMs = 3 * MIN;
    h.runner.plan = ['ok', 'throw', 'errored', 'ok'];
    await h.service.schedule({ syncType: 'all', endpoints: ['pve1'], schedule: { mode: 'interval', minutes: 60 } });
    await h.advance(4 * HOUR);
    assert.deepEqual(h.runner.startsFor().map((s) => (s - T0) / MIN), [0, 60, 120, 180, 240]);
    const jobs = h.service.list();
    assert.deepEqual(jobs.map((j) => j.status).sort(), ['completed', 'completed', 'errored', 'failed', 'running']);
    assert.equal(new Set(jobs.map((j) => j.chainId)).size, 1, 'one chain');
  });

  it('a daily 02:00 sync stays at 02:00 however long each run takes', async () => {
    const clock = new ManualClock(Date.parse('2026-06-01T01:00:00Z'));
    const h = await harness({}, clock);
    h.runner.durationMs = 47 * MIN;
    await h.service.schedule({ syncType: 'all', endpoints: ['pve1'], schedule: { mode: 'interval', minutes: 1440, startAt: Date.parse('2026-06-01T02:00:00Z') } });
    await h.advance(3 * 24 * HOUR);
    assert.deepEqual(h.runner.startsFor().map((s) => new Date(s).toISOString()),
      ['2026-06-01T02:00:00.000Z', '2026-06-02T02:00:00.000Z', '2026-06-03T02:00:00.000Z']);
  });

  it('continuous: the pause between runs, the back-off after a failure', async () => {
    const h = await harness();
    h.runner.durationMs = 10 * SEC;
    h.runner.plan = ['ok', 'errored', 'ok', 'ok'];
    await h.service.schedule({ syncType: 'all', endpoints: ['pve1'], schedule: { mode: 'continuous', backoffSeconds: 45, pauseSeconds: 30 } });
    await h.advance(180 * SEC);
    assert.deepEqual(h.runner.startsFor().map((s) => (s - T0) / SEC), [0, 40, 95, 135, 175]);
  });

  it('every N seconds: measured from each trigger', async () => {
    const h = await harness();
    h.runner.durationMs = 3 * SEC;
    await h.service.schedule({ syncType: 'all', endpoints: ['pve1'], schedule: { mode: 'seconds', seconds: 10 } });
    await h.advance(35 * SEC);
    assert.deepEqual(h.runner.startsFor().map((s) => (s - T0) / SEC), [0, 10, 20, 30]);
  });

  it('cron in a zone: runs at local 02:30 in Europe/Berlin, before and after the clocks change', async () => {
    const clock = new ManualClock(Date.parse('2026-10-23T12:00:00Z'));
    const h = await harness({}, clock);
    await h.service.schedule({ syncType: 'all', endpoints: ['pve1'], schedule: { mode: 'cron', expr: '30 2 * * *', tz: 'Europe/Berlin' } });
    await h.advance(4 * 24 * HOUR);
    assert.deepEqual(h.runner.startsFor().map((s) => new Date(s).toISOString()),
      ['2026-10-24T00:30:00.000Z', '2026-10-25T00:30:00.000Z', '2026-10-26T01:30:00.000Z', '2026-10-27T01:30:00.000Z']);
  });

  it('enqueue once: a request for a busy endpoint is queued once, a second one is refused, and never two at once', async () => {
    const h = await harness();
    h.runner.durationMs = 5 * MIN;
    const first = await h.service.schedule({ syncType: 'all', endpoints: ['pve1'], schedule: { mode: 'now' } });
    const other = await h.service.schedule({ syncType: 'all', endpoints: ['pve2'], schedule: { mode: 'now' } });
    assert.equal(other.queued, false, 'another endpoint runs in parallel');
    const second = await h.service.schedule({ syncType: 'devices', endpoints: ['pve1'], schedule: { mode: 'now' } });
    assert.equal(second.queued, true);
    assert.equal(h.service.get(second.job.id)?.status, 'pending');
    await assert.rejects(h.service.schedule({ syncType: 'all', endpoints: ['pve1'], schedule: { mode: 'now' } }),
      (e: unknown) => e instanceof JobError && /pve1 is running and another one .* is already queued/.test(e.message) && /cancel it first/.test(e.message));
    await h.advance(5 * MIN);
    assert.equal(h.service.get(first.job.id)?.status, 'completed');
    assert.equal(h.service.get(second.job.id)?.status, 'running');
    assert.equal(h.service.get(second.job.id)?.startedAt, T0 + 5 * MIN);
    await h.advance(5 * MIN);
    assert.deepEqual(h.runner.startsFor('pve1').map((s) => (s - T0) / MIN), [0, 5]);
    assert.deepEqual(h.runner.overlaps, []);
    assert.ok((await h.service.log(second.job.id)).some((e) => /Queued: waiting for the running sync of pve1/.test(e.message)));
  });

  it('a scheduled run that finds its endpoint busy with a queue behind it is not run, and its schedule continues', async () => {
    const h = await harness();
    h.runner.durationMs = 20 * MIN;
    await h.service.schedule({ syncType: 'all', endpoints: ['pve1'], schedule: { mode: 'now' } });
    await h.service.schedule({ syncType: 'all', endpoints: ['pve1'], schedule: { mode: 'now' } }); // queued
    const rec = await h.service.schedule({ syncType: 'backups', endpoints: ['pve1'], schedule: { mode: 'interval', minutes: 15, startAt: T0 + 10 * MIN } });
    await h.advance(11 * MIN);
    const skipped = h.service.get(rec.job.id) as Job;
    assert.equal(skipped.status, 'failed');
    assert.match(skipped.error ?? '', /Not run: a sync of pve1 was running and another one was already queued/);
    const next = h.service.list().find((j) => j.chainId === rec.job.chainId && j.status === 'scheduled');
    assert.equal(next?.scheduledAt, T0 + 25 * MIN);
    assert.deepEqual(h.runner.overlaps, []);
  });

  it('catch-up after the machine slept: one run, said so in the log, then the normal schedule', async () => {
    const h = await harness();
    await h.service.schedule({ syncType: 'all', endpoints: ['pve1'], schedule: { mode: 'interval', minutes: 60 } });
    await h.advance(30 * MIN);
    assert.equal(h.runner.calls.length, 1);
    h.clock.jump(5 * HOUR); // asleep: no timer fired
    await h.advance(1);
    assert.equal(h.runner.calls.length, 2, 'exactly one catch-up run, not five');
    const catchUp = h.service.list().find((j) => j.catchUp) as Job;
    assert.deepEqual(catchUp.catchUp, { missed: 4, since: T0 + HOUR });
    const log = (await h.service.log(catchUp.id)).map((e) => e.message).join('\n');
    assert.match(log, /Catch-up run: this run was due at 2026-06-01T11:00:00.000Z and 4 more scheduled runs were missed/);
    assert.match(log, /not replayed one by one.*repeat missed/);
    await h.advance(3 * HOUR);
    // Back on the hourly grid of the original schedule: 16:00, 17:00, 18:00 (not 15:31 + 60 min).
    assert.deepEqual(h.runner.startsFor().slice(2).map((s) => new Date(s).toISOString()),
      ['2026-06-01T16:00:00.000Z', '2026-06-01T17:00:00.000Z', '2026-06-01T18:00:00.000Z']);
  });

  it('catch-up after VS Code was closed for days: a cron schedule runs once on start, then at its time', async () => {
    const clock = new ManualClock(Date.parse('2026-06-01T12:00:00Z'));
    const a = await harness({}, clock);
    await a.service.schedule({ syncType: 'all', endpoints: ['pve1'], schedule: { mode: 'cron', expr: '0 2 * * *', tz: 'UTC' } });
    await a.service.dispose();
    clock.jump(3 * 24 * HOUR); // closed until 4 June 12:00
    const b = await harness({ owner: 'reopened' }, clock, a.runner);
    await b.advance(0);
    assert.deepEqual(a.runner.startsFor().map((s) => new Date(s).toISOString()), ['2026-06-04T12:00:00.000Z']);
    await b.advance(24 * HOUR);
    assert.deepEqual(a.runner.startsFor().map((s) => new Date(s).toISOString()), ['2026-06-04T12:00:00.000Z', '2026-06-05T02:00:00.000Z']);
    const first = b.service.list().find((j) => j.startedAt === Date.parse('2026-06-04T12:00:00Z')) as Job;
    assert.equal(first.catchUp?.missed, 2);
  });

  it('cancelling a running job ends its schedule; deleting a scheduled one ends it too', async () => {
    const h = await harness();
    h.runner.durationMs = 5 * MIN;
    const { job } = await h.service.schedule({ syncType: 'all', endpoints: ['pve1'], schedule: { mode: 'interval', minutes: 30 } });
    await h.advance(1 * MIN);
    await h.service.cancel(job.id);
    await h.advance(0);
    const cancelled = h.service.get(job.id) as Job;
    assert.equal(cancelled.status, 'failed');
    assert.equal(cancelled.interrupted, true);
    await h.advance(3 * HOUR);
    assert.equal(h.runner.calls.length, 1, 'no run after the cancel');
    const other = await h.service.schedule({ syncType: 'all', endpoints: ['pve2'], schedule: { mode: 'interval', minutes: 30, startAt: T0 + 4 * HOUR } });
    await h.service.delete(other.job.id);
    await h.advance(3 * HOUR);
    assert.equal(h.runner.calls.length, 1);
    assert.equal(h.service.list().filter((j) => !['completed', 'errored', 'failed'].includes(j.status)).length, 0);
  });

  it('a continuous schedule cancelled, or deleted, while it runs stays stopped after a reload (issue 11, item 1)', async () => {
    for (const op of ['cancel', 'delete'] as const) {
      const clock = new ManualClock(T0);
      const a = await harness({ owner: `${op}-a` }, clock);
      a.runner.durationMs = 10 * SEC;
      const { job } = await a.service.schedule({ syncType: 'all', endpoints: ['pve1'], schedule: { mode: 'continuous', pauseSeconds: 5 } });
      await a.advance(35 * SEC); // a few runs: the record first shown has ended long ago
      const running = a.service.list().find((j) => j.status === 'running') as Job;
      assert.notEqual(running.id, job.id);
      await (op === 'cancel' ? a.service.cancel(job.id) : a.service.delete(job.id));
      const runsBefore = a.runner.calls.length;
      await a.service.dispose('The window was reloaded.');
      // Developer: Reload Window — a new scheduler over the same storage folder.
      const b = await harness({ owner: `${op}-b` }, clock, a.runner);
      await b.advance(HOUR);
      assert.equal(a.runner.calls.length, runsBefore, `${op}: no run after the reload`);
      assert.deepEqual(b.service.list().filter((j) => !['completed', 'errored', 'failed'].includes(j.status)), [], op);
      assert.equal(b.service.get(running.id)?.status, op === 'cancel' ? 'failed' : undefined, op);
      await b.service.dispose();
    }
  });

  it('cancelling a scheduled job marks it failed and ends its chain; deleting a running one ends it too', async () => {
    const h = await harness();
    h.runner.durationMs = 5 * MIN;
    const a = await h.service.schedule({ syncType: 'all', endpoints: ['pve1'], schedule: { mode: 'interval', minutes: 30, startAt: T0 + HOUR } });
    await h.service.cancel(a.job.id);
    assert.equal(h.service.get(a.job.id)?.status, 'failed');
    const b = await h.service.schedule({ syncType: 'all', endpoints: ['pve2'], schedule: { mode: 'continuous' } });
    await h.advance(1 * MIN);
    await h.service.delete(b.job.id);
    await h.advance(3 * HOUR);
    assert.equal(h.service.get(b.job.id), undefined);
    assert.deepEqual(h.service.list().map((j) => j.id), [a.job.id]);
    assert.equal(h.runner.calls.length, 1);
    await assert.rejects(h.service.cancel(a.job.id), /already finished/);
  });

  it('the same key is scheduled once: an equal schedule is kept, a changed one replaces it', async () => {
    const h = await harness();
    const spec = { syncType: 'all' as const, endpoints: ['pve1'], key: 'nightly', schedule: { mode: 'interval' as const, minutes: 60, startAt: T0 + HOUR } };
    const a = await h.service.schedule(spec);
    const b = await h.service.schedule(spec);
    assert.equal(b.kept, true);
    assert.equal(b.job.id, a.job.id);
    const c = await h.service.schedule({ ...spec, schedule: { mode: 'interval', minutes: 30, startAt: T0 + HOUR } });
    assert.equal(c.kept, false);
    assert.deepEqual(h.service.list().map((j) => j.id), [c.job.id]);
  });

  it('keeps history bounded by count and by age, and it survives a reload', async () => {
    const h = await harness({ history: { maxCount: 5, maxAgeDays: 1 }, durableWrites: true });
    for (let i = 0; i < 8; i++) {
      await h.service.schedule({ syncType: 'all', endpoints: ['pve1'], schedule: { mode: 'now' } });
      await h.advance(MIN);
    }
    assert.equal(h.service.list().length, 5);
    const ids = h.service.list().map((j) => j.id);
    const logFiles = await fs.readdir(join(dir, 'jobs', 'logs'));
    assert.deepEqual(logFiles.sort(), ids.map((id) => `${id}.json`).sort(), 'logs of pruned jobs are removed');
    await h.service.dispose();
    const again = await harness({ history: { maxCount: 5, maxAgeDays: 1 }, owner: 'reloaded' }, h.clock, h.runner);
    assert.deepEqual(again.service.list().map((j) => j.id), ids);
    assert.ok((await again.service.log(ids[0])).some((e) => e.message.startsWith('Sync completed')));
    await again.advance(25 * HOUR);
    assert.equal(again.service.list().length, 0, 'older than a day');
    assert.equal(await again.service.clearHistory(), 0);
  });

  it('a job that was running when its window closed is marked failed with the reason, and its schedule continues', async () => {
    const frozen = new ManualClock(T0);
    const lease = { heartbeatMs: 30 * SEC, leaseTtlMs: 90 * SEC };
    const a = await harness(lease, frozen);
    a.runner.durationMs = HOUR;
    const { job } = await a.service.schedule({ syncType: 'all', endpoints: ['pve1'], schedule: { mode: 'interval', minutes: 30 } });
    assert.equal(a.service.get(job.id)?.status, 'running');
    // Window A dies: its clock never moves again, so it neither renews the lease nor finishes the run.
    const clock = new ManualClock(T0);
    const runner = new FakeRunner(clock);
    const b = await harness({ ...lease, owner: 'survivor' }, clock, runner);
    assert.equal(b.service.isScheduler, false);
    await b.advance(60 * SEC);
    assert.equal(b.service.isScheduler, false, 'the lease is still valid');
    await b.advance(60 * SEC);
    assert.equal(b.service.isScheduler, true, 'taken over after the lease expired');
    const failed = b.service.get(job.id) as Job;
    assert.equal(failed.status, 'failed');
    assert.match(failed.error ?? '', /stopped before it finished \(VS Code was closed or reloaded/);
    await b.advance(30 * MIN);
    assert.ok(runner.calls.length >= 1, 'the schedule continues in the surviving window');
  });

  it('two windows with a 1-minute schedule for an hour make 60 runs, not 120; the other window sees them and forwards requests', async () => {
    const clock = new ManualClock(T0);
    const runner = new FakeRunner(clock);
    const changes: JobChange[] = [];
    const lease = { heartbeatMs: 5 * MIN, leaseTtlMs: 15 * MIN };
    const a = await harness(lease, clock, runner);
    const b = await harness({ ...lease, owner: 'second' }, clock, runner);
    b.service.onDidChange((c) => changes.push(c));
    assert.equal(a.service.isScheduler, true);
    assert.equal(b.service.isScheduler, false);
    const both = async (ms: number): Promise<void> => clock.advance(ms, async () => { await a.service.idle(); await b.service.idle(); });
    // Scheduled from the window that does not run the schedule: handed over, picked up at the next heartbeat.
    const fwd = await b.service.schedule({ syncType: 'all', endpoints: ['pve1'], schedule: { mode: 'interval', minutes: 1 } });
    assert.equal(fwd.forwarded, true);
    await both(5 * MIN);
    const first = runner.calls[0].start;
    await both(first + HOUR - 1 - clock.now());
    assert.equal(runner.calls.length, 60);
    assert.deepEqual(runner.overlaps, []);
    await both(5 * MIN); // a heartbeat of the viewer
    assert.ok(changes.some((c) => c.kind === 'jobs'), 'the viewer is told about changes');
    await b.service.refresh();
    assert.deepEqual(b.service.list(), a.service.list());
    // The viewer's cancel reaches the scheduler too.
    const scheduled = b.service.list().find((j) => j.status === 'scheduled') as Job;
    await b.service.cancel(scheduled.id);
    const before = runner.calls.length;
    await both(10 * MIN);
    assert.ok(runner.calls.length <= before + 5, 'the chain ended at the next heartbeat');
    const after = runner.calls.length;
    await both(10 * MIN);
    assert.equal(runner.calls.length, after, 'the chain ended');
    // A closes cleanly: B takes over at its next heartbeat.
    await a.service.dispose();
    await both(5 * MIN);
    assert.equal(b.service.isScheduler, true);
  });

  it('a window whose VS Code stopped answering retires: its run stops, another window takes the schedule, it takes it back only when alone', async () => {
    const clock = new ManualClock(T0);
    const runner = new FakeRunner(clock);
    const lease = { heartbeatMs: 5 * SEC, leaseTtlMs: 15 * SEC };
    const a = await harness(lease, clock, runner);
    const b = await harness({ ...lease, owner: 'second' }, clock, runner);
    const both = async (ms: number): Promise<void> => clock.advance(ms, async () => { await a.service.idle(); await b.service.idle(); });
    runner.durationMs = HOUR; // the run that hangs on VS Code
    const { job } = await a.service.schedule({ syncType: 'all', endpoints: ['pve1'], schedule: { mode: 'interval', minutes: 30 } });
    assert.equal(a.service.get(job.id)?.status, 'running');
    await a.service.retire('Stopped: VS Code did not answer.', 40 * MIN);
    assert.equal(a.service.isScheduler, false);
    runner.durationMs = 0;
    await both(5 * SEC);
    assert.equal(b.service.isScheduler, true, 'the other window took the schedule at its next heartbeat');
    const stopped = b.service.get(job.id) as Job;
    assert.equal(stopped.status, 'failed');
    assert.equal(stopped.interrupted, true, 'a stopped run is not a failed sync');
    await both(31 * MIN);
    assert.ok(runner.calls.length >= 2, 'the schedule goes on in the other window');
    // While it is retired A does not take a free lease; afterwards it does (a lone window that was only slow).
    await b.service.dispose();
    await a.advance(30 * SEC);
    assert.equal(a.service.isScheduler, false, 'took the schedule back while retired');
    await a.advance(10 * MIN); // past the 40 minutes it retired for
    assert.equal(a.service.isScheduler, true, 'never took the schedule back');
  });

  it('caps a job log and keeps secrets out of logs and errors', async () => {
    const secret = 'e3b0c442-98fc-1c14-9afb-f4c8996fb924';
    const h = await harness({ maxLogEntries: 200, secrets: () => [secret] });
    h.runner.extraEvents = 5000;
    h.runner.plan = ['throw'];
    h.runner.throwMessage = `401 for Authorization: PVEAPIToken=root@pam!proxbox=${secret}`;
    const { job } = await h.service.schedule({ syncType: 'all', endpoints: ['pve1'], schedule: { mode: 'now' } });
    await h.advance(0);
    const log = await h.service.log(job.id);
    assert.ok(log.length <= 201, `log has ${log.length} entries`);
    assert.ok(log.some((e) => /log entries left out/.test(e.message)));
    assert.equal(log[0].message, 'Scheduled: all on pve1, run now; first run 2026-06-01T10:00:00.000Z.');
    assert.match(log[log.length - 1].message, /^Job failed/);
    const everything = JSON.stringify(log) + JSON.stringify(h.service.list());
    assert.ok(!everything.includes(secret), 'secret leaked');
    const onDisk = await fs.readFile(join(dir, 'jobs', 'index.json'), 'utf8') + await fs.readFile(join(dir, 'jobs', 'logs', `${job.id}.json`), 'utf8');
    assert.ok(!onDisk.includes(secret), 'secret leaked to disk');
    assert.match(h.service.get(job.id)?.error ?? '', /PVEAPIToken=root@pam!proxbox=\*\*\*/);
  });

  it('tells the runner which job runs, whether the user is watching, and what triggered it', async () => {
    const h = await harness();
    const now = await h.service.schedule({ syncType: 'all', endpoints: ['pve1'], schedule: { mode: 'now' }, interactive: true });
    assert.equal(now.job.interactive, true);
    const rec = await h.service.schedule({ syncType: 'all', endpoints: ['pve2'], schedule: { mode: 'interval', minutes: 5 }, interactive: true });
    await h.advance(5 * MIN);
    assert.deepEqual(h.runner.calls.map((c) => [c.endpointId, c.jobId === now.job.id || c.jobId === rec.job.id, c.interactive, c.trigger]), [
      ['pve1', true, true, 'manual'],
      ['pve2', true, true, 'schedule'],
      ['pve2', false, false, 'schedule'], // the next run of the chain was not requested by anyone watching
    ]);
  });

  it('a "run now" handed to the window that runs the schedule runs there without notifications: nobody watches that window', async () => {
    const clock = new ManualClock(T0);
    const runner = new FakeRunner(clock);
    const lease = { heartbeatMs: 5 * MIN, leaseTtlMs: 15 * MIN };
    const a = await harness(lease, clock, runner);
    const b = await harness({ ...lease, owner: 'second' }, clock, runner);
    const fwd = await b.service.schedule({ syncType: 'all', endpoints: ['pve1'], schedule: { mode: 'now' }, interactive: true });
    assert.equal(fwd.forwarded, true);
    await clock.advance(5 * MIN, async () => { await a.service.idle(); await b.service.idle(); });
    assert.deepEqual(runner.calls.map((c) => [c.endpointId, c.interactive, c.trigger]), [['pve1', false, 'manual']]);
  });

  it('cancelling with a run that just ended cancels its schedule, in the scheduling window and in the others', async () => {
    const clock = new ManualClock(T0);
    const a = await harness({}, clock);
    const b = await harness({ owner: 'viewer' }, clock, a.runner);
    const { job } = await a.service.schedule({ syncType: 'all', endpoints: ['pve1'], schedule: { mode: 'interval', minutes: 30 } });
    await a.advance(0);
    await b.service.refresh();
    assert.equal(b.service.get(job.id)?.status, 'completed');
    await b.service.cancel(job.id); // forwarded to the scheduling window
    await a.advance(HOUR);
    await b.service.refresh();
    for (const s of [a.service, b.service]) {
      assert.deepEqual(s.list().filter((j) => j.status === 'scheduled'), [], 'the schedule is cancelled');
      await assert.rejects(s.cancel(job.id), (e: unknown) => e instanceof JobError &&
        e.message.startsWith(`Job ${job.id} has already finished (completed at 2026-06-01T10:00:00.000Z) and its schedule has no further run, so there is nothing to cancel.`));
    }
    assert.equal(a.runner.calls.length, 1);
  });

  it('forgetEndpoint removes the endpoint\'s jobs, history and logs, and the next scheduler finds nothing of it (issue 11, item 2)', async () => {
    const clock = new ManualClock(T0);
    const a = await harness({ owner: 'remove-a' }, clock);
    a.runner.durationMs = 10 * SEC;
    await a.service.schedule({ syncType: 'all', endpoints: ['pve1'], schedule: { mode: 'continuous', pauseSeconds: 5 } });
    await a.service.schedule({ syncType: 'all', endpoints: ['pve1'], schedule: { mode: 'cron', expr: '0 2 * * *', tz: 'UTC' } });
    const both = await a.service.schedule({ syncType: 'all', endpoints: ['pve1', 'pve2'], schedule: { mode: 'interval', minutes: 60, startAt: T0 + HOUR } });
    await a.advance(MIN);
    await a.service.forgetEndpoint('pve1');
    await a.advance(0);
    assert.deepEqual(a.service.list().map((j) => j.endpoints), [['pve2']]);
    const logs = await fs.readdir(join(dir, 'jobs', 'logs'));
    assert.deepEqual(logs, [`${both.job.id}.json`], 'the logs of the removed jobs are gone');
    await a.service.dispose();
    const b = await harness({ owner: 'remove-b' }, clock, a.runner);
    const before = a.runner.startsFor('pve1').length;
    await b.advance(2 * HOUR);
    assert.equal(a.runner.startsFor('pve1').length, before, 'nothing of pve1 runs after a reload');
    assert.ok(b.service.list().every((j) => !j.endpoints.includes('pve1')));
  });

  it('refuses bad requests with the next step', async () => {
    const h = await harness();
    await assert.rejects(h.service.schedule({ syncType: 'all', endpoints: [], schedule: { mode: 'now' } }), /at least one endpoint; add an endpoint first/);
    await assert.rejects(h.service.schedule({ syncType: 'custom', endpoints: ['pve1'], schedule: { mode: 'now' } }), /list of stages/);
    await assert.rejects(h.service.schedule({ syncType: 'all', endpoints: ['pve1'], schedule: { mode: 'interval', minutes: 0 } }), /at least 1/);
    assert.deepEqual(h.service.list(), []);
  });
});
