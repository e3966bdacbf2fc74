// Issue 11, items 4-6 in the calendar: the zone every time is in, Week opening on this week, counts of the month's
// own days, narrow bands, and the month grid's keys. Pure modules, real schedule engine; no DOM.
import { strict as assert } from 'node:assert';
import { play } from '../helpers/calendarReducer';
import { buildCalendar, type CalendarRoutineInput } from '../../src/core/calendar';
import { parseSchedule } from '../../src/core/schedule';
import { visibleDays, visibleRange } from '../../src/webview/calendar/dates';
import { dayCellId, dayKeyTarget, entryKeyTarget, tabStopDay } from '../../src/webview/calendar/grid';
import { BAND_LANE_WEIGHT, layoutDay } from '../../src/webview/calendar/layout';
import { runsOnPage, statusModel, zoneNote } from '../../src/webview/calendar/present';
import type { CalendarContext, CalendarData, CalendarEntry } from '../../src/webview/calendar/protocol';
import { initialCalendarState, type CalendarState } from '../../src/webview/calendar/state';

const LOCAL = 'Europe/Berlin';
const NOW = Date.UTC(2026, 10, 30, 10) / 1000; // Monday 30 Nov 2026
const nightly: CalendarRoutineInput = {
  endpointId: 'pve-a', endpointName: 'Tokyo lab', routineId: 'backup-nightly', label: 'Nightly backup',
  scheduleText: 'mon,wed,fri 03:00', timezone: 'Asia/Tokyo', enabled: true, status: 'active',
};
const context = (extra: Partial<CalendarContext> = {}): CalendarContext => ({
  endpoints: [{ id: 'pve-a', name: 'Tokyo lab', syncedAt: NOW - 60 }], now: NOW, ...extra,
});

function opened(ctx: CalendarContext, saved?: unknown) {
  const started = play(initialCalendarState(saved, LOCAL, NOW), { type: 'start' });
  const f = started.effects[0];
  assert.ok(f.kind === 'fetchContext');
  return play(started.state, { type: 'contextLoaded', request: f.request, context: ctx, viewNow: NOW });
}

function calendarOf(state: CalendarState): CalendarData {
  const { from, to } = visibleRange(state.nav.view, state.nav.anchor, state.zone);
  return buildCalendar([nightly], { from, to, timeZone: state.zone, parse: parseSchedule });
}

