// The engine against an independent brute-force matcher (where Proxmox has no skips), and its invariants in zones
// with DST.
import assert from 'node:assert/strict';
import { parseCalendarEvent, parseSchedule, zoneOffsetAt } from '../../../src/core/schedule';
import { CalendarEvent, listContains } from '../../../src/core/schedule/calendarEvent';
import { civilFromSeconds, wallSeconds } from '../../../src/core/schedule/civil';
import { Random } from './random';

const DAY = 86400;

/** Does this wall-clock reading match every part of the event (the AND of all parts)? */
function matches(e: CalendarEvent, wall: number): boolean {
  const w = civilFromSeconds(wall);
  const any = (list: CalendarEvent['year'], x: number): boolean => list.length === 0 || listContains(list, x);
  const dayNum = (w.weekday + 6) % 7;
  return any(e.year, w.year) && any(e.month, w.month) && any(e.day, w.day) &&
    (e.weekdays === 0 || (e.weekdays & (1 << dayNum)) !== 0) &&
    any(e.hour, w.hour) && any(e.minute, w.minute) && any(e.second, w.second);
}

/** Brute force in UTC: walk days, then every second-of-day candidate built from the field lists. */
function bruteForceUtc(e: CalendarEvent, after: number, horizonDays: number): number | null {
  const expand = (list: CalendarEvent['hour'], size: number): number[] => {
    const out: number[] = [];
    for (let x = 0; x < size; x++) if (list.length === 0 || listContains(list, x)) out.push(x);
    return out;
  };
  const hours = expand(e.hour, 24);
  const minutes = expand(e.minute, 60);
  const seconds = expand(e.second, 60);
  const firstDay = Math.floor((after + 1) / DAY);
  for (let d = firstDay; d < firstDay + horizonDays; d++) {
    if (!matches({ ...e, hour: [], minute: [], second: [] }, d * DAY)) continue;
    for (const h of hours) for (const m of minutes) for (const s of seconds) {
      const t = d * DAY + h * 3600 + m * 60 + s;
      if (t > after) return t;
    }
  }
  return null;
}

function safeList(r: Random, lo: number, hi: number, cycle: number): string {
  switch (r.int(0, 4)) {
    case 0: return '*';
    case 1: return String(r.int(lo, hi));
    case 2: {
      const a = r.int(lo, hi);
      return `${a}..${r.int(a, hi)}`;
    }
    case 3: {
      const steps = [1, 2, 3, 4, 5, 6, 10, 12, 15, 20, 30].filter((s) => cycle % s === 0 && s <= cycle / 2);
      const step = r.pick(steps);
      return `${r.int(0, step - 1) + lo}/${step}`;
    }
    default: {
      const n = r.int(2, 4);
      const values = new Set<number>();
      while (values.size < n) values.add(r.int(lo, hi));
      return [...values].join(',');
    }
  }
}

/** Events that cannot hit Proxmox's overflow skips: steps divide their cycle and start below the step. */
function safeEvent(r: Random): string {
  const parts: string[] = [];
  if (r.chance(0.4)) parts.push(r.pick(['mon..fri', 'sat,sun', 'wed', 'fri..mon', 'tue,thu', 'sun']));
  if (r.chance(0.4)) {
    const month = r.chance(0.5) ? '*' : r.chance(0.5) ? String(r.int(1, 12)) : `${r.int(1, 6)}..${r.int(7, 12)}`;
    const day = r.chance(0.3) ? '*' : r.chance(0.5) ? String(r.int(1, 28)) : `${r.int(1, 10)}..${r.int(11, 28)}`;
    parts.push(`${month}-${day}`);
  }
  const hour = safeList(r, 0, 23, 24);
  const minute = safeList(r, 0, 59, 60);
  parts.push(r.chance(0.3) ? `${hour}:${minute}:${safeList(r, 0, 59, 60)}` : `${hour}:${minute}`);
  return parts.join(' ');
}

