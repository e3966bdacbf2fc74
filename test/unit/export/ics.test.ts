// `proxbox calendar --format ics` read back by a real iCalendar parser (ical.js) and checked run by run against
// `proxbox calendar --format json` of the same store, range and instant.
import { strict as assert } from 'node:assert';
import ICAL from 'ical.js';
import { main } from '../../../src/cli/main';
import type { CalendarData } from '../../../src/core/calendar';
import { foldLine, icsRange, icsText } from '../../../src/core/export/ics';
import { captureIo } from '../../helpers/cliIo';
import { exportFixture, HOSTILE_LABEL, type ExportFixture } from './fixture';

interface ParsedEvent { uid: string; start: number; end: number | null; summary: string; description: string; stamp: number }

function parseIcs(text: string): ParsedEvent[] {
  const cal = new ICAL.Component(ICAL.parse(text));
  assert.equal(cal.name, 'vcalendar');
  assert.equal(cal.getFirstPropertyValue('version'), '2.0');
  assert.ok(String(cal.getFirstPropertyValue('prodid')).length > 0);
  return cal.getAllSubcomponents('vevent').map((v) => {
    const ev = new ICAL.Event(v);
    const dtstart = v.getFirstProperty('dtstart')!;
    assert.equal((dtstart.getFirstValue() as ICAL.Time).zone?.tzid, 'UTC', 'DTSTART is in UTC');
    const end = v.getFirstPropertyValue('dtend') as ICAL.Time | null;
    return {
      uid: ev.uid, start: ev.startDate.toUnixTime(), end: end ? end.toUnixTime() : null, summary: ev.summary, description: ev.description,
      stamp: (v.getFirstPropertyValue('dtstamp') as ICAL.Time).toUnixTime(),
    };
  });
}

