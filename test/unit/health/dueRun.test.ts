import { strict as assert } from 'node:assert';
import { parseSchedule } from '../../../src/core/schedule';
import { dueRun, latestRunAtOrBefore } from '../../../src/core/health/dueRun';
import { utc } from './fixtures';

describe('health: due run', () => {
  it('is the latest run at least the grace period old', () => {
    const s = parseSchedule('02:30');
    // 08:00 with 6 h grace: 02:00 is the limit, so today's 02:30 is not due yet and yesterday's is.
    assert.equal(dueRun(s, utc('2026-05-10T08:00:00Z'), 6 * 3600, 'UTC'), utc('2026-05-09T02:30:00Z'));
    assert.equal(dueRun(s, utc('2026-05-10T08:30:00Z'), 6 * 3600, 'UTC'), utc('2026-05-10T02:30:00Z'));
  });

  it('counts a run exactly at the limit', () => {
    assert.equal(latestRunAtOrBefore(parseSchedule('02:30'), utc('2026-05-10T02:30:00Z'), 'UTC'), utc('2026-05-10T02:30:00Z'));
  });

  it('finds the run of a yearly schedule months back, and of a minutely one at once', () => {
    assert.equal(latestRunAtOrBefore(parseSchedule('*-01-15 03:00'), utc('2026-11-20T00:00:00Z'), 'UTC'), utc('2026-01-15T03:00:00Z'));
    assert.equal(latestRunAtOrBefore(parseSchedule('*:*'), utc('2026-11-20T00:00:30Z'), 'UTC'), utc('2026-11-20T00:00:00Z'));
  });

  it('is none for a date that lies entirely in the future', () => {
    assert.equal(latestRunAtOrBefore(parseSchedule('2030-01-01 00:00'), utc('2026-11-20T00:00:00Z'), 'UTC'), null);
  });

  it('skips 02:30 on the spring-forward day in Europe/Vienna, as Proxmox does', () => {
    // 2026-03-29 02:00 CET jumps to 03:00 CEST. At 10:00 CEST with 6 h grace (limit 04:00 CEST) the due run is the
    // day before, 02:30 CET = 01:30Z; a shifted run (03:00 or 03:30 CEST) would be on the 29th.
    const due = dueRun(parseSchedule('02:30'), utc('2026-03-29T08:00:00Z'), 6 * 3600, 'Europe/Vienna');
    assert.equal(due, utc('2026-03-28T01:30:00Z'));
  });
});
