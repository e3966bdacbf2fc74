// The parsed form of a Proxmox calendar event and the two list operations its matcher needs, ported from
// proxmox-time's DateTimeValue (contains / find_next), including the unbounded `a/s` step that causes overflow skips.

/** One component of a field list: `v`, `a..b`, `a/s` or `a..b/s` (`*\/s` is Repeated(first, s)). */
export type DateTimeValue =
  | { readonly kind: 'single'; readonly value: number }
  | { readonly kind: 'range'; readonly start: number; readonly end: number }
  | { readonly kind: 'repeated'; readonly start: number; readonly step: number; readonly end?: number };

/** Weekday bits: Monday = bit 0 .. Sunday = bit 6 (proxmox-time's WeekDays). */
export const ALL_WEEKDAYS = 0x7f;

/** An empty list means "any value" (`*`). */
export interface CalendarEvent {
  readonly utc: boolean;
  readonly weekdays: number;
  readonly year: readonly DateTimeValue[];
  readonly month: readonly DateTimeValue[];
  readonly day: readonly DateTimeValue[];
  readonly hour: readonly DateTimeValue[];
  readonly minute: readonly DateTimeValue[];
  readonly second: readonly DateTimeValue[];
  /** The keyword it was written as (daily, weekly, ...), if any: only used for describing it. */
  readonly keyword?: string;
}

export function valueContains(v: DateTimeValue, x: number): boolean {
  switch (v.kind) {
    case 'single':
      return v.value === x;
    case 'range':
      return x >= v.start && x <= v.end;
    case 'repeated':
      if (x < v.start) return false;
      if (v.step > 0) return (x - v.start) % v.step === 0 && (v.end === undefined || x <= v.end);
      return x === v.start;
  }
}

export function listContains(list: readonly DateTimeValue[], x: number): boolean {
  for (const v of list) if (valueContains(v, x)) return true;
  return false;
}

/**
 * The smallest candidate greater than `x`, or null. Deliberately NOT capped at the field's range: an unbounded
 * repetition may return 63 for a minute, and the caller's normalisation carries it into the next hour (Proxmox's
 * overflow skip).
 */
export function findNext(list: readonly DateTimeValue[], x: number): number | null {
  let next: number | null = null;
  const offer = (n: number): void => {
    if (next === null || n < next) next = n;
  };
  for (const v of list) {
    switch (v.kind) {
      case 'single':
        if (v.value > x) offer(v.value);
        break;
      case 'range':
        if (x < v.start) offer(v.start);
        else if (x + 1 >= v.start && x + 1 <= v.end) offer(x + 1);
        break;
      case 'repeated':
        if (x < v.start) offer(v.start);
        else if (v.step > 0) {
          const n = v.start + Math.floor((x - v.start + v.step) / v.step) * v.step;
          if (v.end === undefined || n <= v.end) offer(n);
        }
        break;
    }
  }
  return next;
}
