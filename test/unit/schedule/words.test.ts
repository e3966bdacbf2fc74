// Canonical forms, plain-words descriptions and error messages of calendar events.
import assert from 'node:assert/strict';
import { parseSchedule, ScheduleError } from '../../../src/core/schedule';

function errorOf(text: string): ScheduleError {
  try {
    parseSchedule(text);
  } catch (err) {
    assert.ok(err instanceof ScheduleError, String(err));
    return err;
  }
  assert.fail(`${JSON.stringify(text)} was accepted`);
}

describe('calendar event words', () => {
  const cases: Array<[string, string, string]> = [
    ['mon..fri 02:30', 'Mon..Fri *-*-* 02:30:00', 'every weekday at 02:30'],
    ['daily', '*-*-* 00:00:00', 'every day at 00:00'],
    ['sat *-1..7 15:00', 'Sat *-*-01..07 15:00:00', 'on the first Saturday of every month at 15:00'],
    ['*/5', '*-*-* *:00/5:00', 'every 5 minutes'],
    ['5', '*-*-* *:05:00', 'every hour at :05'],
    ['24:00', '*-*-* *:24:00', 'every hour at :24'],
    ['2,22:30', '*-*-* 02,22:30:00', 'every day at 02:30 and 22:30'],
    ['sat,sun 03:00', 'Sat,Sun *-*-* 03:00:00', 'every weekend day at 03:00'],
    ['fri..mon 23:59:59', 'Mon,Fri..Sun *-*-* 23:59:59', 'every Monday, Friday, Saturday and Sunday at 23:59:59'],
    ['mon..fri 7..18:00/15', 'Mon..Fri *-*-* 07..18:00/15:00', 'every weekday every 15 minutes between 07:00 and 18:59'],
    ['sun 01:00 UTC', 'Sun *-*-* 01:00:00 UTC', 'every Sunday at 01:00 (UTC)'],
    ['2030-02-29', '2030-02-29 00:00:00', 'on 2030-02-29 at 00:00'],
    ['quarterly', '*-01,04,07,10-01 00:00:00', 'on the 1st of January, April, July and October at 00:00'],
  ];
  for (const [text, normalized, words] of cases) {
    it(`${text} → ${words}`, () => {
      const s = parseSchedule(text);
      assert.equal(s.kind, 'calendar');
      assert.equal(s.normalized, normalized);
      assert.equal(s.describe(), words);
    });
  }

  it('warns in words where Proxmox skips runs, and only there', () => {
    assert.match(parseSchedule('*/7').describe(), /minute step 7 .* skips/);
    assert.match(parseSchedule('*-*-1,31').describe(), /skips that month's first days/);
    assert.match(parseSchedule('0/7:00').describe(), /hour step 7/);
    assert.doesNotMatch(parseSchedule('mon..wed 30/10').describe(), /skip/);
    assert.doesNotMatch(parseSchedule('*/15').describe(), /skip/);
  });
});

describe('calendar event errors', () => {
  const cases: Array<[string, number, RegExp]> = [
    ['not valid!', 0, /unknown weekday 'not'/],
    ['Daily', 0, /lower-case: write 'daily'/],
    ['daily 12:00', 0, /'daily' must be the whole schedule/],
    ['*/61', 2, /61 is out of range for a minute/],
    ['23:60', 3, /60 is out of range for a minute/],
    ['3..0', 0, /range 3\.\.0 starts after it ends/],
    ['Wed, 17:48', 3, /no space is allowed after ','/],
    ['*-*-1~07', 5, /'~'/],
    ['12:00.5', 5, /fractional seconds/],
    ['mon 12:00 fri', 9, /unexpected extra part 'fri'/],
    ['', 0, /empty/],
    ['*/0', 2, /step of 0/],
  ];
  for (const [text, position, reason] of cases) {
    it(`${JSON.stringify(text)} fails at ${position}: ${reason.source}`, () => {
      const err = errorOf(text);
      assert.equal(err.position, position, err.message);
      assert.match(err.reason, reason);
      assert.match(err.message, /expected \[weekdays\]/); // the message also says what a schedule looks like
    });
  }
});

describe('cron schedules', () => {
  it('computes in the given zone, with seconds when there are 6 fields', () => {
    const s = parseSchedule('30 2 * * 1-5', 'cron');
    assert.equal(s.kind, 'cron');
    // 2024-03-29 (Fri) 02:30 CET, then Monday 2024-04-01 02:30 CEST.
    assert.deepEqual(s.take(1711620000, 2, 'Europe/Vienna'), [1711675800, 1711931400]);
    assert.deepEqual(parseSchedule('*/20 * * * * *', 'cron').take(0, 3, 'UTC'), [20, 40, 60]);
    assert.equal(parseSchedule('0 2 * * 1-5', 'cron').describe(), 'on Monday to Friday at 02:00');
  });

  it('uses cron\'s OR of day of month and weekday (calendar events use AND)', () => {
    const cron = parseSchedule('0 0 13 * 5', 'cron').take(0, 3, 'UTC');
    // 1970-01-02 is a Friday, 1970-01-09 a Friday, 1970-01-13 the 13th.
    assert.deepEqual(cron, [86400, 8 * 86400, 12 * 86400]);
  });

  it('says which field is wrong', () => {
    const err = (() => {
      try {
        parseSchedule('0 25 * * *', 'cron');
      } catch (e) {
        return e;
      }
    })();
    assert.ok(err instanceof ScheduleError);
    assert.equal(err.position, 2);
    assert.equal(err.reason, 'hour 25 is out of range 0–23');
    assert.throws(() => parseSchedule('* * *', 'cron'), /5 or 6 fields, this one has 3/);
    assert.throws(() => parseSchedule('daily', 'cron'), ScheduleError);
  });

  it('rejects a day that never exists in its month instead of searching forever', () => {
    assert.throws(() => parseSchedule('0 0 30 2 *', 'cron'), /invalid cron expression \(that day of the month never occurs in the months given\)/);
  });
});
