// The health of PBS jobs (src/core/health/jobHealth.ts): every status rule, on hand-built jobs.
import { strict as assert } from 'node:assert';
import { evaluateJobs, jobHealth, jobTitle } from '../../../src/core/health/jobHealth';
import { evaluateHealth } from '../../../src/core/health/report';
import type { PbsJobRecord } from '../../../src/core/inventory/model';
import * as f from './fixtures';
import { pbsInventory, pbsJob, pbsUpid } from './pbsFixtures';

const NOW = f.utc('2026-11-30T12:00:00Z');
const GRACE = 6 * 3600;
const ENDED = f.utc('2026-11-30T00:05:00Z');
const NEXT = f.utc('2026-12-01T00:00:00Z');

const judge = (over: Partial<PbsJobRecord>, kind: PbsJobRecord['kind'] = 'verify', tz = 'UTC') =>
  jobHealth('pbs', pbsJob(kind, 'v1', over), NOW, GRACE, tz);
const ran = (state: string, over: Partial<PbsJobRecord> = {}) =>
  judge({ lastRunState: state, lastRunUpid: pbsUpid(ENDED - 300), lastRunEndtime: ENDED, nextRun: NEXT, ...over });

describe('health of PBS jobs', () => {
  it('ok: the last run ended OK (in either case PBS writes it) and the next run lies ahead', () => {
    for (const state of ['ok', 'OK']) {
      const j = ran(state);
      assert.equal(j.status, 'ok', state);
      assert.equal(j.problem, false);
      assert.equal(j.reason, '');
      assert.equal(j.lastRun, ENDED);
      assert.equal(j.nextRun, NEXT);
    }
  });

  it('failed: any other last-run-state, with PBS\'s own words, and a problem', () => {
    const j = ran('verification failed on 2 snapshots');
    assert.equal(j.status, 'failed');
    assert.equal(j.problem, true);
    assert.match(j.reason, /verification failed on 2 snapshots/);
    const unknown = ran('unknown');
    assert.equal(unknown.status, 'failed');
    assert.match(unknown.reason, /unknown/);
  });

  it('warnings: PBS\'s WARNINGS: n, not a problem', () => {
    const j = ran('WARNINGS: 3');
    assert.equal(j.status, 'warnings');
    assert.equal(j.problem, false);
    assert.match(j.reason, /WARNINGS: 3/);
  });

  it('running: a run started (its UPID known) and has not ended', () => {
    const j = judge({ lastRunUpid: pbsUpid(NOW - 600), lastRunEndtime: null, lastRunState: null, nextRun: NEXT });
    assert.equal(j.status, 'running');
    assert.equal(j.problem, false);
    // A run in progress is not "missed" even when PBS's next-run (computed before it started) has passed.
    assert.equal(judge({ lastRunUpid: pbsUpid(NOW - 600), lastRunEndtime: null, nextRun: NOW - GRACE - 3600 }).status, 'running');
  });

  it('missed: PBS\'s next-run lies more than the grace in the past; within the grace it is not yet', () => {
    const missed = ran('ok', { nextRun: NOW - GRACE - 60 });
    assert.equal(missed.status, 'missed');
    assert.equal(missed.problem, true);
    assert.match(missed.reason, /did not happen/);
    assert.equal(ran('ok', { nextRun: NOW - GRACE + 60 }).status, 'ok');
    // A failed run that was also not followed by its next one: missed, and the reason keeps the failure.
    const both = ran('datastore is read-only', { nextRun: NOW - 2 * 86400 });
    assert.equal(both.status, 'missed');
    assert.match(both.reason, /datastore is read-only/);
  });

  it('missed without a next-run: the schedule had a run due after the last run ended', () => {
    const stale = judge({ schedule: 'daily', lastRunState: 'OK', lastRunUpid: pbsUpid(NOW - 3 * 86400), lastRunEndtime: NOW - 3 * 86400, nextRun: null });
    assert.equal(stale.status, 'missed');
    const recent = judge({ schedule: 'daily', lastRunState: 'OK', lastRunUpid: pbsUpid(ENDED - 60), lastRunEndtime: ENDED, nextRun: null });
    assert.equal(recent.status, 'ok', 'the next daily run (midnight) is still ahead');
    // The schedule is read in the PBS host's zone when known. The last run ended 2026-11-29 13:05 UTC (22:05 in Tokyo):
    // the next 13:00 is 2026-11-30 04:00 UTC in Tokyo (more than 6 h past at 12:00 UTC), 13:00 UTC in UTC (ahead).
    const zoned = { schedule: '13:00', lastRunState: 'OK', lastRunUpid: pbsUpid(NOW - 86400), lastRunEndtime: f.utc('2026-11-29T13:05:00Z'), nextRun: null };
    assert.equal(judge(zoned, 'verify', 'Asia/Tokyo').status, 'missed');
    assert.equal(judge(zoned, 'verify', 'UTC').status, 'ok', '13:00 UTC today is still ahead');
  });

  it('nothing to judge (null): disabled, stale, unscheduled and never run, scheduled but not run yet', () => {
    const cases: [Partial<PbsJobRecord>, RegExp][] = [
      [{ enabled: false, lastRunState: 'failed hard', lastRunEndtime: ENDED, nextRun: NOW - 5 * 86400 }, /disabled/],
      [{ status: 'stale', staleSince: '2026-11-29T00:00:00Z', lastRunState: 'failed hard', lastRunEndtime: ENDED }, /stale/],
      [{ schedule: null }, /never run/],
      [{ schedule: 'daily', nextRun: NEXT }, /not run yet/],
    ];
    for (const [over, reason] of cases) {
      const j = judge(over);
      assert.equal(j.status, null, JSON.stringify(over));
      assert.equal(j.problem, false);
      assert.match(j.reason, reason);
    }
  });

  it('an unscheduled job that ran is judged by its last run, and never missed', () => {
    assert.equal(judge({ schedule: null, lastRunState: 'remote unreachable', lastRunUpid: pbsUpid(NOW - 9 * 86400), lastRunEndtime: NOW - 9 * 86400 }, 'sync').status, 'failed');
    assert.equal(judge({ schedule: null, lastRunState: 'OK', lastRunUpid: pbsUpid(NOW - 9 * 86400), lastRunEndtime: NOW - 9 * 86400 }, 'sync').status, 'ok');
  });

  it('lists every job of the PBS inventories, problems first, and names GC by its datastore', () => {
    const pbs = pbsInventory({ pbsJobs: [
      pbsJob('prune', 'p-ok', { lastRunState: 'OK', lastRunEndtime: ENDED, lastRunUpid: pbsUpid(ENDED - 60), nextRun: NEXT }),
      pbsJob('gc', 'store1', { lastRunState: 'OK', lastRunEndtime: ENDED, lastRunUpid: pbsUpid(ENDED - 60), nextRun: NOW - 86400 }),
      pbsJob('sync', 's-warn', { lastRunState: 'WARNINGS: 1', lastRunEndtime: ENDED, lastRunUpid: pbsUpid(ENDED - 60), nextRun: NEXT }),
      pbsJob('verify', 'v-bad', { lastRunState: 'verification failed', lastRunEndtime: ENDED, lastRunUpid: pbsUpid(ENDED - 60), nextRun: NEXT }),
      pbsJob('verify', 'v-off', { enabled: false }),
    ] });
    const jobs = evaluateJobs([pbs], NOW, GRACE);
    assert.deepEqual(jobs.map((j) => [j.kind, j.id, j.status]), [
      ['verify', 'v-bad', 'failed'], ['gc', 'store1', 'missed'], ['sync', 's-warn', 'warnings'], ['prune', 'p-ok', 'ok'], ['verify', 'v-off', null],
    ]);
    assert.equal(jobTitle(jobs[1]), 'garbage collection of store1');
    assert.equal(jobTitle(jobs[0]), 'verify job v-bad on store1');
    // evaluateHealth reports the PBS inventories' jobs beside the PVE guests, and a PVE inventory has none.
    const report = evaluateHealth([f.inventory({ guests: [f.guest(100)] }), pbs], f.options(NOW));
    assert.deepEqual(report.jobs, jobs);
    assert.equal(report.guests.length, 1);
    assert.deepEqual(evaluateHealth([f.inventory({ guests: [f.guest(100)] })], f.options(NOW, { context: [pbs] })).jobs, []);
  });
});