describe('export: proxbox calendar --format ics', function () {
  this.timeout(60_000);
  let f: ExportFixture;
  let from: number;
  let to: number;
  before(async () => {
    f = await exportFixture();
    from = f.now - 6 * 86_400;
    to = f.now + 6 * 86_400;
  });
  after(async () => f.close());

  async function run(args: string[]): Promise<string> {
    const io = captureIo({});
    const code = await main(['calendar', '--store', f.store, '--zone', 'Europe/Vienna', ...args], io);
    assert.equal(code, 0, io.err);
    return io.out;
  }

  it('has one VEVENT per run and per band, each with its instant, span and a unique UID', async () => {
    const range = ['--from', String(from), '--to', String(to), '--now', String(f.now)];
    // The export computes whole local days (a band is formed over its whole day) and keeps the runs in the range and
    // the bands that reach into it: the calendar data of those whole days, so filtered, is what it must hold.
    const wide = icsRange(from, to, 'Europe/Vienna');
    assert.ok(wide.from < from && wide.to > to, 'the range starts and ends inside a day');
    const data = JSON.parse(await run(['--from', String(wide.from), '--to', String(wide.to), '--now', String(f.now), '--format', 'json'])) as CalendarData;
    const text = await run(range);
    const events = parseIcs(text);
    const inRange = (e: CalendarData['days'][number]['entries'][number]): boolean =>
      (e.kind === 'run' ? e.at >= from && e.at < to : e.end >= from && e.start < to);
    const all = data.days.flatMap((d) => d.entries).filter(inRange);
    const routines = new Map(data.routines.map((r) => [r.key, r]));
    // Jobs that will not run (disabled, stale) are not exported.
    const runs = (key: string): boolean => routines.get(key)!.enabled && routines.get(key)!.status === 'active';
    assert.ok(all.some((e) => !runs(e.routine)), 'the store has a disabled or stale job to leave out');
    const entries = all.filter((e) => runs(e.routine));
    assert.ok(entries.some((e) => e.kind === 'band'), 'the every-30-minutes job forms bands');
    assert.ok(entries.some((e) => e.kind === 'run'), 'the daily jobs are single runs');
    assert.ok(entries.some((e) => e.kind === 'run' && e.outcome === 'failed'), 'past runs carry the outcomes health recorded');
    assert.equal(events.length, entries.length);
    assert.equal(new Set(events.map((e) => e.uid)).size, events.length, 'UIDs are unique');
    entries.forEach((e, i) => {
      const ev = events[i];
      const r = routines.get(e.routine)!;
      assert.ok(ev.description.includes(r.routineId) && ev.description.includes(r.endpointId), ev.description);
      assert.equal(ev.stamp, f.now);
      if (e.kind === 'run') {
        assert.equal(ev.start, e.at);
        assert.equal(ev.end, null);
        if (e.outcome) assert.match(ev.description, new RegExp(`Outcome: ${e.outcome}`));
        else assert.doesNotMatch(ev.description, /Outcome:/);
      } else {
        assert.equal(ev.start, e.start);
        assert.equal(ev.end, e.end, 'a band is one event spanning its runs');
        assert.match(ev.description, new RegExp(`Runs: ${e.count}\\b`));
      }
    });
  });

  it('keeps UIDs stable across exports, so a re-import updates instead of duplicating', async () => {
    const a = parseIcs(await run(['--from', String(from), '--to', String(to), '--now', String(f.now)]));
    // Another instant (another DTSTAMP) and a range that starts later: the shared runs keep their UIDs.
    const later = parseIcs(await run(['--from', String(from + 2 * 86_400), '--to', String(to), '--now', String(f.now + 60)]));
    const byUid = new Map(a.map((e) => [e.uid, e]));
    const shared = later.filter((e) => e.start >= from + 3 * 86_400);
    assert.ok(shared.length > 10);
    for (const e of shared) assert.equal(byUid.get(e.uid)?.start, e.start, `UID ${e.uid} names the same run in both exports`);
    assert.ok(later.every((e) => e.stamp === f.now + 60));
  });

  it('names a band by its day, so a range that starts inside it re-imports it as the same event', async () => {
    const bands = (events: ParsedEvent[]) => events.filter((e) => e.end !== null);
    const whole = new Map(bands(parseIcs(await run(['--from', String(from), '--to', String(to), '--now', String(f.now)]))).map((e) => [e.uid, e]));
    // A range that starts an hour into a whole day's band of the every-30-minutes job: the band is the same event,
    // formed over its whole day, not a shorter one starting at the range.
    const fullDay = [...whole.values()].find((e) => e.uid.includes('backup-dense') && e.end! - e.start > 20 * 3600);
    assert.ok(fullDay, 'the every-30-minutes job has a whole day\'s band');
    const cut = bands(parseIcs(await run(['--from', String(fullDay.start + 3600), '--to', String(to), '--now', String(f.now)])));
    assert.ok(cut.length > 5);
    assert.ok(cut.some((e) => e.uid === fullDay.uid), 'the band the range starts inside is exported');
    for (const e of cut) {
      assert.ok(whole.has(e.uid), `band ${e.uid} (${new Date(e.start * 1000).toISOString()}) is a new event`);
      assert.deepEqual([e.start, e.end], [whole.get(e.uid)!.start, whole.get(e.uid)!.end], `band ${e.uid} keeps its span`);
    }
  });

  it('escapes a hostile job comment and folds lines at 75 octets with CRLF', async () => {
    const text = await run(['--from', String(from), '--to', String(to), '--now', String(f.now)]);
    const dense = parseIcs(text).filter((e) => e.description.includes('backup-dense'));
    assert.ok(dense.length > 0);
    for (const e of dense) assert.ok(e.summary.startsWith(`${HOSTILE_LABEL} (backup job`), e.summary);
    assert.ok(text.endsWith('\r\n'));
    assert.ok(!/[^\r]\n/.test(text), 'every line ends in CRLF');
    for (const line of text.split('\r\n')) assert.ok(Buffer.byteLength(line, 'utf8') <= 75, `line over 75 octets: ${line}`);
  });

  it('folds without splitting a UTF-8 character and escapes TEXT per RFC 5545', () => {
    const long = `SUMMARY:${'ä'.repeat(60)}€`;
    const folded = foldLine(long);
    for (const l of folded.split('\r\n')) assert.ok(Buffer.byteLength(l, 'utf8') <= 75);
    assert.equal(folded.split('\r\n').map((l, i) => (i === 0 ? l : l.slice(1))).join(''), long);
    assert.equal(icsText('a,b;c\\d\ne'), 'a\\,b\\;c\\\\d\\ne');
  });

  it('refuses a range over 63 days, a bad time and a missing store with exit 2 and the next step', async () => {
    let io = captureIo({});
    assert.equal(await main(['calendar', '--store', f.store, '--from', '2026-01-01', '--to', '2026-04-01'], io), 2);
    assert.match(io.err, /at most 63 days/);
    io = captureIo({});
    assert.equal(await main(['calendar', '--store', f.store, '--from', 'yesterday', '--to', '2026-04-01'], io), 2);
    assert.match(io.err, /--from: invalid time 'yesterday'/);
    io = captureIo({});
    assert.equal(await main(['calendar', '--store', `${f.store}/nope`, '--from', '2026-01-01', '--to', '2026-01-10'], io), 2);
    assert.match(io.err, /proxbox sync --store/);
    io = captureIo({});
    assert.equal(await main(['calendar', '--store', f.store, '--from', '2026-01-01', '--to', '2026-01-10', '--format', 'xml'], io), 2);
    assert.match(io.err, /--format must be ics or json/);
  });

  // Last in this file: it adds a job to the fixture's cluster (and takes it away again).
  it('numbers a day\'s bands over the whole day: a range starting between two bands keeps the second band\'s UID', async () => {
    const c = f.sim.cluster;
    c.jobs.push({ id: 'backup-twice', type: 'vzdump', schedule: '0..5,12..17:0/30', enabled: 1, storage: 'local', vmid: String(c.guests[0].vmid), comment: 'twice a day' });
    try {
      await f.sync();
      const twice = (events: ParsedEvent[]) => events.filter((e) => e.end !== null && e.uid.includes('backup-twice'));
      const whole = twice(parseIcs(await run(['--from', String(from), '--to', String(to), '--now', String(f.now)])));
      const dayOf = (uid: string) => /^band-(\d{4}-\d{2}-\d{2})-/.exec(uid)![1];
      // A day with both bands: the range starts an hour after the first one ends, between the two.
      const day = whole.map((e) => dayOf(e.uid)).find((d, i, all) => all.indexOf(d) !== i);
      assert.ok(day, `no day with two bands: ${whole.map((e) => e.uid).join(' ')}`);
      const [early, late] = whole.filter((e) => dayOf(e.uid) === day).sort((a, b) => a.start - b.start);
      assert.ok(early.uid.includes(`band-${day}-1.`) && late.uid.includes(`band-${day}-2.`), `${early.uid} ${late.uid}`);
      const cut = twice(parseIcs(await run(['--from', String(early.end! + 3600), '--to', String(to), '--now', String(f.now)])));
      assert.ok(!cut.some((e) => e.uid === early.uid), 'the band that ended before the range is not exported');
      const again = cut.find((e) => e.uid === late.uid);
      assert.ok(again, `the later band kept its UID ${late.uid}; the cut export has ${cut.map((e) => e.uid).join(' ')}`);
      assert.deepEqual([again.start, again.end], [late.start, late.end], 'the same band, the same span');
      const byUid = new Map(whole.map((e) => [e.uid, e]));
      for (const e of cut) assert.deepEqual([byUid.get(e.uid)?.start, byUid.get(e.uid)?.end], [e.start, e.end], `band ${e.uid} is the same event in both`);
      // A single run before the range is left out; the whole-day computation does not leak it in.
      const runsBefore = parseIcs(await run(['--from', String(early.end! + 3600), '--to', String(to), '--now', String(f.now)]))
        .filter((e) => e.end === null && e.start < early.end! + 3600);
      assert.deepEqual(runsBefore.map((e) => e.uid), []);
    } finally {
      c.jobs.pop();
      await f.sync();
    }
  });
});
