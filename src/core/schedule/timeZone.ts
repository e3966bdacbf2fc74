// UTC offsets of IANA zones from Intl.DateTimeFormat, cached per zone, without luxon. An offset is looked up once per
// 15-minute bucket: when both ends of a bucket have the same offset the whole bucket has it (no zone changes its
// offset twice within 15 minutes); a bucket holding a transition is answered exactly, second by second.
import { wallSeconds } from './civil';

export interface ZoneClock {
  /** The zone as resolved by Intl (canonical spelling). */
  readonly zone: string;
  /** Seconds east of UTC in force at `epoch` (seconds). */
  offsetAt(epoch: number): number;
}

const BUCKET = 900;
const MAX_MEMO = 200_000;
// Intl and Date accept at most ±8.64e15 ms; offsets that far out are just the zone's last rule.
const LIMIT = 8.6e12;

class FixedClock implements ZoneClock {
  constructor(readonly zone: string, private readonly offset: number) {}
  offsetAt(): number {
    return this.offset;
  }
}

class IntlClock implements ZoneClock {
  private readonly fmt: Intl.DateTimeFormat;
  private readonly memo = new Map<number, number>();

  constructor(readonly zone: string) {
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
    const bucket = Math.floor(t / BUCKET);
    let known = this.memo.get(bucket);
    if (known === undefined) {
      const start = this.exact(bucket * BUCKET);
      const end = this.exact(bucket * BUCKET + BUCKET - 1);
      known = start === end ? start : NaN;
      if (this.memo.size >= MAX_MEMO) this.memo.clear();
      this.memo.set(bucket, known);
    }
    return Number.isNaN(known) ? this.exact(t) : known;
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
