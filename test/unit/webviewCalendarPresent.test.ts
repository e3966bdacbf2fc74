import { strict as assert } from 'node:assert';
import { buildCalendar, type CalendarRoutineInput } from '../../src/core/calendar';
import { parseSchedule } from '../../src/core/schedule';
import { dayStart } from '../../src/webview/calendar/dates';
import { entryModel, identityClasses, legendItems, statusModel } from '../../src/webview/calendar/present';
import type { CalendarData, CalendarRoutine } from '../../src/webview/calendar/protocol';
import { initialCalendarState, reduceCalendar, type CalendarState } from '../../src/webview/calendar/state';

const parse = (text: string) => parseSchedule(text, 'calendar');
const ZONE = 'Europe/Berlin';
const XSS = '<img src=x onerror=alert(1)>';
const SCHEDULES = ['daily', '02:30', 'mon..fri 01:00', 'sat 03:00', '*/15', 'hourly', '21:00', '8..18:0/10'];

function routine(i: number, extra: Partial<CalendarRoutineInput> = {}): CalendarRoutineInput {
  return {
    endpointId: i % 2 ? 'pve-b' : 'pve-a', endpointName: i % 2 ? 'Site B' : 'Site A', routineId: `backup-${i}`, label: `job ${i}`,
    scheduleText: SCHEDULES[i % SCHEDULES.length], timezone: ZONE, enabled: true, status: 'active', ...extra,
  };
}

function week(routines: CalendarRoutineInput[]): CalendarData {
  return buildCalendar(routines, { from: dayStart('2026-11-23', ZONE), to: dayStart('2026-11-30', ZONE), timeZone: ZONE, parse });
}

/** A calendar state with the given runs on screen. */
function showing(data: CalendarData, nav: Partial<CalendarState['nav']> = {}): CalendarState {
  let s = initialCalendarState({ version: 1, view: 'week', anchor: '2026-11-25', endpointId: null, showDisabled: true, ...nav }, ZONE, data.from);
  s = reduceCalendar(s, { type: 'start' }).state;
  s = reduceCalendar(s, {
    type: 'contextLoaded', request: s.requests, viewNow: data.from,
    context: { endpoints: [{ id: 'pve-a', name: 'Site A', syncedAt: 1 }, { id: 'pve-b', name: 'Site B', syncedAt: null }], now: data.from },
  }).state;
  return reduceCalendar(s, { type: 'runsLoaded', request: s.requests, data }).state;
}

describe('webview calendar: 30 routines stay apart', () => {
  const data = week(Array.from({ length: 30 }, (_, i) => routine(i)));

  it('gives each of 30 routines its own badge and its own colour and pattern', () => {
    assert.equal(data.routines.length, 30);
    assert.equal(new Set(data.routines.map((r) => r.badge)).size, 30);
    assert.equal(new Set(data.routines.map((r) => identityClasses(r).join(' '))).size, 30);
  });

  it('shows in the legend exactly the badge and look each routine\'s entries carry', () => {
    const legend = new Map(legendItems(data, true).map((item) => [item.key, item]));
    assert.equal(legend.size, 30);
    const byKey = new Map(data.routines.map((r) => [r.key, r]));
    let entries = 0;
    for (const day of data.days) {
      for (const e of day.entries) {
        const r = byKey.get(e.routine) as CalendarRoutine;
        const item = legend.get(e.routine);
        assert.ok(item, `${e.routine} has entries but no legend item`);
        for (const compact of [true, false]) {
          const m = entryModel(e, r, compact, ZONE);
          assert.equal(m.badge, item.badge);
          for (const cls of identityClasses(r)) assert.ok(m.classes.includes(cls) && item.classes.includes(cls), `${cls} missing on ${e.routine}`);
        }
        entries++;
      }
    }
    assert.ok(entries > 30 * 3);
  });

  it('lists the legend in badge order: A, B, C, ...', () => {
    assert.deepEqual(legendItems(data, true).slice(0, 4).map((i) => [i.badge, i.endpointId, i.routineId]),
      [['A', 'pve-a', 'backup-0'], ['B', 'pve-a', 'backup-2'], ['C', 'pve-a', 'backup-4'], ['D', 'pve-a', 'backup-6']]);
    assert.equal(legendItems(data, true)[29].badge, 'AD');
  });
});

