// Overlaps: runs of two sources that write to the same storage or datastore within a window compete for the same
// disks (a backup job and that datastore's GC or verify, two jobs on one NFS share). Both runs are marked and the
// pair is listed, with the resource and how far apart they start. A band (dense runs) counts with its whole span.
import { entryStart, type CalendarEntry } from './bands';
import type { CalendarKind } from './kinds';

/** Where a source writes. `key` identifies the disks ("pbs:<endpoint>/<store>", "nfs:<server>:<export>",
 * "storage:<endpoint>/<storage>"); `byName` keys ("name:<storage or datastore name>") exist so that a custom entry's
 * `target` can meet a job by name: on them only pairs with a custom entry count, since two clusters' "local" are
 * different disks. */
export interface CalendarResource {
  key: string;
  label: string;
  byName?: boolean;
}

export interface OverlapRun {
  /** routineKey */
  routine: string;
  /** The run's time, or a band's start and end. */
  start: number;
  end: number;
}

export interface CalendarOverlap {
  resource: string;
  /** In words: "datastore store1 on pbs1". */
  resourceLabel: string;
  /** The earlier run first. */
  first: OverlapRun;
  second: OverlapRun;
  /** Seconds between the end of the first and the start of the second; 0 when they overlap in time. */
  apartSeconds: number;
}

export interface OverlapSource {
  key: string;
  kind: CalendarKind;
  resources: readonly CalendarResource[];
  entries: readonly CalendarEntry[];
}

/** The list stops here (a storage every job writes to at 02:00 gives pairs by the thousand); the rest are counted. */
export const MAX_OVERLAPS = 500;

function entryEnd(e: CalendarEntry): number {
  return e.kind === 'run' ? e.at : e.end;
}

/** Every pair of runs of two different sources on one resource whose gap is at most `windowSeconds` (inclusive),
 * sorted by time. Marks both entries (`overlap: true`). */
export function findOverlaps(sources: readonly OverlapSource[], windowSeconds: number): { overlaps: CalendarOverlap[]; leftOut: number } {
  const byResource = new Map<string, { label: string; byName: boolean; items: { source: OverlapSource; entry: CalendarEntry }[] }>();
  for (const source of sources) {
    const seen = new Set<string>();
    for (const r of source.resources) {
      if (seen.has(r.key)) continue;
      seen.add(r.key);
      let group = byResource.get(r.key);
      if (!group) byResource.set(r.key, group = { label: r.label, byName: !!r.byName, items: [] });
      for (const entry of source.entries) group.items.push({ source, entry });
    }
  }
  const all: CalendarOverlap[] = [];
  let leftOut = 0;
  // Two sources that share several resources (a datastore and its name, a local storage on each node) meet in each of
  // them with the same runs: a pair of runs is counted in the first group (in processing order) the two sources can
  // meet in, and skipped in the others. Decided once per pair of sources, not per pair of runs (a month of 200 jobs
  // has tens of thousands of run pairs).
  const groups = [...byResource.entries()].map(([key, g]) => ({ key, ...g }));
  const index = new Map<OverlapSource, number>();
  const memberOf: number[][] = [];
  groups.forEach((g, gi) => {
    for (const x of g.items) {
      let i = index.get(x.source);
      if (i === undefined) {
        index.set(x.source, i = memberOf.length);
        memberOf.push([]);
      }
      const list = memberOf[i]!;
      if (list[list.length - 1] !== gi) list.push(gi);
    }
  });
  const n = memberOf.length;
  // Asked once per pair of runs (tens of thousands), by source numbers: a number-keyed Map grows with the pairs of
  // sources that meet, where an n×n table would grow with the square of all sources.
  const firstShared = new Map<number, number>();
  const meetsFirstIn = (ia: number, ib: number, custom: boolean): number => {
    const id = ia < ib ? ia * n + ib : ib * n + ia;
    let first = firstShared.get(id);
    if (first === undefined) {
      const inB = memberOf[ib]!;
      first = memberOf[ia]!.find((gi) => inB.includes(gi) && (!groups[gi]!.byName || custom)) ?? -1;
      firstShared.set(id, first);
    }
    return first;
  };
  groups.forEach((group, gi) => {
    // On a name key only pairs with a custom entry count: without one, the group has nothing to find.
    if (group.byName && !group.items.some((x) => x.source.kind === 'custom')) return;
    const items = group.items.sort((a, b) => entryStart(a.entry) - entryStart(b.entry));
    const starts = items.map((x) => entryStart(x.entry));
    const ids = items.map((x) => index.get(x.source)!);
    const customs = items.map((x) => x.source.kind === 'custom');
    for (let i = 0; i < items.length; i++) {
      const a = items[i];
      const aEnd = entryEnd(a.entry);
      // Sorted by start: once a start is past a's end plus the window, no later item is close enough.
      for (let j = i + 1; j < items.length && starts[j]! - aEnd <= windowSeconds; j++) {
        if (ids[i] === ids[j]) continue;
        const custom = customs[i]! || customs[j]!;
        if (group.byName && !custom) continue;
        if (meetsFirstIn(ids[i]!, ids[j]!, custom) !== gi) continue;
        const b = items[j];
        const bStart = starts[j]!;
        // The earlier-starting item may end after b starts (a band): then they overlap in time.
        const apart = Math.max(0, bStart - aEnd);
        a.entry.overlap = true;
        b.entry.overlap = true;
        if (all.length >= MAX_OVERLAPS) {
          leftOut++;
          continue;
        }
        all.push({
          resource: group.key, resourceLabel: group.label, apartSeconds: apart,
          first: { routine: a.source.key, start: starts[i]!, end: aEnd },
          second: { routine: b.source.key, start: bStart, end: entryEnd(b.entry) },
        });
      }
    }
  });
  all.sort((x, y) => x.first.start - y.first.start || x.second.start - y.second.start || (x.resource < y.resource ? -1 : x.resource > y.resource ? 1 : 0));
  return { overlaps: all, leftOut };
}
