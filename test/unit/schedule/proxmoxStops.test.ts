// Negative DST: where Proxmox's calendar engine stops scheduling a job. The expected runs were computed with glibc 2.36
// (a C port of proxmox-time's compute_next_event over mktime with tm_isdst = -1, TZ set to the zone), and the clock
// changes are tzdata's (Dublin: 01:00 UTC on the last Sunday of March; Casablanca: 02:00 local, +00, after Ramadan).
import assert from 'node:assert/strict';
import { Readable } from 'node:stream';
import { parseSchedule, proxmoxGivesUp } from '../../../src/core/schedule';
import { main } from '../../../src/cli/main';
import { CliIO } from '../../../src/cli/io';

const utc = (y: number, mo: number, d: number, h = 0, mi = 0): number => Date.UTC(y, mo - 1, d, h, mi) / 1000;
const REASON = 'its calendar engine gives up at the daylight-saving change in';

describe('Proxmox gives up at a negative-DST gap', () => {
  const daily = parseSchedule('01:15');

  it('Europe/Dublin, daily 01:15, 2026: one more run before the March change, then none', () => {
    const tz = 'Europe/Dublin';
    const from = utc(2026, 3, 26, 12);
    assert.deepEqual(daily.take(from, 5, tz), [utc(2026, 3, 27, 1, 15), utc(2026, 3, 28, 1, 15)]);
    assert.equal(daily.next(utc(2026, 3, 28, 1, 15), tz), null);
    assert.deepEqual(daily.between(from, utc(2026, 4, 5), tz), [utc(2026, 3, 27, 1, 15), utc(2026, 3, 28, 1, 15)]);
    assert.deepEqual(proxmoxGivesUp(daily, from, tz), {
      lastRun: utc(2026, 3, 28, 1, 15),
      gapAt: utc(2026, 3, 29, 1),
      zone: tz,
      message: `Proxmox will not schedule this job after Sat 2026-03-28 01:15 GMT: ${REASON} Europe/Dublin`,
    });
    // From the last run on, nothing is left to schedule.
    assert.deepEqual(proxmoxGivesUp(daily, utc(2026, 3, 28, 1, 15), tz), {
      lastRun: null,
      gapAt: utc(2026, 3, 29, 1),
      zone: tz,
      message: `Proxmox will not schedule this job again: ${REASON} Europe/Dublin`,
    });
  });

  it('Europe/Dublin, daily 01:15, 2028, and runs normally when computed from after the change', () => {
    const tz = 'Europe/Dublin';
    assert.deepEqual(daily.take(utc(2028, 3, 23, 12), 5, tz), [utc(2028, 3, 24, 1, 15), utc(2028, 3, 25, 1, 15)]);
    const stop = proxmoxGivesUp(daily, utc(2028, 3, 23, 12), tz);
    assert.equal(stop?.lastRun, utc(2028, 3, 25, 1, 15));
    assert.equal(stop?.gapAt, utc(2028, 3, 26, 1));
    assert.match(stop?.message ?? '', /after Sat 2028-03-25 01:15 GMT:/);
    // 01:15 IST is 00:15 UTC.
    assert.deepEqual(daily.take(utc(2026, 3, 29, 3), 2, tz), [utc(2026, 3, 30, 0, 15), utc(2026, 3, 31, 0, 15)]);
  });

  it('looks ahead far enough to warn a year before the job stops', () => {
    const stop = proxmoxGivesUp(daily, utc(2026, 3, 30), 'Europe/Dublin');
    assert.equal(stop?.lastRun, utc(2027, 3, 27, 1, 15));
    assert.equal(stop?.gapAt, utc(2027, 3, 28, 1));
  });

  it('Africa/Casablanca, sun 2:15: stops when the clocks go forward after Ramadan 2026', () => {
    const tz = 'Africa/Casablanca';
    const weekly = parseSchedule('sun 2:15');
    assert.deepEqual(weekly.take(utc(2026, 3, 10), 4, tz), [utc(2026, 3, 15, 2, 15)]);
    assert.deepEqual(proxmoxGivesUp(weekly, utc(2026, 3, 10), tz), {
      lastRun: utc(2026, 3, 15, 2, 15),
      gapAt: utc(2026, 3, 22, 2),
      zone: tz,
      message: `Proxmox will not schedule this job after Sun 2026-03-15 02:15 GMT: ${REASON} Africa/Casablanca`,
    });
  });

  it('a gap that sends the walk back to a matching time is not a stop (Proxmox answers the past, we the next run)', () => {
    // glibc: `*:15` from 00:15 GMT on the change day answers 00:15 again; PVE would take it as due at once.
    const hourly = parseSchedule('*:15');
    const tz = 'Europe/Dublin';
    assert.deepEqual(hourly.take(utc(2026, 3, 28, 23), 3, tz), [utc(2026, 3, 28, 23, 15), utc(2026, 3, 29, 0, 15), utc(2026, 3, 29, 1, 15)]);
    assert.equal(proxmoxGivesUp(hourly, utc(2026, 3, 28, 23), tz), null);
  });

  it('ordinary zones, cron and UTC events are unaffected', () => {
    // Vienna: 02:30 does not exist on 2026-03-29; Proxmox skips that day and goes on (glibc moves the gap forward).
    const vienna = parseSchedule('02:30');
    assert.deepEqual(vienna.take(utc(2026, 3, 26, 12), 4, 'Europe/Vienna'),
      [utc(2026, 3, 27, 1, 30), utc(2026, 3, 28, 1, 30), utc(2026, 3, 30, 0, 30), utc(2026, 3, 31, 0, 30)]);
    assert.equal(proxmoxGivesUp(vienna, utc(2026, 3, 26, 12), 'Europe/Vienna'), null);
    assert.equal(proxmoxGivesUp(daily, utc(2026, 3, 26, 12), 'Europe/London'), null);
    assert.equal(proxmoxGivesUp(parseSchedule('15 1 * * *', 'cron'), utc(2026, 3, 26, 12), 'Europe/Dublin'), null);
    const utcEvent = parseSchedule('01:15 UTC');
    assert.equal(utcEvent.take(utc(2026, 3, 26, 12), 4, 'Europe/Dublin').length, 4);
    assert.equal(proxmoxGivesUp(utcEvent, utc(2026, 3, 26, 12), 'Europe/Dublin'), null);
    assert.throws(() => proxmoxGivesUp(daily, 0, 'Not/AZone'), /unknown time zone/);
  });

  it('costs next to nothing in zones without negative DST (200 routines per health evaluation)', () => {
    const schedules = ['01:15', 'mon..fri 02:30', '*/15', 'sat *-1..7 15:00', 'sun 2:15'].map((s) => parseSchedule(s));
    proxmoxGivesUp(schedules[0], 0, 'Europe/Vienna'); // the zone's Intl formatter is built once per process
    const start = process.hrtime.bigint();
    for (let i = 0; i < 200; i++) proxmoxGivesUp(schedules[i % schedules.length], utc(2026, 3, 1) + i * 3600, 'Europe/Vienna');
    const ms = Number(process.hrtime.bigint() - start) / 1e6;
    assert.ok(ms < 10, `200 calls took ${ms.toFixed(2)} ms`);
  });
});

