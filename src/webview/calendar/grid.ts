// The month grid as one tab stop (the ARIA grid pattern with a roving tabindex): which day holds the tab stop, and
// where the arrow keys go. Pure, so the keyboard behaviour is tested in Node; view.ts attaches it to the DOM.
import { addDays, mondayOf, sameMonth, type DateKey } from './dates';

/** The element id of a month cell: stable across redraws, so the focus can be found again by it. */
export function dayCellId(date: DateKey): string {
  return `day-${date}`;
}

/** The day that holds the grid's tab stop: the cursor when it is on the page, else today when it is in the month
 * shown, else the month's first day. */
export function tabStopDay(days: readonly DateKey[], anchor: DateKey, cursor: DateKey | null, today: DateKey): DateKey {
  if (cursor !== null && days.includes(cursor)) return cursor;
  if (sameMonth(today, anchor) && days.includes(today)) return today;
  return days.find((d) => sameMonth(d, anchor)) ?? days[0];
}

/** Where a key moves the cursor from a day cell: a day left/right, a week up/down, the week's first/last day with
 * Home/End. Null: the key is not the grid's. The day may be off the page; the view then turns the page. */
export function dayKeyTarget(key: string, date: DateKey): DateKey | null {
  switch (key) {
    case 'ArrowLeft': return addDays(date, -1);
    case 'ArrowRight': return addDays(date, 1);
    case 'ArrowUp': return addDays(date, -7);
    case 'ArrowDown': return addDays(date, 7);
    case 'Home': return mondayOf(date);
    case 'End': return addDays(mondayOf(date), 6);
    default: return null;
  }
}

/** Inside a cell, among its runs (and its "+N more"): Up/Down move between them, Escape goes back to the day, and
 * Left/Right leave for the neighbouring day. `index` is the focused item's position among `count` items. */
export type EntryKeyMove = { to: 'item'; index: number } | { to: 'cell' } | { to: 'day'; key: 'ArrowLeft' | 'ArrowRight' } | null;

export function entryKeyTarget(key: string, index: number, count: number): EntryKeyMove {
  switch (key) {
    case 'ArrowDown': return { to: 'item', index: Math.min(count - 1, index + 1) };
    case 'ArrowUp': return index === 0 ? { to: 'cell' } : { to: 'item', index: index - 1 };
    case 'Home': return { to: 'item', index: 0 };
    case 'End': return { to: 'item', index: count - 1 };
    case 'Escape': return { to: 'cell' };
    case 'ArrowLeft':
    case 'ArrowRight': return { to: 'day', key };
    default: return null;
  }
}
