// UTC offsets of IANA zones from Intl.DateTimeFormat, cached per zone, without luxon. Offsets are learned in
// 64-day chunks: the offset every 4 days, and the exact second of every change between two samples (found by
// bisection). That assumes a zone never changes its offset and back within 4 days, which no zone does.
import { wallSeconds } from './civil';

export interface ZoneClock {
  /** The zone as resolved by Intl (canonical spelling). */
  readonly zone: string;
  /** Seconds east of UTC in force at `epoch` (seconds). */
  offsetAt(epoch: number): number;
  /** glibc's tm_isdst at `epoch`: only consulted inside a spring-forward gap. */
  isDst(epoch: number): boolean;
  /** Whether glibc sees negative DST in this zone (winter time flagged as DST), where gaps resolve backwards. */
  readonly negativeDst: boolean;
  /** The instants in [from, to) at which the offset grows (spring-forward changes: a gap in the wall clock). */
  gapsBetween(from: number, to: number): number[];
}

// Zones whose tzdata marks winter (or Ramadan) time as the DST one ("negative DST"), as glibc reads them, and since
// when (epoch seconds) until when.
const NEGATIVE_DST = new Map<string, [number, number]>([
  ['Europe/Dublin', [57722400, Infinity]],
  ['Eire', [57722400, Infinity]],
  ['Africa/Casablanca', [1540692000, Infinity]],
  ['Africa/El_Aaiun', [1540692000, Infinity]],
  ['Africa/Windhoek', [764200800, 1508796000]],
]);
const TWO_MONTHS = 61 * 86400;

const DAY = 86400;
const CHUNK_DAYS = 64;
const SAMPLE = 4 * DAY;
const CHUNK = CHUNK_DAYS * DAY;
const MAX_CHUNKS = 20_000;
// Intl and Date accept at most ±8.64e15 ms; offsets that far out are just the zone's last rule.
const LIMIT = 8.6e12;

/** Offsets within one chunk: `base` from its start, then each change at `at[i]` to `offset[i]`. */
interface Chunk {
  readonly base: number;
  readonly at: number[];
  readonly offset: number[];
}

class FixedClock implements ZoneClock {
  readonly negativeDst = false;
  constructor(readonly zone: string, private readonly offset: number) {}
  offsetAt(): number {
    return this.offset;
  }
  isDst(): boolean {
    return false;
  }
  gapsBetween(): number[] {
    return [];
  }
}

class IntlClock implements ZoneClock {
  private readonly fmt: Intl.DateTimeFormat;
  private readonly chunks = new Map<number, Chunk>();
  readonly negativeDst: boolean;

