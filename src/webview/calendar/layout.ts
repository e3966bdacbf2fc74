// Where entries go: the 42 cells of a month grid and the 24-hour columns of a week, with overlapping entries side
// by side in lanes. Pure geometry on the state's data (fractions of a day, not pixels), so it is tested in Node.
import { addDays, dateKeyOf, dayOfMonth, dayStart, sameMonth, visibleDays, type DateKey } from './dates';
import type { CalendarData, CalendarEntry, CalendarKind, CalendarNav, CalendarRoutine } from './protocol';

/** A month cell shows this many entries; the rest are behind "+N more", which opens the week. */
export const MONTH_CELL_ENTRIES = 4;

/** Whether a routine passes the filters: disabled ones when asked for, and only kinds not switched off. */
export function isShown(r: CalendarRoutine | undefined, showDisabled: boolean, hiddenKinds: readonly CalendarKind[] = []): r is CalendarRoutine {
  return !!r && (showDisabled || r.enabled) && !hiddenKinds.includes(r.kind);
}

export function routineIndex(data: CalendarData | null): Map<string, CalendarRoutine> {
  return new Map((data?.routines ?? []).map((r) => [r.key, r]));
}

/** The entries of each day whose routine is shown, by date. */
function shownByDay(data: CalendarData | null, nav: Pick<CalendarNav, 'showDisabled' | 'hiddenKinds'>): Map<DateKey, CalendarEntry[]> {
  const routines = routineIndex(data);
  return new Map((data?.days ?? []).map((d) => [d.date, d.entries.filter((e) => isShown(routines.get(e.routine), nav.showDisabled, nav.hiddenKinds))]));
}

export interface MonthCell {
  date: DateKey;
  day: number;
  /** The day belongs to the previous or next month (the grid shows whole weeks). */
  outside: boolean;
  today: boolean;
  /** At most MONTH_CELL_ENTRIES, in time order. */
  entries: CalendarEntry[];
  /** How many more entries the day has. */
  more: number;
}

export function monthCells(nav: CalendarNav, data: CalendarData | null, today: DateKey): MonthCell[] {
  const byDay = shownByDay(data, nav);
  return visibleDays('month', nav.anchor).map((date) => {
    const all = byDay.get(date) ?? [];
    return {
      date, day: dayOfMonth(date), outside: !sameMonth(date, nav.anchor), today: date === today,
      entries: all.slice(0, MONTH_CELL_ENTRIES), more: Math.max(0, all.length - MONTH_CELL_ENTRIES),
    };
  });
}

export interface PlacedEntry {
  entry: CalendarEntry;
  /** Fractions of the day's column, 0..1. */
  top: number;
  height: number;
  /** The entry's lane and how many lanes its group of overlapping entries needs (its width is 1/lanes). */
  lane: number;
  lanes: number;
  /** Where the entry sits across the column and how wide it is, fractions 0..1: a lane holding only bands is narrow
   * (BAND_LANE_WEIGHT), so a band of hourly runs beside a single run leaves the run room for its name and time. */
  left: number;
  width: number;
}

/** A lane of bands only is this wide next to a lane with runs (1): a band is a bar, its text is in its tooltip. */
export const BAND_LANE_WEIGHT = 0.35;

export interface WeekColumn {
  date: DateKey;
  today: boolean;
  /** Epoch seconds of the day's first instant and its length: 23 or 25 hours on DST days. */
  start: number;
  length: number;
  placed: PlacedEntry[];
  /** Where the current time is, as a fraction of the day, or null when it is not on this day. */
  now: number | null;
}

/** A single run still needs room for one line of text: 1/32 of the day's height (45 minutes). */
const MIN_VISUAL = 1 / 32;

/**
 * Places one day's entries on a column: top and height from the time of day, overlapping entries side by side. Lanes
 * are counted per group of entries that overlap one another, so a lone entry keeps the full width even on a day
 * where other entries need three lanes. An entry never reaches past the day's end.
 */
export function layoutDay(entries: readonly CalendarEntry[], dayStart: number, dayLength: number): PlacedEntry[] {
  const items = entries.map((entry) => {
    const start = entry.kind === 'run' ? entry.at : entry.start;
    const end = entry.kind === 'run' ? entry.at : entry.end;
    let top = Math.min(1, Math.max(0, (start - dayStart) / dayLength));
    const height = Math.max((Math.min(end, dayStart + dayLength) - Math.max(start, dayStart)) / dayLength, MIN_VISUAL);
    if (top + height > 1) top = Math.max(0, 1 - height);
    return { entry, top, height, bottom: top + height };
  }).sort((a, b) => a.top - b.top);

  const out: PlacedEntry[] = [];
  let group: PlacedEntry[] = [];
  let laneEnds: number[] = [];
  let groupEnd = -Infinity;
  const close = () => {
    const weights = laneEnds.map((_, lane) => (group.every((p) => p.lane !== lane || p.entry.kind === 'band') ? BAND_LANE_WEIGHT : 1));
    const total = weights.reduce((a, b) => a + b, 0);
    const offsets = weights.map((_, lane) => weights.slice(0, lane).reduce((a, b) => a + b, 0));
    for (const p of group) {
      p.lanes = laneEnds.length;
      p.left = laneEnds.length === 1 ? 0 : offsets[p.lane] / total;
      p.width = laneEnds.length === 1 ? 1 : weights[p.lane] / total;
    }
    group = [];
    laneEnds = [];
  };
  for (const item of items) {
    if (item.top >= groupEnd) {
      close();
      groupEnd = item.bottom;
    } else {
      groupEnd = Math.max(groupEnd, item.bottom);
    }
    let lane = laneEnds.findIndex((end) => end <= item.top);
    if (lane < 0) lane = laneEnds.push(item.bottom) - 1;
    else laneEnds[lane] = item.bottom;
    const placed = { entry: item.entry, top: item.top, height: item.height, lane, lanes: 1, left: 0, width: 1 };
    group.push(placed);
    out.push(placed);
  }
  close();
  return out;
}

export function weekColumns(nav: CalendarNav, data: CalendarData | null, zone: string, now: number): WeekColumn[] {
  const byDay = shownByDay(data, nav);
  const today = dateKeyOf(now, zone);
  return visibleDays('week', nav.anchor).map((date) => {
    const start = dayStart(date, zone);
    const length = dayStart(addDays(date, 1), zone) - start;
    return {
      date, today: date === today, start, length,
      placed: layoutDay(byDay.get(date) ?? [], start, length),
      now: now >= start && now < start + length ? (now - start) / length : null,
    };
  });
}