describe('proxbox schedule show explains where Proxmox stops', () => {
  async function run(argv: string[]): Promise<{ code: number; out: string; err: string }> {
    let out = '';
    let err = '';
    const io: CliIO = {
      stdout: (t) => { out += t; },
      stderr: (t) => { err += t; },
      stdin: Readable.from(['']),
      env: {},
      stopSignal: new AbortController().signal,
    };
    return { code: await main(argv, io), out, err };
  }

  it('has a proxmoxStops field in --json, null where Proxmox goes on', async () => {
    const r = await run(['schedule', 'show', '01:15', '--tz', 'Europe/Dublin', '--from', String(utc(2026, 3, 26, 12)), '--json']);
    assert.equal(r.code, 0, r.err);
    const json = JSON.parse(r.out);
    assert.equal(json.runs.length, 2);
    assert.deepEqual(json.proxmoxStops, {
      lastRun: utc(2026, 3, 28, 1, 15),
      gapAt: utc(2026, 3, 29, 1),
      zone: 'Europe/Dublin',
      message: `Proxmox will not schedule this job after Sat 2026-03-28 01:15 GMT: ${REASON} Europe/Dublin`,
    });
    const vienna = await run(['schedule', 'show', '02:30', '--tz', 'Europe/Vienna', '--from', String(utc(2026, 3, 26, 12)), '--json']);
    assert.equal(JSON.parse(vienna.out).proxmoxStops, null);
  });

  it('prints the message in the text output', async () => {
    const r = await run(['schedule', 'show', 'sun 2:15', '--tz', 'Africa/Casablanca', '--from', String(utc(2026, 3, 10))]);
    assert.equal(r.code, 0, r.err);
    assert.match(r.out, /It never runs again after the last one\.\nProxmox will not schedule this job after Sun 2026-03-15 02:15 GMT: its calendar engine gives up at the daylight-saving change in Africa\/Casablanca\n$/);
  });
});
