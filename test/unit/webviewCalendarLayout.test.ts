import { strict as assert } from 'node:assert';
import { buildCalendar, type CalendarRoutineInput } from '../../src/core/calendar';
import { parseSchedule } from '../../src/core/schedule';
import { dayStart } from '../../src/webview/calendar/dates';
import { layoutDay, monthCells, MONTH_CELL_ENTRIES, weekColumns, type PlacedEntry } from '../../src/webview/calendar/layout';
import type { CalendarData, CalendarEntry, CalendarNav } from '../../src/webview/calendar/protocol';

const parse = (text: string) => parseSchedule(text, 'calendar');
const H = 3600;
const DAY0 = Date.UTC(2026, 10, 23) / 1000; // Monday 23 Nov 2026, 00:00 UTC

function run(at: number, routine = 'ep/r'): CalendarEntry {
  return { kind: 'run', routine, at };
}

function band(start: number, end: number, routine = 'ep/b'): CalendarEntry {
  return { kind: 'band', routine, start, end, count: 10, every: null };
}

function routine(routineId: string, scheduleText: string, extra: Partial<CalendarRoutineInput> = {}): CalendarRoutineInput {
  return { endpointId: 'pve1', endpointName: 'Lab', routineId, label: routineId, scheduleText, timezone: 'Europe/Berlin', enabled: true, status: 'active', ...extra };
}

function nav(extra: Partial<CalendarNav> = {}): CalendarNav {
  return { view: 'month', anchor: '2026-11-10', endpointId: null, showDisabled: true, hiddenKinds: [], ...extra };
}

function monthData(routines: CalendarRoutineInput[], zone = 'Europe/Berlin'): CalendarData {
  return buildCalendar(routines, { from: dayStart('2026-10-26', zone), to: dayStart('2026-12-07', zone), timeZone: zone, parse });
}

const overlaps = (a: PlacedEntry, b: PlacedEntry) => a.top < b.top + b.height && b.top < a.top + a.height;

describe('webview calendar: week lanes', () => {
  it('places entries by time of day, with room for one line of text', () => {
    const [a, b] = layoutDay([run(DAY0 + 6 * H), band(DAY0 + 12 * H, DAY0 + 18 * H)], DAY0, 24 * H);
    assert.deepEqual([a.top, a.height, a.lane, a.lanes], [0.25, 1 / 32, 0, 1]);
    assert.deepEqual([b.top, b.height, b.lane, b.lanes], [0.5, 0.25, 0, 1]);
  });

  it('puts overlapping entries side by side, and only those', () => {
    const placed = layoutDay([
      band(DAY0 + 1 * H, DAY0 + 5 * H, 'ep/a'), run(DAY0 + 2 * H, 'ep/b'), run(DAY0 + 2 * H, 'ep/c'),
      run(DAY0 + 12 * H, 'ep/d'), // alone at noon: full width, even though the night needed three lanes
    ], DAY0, 24 * H);
    assert.deepEqual(placed.map((p) => [p.entry.routine, p.lane, p.lanes]), [['ep/a', 0, 3], ['ep/b', 1, 3], ['ep/c', 2, 3], ['ep/d', 0, 1]]);
    for (const p of placed) for (const q of placed) {
      if (p !== q && p.lane === q.lane) assert.ok(!overlaps(p, q), `${p.entry.routine} and ${q.entry.routine} overlap in lane ${p.lane}`);
    }
  });

  it('reuses a lane once its entry has ended', () => {
    const placed = layoutDay([band(DAY0, DAY0 + 6 * H, 'ep/a'), run(DAY0 + 1 * H, 'ep/b'), run(DAY0 + 3 * H, 'ep/c')], DAY0, 24 * H);
    assert.deepEqual(placed.map((p) => [p.lane, p.lanes]), [[0, 2], [1, 2], [1, 2]]);
  });

  it('keeps an entry late in the day inside the column', () => {
    const [late] = layoutDay([run(DAY0 + 23 * H + 50 * 60)], DAY0, 24 * H);
    assert.ok(late.top + late.height <= 1 + 1e-12);
    assert.ok(late.top > 0.95);
    const [longBand] = layoutDay([band(DAY0 - 2 * H, DAY0 + 30 * H)], DAY0, 24 * H);
    assert.deepEqual([longBand.top, longBand.height], [0, 1]);
  });

  it('gives each column of a DST week its own length, and the current time on today only', () => {
    const data = buildCalendar([routine('nightly', '02:30')], {
      from: dayStart('2026-03-23', 'Europe/Berlin'), to: dayStart('2026-03-30', 'Europe/Berlin'), timeZone: 'Europe/Berlin', parse,
    });
    const now = Date.UTC(2026, 2, 25, 11) / 1000; // Wednesday 12:00 in Berlin
    const columns = weekColumns(nav({ view: 'week', anchor: '2026-03-25' }), data, 'Europe/Berlin', now);
    assert.deepEqual(columns.map((c) => c.length / H), [24, 24, 24, 24, 24, 24, 23]);
    assert.deepEqual(columns.map((c) => c.today), [false, false, true, false, false, false, false]);
    assert.equal(columns[2].now, 0.5);
    assert.ok(columns.every((c, i) => i === 2 || c.now === null));
    // 02:30 local: 2.5/24 down each column. On Sunday 02:30 does not exist in Berlin, and the schedule engine, like
    // Proxmox, has no run that day: an empty column, not a run drawn at a made-up time.
    for (const c of columns.slice(0, 6)) assert.ok(Math.abs(c.placed[0].top - 2.5 / 24) < 1e-9, c.date);
    assert.deepEqual(columns[6].placed, []);
  });
});

describe('webview calendar: month cells', () => {
  it('lays out six weeks with the month\'s own days marked, today marked, and at most four entries a cell', () => {
    const data = monthData([
      routine('every-hour', 'hourly', { label: 'hourly' }), routine('a', '01:00'), routine('b', '02:00'), routine('c', '03:00'), routine('d', '04:00'),
      routine('e', '05:00'),
    ]);
    const cells = monthCells(nav(), data, '2026-11-23');
    assert.equal(cells.length, 42);
    assert.deepEqual(cells.filter((c) => !c.outside).map((c) => c.day), Array.from({ length: 30 }, (_, i) => i + 1));
    assert.deepEqual(cells.filter((c) => c.today).map((c) => c.date), ['2026-11-23']);
    const cell = cells.find((c) => c.date === '2026-11-10')!;
    assert.equal(cell.entries.length, MONTH_CELL_ENTRIES);
    assert.equal(cell.more, 6 - MONTH_CELL_ENTRIES, 'six entries a day (one band and five runs)');
  });

  it('leaves out disabled jobs when asked, and counts only what is shown', () => {
    const data = monthData([routine('on', '01:00'), routine('off', '02:00', { enabled: false })]);
    const all = monthCells(nav(), data, '2026-11-23').find((c) => c.date === '2026-11-10')!;
    const enabled = monthCells(nav({ showDisabled: false }), data, '2026-11-23').find((c) => c.date === '2026-11-10')!;
    assert.deepEqual(all.entries.map((e) => e.routine), ['pve1/on', 'pve1/off']);
    assert.deepEqual(enabled.entries.map((e) => e.routine), ['pve1/on']);
  });

  it('shows empty cells while nothing is loaded', () => {
    const cells = monthCells(nav(), null, '2026-11-23');
    assert.equal(cells.length, 42);
    assert.ok(cells.every((c) => c.entries.length === 0 && c.more === 0));
  });
});
