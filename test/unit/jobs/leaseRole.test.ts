// The lease role: a holder that keeps renewing the lease but leaves forwarded requests unanswered loses it to the
// window waiting for an answer; a holder that is merely slow keeps it. Time is moved by hand; files are real.
import { strict as assert } from 'node:assert';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DocumentStore } from '../../../src/core/inventory/store';
import { Job, JobService, JobServiceOptions, ManualClock } from '../../../src/core/jobs';
import { JobStore } from '../../../src/core/jobs/jobStore';
import { Lease } from '../../../src/core/jobs/lease';
import { LeaseRole, defaultPickupTimeoutMs } from '../../../src/core/jobs/leaseRole';
import { FakeRunner } from '../../helpers/jobsFakes';

const SEC = 1000;
const MIN = 60 * SEC;
const HOUR = 60 * MIN;
const T0 = Date.parse('2026-06-01T10:00:00Z');

describe('lease role', function () {
  this.timeout(60_000);
  let dir: string;
  beforeEach(() => { dir = mkdtempSync(join(tmpdir(), 'proxbox-role-')); });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('waits three heartbeats for a pickup by default, and never less than a few seconds', () => {
    assert.equal(defaultPickupTimeoutMs(5 * SEC), 15 * SEC);
    assert.equal(defaultPickupTimeoutMs(150), 3 * SEC);
  });

  describe('taking over from a holder that does not pick up requests', () => {
    // A lease that never expires in these tests: whatever happens is the pickup rule, not the time-to-live.
    const LONG_TTL = 10 * HOUR;
    let clock: ManualClock;
    let store: JobStore;
    let holderLease: Lease;
    const viewer = (options: { pickupTimeoutMs?: number; jobs?: JobStore } = {}): LeaseRole =>
      new LeaseRole(new Lease(dir, clock, { owner: 'viewer', ttlMs: LONG_TTL }), options.jobs ?? store, clock,
        { heartbeatMs: 5 * SEC, pickupTimeoutMs: options.pickupTimeoutMs ?? 15 * SEC });

    beforeEach(async () => {
      clock = new ManualClock(T0);
      store = new JobStore(new DocumentStore(dir), { durable: false });
      holderLease = new Lease(dir, clock, { owner: 'holder', ttlMs: LONG_TTL, label: 'stalled window' });
      assert.equal(await holderLease.tryAcquire(), true);
    });

    it('claims the unanswered request back, takes the lease naming the holder it replaces, and hands the request on', async () => {
      const role = viewer();
      assert.deepEqual(await role.heartbeat(), { role: 'viewer' });
      await role.forward({ op: 'cancel', id: 'job-1' });
      clock.jump(10 * SEC);
      assert.equal(await holderLease.tryAcquire(), true, 'the holder keeps renewing');
      assert.deepEqual(await role.heartbeat(), { role: 'viewer' }, 'still within the pickup time');
      clock.jump(5 * SEC);
      await holderLease.tryAcquire();
      const beat = await role.heartbeat();
      assert.equal(beat.role, 'holder');
      assert.ok(beat.role === 'holder' && beat.gained && beat.tookOver);
      assert.deepEqual(beat.tookOver.commands, [{ op: 'cancel', id: 'job-1' }]);
      assert.equal(beat.tookOver.reason, 'stalled window held the schedule lease but did not pick up a request from another window within 15 s');
      const lease = await holderLease.current();
      assert.equal(lease?.owner, 'viewer');
      assert.deepEqual(lease?.supersedes, { owner: 'holder', label: 'stalled window', reason: beat.tookOver.reason });
      assert.deepEqual(await store.takeRequests(), [], 'the request was claimed, not left behind');
      // The old holder's next renewal fails, and it is told why.
      assert.equal(await holderLease.tryAcquire(), false);
      assert.equal(await holderLease.whileHeld(async () => assert.fail('a replaced holder must not write')), 'lost');
      clock.jump(5 * SEC);
      assert.deepEqual(await role.heartbeat(), { role: 'holder', gained: false });
      assert.deepEqual((await holderLease.current())?.supersedes?.owner, 'holder', 'renewals keep the note');
    });

    it('leaves a holder that picks the request up in time alone', async () => {
      const role = viewer();
      await role.heartbeat();
      await role.forward({ op: 'delete', id: 'job-1' });
      clock.jump(15 * SEC);
      assert.equal((await store.takeRequests()).length, 1, 'the holder takes it at the last moment');
      assert.deepEqual(await role.heartbeat(), { role: 'viewer' });
      assert.equal((await holderLease.current())?.owner, 'holder');
    });

    it('a slow holder that takes the request between the check and the claim wins the race', async () => {
      // The viewer sees the request waiting; before it can claim it, the holder renames it away.
      const racing = new (class extends JobStore {
        override async isWaiting(name: string): Promise<boolean> {
          const waiting = await super.isWaiting(name);
          if (waiting) await store.takeRequests();
          return waiting;
        }
      })(new DocumentStore(dir), { durable: false });
      const role = viewer({ jobs: racing });
      await role.heartbeat();
      await role.forward({ op: 'clearHistory' });
      clock.jump(20 * SEC);
      assert.deepEqual(await role.heartbeat(), { role: 'viewer' });
      assert.equal((await holderLease.current())?.owner, 'holder', 'no take-over: the holder answered');
    });

    it('when the lease changed hands meanwhile, the request goes back for the new holder, who gets the full time', async () => {
      const third = new Lease(dir, clock, { owner: 'third', ttlMs: LONG_TTL });
      const racing = new (class extends JobStore {
        override async claim(name: string) {
          const taken = await super.claim(name);
          await third.takeOver('holder', 'it stopped answering me too');
          return taken;
        }
      })(new DocumentStore(dir), { durable: false });
      const role = viewer({ jobs: racing });
      await role.heartbeat();
      await role.forward({ op: 'cancel', id: 'job-2' });
      clock.jump(15 * SEC);
      assert.deepEqual(await role.heartbeat(), { role: 'viewer' });
      assert.equal((await holderLease.current())?.owner, 'third');
      const waiting = await store.store.list('jobs/requests/');
      assert.equal(waiting.length, 1, 'handed back');
      clock.jump(10 * SEC);
      assert.deepEqual(await role.heartbeat(), { role: 'viewer' }, 'the new holder is not judged by the old one\'s time');
    });

    it('a request sent when nobody held the lease is simply taken with the lease', async () => {
      await holderLease.release();
      const role = viewer();
      await role.forward({ op: 'cancel', id: 'job-3' });
      clock.jump(HOUR);
      assert.deepEqual(await role.heartbeat(), { role: 'holder', gained: true });
      assert.equal((await role.takeRequests()).length, 1, 'the new holder picks it up itself');
    });
  });

  describe('with two job services', () => {
    const services: JobService[] = [];
    afterEach(async () => {
      for (const s of services.splice(0)) await s.dispose().catch(() => undefined);
    });

    function service(clock: ManualClock, runner: FakeRunner, options: Partial<JobServiceOptions>): JobService {
      const s = new JobService({ storeDir: dir, runner, clock, heartbeatMs: 5 * SEC, leaseTtlMs: 10 * HOUR, durableWrites: false, ...options });
      services.push(s);
      return s;
    }

    it('a holder that renews but never picks up requests loses the schedule within the pickup time, and stops its run', async () => {
      const clock = new ManualClock(T0);
      const stalledRunner = new FakeRunner(clock);
      stalledRunner.durationMs = HOUR;
      const runner = new FakeRunner(clock);
      runner.durationMs = 30 * SEC;
      const stalled = service(clock, stalledRunner, { owner: 'stalled', label: 'a closed browser tab', pickUpRequests: false });
      const fresh = service(clock, runner, { owner: 'fresh', pickupTimeoutMs: 15 * SEC });
      const roles: string[] = [];
      stalled.onDidChange((c) => { if (c.kind === 'role') roles.push(c.scheduler ? 'holder' : 'viewer'); });
      await stalled.start();
      await fresh.start();
      const both = (ms: number): Promise<void> => clock.advance(ms, async () => { await stalled.idle(); await fresh.idle(); });
      const running = await stalled.schedule({ syncType: 'all', endpoints: ['pve1'], schedule: { mode: 'interval', minutes: 60 } });
      assert.equal(running.job.status, 'running');
      assert.equal(fresh.isScheduler, false);

      const asked = await fresh.schedule({ syncType: 'devices', endpoints: ['pve2'], schedule: { mode: 'now' }, interactive: true });
      assert.equal(asked.forwarded, true);
      await both(10 * SEC);
      assert.equal(fresh.isScheduler, false, 'within the pickup time');
      assert.equal(stalled.isScheduler, true);
      await both(5 * SEC);
      assert.equal(fresh.isScheduler, true, 'taken over 15 s after the request, long before the lease would expire');

      // The window that took over ran the request it had waited for, as the user asked it (interactive).
      assert.deepEqual(runner.calls.map((c) => [c.jobId, c.endpointId, c.interactive, c.trigger]), [[asked.job.id, 'pve2', true, 'manual']]);
      const abandoned = fresh.get(running.job.id) as Job;
      assert.equal(abandoned.status, 'failed');
      assert.match(abandoned.error ?? '', /^The window running the schedule stopped working \(a closed browser tab held the schedule lease but did not pick up a request from another window within 15 s\), so another window took the schedule over; this run was abandoned\. The schedule continues\.$/);
      assert.ok(fresh.list().some((j) => j.chainId === running.job.chainId && j.status === 'scheduled'), 'its schedule goes on in the new holder');

      // The old holder notices at its next heartbeat and stops its run.
      await both(5 * SEC);
      assert.equal(stalled.isScheduler, false);
      assert.deepEqual(roles, ['holder', 'viewer']);
      assert.equal(stalledRunner.calls[0].aborted, true);
      await stalled.drain();
      await both(30 * SEC);
      assert.equal(fresh.get(asked.job.id)?.status, 'completed');
      // Nothing the old holder did after losing the lease reached the index: the new holder's jobs are what is stored.
      const stored = (await new JobStore(new DocumentStore(dir)).loadJobs()).map((j) => `${j.id} ${j.status}`).sort();
      assert.deepEqual(stored, fresh.list().map((j) => `${j.id} ${j.status}`).sort());
      assert.equal(fresh.get(running.job.id)?.status, 'failed');
      await stalled.refresh();
      assert.deepEqual(stalled.list(), fresh.list());
      await both(MIN);
      assert.equal(stalled.isScheduler, false, 'it stays a viewer while the new holder renews');
    });

    it('a healthy holder is never taken over, however many requests are forwarded to it', async () => {
      const clock = new ManualClock(T0);
      const runner = new FakeRunner(clock);
      runner.durationMs = 2 * SEC;
      const holder = service(clock, runner, { owner: 'holder' });
      const other = service(clock, runner, { owner: 'other' });
      await holder.start();
      await other.start();
      const both = (ms: number): Promise<void> => clock.advance(ms, async () => { await holder.idle(); await other.idle(); });
      for (let i = 0; i < 12; i++) {
        await other.schedule({ syncType: 'all', endpoints: [`pve${i % 3}`], schedule: { mode: 'now' } });
        await both(7 * SEC + i * SEC);
      }
      await both(MIN);
      assert.equal(holder.isScheduler, true);
      assert.equal(other.isScheduler, false);
      assert.equal(runner.calls.length, 12);
    });
  });
});
