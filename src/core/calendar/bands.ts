// Dense runs become bands: a job that runs every 5 minutes is one bar a day in the calendar, not 288 entries.
import type { CalendarOutcome } from './outcomes';

/** A run in the past carries its outcome (and how many guests failed); a planned future run carries neither. A band
 * reaching into the past counts its past runs per outcome and names the worst; its other runs are still planned. */
export type CalendarEntry =
  | { kind: 'run'; routine: string; at: number; outcome?: CalendarOutcome; failedGuests?: number; overlap?: boolean }
  | {
    kind: 'band'; routine: string; start: number; end: number; count: number; every: number | null;
    outcomes?: Partial<Record<CalendarOutcome, number>>; worst?: CalendarOutcome;
    /** Another source writes to the same storage or datastore within the overlap window (see overlaps.ts). */
    overlap?: boolean;
  };

/** Collapses one routine's sorted runs into entries per local day: a dense stretch (gaps <= maxGap, at least minRuns
 * runs) becomes one band, anything sparser stays as single runs. Bands never cross midnight, so every day cell
 * says what happens on that day. */
export function collapseRuns(
  routine: string,
  runs: readonly number[],
  dayOf: (t: number) => string,
  opts: { maxGapSeconds: number; minRuns: number },
): Map<string, CalendarEntry[]> {
  const byDay = new Map<string, CalendarEntry[]>();
  let i = 0;
  while (i < runs.length) {
    const day = dayOf(runs[i]);
    let j = i + 1;
    while (j < runs.length && runs[j] - runs[j - 1] <= opts.maxGapSeconds && dayOf(runs[j]) === day) j++;
    const entries = byDay.get(day) ?? [];
    if (j - i >= opts.minRuns) {
      entries.push({ kind: 'band', routine, start: runs[i], end: runs[j - 1], count: j - i, every: uniformGap(runs, i, j) });
    } else {
      for (let k = i; k < j; k++) entries.push({ kind: 'run', routine, at: runs[k] });
    }
    byDay.set(day, entries);
    i = j;
  }
  return byDay;
}

function uniformGap(runs: readonly number[], from: number, to: number): number | null {
  const gap = runs[from + 1] - runs[from];
  for (let k = from + 2; k < to; k++) if (runs[k] - runs[k - 1] !== gap) return null;
  return gap;
}

export function entryStart(e: CalendarEntry): number {
  return e.kind === 'run' ? e.at : e.start;
}
