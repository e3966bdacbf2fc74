// The calendar view's kinds and overlaps: the kind filter in the state (persisted, restored), what it hides in the
// grid, the legend, the status line and the overlap list, and how each kind is marked.
import { strict as assert } from 'node:assert';
import { buildCalendar, type CalendarRoutineInput } from '../../src/core/calendar';
import { parseSchedule } from '../../src/core/schedule';
import { dayStart } from '../../src/webview/calendar/dates';
import { monthCells } from '../../src/webview/calendar/layout';
import { restoreCalendarNav } from '../../src/webview/calendar/persist';
import { entryModel, KIND_GLYPHS, kindFilters, legendGroups, overlapItems, runsOnPage } from '../../src/webview/calendar/present';
import type { CalendarData } from '../../src/webview/calendar/protocol';
import { initialCalendarState, reduceCalendar, type CalendarState } from '../../src/webview/calendar/state';

const parse = (text: string) => parseSchedule(text, 'calendar');
const ZONE = 'UTC';
const tank = [{ key: 'storage:pve-a/tank', label: 'storage tank on Site A' }];

function source(routineId: string, scheduleText: string, extra: Partial<CalendarRoutineInput> = {}): CalendarRoutineInput {
  return { endpointId: 'pve-a', endpointName: 'Site A', routineId, label: routineId, scheduleText, timezone: ZONE, enabled: true, status: 'active', ...extra };
}

const data: CalendarData = buildCalendar([
  source('nightly', '02:00', { resources: tank }),
  source('replication:100-0', '02:10', { kind: 'replication', resources: tank }),
  source('gc:store1', 'sun 05:00', { kind: 'gc', endpointId: 'pbs1', endpointName: 'PBS', target: 'datastore store1' }),
  source('setting:dump', '04:00', { kind: 'custom', endpointId: '~custom', endpointName: 'Custom entries', customColor: '#e07000', note: 'pg_dump' }),
], { from: dayStart('2026-10-26', ZONE), to: dayStart('2026-12-07', ZONE), timeZone: ZONE, parse });

function opened(): CalendarState {
  let s = initialCalendarState({ version: 1, view: 'month', anchor: '2026-11-10', endpointId: null, showDisabled: true }, ZONE, data.from);
  s = reduceCalendar(s, { type: 'start' }).state;
  s = reduceCalendar(s, { type: 'contextLoaded', request: s.requests, viewNow: data.from, context: { endpoints: [{ id: 'pve-a', name: 'Site A', syncedAt: 1 }], now: data.from } }).state;
  return reduceCalendar(s, { type: 'runsLoaded', request: s.requests, data }).state;
}

