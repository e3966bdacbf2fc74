// Local days of the calendar, as plain date keys (YYYY-MM-DD) and explicit zones: no Date arithmetic in the zone the
// code happens to run in, so the same answers come out in the webview and in the unit tests. Day arithmetic is on
// civil dates; where a local day starts is the schedule engine's zone clock (src/core/schedule), not a second copy.
import { civilFromSeconds, daysFromCivil, pad2 } from '../../core/schedule/civil';
import { epochFromWallTime, zoneOffsetAt } from '../../core/schedule/timeZone';
import type { CalendarViewMode } from './protocol';

/** A local date, YYYY-MM-DD. */
export type DateKey = string;

export interface CivilDate {
  year: number;
  month: number;
  day: number;
}

const DAY = 86_400;

/** Reads a date key; null for anything that is not a real date (2026-02-30, 2026-1-5, '', a number). */
export function parseDateKey(key: unknown): CivilDate | null {
  if (typeof key !== 'string') return null;
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(key);
  if (!m) return null;
  const date = { year: Number(m[1]), month: Number(m[2]), day: Number(m[3]) };
  return keyOfDayNumber(dayNumber(date)) === key ? date : null;
}

function civilOf(key: DateKey): CivilDate {
  const date = parseDateKey(key);
  if (!date) throw new RangeError(`'${key}' is not a date (YYYY-MM-DD)`);
  return date;
}

function dayNumber(d: CivilDate): number {
  return daysFromCivil(d.year, d.month, d.day);
}

function keyOfDayNumber(n: number): DateKey {
  const w = civilFromSeconds(n * DAY);
  return `${String(w.year).padStart(4, '0')}-${pad2(w.month)}-${pad2(w.day)}`;
}

export function addDays(key: DateKey, n: number): DateKey {
  return keyOfDayNumber(dayNumber(civilOf(key)) + n);
}

/** 0 = Monday .. 6 = Sunday: weeks start on Monday, as in ISO 8601 and most of the world's calendars. */
export function weekdayIndex(key: DateKey): number {
  return (civilFromSeconds(dayNumber(civilOf(key)) * DAY).weekday + 6) % 7;
}

export function mondayOf(key: DateKey): DateKey {
  return addDays(key, -weekdayIndex(key));
}

/** The first day of the month `n` months after the one `key` is in. */
export function addMonths(key: DateKey, n: number): DateKey {
  const d = civilOf(key);
  return keyOfDayNumber(daysFromCivil(d.year, d.month + n, 1));
}

export function sameMonth(a: DateKey, b: DateKey): boolean {
  return a.slice(0, 7) === b.slice(0, 7);
}

export function dayOfMonth(key: DateKey): number {
  return civilOf(key).day;
}

/** The local date of an instant in a zone. */
export function dateKeyOf(epochSeconds: number, zone: string): DateKey {
  const w = civilFromSeconds(Math.floor(epochSeconds) + zoneOffsetAt(epochSeconds, zone));
  return `${String(w.year).padStart(4, '0')}-${pad2(w.month)}-${pad2(w.day)}`;
}

/** The first instant of a local day: its midnight, or the end of the gap where a zone skips midnight (DST). */
export function dayStart(key: DateKey, zone: string): number {
  const d = civilOf(key);
  return epochFromWallTime(zone, d.year, d.month, d.day);
}

/** The visible days: six whole weeks (Monday first) around the anchor's month, or the anchor's week. */
export function visibleDays(view: CalendarViewMode, anchor: DateKey): DateKey[] {
  const start = view === 'month' ? mondayOf(addMonths(anchor, 0)) : mondayOf(anchor);
  return Array.from({ length: view === 'month' ? 42 : 7 }, (_, i) => addDays(start, i));
}

/** The instants the visible days cover, [from, to): what the view asks the extension for. */
export function visibleRange(view: CalendarViewMode, anchor: DateKey, zone: string): { from: number; to: number } {
  const days = visibleDays(view, anchor);
  return { from: dayStart(days[0], zone), to: dayStart(addDays(days[days.length - 1], 1), zone) };
}

/** The anchor one page earlier or later: the first of the month before/after, or the same weekday a week away. */
export function stepAnchor(view: CalendarViewMode, anchor: DateKey, direction: -1 | 1): DateKey {
  return view === 'month' ? addMonths(anchor, direction) : addDays(anchor, 7 * direction);
}

// Labels of civil dates. The zone is UTC on purpose: the date is already local, so it must not shift again. English
// (en-GB) wording, like every other date Proxbox writes (src/core/text/time.ts).
const labelFormats = {
  month: new Intl.DateTimeFormat('en-GB', { timeZone: 'UTC', month: 'long', year: 'numeric' }),
  day: new Intl.DateTimeFormat('en-GB', { timeZone: 'UTC', weekday: 'long', day: 'numeric', month: 'long', year: 'numeric' }),
  short: new Intl.DateTimeFormat('en-GB', { timeZone: 'UTC', day: 'numeric', month: 'short' }),
  weekday: new Intl.DateTimeFormat('en-GB', { timeZone: 'UTC', weekday: 'short' }),
};

function asUtcDate(key: DateKey): Date {
  return new Date(dayNumber(civilOf(key)) * DAY * 1000);
}

/** "November 2026". */
export function monthLabel(key: DateKey): string {
  return labelFormats.month.format(asUtcDate(key));
}

/** "Monday, 23 November 2026". */
export function dayLabel(key: DateKey): string {
  return labelFormats.day.format(asUtcDate(key));
}

/** "Mon". */
export function weekdayLabel(key: DateKey): string {
  return labelFormats.weekday.format(asUtcDate(key));
}

/** "Mon" .. "Sun". */
export const WEEKDAY_LABELS: readonly string[] = Array.from({ length: 7 }, (_, i) => weekdayLabel(addDays('2024-01-01', i))); // a Monday

/** "23 Nov – 29 Nov 2026". */
export function weekLabel(days: readonly DateKey[]): string {
  const first = days[0];
  const last = days[days.length - 1];
  return `${labelFormats.short.format(asUtcDate(first))} – ${labelFormats.short.format(asUtcDate(last))} ${civilOf(last).year}`;
}

/** The title of the visible page: the month, or the week's first and last day. */
export function pageLabel(view: CalendarViewMode, anchor: DateKey): string {
  return view === 'month' ? monthLabel(anchor) : weekLabel(visibleDays('week', anchor));
}
