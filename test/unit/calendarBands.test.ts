import { strict as assert } from 'node:assert';
import { collapseRuns, localDateKeyer, type CalendarEntry } from '../../src/core/calendar';

const utcDay = localDateKeyer('UTC');
const opts = { maxGapSeconds: 7200, minRuns: 4 };
const T0 = Date.UTC(2026, 10, 23) / 1000; // Monday 23 Nov 2026, 00:00 UTC

function every(start: number, step: number, count: number): number[] {
  return Array.from({ length: count }, (_, i) => start + i * step);
}

function flat(m: Map<string, CalendarEntry[]>): [string, CalendarEntry[]][] {
  return [...m.entries()];
}

describe('calendar: local days', () => {
  it('keys instants by the local date of the viewer\'s zone', () => {
    assert.equal(utcDay(T0 - 1), '2026-11-22');
    assert.equal(utcDay(T0), '2026-11-23');
    const berlin = localDateKeyer('Europe/Berlin');
    assert.equal(berlin(T0 - 3600), '2026-11-23', '23:00 UTC is already Monday in Berlin (UTC+1)');
    assert.equal(berlin(T0 - 3601), '2026-11-22');
  });

  it('finds midnight in zones with a 45-minute offset and across DST changes', () => {
    const kathmandu = localDateKeyer('Asia/Kathmandu'); // UTC+5:45: local midnight is 18:15 UTC
    const midnight = T0 - (5 * 3600 + 45 * 60);
    assert.equal(kathmandu(midnight - 1), '2026-11-22');
    assert.equal(kathmandu(midnight), '2026-11-23');
    const berlin = localDateKeyer('Europe/Berlin');
    const dstStart = Date.UTC(2026, 2, 29, 1) / 1000; // 29 Mar 2026 02:00 CET -> 03:00 CEST
    assert.equal(berlin(dstStart - 1), '2026-03-29');
    assert.equal(berlin(Date.UTC(2026, 2, 28, 22, 59, 59) / 1000), '2026-03-28');
    assert.equal(berlin(Date.UTC(2026, 2, 28, 23) / 1000), '2026-03-29');
    assert.equal(berlin(Date.UTC(2026, 2, 29, 21, 59, 59) / 1000), '2026-03-29');
    assert.equal(berlin(Date.UTC(2026, 2, 29, 22) / 1000), '2026-03-30', 'CEST midnight is 22:00 UTC');
  });
});

describe('calendar: local days, against Intl for every instant tried', () => {
  for (const zone of ['Europe/Berlin', 'Australia/Lord_Howe', 'Asia/Kathmandu', 'America/St_Johns', 'Pacific/Apia']) {
    it(`agrees with a plain Intl formatter in ${zone}, in and out of order, across DST changes`, () => {
      const naive = new Intl.DateTimeFormat('en-CA', { timeZone: zone, year: 'numeric', month: '2-digit', day: '2-digit' });
      const keyer = localDateKeyer(zone);
      const start = Date.UTC(2026, 2, 20) / 1000; // spans the March/April DST changes of both hemispheres
      const instants = Array.from({ length: 3000 }, (_, i) => start + i * 1_193); // every ~20 minutes for 41 days
      const shuffled = [...instants].sort((a, b) => ((a * 7919) % 1000) - ((b * 7919) % 1000));
      for (const t of [...instants, ...shuffled]) assert.equal(keyer(t), naive.format(new Date(t * 1000)), `at ${new Date(t * 1000).toISOString()}`);
    });
  }
});

describe('calendar: band collapsing', () => {
  it('collapses a run every 5 minutes into one band per day, not hundreds of entries', () => {
    const runs = every(T0, 300, 2 * 288);
    const days = flat(collapseRuns('ep/job', runs, utcDay, opts));
    assert.deepEqual(days.map(([d, e]) => [d, e.length]), [['2026-11-23', 1], ['2026-11-24', 1]]);
    assert.deepEqual(days[0][1][0], { kind: 'band', routine: 'ep/job', start: T0, end: T0 + 287 * 300, count: 288, every: 300 });
    assert.deepEqual(days[1][1][0], { kind: 'band', routine: 'ep/job', start: T0 + 86_400, end: T0 + 86_400 + 287 * 300, count: 288, every: 300 });
  });

  it('keeps sparse runs as single entries', () => {
    const runs = [T0 + 2 * 3600, T0 + 14 * 3600, T0 + 86_400 + 2 * 3600];
    const days = flat(collapseRuns('r', runs, utcDay, opts));
    assert.deepEqual(days, [
      ['2026-11-23', [{ kind: 'run', routine: 'r', at: runs[0] }, { kind: 'run', routine: 'r', at: runs[1] }]],
      ['2026-11-24', [{ kind: 'run', routine: 'r', at: runs[2] }]],
    ]);
  });

  it('makes a band of a dense stretch and leaves the lone run beside it alone', () => {
    const dense = every(T0 + 3600, 600, 13); // 01:00..03:00 every 10 min
    const runs = [...dense, T0 + 12 * 3600];
    const [[, entries]] = flat(collapseRuns('r', runs, utcDay, opts));
    assert.deepEqual(entries, [
      { kind: 'band', routine: 'r', start: T0 + 3600, end: T0 + 3 * 3600, count: 13, every: 600 },
      { kind: 'run', routine: 'r', at: T0 + 12 * 3600 },
    ]);
  });

  it('needs minRuns runs for a band, and reports irregular spacing as such', () => {
    const three = every(T0, 900, 3);
    assert.equal(flat(collapseRuns('r', three, utcDay, opts))[0][1].length, 3);
    const irregular = [T0, T0 + 60, T0 + 300, T0 + 360, T0 + 900];
    assert.deepEqual(flat(collapseRuns('r', irregular, utcDay, opts))[0][1],
      [{ kind: 'band', routine: 'r', start: T0, end: T0 + 900, count: 5, every: null }]);
  });

  it('accounts for every run exactly once', () => {
    const runs = [...every(T0, 300, 100), T0 + 20 * 3600, ...every(T0 + 86_400 - 600, 120, 30)];
    let counted = 0;
    for (const entries of collapseRuns('r', runs, utcDay, opts).values()) {
      for (const e of entries) counted += e.kind === 'run' ? 1 : e.count;
    }
    assert.equal(counted, runs.length);
  });

  it('splits a band at the viewer\'s midnight, not UTC\'s', () => {
    const runs = every(T0 - 3 * 3600, 600, 36); // 21:00 UTC Sunday .. 02:50 UTC Monday
    const tokyo = flat(collapseRuns('r', runs, localDateKeyer('Asia/Tokyo'), opts)); // all Monday morning in Tokyo
    assert.deepEqual(tokyo.map(([d, e]) => [d, e.length]), [['2026-11-23', 1]]);
    const utc = flat(collapseRuns('r', runs, utcDay, opts));
    assert.deepEqual(utc.map(([d, e]) => [d, (e[0] as { count: number }).count]), [['2026-11-22', 18], ['2026-11-23', 18]]);
  });
});
