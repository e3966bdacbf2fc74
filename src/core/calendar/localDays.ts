// Which local day an instant falls on, in the viewer's zone. The calendar asks this once per run (tens of thousands
// per month view), so it is answered from cached day intervals instead of one Intl call per run.

/** Maps an instant to its local date (YYYY-MM-DD) in a zone. Every zone offset in use is a multiple of 15 minutes,
 * so a local date never changes inside an aligned 15-minute block; the keyer finds each day's first and last block
 * by binary search and then answers from that interval, so a day costs about 15 Intl calls instead of one per run. */
export function localDateKeyer(timeZone: string): (epochSeconds: number) => string {
  const dayOf = localDayFinder(timeZone);
  return (t) => dayOf(t).key;
}

/** The local day an instant falls on: its date and its bounds in epoch seconds, [start, end). */
export interface LocalDay {
  key: string;
  start: number;
  end: number;
}

/** Like localDateKeyer, with the day's bounds: an export that must cover whole local days widens its range with it. */
export function localDayFinder(timeZone: string): (epochSeconds: number) => LocalDay {
  const format = new Intl.DateTimeFormat('en-US', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' });
  const blockKeys = new Map<number, string>();
  const keyOfBlock = (block: number): string => {
    let key = blockKeys.get(block);
    if (key === undefined) {
      const parts = format.formatToParts(new Date(block * 900_000));
      const part = (type: string) => parts.find((p) => p.type === type)?.value ?? '';
      key = `${part('year')}-${part('month')}-${part('day')}`;
      blockKeys.set(block, key);
    }
    return key;
  };
  // A local day lasts at most 26 hours (104 blocks), so these bounds always lie on other days.
  const SPAN = 104;
  const days: { first: number; end: number; day: LocalDay }[] = [];
  let last: { first: number; end: number; day: LocalDay } | undefined;
  return (t) => {
    const block = Math.floor(t / 900);
    if (last && block >= last.first && block < last.end) return last.day;
    const known = days.find((d) => block >= d.first && block < d.end);
    if (known) {
      last = known;
      return known.day;
    }
    const key = keyOfBlock(block);
    let lo = block - SPAN;
    let hi = block; // first block of the day: keys before it differ, keys from it up to `block` match
    while (hi - lo > 1) {
      const mid = Math.floor((lo + hi) / 2);
      if (keyOfBlock(mid) === key) hi = mid;
      else lo = mid;
    }
    const first = hi;
    lo = block;
    hi = block + SPAN; // first block of the next day
    while (hi - lo > 1) {
      const mid = Math.floor((lo + hi) / 2);
      if (keyOfBlock(mid) === key) lo = mid;
      else hi = mid;
    }
    last = { first, end: hi, day: { key, start: first * 900, end: hi * 900 } };
    days.push(last);
    return last.day;
  };
}
