import { strict as assert } from 'node:assert';
import {
  buildCalendar, CalendarRangeError, type CalendarData, type CalendarRoutineInput,
} from '../../src/core/calendar';
import { parseSchedule } from '../../src/core/schedule';

const parse = (text: string) => parseSchedule(text, 'calendar');
const NOV1 = Date.UTC(2026, 10, 1) / 1000; // Sunday 1 Nov 2026, 00:00 UTC
const DAY = 86_400;

function routine(routineId: string, scheduleText: string, extra: Partial<CalendarRoutineInput> = {}): CalendarRoutineInput {
  return {
    endpointId: 'pve1', endpointName: 'Lab cluster', routineId, label: routineId, scheduleText,
    timezone: 'UTC', enabled: true, status: 'active', ...extra,
  };
}

function runsOf(data: CalendarData, key: string): number[] {
  const out: number[] = [];
  for (const day of data.days) {
    for (const e of day.entries) {
      if (e.routine !== key) continue;
      if (e.kind === 'run') out.push(e.at);
      else out.push(e.start, e.end);
    }
  }
  return out;
}

describe('calendar: occurrences of every routine', () => {
  it('computes every run over the range with the schedule engine, with no 100-run cap', () => {
    const data = buildCalendar([routine('every5', '*/5'), routine('nightly', '02:30')],
      { from: NOV1, to: NOV1 + 42 * DAY, timeZone: 'UTC', parse });
    const every5 = data.routines.find((r) => r.routineId === 'every5');
    assert.equal(every5?.runs, 42 * 288);
    assert.equal(data.routines.find((r) => r.routineId === 'nightly')?.runs, 42);
    assert.equal(data.totalRuns, 42 * 288 + 42);
    // One band a day for the 5-minute job, one entry a day for the nightly one: 84 entries for 12,138 runs.
    assert.equal(data.days.length, 42);
    for (const day of data.days) {
      assert.deepEqual(day.entries.map((e) => [e.routine, e.kind]), [['pve1/every5', 'band'], ['pve1/nightly', 'run']]);
      const band = day.entries[0];
      assert.ok(band.kind === 'band' && band.count === 288 && band.every === 300);
    }
    assert.equal(data.days[0].date, '2026-11-01');
    assert.equal(data.days[41].date, '2026-12-12');
  });

  it('evaluates each schedule in its node\'s zone and groups the runs by the viewer\'s days', () => {
    // Saturday 03:00 in Berlin is 02:00 UTC in November; in New York that is Friday 21:00.
    const data = buildCalendar([routine('weekly', 'sat 03:00', { timezone: 'Europe/Berlin' })],
      { from: NOV1, to: NOV1 + 14 * DAY, timeZone: 'America/New_York', parse });
    const runs = runsOf(data, 'pve1/weekly');
    assert.deepEqual(runs, [Date.UTC(2026, 10, 7, 2) / 1000, Date.UTC(2026, 10, 14, 2) / 1000]);
    assert.deepEqual(data.days.map((d) => d.date), ['2026-11-06', '2026-11-13']);
  });

  it('matches the engine run for run, band ends included', () => {
    const schedule = parse('mon..fri 08..18:0/15');
    const data = buildCalendar([routine('office', 'mon..fri 08..18:0/15', { timezone: 'Europe/Berlin' })],
      { from: NOV1, to: NOV1 + 7 * DAY, timeZone: 'Europe/Berlin', parse });
    const expected = schedule.between(NOV1, NOV1 + 7 * DAY, 'Europe/Berlin', 100_000);
    let count = 0;
    for (const day of data.days) {
      assert.equal(day.entries.length, 1, `${day.date} has one band`);
      const band = day.entries[0];
      assert.ok(band.kind === 'band');
      assert.ok(expected.includes(band.start) && expected.includes(band.end));
      assert.equal(band.every, 900);
      count += band.count;
    }
    assert.equal(count, expected.length);
    assert.equal(data.days.length, 5);
  });

  it('keeps disabled and stale routines, flagged, and a bad schedule as an error on its routine only', () => {
    const data = buildCalendar([
      routine('off', 'daily', { enabled: false }),
      routine('gone', 'sun 01:00', { status: 'stale' }),
      routine('broken', 'mon..frx 02:00'),
      routine('fine', 'daily'),
    ], { from: NOV1, to: NOV1 + 7 * DAY, timeZone: 'UTC', parse });
    const byId = new Map(data.routines.map((r) => [r.routineId, r]));
    assert.equal(byId.get('off')?.enabled, false);
    assert.equal(byId.get('off')?.runs, 7, 'a disabled job still shows when it would run');
    assert.equal(byId.get('gone')?.status, 'stale');
    assert.equal(byId.get('broken')?.runs, 0);
    assert.match(byId.get('broken')?.error ?? '', /Schedule 'mon..frx 02:00' cannot be read: .*Fix the job's schedule in Proxmox/);
    assert.equal(byId.get('fine')?.runs, 7);
    assert.equal(byId.get('fine')?.description, 'every day at 00:00 (UTC, node time)');
  });

  it('gives each routine a stable identity, whatever the input order, and lists routines in legend order', () => {
    const inputs = Array.from({ length: 14 }, (_, i) => routine(`job-${i}`, 'daily'));
    const range = { from: NOV1, to: NOV1 + DAY, timeZone: 'UTC', parse };
    const a = buildCalendar(inputs, range);
    const b = buildCalendar([...inputs].reverse(), range);
    const look = (d: CalendarData) => d.routines.map((r) => [r.key, r.color, r.pattern, r.badge]);
    assert.deepEqual(look(a), look(b));
    // Numeric order: job-2 before job-10, and the badges read A, B, C down the legend.
    assert.deepEqual(a.routines.slice(0, 3).map((r) => [r.routineId, r.badge]), [['job-0', 'A'], ['job-1', 'B'], ['job-2', 'C']]);
    assert.equal(new Set(a.routines.map((r) => `${r.color}/${r.pattern}`)).size, 14, 'no two routines look the same');
  });

  it('keeps a routine\'s look when the calendar is filtered to its endpoint', () => {
    const all = [
      ...Array.from({ length: 10 }, (_, i) => routine(`a-${i}`, 'daily', { endpointId: 'pve-a' })),
      ...Array.from({ length: 10 }, (_, i) => routine(`b-${i}`, 'daily', { endpointId: 'pve-b' })),
    ];
    const range = { from: NOV1, to: NOV1 + DAY, timeZone: 'UTC', parse };
    const whole = buildCalendar(all, range);
    const onlyB = all.filter((r) => r.endpointId === 'pve-b');
    const filtered = buildCalendar(onlyB, { ...range, identityOver: all });
    const look = (r: CalendarData['routines'][number]) => [r.key, r.color, r.pattern, r.badge];
    assert.deepEqual(filtered.routines.map(look), whole.routines.filter((r) => r.endpointId === 'pve-b').map(look));
    assert.equal(filtered.routines[0].badge, 'K', 'the badge is the routine\'s place among all routines, not among the shown ones');
    const unfiltered = buildCalendar(onlyB, range);
    assert.equal(unfiltered.routines[0].badge, 'A', 'without identityOver the shown routines are the whole set');
  });

  it('assumes UTC, and says so, when the node\'s zone is unknown', () => {
    const data = buildCalendar([routine('nozone', '04:00', { timezone: undefined })],
      { from: NOV1, to: NOV1 + DAY, timeZone: 'UTC', parse });
    assert.equal(data.routines[0].timezone, 'UTC');
    assert.equal(data.routines[0].timezoneAssumed, true);
    assert.deepEqual(runsOf(data, 'pve1/nozone'), [NOV1 + 4 * 3600]);
  });

  it('stops a pathological schedule at the run limit and marks it truncated', () => {
    const data = buildCalendar([routine('busy', '*:*:0/1')],
      { from: NOV1, to: NOV1 + DAY, timeZone: 'UTC', parse, maxRunsPerRoutine: 5000 });
    assert.equal(data.routines[0].runs, 5000);
    assert.equal(data.routines[0].truncated, true);
    const band = data.days[0].entries[0];
    assert.ok(band.kind === 'band' && band.count === 5000 && band.every === 1);
  });

  it('refuses an empty, reversed or too long range and an unknown zone, with the next step', () => {
    const base = { timeZone: 'UTC', parse };
    assert.throws(() => buildCalendar([], { ...base, from: NOV1, to: NOV1 }), CalendarRangeError);
    assert.throws(() => buildCalendar([], { ...base, from: NOV1, to: NOV1 - 1 }), /end is after its start/);
    assert.throws(() => buildCalendar([], { ...base, from: NOV1, to: NOV1 + 100 * DAY }), /at most 63 days/);
    assert.throws(() => buildCalendar([], { from: NOV1, to: NOV1 + DAY, timeZone: 'Mars/Olympus', parse }), /IANA zone/);
  });
});
