import { strict as assert } from 'node:assert';
import { parseOnceAt, parseWholeNumber } from '../../../src/ui/input/scheduleInput';

describe('ui: schedule input', () => {
  it('whole numbers within bounds', () => {
    assert.deepEqual(parseWholeNumber(' 15 ', 'the number of minutes', 1, 1440), { ok: true, value: 15 });
    const zero = parseWholeNumber('0', 'the number of minutes', 1, 1440);
    assert.equal(zero.ok, false);
    assert.match((zero as { message: string }).message, /from 1 to 1440/);
    assert.equal(parseWholeNumber('1.5', 'seconds', 1, 60).ok, false);
    assert.equal(parseWholeNumber('abc', 'seconds', 1, 60).ok, false);
  });

  it('a bare time is the next such time, today or tomorrow', () => {
    const now = new Date(2026, 10, 23, 14, 30).getTime();
    const later = parseOnceAt('15:00', now);
    assert.ok(later.ok);
    assert.equal(later.value, new Date(2026, 10, 23, 15, 0).getTime());
    const tomorrow = parseOnceAt('02:00', now);
    assert.ok(tomorrow.ok);
    assert.equal(tomorrow.value, new Date(2026, 10, 24, 2, 0).getTime());
  });

  it('a date and time must exist and lie ahead', () => {
    const now = new Date(2026, 10, 23, 14, 30).getTime();
    const ok = parseOnceAt('2026-12-01 02:00', now);
    assert.ok(ok.ok);
    assert.equal(ok.value, new Date(2026, 11, 1, 2, 0).getTime());
    assert.match((parseOnceAt('2026-11-01 02:00', now) as { message: string }).message, /in the past/);
    assert.match((parseOnceAt('2026-02-30 02:00', now) as { message: string }).message, /not a valid date/);
    assert.match((parseOnceAt('25:00', now) as { message: string }).message, /not a time of day/);
    assert.match((parseOnceAt('tomorrow', now) as { message: string }).message, /02:00/);
  });
});
