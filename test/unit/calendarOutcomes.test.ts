import { strict as assert } from 'node:assert';
import {
  buildCalendar, runDetail, summarizeRuns, type CalendarData, type CalendarEntry, type CalendarRoutineInput,
} from '../../src/core/calendar';
import type { RoutineRun } from '../../src/core/health/types';
import { parseSchedule } from '../../src/core/schedule';

const parse = (text: string) => parseSchedule(text, 'calendar');
const NOV1 = Date.UTC(2026, 10, 1) / 1000; // Sunday 1 Nov 2026, 00:00 UTC
const DAY = 86_400;
const AT = (day: number, hour: number, minute = 0) => NOV1 + (day - 1) * DAY + hour * 3600 + minute * 60;

function routine(routineId: string, scheduleText: string): CalendarRoutineInput {
  return {
    endpointId: 'pve1', endpointName: 'Lab', routineId, label: routineId, scheduleText,
    timezone: 'UTC', enabled: true, status: 'active',
  };
}

function run(scheduled: number, status: RoutineRun['status'], extra: Partial<RoutineRun> = {}): RoutineRun {
  return {
    scheduled, node: 'pve-a', status, task: status === 'missed' ? null : `UPID:pve-a:${scheduled}`, failedGuests: [],
    started: status === 'missed' ? null : scheduled + 5, ended: status === 'missed' || status === 'running' ? null : scheduled + 600,
    taskStatus: status === 'ok' ? 'OK' : null, failures: [], jobError: null, ...extra,
  };
}

function entries(data: CalendarData, key: string): CalendarEntry[] {
  return data.days.flatMap((d) => d.entries.filter((e) => e.routine === key));
}

function runAt(data: CalendarData, key: string, at: number): Extract<CalendarEntry, { kind: 'run' }> {
  const e = entries(data, key).find((x) => x.kind === 'run' && x.at === at);
  assert.ok(e && e.kind === 'run', `no run of ${key} at ${at}`);
  return e;
}

