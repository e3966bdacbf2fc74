import { strict as assert } from 'node:assert';
import { firstRun, missedSince, nextRun, validateSchedule, describeSchedule } from '../../../src/core/jobs/recurrence';
import { parseSyncMode } from '../../../src/core/jobs/syncMode';
import { JobError, ScheduleSpec } from '../../../src/core/jobs/types';
import { cronNext } from '../../../src/core/jobs/cron';

const MIN = 60_000;
const t = (iso: string): number => Date.parse(iso);
const iso = (ms: number | null): string | null => (ms === null ? null : new Date(ms).toISOString());

describe('recurrence', () => {
  describe('every N minutes (NetBox rule)', () => {
    const daily: ScheduleSpec = { mode: 'interval', minutes: 1440 };
    it('anchors on the previous scheduled time, so a daily 02:00 sync stays at 02:00', () => {
      const next = nextRun(daily, { scheduledAt: t('2026-06-01T02:00:00Z'), now: t('2026-06-01T02:07:31Z'), succeeded: true, catchUp: false });
      assert.equal(iso(next), '2026-06-02T02:00:00.000Z');
    });
    it('never runs again sooner than one minute after a run ended', () => {
      const every1: ScheduleSpec = { mode: 'interval', minutes: 1 };
      const next = nextRun(every1, { scheduledAt: t('2026-06-01T10:00:00Z'), now: t('2026-06-01T10:01:30Z'), succeeded: true, catchUp: false });
      assert.equal(iso(next), '2026-06-01T10:02:30.000Z'); // max(10:01, 10:01:30 + 1 min)
    });
    it('continues after a failure, with no extra back-off', () => {
      const next = nextRun({ mode: 'interval', minutes: 15 }, { scheduledAt: t('2026-06-01T10:00:00Z'), now: t('2026-06-01T10:00:05Z'), succeeded: false, catchUp: false });
      assert.equal(iso(next), '2026-06-01T10:15:00.000Z');
    });
    it('after a catch-up run goes back onto its grid instead of running again a minute later', () => {
      const next = nextRun(daily, { scheduledAt: t('2026-06-01T02:00:00Z'), now: t('2026-06-04T10:00:00Z'), succeeded: true, catchUp: true });
      assert.equal(iso(next), '2026-06-05T02:00:00.000Z');
    });
    it('starts now without a start time, or at the start time', () => {
      const now = t('2026-06-01T10:00:00Z');
      assert.equal(firstRun({ mode: 'interval', minutes: 5 }, now), now);
      assert.equal(firstRun({ mode: 'interval', minutes: 5, startAt: now + 3 * MIN }, now), now + 3 * MIN);
    });
  });

  describe('every N seconds (measured from each trigger)', () => {
    const spec: ScheduleSpec = { mode: 'seconds', seconds: 10, backoffSeconds: 30 };
    it('keeps the pace when a run is shorter than the interval', () => {
      assert.equal(nextRun(spec, { scheduledAt: 100_000, now: 103_000, succeeded: true, catchUp: false }), 110_000);
    });
    it('follows at once when a run is longer than the interval', () => {
      assert.equal(nextRun(spec, { scheduledAt: 100_000, now: 115_000, succeeded: true, catchUp: false }), 115_000);
    });
    it('waits the back-off after a failure, the back-off counting toward the interval', () => {
      assert.equal(nextRun(spec, { scheduledAt: 100_000, now: 101_000, succeeded: false, catchUp: false }), 131_000);
      assert.equal(nextRun({ mode: 'seconds', seconds: 60, backoffSeconds: 5 }, { scheduledAt: 100_000, now: 101_000, succeeded: false, catchUp: false }), 160_000);
    });
  });

  describe('continuous', () => {
    it('waits the pause (default 30 s) after a run, and after a failure the longer of the pause and the back-off', () => {
      const ran = (spec: ScheduleSpec, succeeded: boolean) => nextRun(spec, { scheduledAt: 0, now: 5_000, succeeded, catchUp: false });
      assert.equal(ran({ mode: 'continuous' }, true), 35_000);
      assert.equal(ran({ mode: 'continuous', pauseSeconds: 0 }, true), 5_000, 'back to back only when asked for');
      assert.equal(ran({ mode: 'continuous', pauseSeconds: 10 }, true), 15_000);
      assert.equal(ran({ mode: 'continuous' }, false), 35_000);
      assert.equal(ran({ mode: 'continuous', backoffSeconds: 90, pauseSeconds: 10 }, false), 95_000);
      assert.equal(ran({ mode: 'continuous', backoffSeconds: 7, pauseSeconds: 10 }, false), 15_000, 'never sooner than the pause');
    });

    it('refuses a negative or non-numeric pause', () => {
      assert.throws(() => validateSchedule({ mode: 'continuous', pauseSeconds: -1 }, 0), /pause between continuous runs must be 0 or more seconds \(got -1\)/);
      assert.throws(() => validateSchedule({ mode: 'continuous', pauseSeconds: Number.NaN }, 0), /pause/);
    });
  });

  describe('cron in a time zone', () => {
    it('runs at local time across the spring-forward change (Europe/Berlin)', () => {
      const spec: ScheduleSpec = { mode: 'cron', expr: '0 3 * * *', tz: 'Europe/Berlin' };
      const runs: string[] = [];
      let at = t('2026-03-27T12:00:00Z');
      for (let i = 0; i < 4; i++) {
        at = nextRun(spec, { scheduledAt: at, now: at + 1000, succeeded: true, catchUp: false }) as number;
        runs.push(iso(at) as string);
      }
      // 03:00 CET (UTC+1) until the change on 29 March, then 03:00 CEST (UTC+2).
      assert.deepEqual(runs, ['2026-03-28T02:00:00.000Z', '2026-03-29T01:00:00.000Z', '2026-03-30T01:00:00.000Z', '2026-03-31T01:00:00.000Z']);
    });
    it('runs once, not twice, in the repeated hour of the fall-back change (America/New_York)', () => {
      const spec: ScheduleSpec = { mode: 'cron', expr: '30 1 * * *', tz: 'America/New_York' };
      const from = t('2026-10-31T12:00:00Z');
      const runs: number[] = [];
      let at = from;
      while (runs.length < 3) {
        at = nextRun(spec, { scheduledAt: at, now: at, succeeded: true, catchUp: false }) as number;
        runs.push(at);
      }
      assert.deepEqual(runs.map(iso), ['2026-11-01T05:30:00.000Z', '2026-11-02T06:30:00.000Z', '2026-11-03T06:30:00.000Z']);
    });
    it('counts hourly runs across a fall-back day: 25 hours, 25 runs', () => {
      const spec: ScheduleSpec = { mode: 'cron', expr: '0 * * * *', tz: 'Europe/London' };
      // 25 October 2026 lasts 25 hours in London.
      const start = t('2026-10-24T23:00:00Z') - 1; // just before local midnight (BST)
      assert.equal(missedSince(spec, start, t('2026-10-26T00:00:00Z') - 1), 25);
    });
    it('waits the back-off after a failure, then takes the next cron time', () => {
      const spec: ScheduleSpec = { mode: 'cron', expr: '*/1 * * * *', tz: 'UTC', backoffSeconds: 150 };
      const next = nextRun(spec, { scheduledAt: t('2026-06-01T10:00:00Z'), now: t('2026-06-01T10:00:10Z'), succeeded: false, catchUp: false });
      assert.equal(iso(next), '2026-06-01T10:03:00.000Z');
    });
    it('first run is the next cron time, not now', () => {
      assert.equal(iso(firstRun({ mode: 'cron', expr: '0 2 * * *', tz: 'Asia/Tokyo' }, t('2026-06-01T12:00:00Z'))), '2026-06-01T17:00:00.000Z');
      assert.equal(iso(cronNext('0 2 * * *', 'Asia/Tokyo', t('2026-06-01T17:00:00Z'))), '2026-06-02T17:00:00.000Z');
    });
  });

  it('counts missed occurrences for catch-up', () => {
    assert.equal(missedSince({ mode: 'interval', minutes: 60 }, 0, 5 * 60 * MIN + 1), 5);
    assert.equal(missedSince({ mode: 'interval', minutes: 60 }, 0, 59 * MIN), 0);
    assert.equal(missedSince({ mode: 'seconds', seconds: 2 }, 0, 9_000), 4);
    assert.equal(missedSince({ mode: 'cron', expr: '0 2 * * *', tz: 'UTC' }, t('2026-06-01T02:00:00Z'), t('2026-06-04T10:00:00Z')), 3);
    assert.equal(missedSince({ mode: 'continuous' }, 0, 1e9), 0);
  });

  it('refuses bad schedules with a message that says how to write them', () => {
    const now = t('2026-06-01T10:00:00Z');
    const cases: [ScheduleSpec, RegExp][] = [
      [{ mode: 'interval', minutes: 0 }, /at least 1.*every N seconds/],
      [{ mode: 'interval', minutes: 1.5 }, /whole number/],
      [{ mode: 'seconds', seconds: 0 }, /at least 1/],
      [{ mode: 'once', at: now - 1000 }, /in the past/],
      [{ mode: 'cron', expr: '61 * * * *', tz: 'UTC' }, /not valid.*minute/],
      [{ mode: 'cron', expr: '* * *', tz: 'UTC' }, /5 or 6 fields/],
      [{ mode: 'cron', expr: '0 2 * * *', tz: 'Mars/Olympus' }, /unknown time zone 'Mars\/Olympus'.*IANA/],
      [{ mode: 'continuous', backoffSeconds: -1 }, /back-off/],
    ];
    for (const [spec, re] of cases) assert.throws(() => validateSchedule(spec, now), (e: unknown) => e instanceof JobError && re.test(e.message), JSON.stringify(spec));
    validateSchedule({ mode: 'once', at: now + 1000 }, now);
  });

  it('reads the headless --mode values', () => {
    const now = Date.now();
    assert.equal(parseSyncMode('off', { now }), 'off');
    assert.deepEqual(parseSyncMode('interval=90', { now, backoffSeconds: 5 }), { mode: 'seconds', seconds: 90, backoffSeconds: 5 });
    assert.deepEqual(parseSyncMode('continuous', { now }), { mode: 'continuous', pauseSeconds: 0 }, 'the CLI keeps the container\'s back to back');
    assert.deepEqual(parseSyncMode('cron=*/5 * * * *', { now, tz: 'Europe/Berlin' }), { mode: 'cron', expr: '*/5 * * * *', tz: 'Europe/Berlin' });
    assert.throws(() => parseSyncMode('interval=0', { now }), /at least 1/);
    assert.throws(() => parseSyncMode('interval=abc', { now }), /whole number of seconds/);
    assert.throws(() => parseSyncMode('hourly', { now }), /use off, interval=<seconds>, continuous or cron=/);
    assert.match(describeSchedule({ mode: 'continuous' }), /^continuously, 30 s between runs \(back-off 30 s after a failure\)$/);
  });
});
