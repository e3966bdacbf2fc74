// Every vector in calendar-vectors.json, each checked against the real proxmox-time crate.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { parseCalendarEvent, parseSchedule, ScheduleError } from '../../../src/core/schedule';
import { fixture } from '../../helpers/paths';

interface Vector {
  expr: string;
  tz: string;
  from?: number;
  expect?: number[];
  chained?: boolean;
  never?: boolean;
  error?: boolean;
  ambiguous?: boolean;
  variants?: Record<string, number[]>;
  origin: string;
}

const vectors: Vector[] = JSON.parse(readFileSync(fixture('calendar-vectors.json'), 'utf8'));

describe('calendar vectors (proxmox-time oracle)', () => {
  it('has all 341 vectors', () => {
    assert.equal(vectors.length, 341);
  });

  vectors.forEach((v, index) => {
    const label = `#${index} ${JSON.stringify(v.expr)} in ${v.tz}${v.from !== undefined ? ` from ${v.from}` : ''}`;
    if (v.error) {
      it(`${label} is rejected`, () => {
        // The raw crate parser: no trimming (PVE trims before calling it; parseSchedule does, see below).
        assert.throws(() => parseCalendarEvent(v.expr), (err: unknown) => {
          assert.ok(err instanceof ScheduleError, `expected ScheduleError, got ${String(err)}`);
          assert.ok(err.position >= 0 && err.position <= v.expr.length, `position ${err.position} outside the input`);
          assert.ok(err.reason.length > 0);
          return true;
        });
      });
      return;
    }
    it(`${label}`, () => {
      const schedule = parseSchedule(v.expr);
      const from = v.from!;
      if (v.never) {
        assert.equal(schedule.next(from, v.tz), null);
        return;
      }
      const n = v.ambiguous ? Object.values(v.variants!)[0].length : v.expect!.length;
      const got = v.chained ? schedule.take(from, n, v.tz) : [schedule.next(from, v.tz)];
      if (v.ambiguous) {
        const accepted = Object.values(v.variants!).map((x) => JSON.stringify(x));
        assert.ok(accepted.includes(JSON.stringify(got)), `got ${JSON.stringify(got)}, expected one of ${accepted.join(' | ')}`);
        // The engine resolves the repeated hour like a process that last saw summer time (the chained case).
        assert.deepEqual(got, v.variants!.after_summer);
      } else {
        assert.deepEqual(got, v.expect);
      }
    });
  });
});

describe('PVE-level input handling', () => {
  it('trims surrounding whitespace like PVE::CalendarEvent::parse_calendar_event', () => {
    assert.equal(parseSchedule(' daily').source, 'daily');
    assert.equal(parseSchedule('daily \n').next(0, 'UTC'), 86400);
    assert.throws(() => parseCalendarEvent(' daily'), ScheduleError);
  });

  it('still rejects what is wrong after trimming', () => {
    assert.throws(() => parseSchedule(' mon 0 0'), ScheduleError);
  });

  it('enforces the 128-character limit', () => {
    const ok = `mon ${'0,'.repeat(61)}1`; // 4 + 122 + 1 = 127 characters
    assert.equal(ok.length, 127);
    assert.doesNotThrow(() => parseSchedule(ok));
    assert.throws(() => parseSchedule(`${ok}00`), (err: unknown) => err instanceof ScheduleError && /at most 128/.test(err.message));
  });
});