describe('calendar: planned and actual runs', () => {
  const nightly = routine('nightly', '02:30');
  const key = 'pve1/nightly';
  const range = { from: NOV1, to: NOV1 + 7 * DAY, timeZone: 'UTC', parse };

  it('gives a past run its recorded outcome, a past run without a record "unknown", and a future run none', () => {
    const now = AT(5, 12); // Thu 5 Nov, noon: the runs of days 1..5 are past, 6 and 7 planned
    const outcomes = new Map([[key, [run(AT(2, 2, 30), 'ok'), run(AT(3, 2, 30), 'failed', { failedGuests: [101, 102] }),
      run(AT(4, 2, 30), 'missed'), run(AT(5, 2, 30), 'warnings')]]]);
    const data = buildCalendar([nightly], { ...range, now, outcomes });
    // Day 1 is before the first recorded run (outside the window): unknown, not assumed fine.
    assert.equal(runAt(data, key, AT(1, 2, 30)).outcome, 'unknown');
    assert.equal(runAt(data, key, AT(2, 2, 30)).outcome, 'ok');
    assert.deepEqual([runAt(data, key, AT(3, 2, 30)).outcome, runAt(data, key, AT(3, 2, 30)).failedGuests], ['failed', 2]);
    assert.equal(runAt(data, key, AT(4, 2, 30)).outcome, 'missed');
    assert.equal(runAt(data, key, AT(5, 2, 30)).outcome, 'warnings');
    for (const day of [6, 7]) {
      const future = runAt(data, key, AT(day, 2, 30));
      assert.ok(!('outcome' in future) && !('failedGuests' in future), `day ${day} is planned and must carry no outcome`);
    }
  });

  it('without `now` every run stays planned (the calendar as before health existed)', () => {
    const data = buildCalendar([nightly], { ...range, outcomes: new Map([[key, [run(AT(2, 2, 30), 'failed')]]]) });
    assert.ok(entries(data, key).every((e) => e.kind === 'run' && e.outcome === undefined));
  });

  it('a routine health has no report for shows its past runs as unknown', () => {
    const data = buildCalendar([nightly], { ...range, now: AT(3, 0) });
    assert.deepEqual(entries(data, key).map((e) => (e.kind === 'run' ? e.outcome ?? 'planned' : 'band')),
      ['unknown', 'unknown', 'planned', 'planned', 'planned', 'planned', 'planned']);
  });

  it('takes the worst outcome over all nodes of one scheduled time, and counts distinct failed guests', () => {
    const t = AT(2, 2, 30);
    const cases: [RoutineRun['status'][], string][] = [
      [['ok', 'failed', 'missed'], 'failed'],
      [['ok', 'missed', 'warnings'], 'missed'],
      [['running', 'warnings', 'ok'], 'warnings'],
      [['ok', 'running'], 'running'],
      [['ok', 'ok'], 'ok'],
    ];
    for (const [statuses, worst] of cases) {
      const runs = statuses.map((s, i) => run(t, s, { node: `n${i}` }));
      const data = buildCalendar([nightly], { ...range, now: AT(4, 0), outcomes: new Map([[key, runs]]) });
      assert.equal(runAt(data, key, t).outcome, worst, statuses.join('+'));
    }
    const summary = summarizeRuns([run(t, 'failed', { node: 'a', failedGuests: [1, 2] }), run(t, 'failed', { node: 'b', failedGuests: [2, 3] })]);
    assert.deepEqual(summary.get(t), { outcome: 'failed', failedGuests: 3 });
  });

  it('a run at exactly `now` is still planned', () => {
    const t = AT(2, 2, 30);
    const data = buildCalendar([nightly], { ...range, now: t, outcomes: new Map([[key, [run(t, 'running')]]]) });
    assert.equal(runAt(data, key, t).outcome, undefined);
    assert.equal(runAt(data, key, AT(1, 2, 30)).outcome, 'unknown');
  });

  it('a band counts its past runs per outcome and names the worst; its future runs stay planned', () => {
    const hourly = routine('hourly', '*:00');
    const hk = 'pve1/hourly';
    const now = AT(2, 10, 30); // on day 2, the runs at 00:00 .. 10:00 are past (11 runs), 11:00 .. 23:00 planned
    const recorded = [run(AT(2, 1), 'failed', { failedGuests: [7] }), run(AT(2, 2), 'warnings'),
      ...[3, 4, 5, 6, 7, 8, 9].map((h) => run(AT(2, h), 'ok'))];
    const data = buildCalendar([hourly], { ...range, now, outcomes: new Map([[hk, recorded]]) });
    const bands = entries(data, hk).filter((e) => e.kind === 'band');
    const day2 = bands.find((e) => e.kind === 'band' && e.start === AT(2, 0));
    assert.ok(day2 && day2.kind === 'band');
    assert.equal(day2.count, 24);
    // 00:00 and 10:00 have no record: unknown. 1 failed, 1 with warnings, 7 ok: 11 past runs in all.
    assert.deepEqual(day2.outcomes, { unknown: 2, failed: 1, warnings: 1, ok: 7 });
    assert.equal(day2.worst, 'failed');
    const day1 = bands.find((e) => e.kind === 'band' && e.start === AT(1, 0));
    assert.ok(day1 && day1.kind === 'band');
    assert.deepEqual([day1.outcomes, day1.worst], [{ unknown: 24 }, 'unknown']);
    const day3 = bands.find((e) => e.kind === 'band' && e.start === AT(3, 0));
    assert.ok(day3 && day3.kind === 'band');
    assert.deepEqual([day3.outcomes, day3.worst], [undefined, undefined]);
  });

  it('runDetail lists each node of one run, names failed guests and keeps guests the log did not describe', () => {
    const t = AT(3, 2, 30);
    const runs = [
      run(AT(2, 2, 30), 'ok'),
      run(t, 'failed', {
        node: 'pve-b', failedGuests: [102, 101], taskStatus: 'job errors',
        failures: [{ vmid: 102, reason: 'unable to open file', lines: ['INFO: Starting Backup of VM 102', 'ERROR: unable to open file'] }],
      }),
      run(t, 'ok', { node: 'pve-a' }),
    ];
    const names = new Map([[102, 'db']]);
    const detail = runDetail({ endpointId: 'pve1', routineId: 'nightly', at: t }, runs, (v) => names.get(v));
    assert.equal(detail.outcome, 'failed');
    assert.deepEqual(detail.runs.map((r) => [r.node, r.status, r.taskStatus]), [['pve-a', 'ok', 'OK'], ['pve-b', 'failed', 'job errors']]);
    assert.deepEqual(detail.runs[1].failures, [
      { vmid: 101, name: null, reason: '', lines: [] },
      { vmid: 102, name: 'db', reason: 'unable to open file', lines: ['INFO: Starting Backup of VM 102', 'ERROR: unable to open file'] },
    ]);
  });

  it('runDetail of a run health has no record of is unknown, with no nodes', () => {
    const detail = runDetail({ endpointId: 'pve1', routineId: 'nightly', at: AT(1, 2, 30) }, [run(AT(2, 2, 30), 'ok')], () => undefined);
    assert.deepEqual([detail.outcome, detail.runs], ['unknown', []]);
    assert.equal(runDetail({ endpointId: 'pve1', routineId: 'x', at: 1 }, undefined, () => undefined).outcome, 'unknown');
  });
});
