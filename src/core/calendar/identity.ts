// How the calendar tells routines apart. Twelve theme colours are all a calendar can keep distinguishable, and a
// cluster easily has thirty backup jobs; colour-blind users cannot rely on colour at all. So every routine gets a
// look (colour × pattern, unique for up to 48 routines) and a letter badge (unique for any number), shown on its
// entries and in the legend alike.

export const CALENDAR_PALETTE_SIZE = 12;
export const CALENDAR_PATTERN_COUNT = 4;

export interface RoutineIdentity {
  /** 0 .. CALENDAR_PALETTE_SIZE-1: the theme colour (CSS class c<n>). */
  color: number;
  /** 0 .. CALENDAR_PATTERN_COUNT-1: solid, stripes, dots, bars (CSS class p<n>). */
  pattern: number;
  /** "A" .. "Z", "AA", "AB", ...: the routine's position in the legend. */
  badge: string;
}

export interface RoutineRef {
  endpointId: string;
  routineId: string;
}

// A fixed collation, not the runtime's default locale: the order (and so every badge) must be the same in the
// extension host, the CLI and the tests. Numeric, so backup-2 comes before backup-10.
const collator = new Intl.Collator('en', { numeric: true });

/** The order of the legend and of the badges: by endpoint, then by routine id. */
export function compareRoutines(a: RoutineRef, b: RoutineRef): number {
  return collator.compare(a.endpointId, b.endpointId) || collator.compare(a.routineId, b.routineId)
    || (a.endpointId < b.endpointId ? -1 : a.endpointId > b.endpointId ? 1 : 0)
    || (a.routineId < b.routineId ? -1 : a.routineId > b.routineId ? 1 : 0);
}

export function routineKey(endpointId: string, routineId: string): string {
  return `${endpointId}/${routineId}`;
}

/** 0 → "A", 25 → "Z", 26 → "AA", 701 → "ZZ", 702 → "AAA" (bijective base 26, like spreadsheet columns). */
export function badgeLetters(index: number): string {
  let n = Math.floor(index) + 1;
  let out = '';
  while (n > 0) {
    const r = (n - 1) % 26;
    out = String.fromCharCode(65 + r) + out;
    n = Math.floor((n - 1) / 26);
  }
  return out;
}

/** FNV-1a (32 bit): a fixed hash, so a routine prefers the same look in every window and every release. */
function hash(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h;
}

/**
 * The identity of every routine, keyed by routineKey. Deterministic: it depends only on the set of routines, never
 * on their input order. The look comes from a hash of the routine's key, so adding or removing one job rarely
 * changes how the others look; collisions move to the next free look. There are as many looks as the routines need,
 * in whole palettes: up to 12 routines all get different colours, up to 48 all differ in colour or pattern. Badges
 * follow the legend order, so the legend reads A, B, C, ...
 */
export function assignIdentities(routines: Iterable<RoutineRef>): Map<string, RoutineIdentity> {
  const unique = new Map<string, RoutineRef>();
  for (const r of routines) unique.set(routineKey(r.endpointId, r.routineId), r);
  const sorted = [...unique.entries()].sort(([, a], [, b]) => compareRoutines(a, b));
  const looks = CALENDAR_PALETTE_SIZE * Math.max(1, Math.ceil(sorted.length / CALENDAR_PALETTE_SIZE));
  const taken = new Uint8Array(looks);
  const out = new Map<string, RoutineIdentity>();
  sorted.forEach(([key], index) => {
    let slot = hash(key) % looks;
    while (taken[slot]) slot = (slot + 1) % looks;
    taken[slot] = 1;
    out.set(key, {
      color: slot % CALENDAR_PALETTE_SIZE,
      pattern: Math.floor(slot / CALENDAR_PALETTE_SIZE) % CALENDAR_PATTERN_COUNT,
      badge: badgeLetters(index),
    });
  });
  return out;
}