describe('webview calendar: which zone the times are in (issue 11, item 4)', () => {
  it('says in the legend\'s words that a schedule is read in the node\'s zone', () => {
    const data = buildCalendar([nightly], { from: NOW, to: NOW + 7 * 86_400, timeZone: LOCAL, parse: parseSchedule });
    assert.match(data.routines[0].description ?? '', /\(Asia\/Tokyo, node time\)$/);
  });

  it('places runs on this computer\'s days by default, and on the node\'s in "node" mode', () => {
    const local = opened(context({ zoneMode: 'local', nodeZone: 'Asia/Tokyo' })).state;
    assert.equal(local.zone, LOCAL);
    assert.match(zoneNote(local), /^Times in Europe\/Berlin \(this computer's time/);
    const localDays = calendarOf(local).days.filter((d) => d.date.startsWith('2026-11')).map((d) => d.date);
    // Mon/Wed/Fri 03:00 in Tokyo is Sun/Tue/Thu 19:00 in Berlin.
    assert.ok(localDays.includes('2026-11-29') && !localDays.includes('2026-11-30'), localDays.join());

    const { state: node, effects } = opened(context({ zoneMode: 'node', nodeZone: 'Asia/Tokyo' }));
    assert.equal(node.zone, 'Asia/Tokyo');
    const fetch = effects.filter((e) => e.kind === 'fetchRuns').pop();
    assert.ok(fetch?.kind === 'fetchRuns' && fetch.params.timeZone === 'Asia/Tokyo', 'the runs are asked for in the node\'s zone');
    assert.match(zoneNote(node), /^Times in Asia\/Tokyo \(node time/);
    const nodeDays = calendarOf(node).days.filter((d) => d.date.startsWith('2026-11')).map((d) => d.date);
    assert.ok(nodeDays.includes('2026-11-30') && !nodeDays.includes('2026-11-29'), nodeDays.join());
  });

  it('"node" mode with jobs in more than one zone (no one node zone) shows this computer\'s time and says why', () => {
    const { state } = opened(context({ zoneMode: 'node', nodeZone: null }));
    assert.equal(state.zone, LOCAL);
    assert.match(zoneNote(state), /^Times in Europe\/Berlin: this computer's time, because the jobs' nodes are not all in one known zone/);
  });

  it('drops the runs on screen when a changed setting moves the calendar to another zone', () => {
    let { state } = opened(context({ zoneMode: 'local', nodeZone: 'Asia/Tokyo' }));
    const f = state.runs.request;
    state = play(state, { type: 'runsLoaded', request: f, data: calendarOf(state) }).state;
    const next = play(state, { type: 'push', message: { type: 'inventoryChanged', reason: 'setting', context: context({ zoneMode: 'node', nodeZone: 'Asia/Tokyo' }) }, viewNow: NOW });
    assert.equal(next.state.zone, 'Asia/Tokyo');
    assert.equal(next.state.runs.value, null, 'Berlin days must not show as Tokyo days while the new runs load');
  });
});

describe('webview calendar: readable pages (issue 11, item 6)', () => {
  it('opens Week on the week of today when the month shown has today, else on the month\'s first week', () => {
    let { state } = opened(context(), { view: 'month', anchor: '2026-11-01', endpointId: null, showDisabled: true });
    assert.equal(visibleDays('week', state.nav.anchor)[0], '2026-10-26', 'the month\'s anchor alone would open Oct 26');
    const week = play(state, { type: 'setView', view: 'week', viewNow: NOW });
    assert.deepEqual([week.state.nav.view, visibleDays('week', week.state.nav.anchor)[0]], ['week', '2026-11-30']);
    assert.ok(week.effects.some((e) => e.kind === 'focus' && e.id === 'view-week'));
    state = play(state, { type: 'step', direction: 1 }).state; // December: today is not in it
    const december = play(state, { type: 'setView', view: 'week', viewNow: NOW }).state;
    assert.equal(december.nav.anchor, '2026-12-01');
  });

  it('counts the runs of the month\'s own days, not of the six-week grid', () => {
    const { state } = opened(context());
    const data = calendarOf(state);
    const loaded = play(state, { type: 'runsLoaded', request: state.runs.request, data }).state;
    const inMonth = data.days.filter((d) => d.date.startsWith('2026-11')).reduce((n, d) => n + d.entries.length, 0);
    assert.ok(data.totalRuns > inMonth, 'the grid has runs of October and December too');
    assert.equal(runsOnPage(data, loaded.nav), inMonth);
    assert.match(statusModel(loaded).text, new RegExp(`^${inMonth} runs of 1 backup job\\(s\\) in this month`));
  });

  it('keeps a band narrow beside a run, so the run keeps room for its name and time', () => {
    const day = Date.UTC(2026, 10, 30) / 1000;
    const band: CalendarEntry = { kind: 'band', routine: 'a/hourly', start: day, end: day + 23 * 3600, count: 24, every: 3600 };
    const run: CalendarEntry = { kind: 'run', routine: 'a/nightly', at: day + 15 * 3600 };
    const [b, r] = layoutDay([band, run], day, 86_400);
    assert.deepEqual([b.lanes, r.lanes], [2, 2]);
    assert.ok(Math.abs(b.width - BAND_LANE_WEIGHT / (1 + BAND_LANE_WEIGHT)) < 1e-9 && r.width > 0.7, `band ${b.width}, run ${r.width}`);
    assert.ok(Math.abs(r.left - b.width) < 1e-9, 'the run starts where the band ends');
    const [alone] = layoutDay([run], day, 86_400);
    assert.deepEqual([alone.left, alone.width], [0, 1]);
  });
});

describe('webview calendar: the month grid\'s keys (issue 11, item 5)', () => {
  const days = visibleDays('month', '2026-11-01');

  it('has one tab stop: the cursor, else today in its month, else the month\'s first day', () => {
    assert.equal(tabStopDay(days, '2026-11-01', null, '2026-11-30'), '2026-11-30');
    assert.equal(tabStopDay(days, '2026-11-01', '2026-11-12', '2026-11-30'), '2026-11-12');
    assert.equal(tabStopDay(days, '2026-11-01', '2027-01-05', '2026-12-02'), '2026-11-01', 'a cursor off the page and today in another month');
    assert.equal(dayCellId('2026-11-12'), 'day-2026-11-12');
  });

  it('moves a day with Left/Right, a week with Up/Down, to the week\'s ends with Home/End', () => {
    assert.equal(dayKeyTarget('ArrowRight', '2026-11-30'), '2026-12-01');
    assert.equal(dayKeyTarget('ArrowLeft', '2026-11-01'), '2026-10-31');
    assert.equal(dayKeyTarget('ArrowUp', '2026-11-04'), '2026-10-28');
    assert.equal(dayKeyTarget('ArrowDown', '2026-11-25'), '2026-12-02');
    assert.equal(dayKeyTarget('Home', '2026-11-26'), '2026-11-23');
    assert.equal(dayKeyTarget('End', '2026-11-26'), '2026-11-29');
    assert.equal(dayKeyTarget('a', '2026-11-26'), null);
  });

  it('moves among a day\'s runs and back out to the day', () => {
    assert.deepEqual(entryKeyTarget('ArrowDown', 0, 3), { to: 'item', index: 1 });
    assert.deepEqual(entryKeyTarget('ArrowDown', 2, 3), { to: 'item', index: 2 });
    assert.deepEqual(entryKeyTarget('ArrowUp', 0, 3), { to: 'cell' });
    assert.deepEqual(entryKeyTarget('Escape', 1, 3), { to: 'cell' });
    assert.deepEqual(entryKeyTarget('ArrowRight', 1, 3), { to: 'day', key: 'ArrowRight' });
    assert.equal(entryKeyTarget('Enter', 1, 3), null, 'Enter is the button\'s own: it opens the run');
  });

  it('turns the page when the cursor leaves the month, and keeps the cursor on the new page', () => {
    const { state } = opened(context());
    const next = play(state, { type: 'navigate', change: { anchor: '2026-12-01' }, focus: 'day-2026-12-01' });
    assert.equal(next.state.cursor, '2026-12-01');
    assert.ok(next.effects.some((e) => e.kind === 'focus' && e.id === 'day-2026-12-01'));
    const moved = play(state, { type: 'cursor', date: '2026-11-12', focus: 'day-2026-11-12' });
    assert.equal(moved.state.cursor, '2026-11-12');
    assert.deepEqual(moved.effects, [{ kind: 'focus', id: 'day-2026-11-12' }], 'moving inside the page asks for nothing');
  });
});
