// One Schedule API over Proxmox calendar events and cron expressions, with a cache of parsed schedules.
import { CalendarEvent } from './calendarEvent';
import { describeEvent, normalizeEvent } from './calendarFormat';
import { nextCalendarEvent } from './calendarNext';
import { parseCalendarEvent } from './calendarParser';
import { CronRunner, describeCron, validateCron } from './cron';
import { ScheduleError } from './errors';
import { utcClock, zoneClock } from './timeZone';

export type ScheduleKind = 'calendar' | 'cron';

export interface Schedule {
  readonly kind: ScheduleKind;
  /** As written, trimmed. */
  readonly source: string;
  /** Canonical form: for calendar events `[Weekdays] Y-M-D H:M:S [UTC]`, for cron the 5/6-field text. */
  readonly normalized: string;
  /** Epoch seconds strictly after `after`, in zone `tz`; null = never again. */
  next(after: number, tz: string): number | null;
  /** Chained next(): each entry is next() of the previous one; stops early at "never". */
  take(after: number, n: number, tz: string): number[];
  /** Every run t with from <= t < to, at most `limit` (default 10,000). */
  between(from: number, to: number, tz: string, limit?: number): number[];
  /** Plain words, e.g. "every weekday at 02:30". */
  describe(): string;
}

/** PVE limits every `schedule` property to 128 characters. */
export const MAX_SCHEDULE_LENGTH = 128;
const DEFAULT_BETWEEN_LIMIT = 10_000;

function checkInstant(name: string, value: number): number {
  if (typeof value !== 'number' || !Number.isFinite(value)) {
    throw new RangeError(`${name} must be a finite number of epoch seconds, got ${String(value)}`);
  }
  return Math.floor(value);
}

abstract class BaseSchedule implements Schedule {
  abstract readonly kind: ScheduleKind;
  abstract readonly source: string;
  abstract readonly normalized: string;
  abstract describe(): string;
  protected abstract nextRun(after: number, tz: string): number | null;

  next(after: number, tz: string): number | null {
    return this.nextRun(checkInstant('after', after), tz);
  }

  take(after: number, n: number, tz: string): number[] {
    const out: number[] = [];
    let last = checkInstant('after', after);
    for (let i = 0; i < n; i++) {
      const t = this.nextRun(last, tz);
      if (t === null || t <= last) break;
      out.push(t);
      last = t;
    }
    return out;
  }

  between(from: number, to: number, tz: string, limit = DEFAULT_BETWEEN_LIMIT): number[] {
    const out: number[] = [];
    const end = checkInstant('to', to);
    let last = checkInstant('from', from) - 1;
    while (out.length < limit) {
      const t = this.nextRun(last, tz);
      if (t === null || t >= end || t <= last) break;
      out.push(t);
      last = t;
    }
    return out;
  }
}

/** Exported for proxmoxStops, which needs the parsed event; not part of the public index. */
export class CalendarSchedule extends BaseSchedule {
  readonly kind = 'calendar' as const;
  readonly normalized: string;

  constructor(readonly source: string, readonly event: CalendarEvent) {
    super();
    this.normalized = normalizeEvent(event);
  }

  protected nextRun(after: number, tz: string): number | null {
    const zone = zoneClock(tz); // validates tz even for UTC events, so a wrong zone is never silently ignored
    return nextCalendarEvent(this.event, after, this.event.utc ? utcClock() : zone);
  }

  describe(): string {
    return describeEvent(this.event);
  }
}

class CronSchedule extends BaseSchedule {
  readonly kind = 'cron' as const;
  private readonly runner: CronRunner;

  constructor(readonly source: string, readonly normalized: string) {
    super();
    this.runner = new CronRunner(source);
  }

  protected nextRun(after: number, tz: string): number | null {
    zoneClock(tz);
    return this.runner.next(after, tz);
  }

  describe(): string {
    return describeCron(this.normalized);
  }
}

const isAsciiSpace = (c: number): boolean => c === 0x20 || (c >= 0x09 && c <= 0x0d);

/**
 * PVE trims with Perl's \s (ASCII whitespace), not JavaScript's Unicode-aware trim(). A loop from each end: the
 * pattern it replaces (`[…]+$` under /g) was quadratic on a long run of inner spaces.
 */
function trimAscii(text: string): string {
  let start = 0;
  let end = text.length;
  while (start < end && isAsciiSpace(text.charCodeAt(start))) start++;
  while (end > start && isAsciiSpace(text.charCodeAt(end - 1))) end--;
  return text.slice(start, end);
}

/** Code points in `text` (what PVE's limit counts), without building an array of them. */
function codePoints(text: string): number {
  let n = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < 0xd800 || c > 0xdbff || i + 1 >= text.length) n++;
    else {
      const d = text.charCodeAt(i + 1);
      n++;
      if (d >= 0xdc00 && d <= 0xdfff) i++;
    }
  }
  return n;
}

const cache = new Map<string, Schedule>();
const MAX_CACHE = 10_000;

/**
 * Parses a schedule: a Proxmox calendar event (default) or a cron expression. Trims and enforces PVE's
 * 128-character limit first. Throws ScheduleError (with position and reason) for anything it cannot parse.
 */
export function parseSchedule(text: string, kind: ScheduleKind = 'calendar'): Schedule {
  if (typeof text !== 'string') throw new ScheduleError(String(text), 0, 'a schedule must be text');
  // The length comes first, before the cache key, the trim or any parsing: a schedule is server text, and a long one
  // (`x`, 100,000 spaces, `x`) must cost no more than counting it:
  // one pass over the text, without the array a spread would build.
  const length = codePoints(text);
  if (length > MAX_SCHEDULE_LENGTH) {
    // The error quotes the start, cut short of the limit, so no message is larger than a schedule may be.
    const shown = trimAscii(text.slice(0, MAX_SCHEDULE_LENGTH - 8));
    throw new ScheduleError(`${shown}…`, MAX_SCHEDULE_LENGTH, `the schedule is ${length} characters long, Proxmox allows at most ${MAX_SCHEDULE_LENGTH}`);
  }
  const key = `${kind}\u0000${text}`;
  const hit = cache.get(key);
  if (hit) return hit;
  const source = trimAscii(text);
  let schedule: Schedule;
  if (kind === 'cron') {
    schedule = new CronSchedule(source, validateCron(source).normalized);
  } else if (kind === 'calendar') {
    schedule = new CalendarSchedule(source, parseCalendarEvent(source));
  } else {
    throw new ScheduleError(source, 0, `unknown schedule kind '${String(kind)}' (use 'calendar' or 'cron')`);
  }
  if (cache.size >= MAX_CACHE) cache.clear();
  cache.set(key, schedule);
  return schedule;
}