  constructor(readonly zone: string) {
    this.negativeDst = NEGATIVE_DST.has(zone);
    this.fmt = new Intl.DateTimeFormat('en-US', {
      timeZone: zone,
      hourCycle: 'h23',
      era: 'short',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
  }

  offsetAt(epoch: number): number {
    const t = Math.max(-LIMIT, Math.min(LIMIT, Math.floor(epoch)));
    const index = Math.floor(t / CHUNK);
    let chunk = this.chunks.get(index);
    if (!chunk) {
      chunk = this.learn(index * CHUNK);
      if (this.chunks.size >= MAX_CHUNKS) this.chunks.clear();
      this.chunks.set(index, chunk);
    }
    let offset = chunk.base;
    for (let i = 0; i < chunk.at.length && chunk.at[i] <= t; i++) offset = chunk.offset[i];
    return offset;
  }

  gapsBetween(from: number, to: number): number[] {
    const out: number[] = [];
    const start = Math.max(-LIMIT, Math.floor(from));
    const end = Math.min(LIMIT, Math.ceil(to));
    // The learned chunks already hold every change: walk them instead of probing Intl again.
    for (let index = Math.floor(start / CHUNK); index * CHUNK < end; index++) {
      // A change on the very first second of a chunk is its base, not one of its `at`: compare with the second before.
      let before = this.offsetAt(index * CHUNK - 1);
      if (this.offsetAt(index * CHUNK) > before && index * CHUNK >= start && index * CHUNK < end) out.push(index * CHUNK);
      const chunk = this.chunks.get(index);
      if (!chunk) continue;
      before = chunk.base;
      for (let i = 0; i < chunk.at.length; i++) {
        const at = chunk.at[i];
        if (chunk.offset[i] > before && at >= start && at < end) out.push(at);
        before = chunk.offset[i];
      }
    }
    return out;
  }

  isDst(epoch: number): boolean {
    // Summer time is the larger of the offsets seen within ten months either side; with negative DST the smaller.
    const here = this.offsetAt(epoch);
    let low = here;
    let high = here;
    for (let k = -5; k <= 5; k++) {
      const o = this.offsetAt(epoch + k * TWO_MONTHS);
      if (o < low) low = o;
      if (o > high) high = o;
    }
    const negative = NEGATIVE_DST.get(this.zone);
    return negative && epoch >= negative[0] && epoch < negative[1] ? here < high : here > low;
  }

  private learn(start: number): Chunk {
    const base = this.exact(start);
    const at: number[] = [];
    const offset: number[] = [];
    let before = base;
    for (let end = start + SAMPLE; end <= start + CHUNK; end += SAMPLE) {
      const after = this.exact(end);
      if (after !== before) {
        // The change is in (end - SAMPLE, end]: find its first second.
        let lo = end - SAMPLE;
        let hi = end;
        while (hi - lo > 1) {
          const mid = Math.floor((lo + hi) / 2);
          if (this.exact(mid) === before) lo = mid;
          else hi = mid;
        }
        if (hi < start + CHUNK) {
          at.push(hi);
          offset.push(after);
        }
        before = after;
      }
    }
    return { base, at, offset };
  }

  private exact(t: number): number {
    let year = 0, month = 0, day = 0, hour = 0, minute = 0, second = 0;
    let bc = false;
    for (const part of this.fmt.formatToParts(t * 1000)) {
      switch (part.type) {
        case 'year': year = Number(part.value); break;
        case 'month': month = Number(part.value); break;
        case 'day': day = Number(part.value); break;
        case 'hour': hour = Number(part.value) % 24; break;
        case 'minute': minute = Number(part.value); break;
        case 'second': second = Number(part.value); break;
        case 'era': bc = /^B/i.test(part.value); break;
      }
    }
    if (bc) year = 1 - year;
    return wallSeconds(year, month, day, hour, minute, second) - t;
  }
}

const clocks = new Map<string, ZoneClock>();
const UTC_CLOCK: ZoneClock = new FixedClock('UTC', 0);

/** The clock of a zone; throws a RangeError naming the zone when Intl does not know it. */
export function zoneClock(tz: string): ZoneClock {
  const cached = clocks.get(tz);
  if (cached) return cached;
  let resolved: string;
  try {
    if (typeof tz !== 'string' || tz.trim() === '') throw new RangeError('empty');
    resolved = new Intl.DateTimeFormat('en-US', { timeZone: tz }).resolvedOptions().timeZone;
  } catch {
    throw new RangeError(
      `unknown time zone '${tz}': use an IANA zone name such as 'Europe/Vienna', 'America/New_York' or 'UTC' ` +
        `(the node's zone is shown by 'timedatectl' or GET /nodes/{node}/time)`,
    );
  }
  const clock = resolved === 'UTC' || resolved === 'Etc/UTC' || resolved === 'Etc/GMT' ? UTC_CLOCK : new IntlClock(resolved);
  clocks.set(tz, clock);
  return clock;
}

export function utcClock(): ZoneClock {
  return UTC_CLOCK;
}

export function isValidTimeZone(tz: string): boolean {
  try {
    zoneClock(tz);
    return true;
  } catch {
    return false;
  }
}

/** The zone this machine uses (never silently UTC: Intl reports what the OS or TZ says). */
export function localTimeZone(): string {
  return new Intl.DateTimeFormat().resolvedOptions().timeZone;
}

/** Seconds east of UTC in `tz` at `epoch`. */
export function zoneOffsetAt(epoch: number, tz: string): number {
  return zoneClock(tz).offsetAt(epoch);
}

/**
 * The instant of a wall-clock reading in `tz` (fields may overflow and carry). A time in a spring-forward gap moves
 * forward by the gap; a time that occurs twice (fall-back) gives the earlier instant ("compatible" resolution).
 */
export function epochFromWallTime(tz: string, year: number, month: number, day: number, hour = 0, minute = 0, second = 0): number {
  const clock = zoneClock(tz);
  const wall = wallSeconds(year, month, day, hour, minute, second);
  const before = clock.offsetAt(wall - 86400 * 2);
  const after = clock.offsetAt(wall + 86400 * 2);
  const candidates = [wall - before, wall - after].filter((t) => t + clock.offsetAt(t) === wall);
  if (candidates.length > 0) return Math.min(...candidates);
  // In a gap: interpret with the offset from before the gap, which lands after it.
  return wall - Math.min(before, after);
}

/** True when the wall-clock time of `epoch` in `tz` occurs twice (inside a fall-back hour). */
export function isRepeatedWallTime(epoch: number, tz: string): boolean {
  const clock = zoneClock(tz);
  const wall = epoch + clock.offsetAt(epoch);
  for (const offset of [clock.offsetAt(epoch - 86400), clock.offsetAt(epoch + 86400)]) {
    const other = wall - offset;
    if (other !== epoch && other + clock.offsetAt(other) === wall) return true;
  }
  return false;
}
