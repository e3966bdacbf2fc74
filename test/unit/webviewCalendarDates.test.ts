import { strict as assert } from 'node:assert';
import {
  addDays, addMonths, dateKeyOf, dayLabel, dayStart, monthLabel, pageLabel, parseDateKey, stepAnchor, visibleDays,
  visibleRange, weekdayIndex, WEEKDAY_LABELS, weekLabel,
} from '../../src/webview/calendar/dates';

const utc = (...a: [number, number, number, number?, number?]) => Date.UTC(a[0], a[1] - 1, a[2], a[3] ?? 0, a[4] ?? 0) / 1000;

describe('webview calendar: local days', () => {
  it('reads only real dates as date keys', () => {
    assert.deepEqual(parseDateKey('2024-02-29'), { year: 2024, month: 2, day: 29 });
    for (const bad of ['2026-02-29', '2026-02-30', '2026-13-01', '2026-1-5', '2026-01-05T00:00', '', ' 2026-01-05', null, 20260105, undefined, {}]) {
      assert.equal(parseDateKey(bad), null, JSON.stringify(bad));
    }
  });

  it('counts days across months, years and leap days', () => {
    assert.equal(addDays('2024-02-28', 1), '2024-02-29');
    assert.equal(addDays('2026-02-28', 1), '2026-03-01');
    assert.equal(addDays('2026-12-31', 1), '2027-01-01');
    assert.equal(addDays('2026-01-01', -1), '2025-12-31');
    assert.equal(addDays('2026-11-23', 42), '2027-01-04');
    assert.throws(() => addDays('2026-02-30', 1), /not a date/);
  });

  it('starts weeks on Monday', () => {
    assert.equal(weekdayIndex('2026-11-23'), 0, 'a Monday');
    assert.equal(weekdayIndex('2026-11-29'), 6, 'a Sunday');
    assert.deepEqual(WEEKDAY_LABELS, ['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun']);
  });

  it('pages by months from any day of the month, and by weeks', () => {
    assert.equal(addMonths('2026-01-31', 1), '2026-02-01', 'no overflow into March');
    assert.equal(addMonths('2026-12-15', 1), '2027-01-01');
    assert.equal(addMonths('2026-01-10', -1), '2025-12-01');
    assert.equal(stepAnchor('month', '2026-03-31', -1), '2026-02-01');
    assert.equal(stepAnchor('week', '2026-12-30', 1), '2027-01-06');
  });

  it('shows six whole weeks around a month, Monday first, and the anchor\'s week', () => {
    const month = visibleDays('month', '2026-11-17'); // 1 Nov 2026 is a Sunday
    assert.equal(month.length, 42);
    assert.equal(month[0], '2026-10-26');
    assert.equal(month[6], '2026-11-01');
    assert.equal(month[41], '2026-12-06');
    assert.deepEqual(visibleDays('week', '2026-11-25'), ['2026-11-23', '2026-11-24', '2026-11-25', '2026-11-26', '2026-11-27', '2026-11-28', '2026-11-29']);
    assert.equal(visibleDays('week', '2026-11-23')[0], '2026-11-23');
    assert.equal(visibleDays('week', '2026-11-29')[0], '2026-11-23');
  });

  it('gives an instant\'s local date in the zone asked, not the one the code runs in', () => {
    const t = utc(2026, 11, 22, 23, 30);
    assert.equal(dateKeyOf(t, 'UTC'), '2026-11-22');
    assert.equal(dateKeyOf(t, 'Europe/Berlin'), '2026-11-23');
    assert.equal(dateKeyOf(t, 'America/New_York'), '2026-11-22');
    assert.equal(dateKeyOf(t, 'Pacific/Kiritimati'), '2026-11-23');
  });

  it('finds where each local day starts, with 23- and 25-hour days at DST changes', () => {
    assert.equal(dayStart('2026-11-23', 'Europe/Berlin'), utc(2026, 11, 22, 23));
    assert.equal(dayStart('2026-11-23', 'Asia/Kathmandu'), utc(2026, 11, 22, 18, 15));
    assert.equal(dayStart('2026-03-30', 'Europe/Berlin') - dayStart('2026-03-29', 'Europe/Berlin'), 23 * 3600);
    assert.equal(dayStart('2026-10-26', 'Europe/Berlin') - dayStart('2026-10-25', 'Europe/Berlin'), 25 * 3600);
    // Cuba moves its clocks at midnight: 8 March 2026 begins at 01:00 local time, the instant 7 March ends.
    const havana = dayStart('2026-03-08', 'America/Havana');
    assert.equal(havana, utc(2026, 3, 8, 5));
    assert.equal(dateKeyOf(havana, 'America/Havana'), '2026-03-08');
    assert.equal(dateKeyOf(havana - 1, 'America/Havana'), '2026-03-07');
  });

  it('agrees with Intl on every day start of a year in zones with odd offsets and DST', () => {
    for (const zone of ['Europe/Berlin', 'America/Havana', 'Australia/Lord_Howe', 'Asia/Kathmandu', 'America/St_Johns', 'Pacific/Chatham']) {
      const intl = new Intl.DateTimeFormat('en-CA', { timeZone: zone, year: 'numeric', month: '2-digit', day: '2-digit' });
      let day = '2026-01-01';
      for (let i = 0; i < 366; i++, day = addDays(day, 1)) {
        const start = dayStart(day, zone);
        assert.equal(intl.format(new Date(start * 1000)), day, `${zone}: ${day} starts on its own day`);
        assert.equal(intl.format(new Date((start - 1) * 1000)), addDays(day, -1), `${zone}: the second before ${day} is the day before`);
      }
    }
  });

  it('asks for exactly the instants of the visible days', () => {
    const week = visibleRange('week', '2026-03-25', 'Europe/Berlin'); // the week of the spring change
    assert.equal(week.from, utc(2026, 3, 22, 23));
    assert.equal(week.to - week.from, 7 * 86_400 - 3600);
    const month = visibleRange('month', '2026-11-05', 'UTC');
    assert.deepEqual(month, { from: utc(2026, 10, 26), to: utc(2026, 12, 7) });
  });

  it('words dates in English, whatever the zone', () => {
    assert.equal(monthLabel('2026-11-30'), 'November 2026');
    assert.equal(dayLabel('2026-11-23'), 'Monday, 23 November 2026');
    assert.equal(weekLabel(visibleDays('week', '2026-12-30')), '28 Dec – 3 Jan 2027');
    assert.equal(pageLabel('month', '2026-02-14'), 'February 2026');
    assert.equal(pageLabel('week', '2026-11-25'), '23 Nov – 29 Nov 2026');
  });
});