describe('calendar engine', () => {
  it('agrees with a brute-force matcher in UTC wherever Proxmox has no skips (600 random events)', () => {
    const r = new Random(4242);
    let compared = 0;
    for (let i = 0; i < 600; i++) {
      const text = safeEvent(r);
      const event = parseCalendarEvent(text);
      const schedule = parseSchedule(text);
      let after = r.int(0, 2_500_000_000);
      for (let k = 0; k < 3; k++) {
        const expected = bruteForceUtc(event, after, 800);
        const got = schedule.next(after, 'UTC');
        if (expected === null) {
          // Beyond the brute force horizon: only check that a found run is a real match.
          if (got !== null) assert.ok(matches(event, got), `${text}: ${got}`);
          break;
        }
        assert.equal(got, expected, `${text} after ${after}`);
        compared++;
        after = expected;
      }
    }
    assert.ok(compared > 1000, `only ${compared} comparisons`);
  });

  it('every run in a DST zone matches the event on the local wall clock and runs strictly increase', () => {
    const r = new Random(1234);
    const zones = ['Europe/Vienna', 'America/New_York', 'Australia/Sydney', 'Australia/Lord_Howe', 'America/Santiago'];
    for (let i = 0; i < 300; i++) {
      const text = safeEvent(r);
      const event = parseCalendarEvent(text);
      const tz = r.pick(zones);
      const runs = parseSchedule(text).take(r.int(1_600_000_000, 1_900_000_000), 20, tz);
      let last = -Infinity;
      for (const t of runs) {
        assert.ok(t > last);
        assert.ok(matches(event, t + zoneOffsetAt(t, tz)), `${text} in ${tz}: ${t} does not match locally`);
        last = t;
      }
    }
  });

  it('keeps Proxmox overflow skips (a step that does not divide 60, a day past month end)', () => {
    const at = (iso: string): number => Date.parse(iso) / 1000;
    assert.equal(parseSchedule('*/7').next(at('2024-01-01T00:56:00Z'), 'UTC'), at('2024-01-01T01:07:00Z'));
    assert.deepEqual(parseSchedule('*/45').take(at('2024-01-01T00:00:00Z'), 3, 'UTC'),
      [at('2024-01-01T00:45:00Z'), at('2024-01-01T01:45:00Z'), at('2024-01-01T02:45:00Z')]);
    assert.equal(parseSchedule('*-*-1,31').next(at('2021-02-02T00:00:00Z'), 'UTC'), at('2021-03-31T00:00:00Z'));
  });

  it('returns "never" after the 1,001-step cap and for past dates', () => {
    assert.equal(parseSchedule('*-*-0').next(0, 'UTC'), null);
    assert.equal(parseSchedule('02-30').next(0, 'Europe/Vienna'), null);
    assert.equal(parseSchedule('2015-10-21').next(1_700_000_000, 'UTC'), null);
    assert.deepEqual(parseSchedule('2030-01-01').take(0, 5, 'UTC'), [1893456000]);
  });

  it('skips the run on a spring-forward day when its wall time does not exist', () => {
    // 2024-03-31 02:30 does not exist in Vienna: Proxmox runs on April 1st next.
    assert.equal(parseSchedule('02:30').next(1711834200, 'Europe/Vienna'), 1711931400);
  });

  it('answers strictly after a start inside the repeated fall-back hour', () => {
    const tz = 'America/New_York';
    const firstSecondOfEst = 1762063200; // 2025-11-02 01:00:00 EST, the repeat of 01:00 EDT
    assert.equal(parseSchedule('*:*:*').next(firstSecondOfEst - 1, tz), firstSecondOfEst);
    assert.equal(parseSchedule('*:30').next(firstSecondOfEst + 600, tz), firstSecondOfEst + 1800);
    // From before the hour it runs once, in the first (EDT) occurrence, like a chained Proxmox scheduler.
    assert.equal(parseSchedule('*:30').next(firstSecondOfEst - 3600, tz), firstSecondOfEst - 1800);
  });

  it('gives Proxmox\'s "never" in zones with negative DST, but never answers backwards', () => {
    // Dublin, 2021-03-28: 01:00 GMT jumps to 02:00 IST. glibc (tzdata marks GMT as the DST period) moves 01:30 back
    // to 00:30, so Proxmox loops on that day and reports "never" after Saturday's run (checked with glibc 2.36).
    assert.deepEqual(parseSchedule('01:30').take(1616803200, 3, 'Europe/Dublin'), [1616808600]); // Sat 01:30 GMT
    assert.deepEqual(parseSchedule('sun 1:0').take(1616578260, 2, 'Europe/Dublin'), []);
    // From the Monday after the change it runs normally again.
    assert.deepEqual(parseSchedule('01:30').take(1616976000, 2, 'Europe/Dublin'), [1616977800, 1617064200]);
  });

  it('computes UTC-suffixed events in UTC whatever the zone', () => {
    const vienna = parseSchedule('mon..fri UTC').next(1540677600, 'Europe/Vienna');
    assert.equal(vienna, parseSchedule('mon..fri').next(1540677600, 'UTC'));
    assert.throws(() => parseSchedule('daily UTC').next(0, 'Not/AZone'), /unknown time zone 'Not\/AZone'/);
  });

  it('between() lists every run in [from, to) and honours the limit', () => {
    const s = parseSchedule('*/15');
    const from = wallSeconds(2024, 5, 1, 0, 0, 0);
    const runs = s.between(from, from + DAY, 'UTC');
    assert.equal(runs.length, 96);
    assert.equal(runs[0], from);
    assert.equal(runs[95], from + DAY - 900);
    assert.equal(s.between(from, from + DAY, 'UTC', 10).length, 10);
    assert.deepEqual(s.between(from, from, 'UTC'), []);
  });

  it('rejects a start that is not a number', () => {
    assert.throws(() => parseSchedule('daily').next(Number.NaN, 'UTC'), /finite number/);
  });
});