describe('webview calendar: kinds and overlaps', () => {
  it('switches a kind off and on without a request, persists it, and a reload restores it', () => {
    const s = opened();
    const off = reduceCalendar(s, { type: 'showKind', kind: 'replication', show: false });
    assert.deepEqual(off.state.nav.hiddenKinds, ['replication']);
    assert.deepEqual(off.effects.map((e) => e.kind), ['persist', 'focus'], 'no fetch: the data has every kind');
    const saved = off.effects[0].kind === 'persist' ? off.effects[0].state : undefined;
    assert.deepEqual(restoreCalendarNav(saved).hiddenKinds, ['replication']);
    assert.equal(restoreCalendarNav(saved).how, 'saved');
    const on = reduceCalendar(off.state, { type: 'showKind', kind: 'replication', show: true });
    assert.deepEqual(on.state.nav.hiddenKinds, []);
    // A state saved before the kind filter opens with every kind, and is not "repaired".
    assert.equal(restoreCalendarNav({ version: 1, view: 'month', anchor: '2026-11-10', endpointId: null, showDisabled: true }).how, 'saved');
    assert.equal(restoreCalendarNav({ version: 1, view: 'month', anchor: '2026-11-10', endpointId: null, showDisabled: true, hiddenKinds: ['nope'] }).how, 'repaired');
  });

  it('hides a switched-off kind from the grid, the runs count, the legend and the overlap list', () => {
    const s = opened();
    const hidden = reduceCalendar(s, { type: 'showKind', kind: 'replication', show: false }).state;
    const cell = (st: CalendarState) => monthCells(st.nav, data, '2026-11-10').find((c) => c.date === '2026-11-10')!;
    assert.deepEqual(cell(s).entries.map((e) => e.routine), ['pve-a/nightly', 'pve-a/replication:100-0', '~custom/setting:dump']);
    assert.deepEqual(cell(hidden).entries.map((e) => e.routine), ['pve-a/nightly', '~custom/setting:dump']);
    assert.equal(runsOnPage(data, s.nav) - runsOnPage(data, hidden.nav), 30, 'November\'s 30 replication runs');
    assert.deepEqual(legendGroups(data, s.nav).map((g) => g.heading), ['Backup jobs', 'Replications', 'Garbage collection (PBS)', 'Custom entries']);
    assert.deepEqual(legendGroups(data, hidden.nav).map((g) => g.kind), ['backup', 'gc', 'custom']);
    assert.equal(overlapItems(data, s.nav, ZONE).length, 30, 'one overlap a day in November');
    assert.equal(overlapItems(data, hidden.nav, ZONE).length, 0, 'an overlap with a hidden run is not listed');
    assert.deepEqual(kindFilters(data, hidden.nav.hiddenKinds).map((f) => [f.kind, f.shown]), [['backup', true], ['replication', false], ['gc', true], ['custom', true]]);
  });

  it('lists an overlap with both runs, the resource and how far apart, and marks both entries', () => {
    const s = opened();
    const first = overlapItems(data, s.nav, ZONE)[0];
    assert.equal(first.date, '2026-11-01');
    assert.match(first.text, /^Sunday, 1 November 2026: 02:00 ▣ \S+ backup job nightly \(Site A\) and 02:10 ⇄ \S+ replication replication:100-0 \(Site A\) both write to storage tank on Site A, 10 min apart$/);
    const routines = new Map(data.routines.map((r) => [r.key, r]));
    const day = data.days.find((d) => d.date === '2026-11-10')!;
    const models = day.entries.map((e) => entryModel(e, routines.get(e.routine)!, true, ZONE));
    assert.deepEqual(models.map((m) => m.overlap), [true, true, false]);
    assert.ok(models[0].classes.includes('overlap'));
    assert.match(models[0].label, /overlaps another job on the same storage or datastore/);
  });

  it('marks each kind with its glyph and a custom entry with its own colour and note; only backup jobs open a job', () => {
    const routines = new Map(data.routines.map((r) => [r.key, r]));
    const entries = data.days.flatMap((d) => d.entries);
    const model = (key: string) => { const e = entries.find((x) => x.routine === key)!; return entryModel(e, routines.get(key)!, false, ZONE); };
    assert.equal(model('pve-a/nightly').kindGlyph, KIND_GLYPHS.backup);
    assert.equal(model('pbs1/gc:store1').kindGlyph, KIND_GLYPHS.gc);
    assert.match(model('pbs1/gc:store1').label, /^PBS garbage collection gc:store1/);
    assert.match(model('pbs1/gc:store1').title, /Writes to: datastore store1/);
    const dump = model('~custom/setting:dump');
    assert.ok(dump.classes.includes('custom-color') && dump.classes.includes('k-custom'));
    assert.ok(!dump.classes.some((c) => /^c\d+$/.test(c)), 'no palette colour beside its own');
    assert.match(dump.title, /Note: pg_dump/);
    assert.deepEqual([model('pve-a/nightly').opens, dump.opens], [true, false]);
    assert.equal(new Set(Object.values(KIND_GLYPHS)).size, 7, 'every kind has its own glyph');
  });
});