describe('webview calendar: words', () => {
  it('words a run and a band in the viewer\'s zone, name first where space is short', () => {
    const data = week([routine(0, { scheduleText: '02:30', label: XSS }), routine(1, { scheduleText: '*/15' })]);
    const [run, band] = [data.days[0].entries.find((e) => e.kind === 'run')!, data.days[0].entries.find((e) => e.kind === 'band')!];
    const [a, b] = data.routines;
    const m = entryModel(run, a, true, ZONE);
    assert.equal(m.text, `${XSS} 02:30`, 'Proxmox text goes through as text, unescaped and unchanged; the name first, the time second');
    assert.deepEqual([m.name, m.when, m.cluster], [XSS, '02:30', null]);
    assert.match(m.label, new RegExp(`runs at 02:30 (CET|CEST|GMT\\+[12])$`), 'the label names the zone of its time');
    assert.match(m.title, /^A: .*\nSchedule: 02:30 \(every day at 02:30 \(Europe\/Berlin, node time\)\)\nClick to open the job\.$/,
      'the node is in the zone shown: no second time');
    const local = entryModel(run, a, true, 'America/New_York');
    assert.equal(local.when, '20:30', 'the zone given, not the machine\'s');
    assert.match(local.title, /\nOn the node's clock \(Europe\/Berlin\): 02:30 /, 'shown in another zone, the tooltip gives the node\'s time');
    assert.equal(entryModel(run, a, true, ZONE, { showCluster: true }).text, `${XSS} 02:30 · Site A`, 'with two endpoints in view the cluster is named');
    assert.equal(entryModel(band, b, true, ZONE).text, 'job 1 every 15 min · 96×');
    assert.equal(entryModel(band, b, false, ZONE).text, 'job 1\n00:00–23:45 · every 15 min · 96×');
    assert.deepEqual(entryModel(band, b, true, ZONE).classes, ['entry', `c${b.color}`, `p${b.pattern}`, 'k-backup', 'band', 'planned'], 'no `now`: every entry is planned');
  });

  it('marks disabled, stale and cut-off routines in words, not only in style', () => {
    const data = week([routine(0, { enabled: false }), routine(2, { status: 'stale' })]);
    const [off, gone] = data.routines;
    const e = (r: CalendarRoutine) => data.days.flatMap((d) => d.entries).find((x) => x.routine === r.key)!;
    const mOff = entryModel(e(off), off, true, ZONE);
    assert.match(mOff.text, /⊘ job 0/);
    assert.match(mOff.label, /— disabled, will not run$/);
    assert.ok(mOff.classes.includes('is-disabled'));
    const mGone = entryModel(e(gone), gone, true, ZONE);
    assert.match(mGone.text, /⚠ job 2/);
    assert.ok(mGone.classes.includes('is-stale'));
    assert.deepEqual(legendItems(data, false).map((i) => i.name), ['job 2'], 'hidden disabled jobs leave the legend too');
  });

  it('says what is shown: runs, jobs, zone, filter, hidden and unsynced endpoints', () => {
    const data = week([routine(0), routine(1, { enabled: false })]);
    assert.equal(statusModel(showing(data)).text, `${data.totalRuns} runs of 2 backup job(s) in this week, times in ${ZONE}. Not synced yet: Site B.`);
    const hidden = statusModel(showing(data, { showDisabled: false })).text;
    assert.match(hidden, /^\d+ runs of 1 backup job\(s\) in this week, .* 1 disabled job\(s\) hidden\./);
    assert.match(statusModel(showing(data, { endpointId: 'pve-a' })).text, /Only Site A\.$/);
  });

  it('has something to say in every state, with a retry after every failure', () => {
    const s0 = initialCalendarState(undefined, ZONE, 0);
    assert.deepEqual(statusModel(s0), { text: 'Waiting for the extension…', kind: 'status', retry: false, busy: true });
    let s = reduceCalendar(s0, { type: 'start' }).state;
    s = reduceCalendar(s, { type: 'contextLoaded', request: 1, context: { endpoints: [], now: 0 }, viewNow: 0 }).state;
    assert.match(statusModel(s).text, /^No Proxmox endpoint yet\. Add one/);
    assert.equal(statusModel(s).busy, false, 'no endpoint: nothing to wait for, even though runs were asked for');
  });
});
