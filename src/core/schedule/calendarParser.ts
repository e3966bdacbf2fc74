// Parser for Proxmox calendar events, a port of the nom grammar in proxmox-time's calendar_event.rs. It keeps the
// crate's backtracking exactly (which is where the quirks come from: `24:00` re-read as minute:second, `*-05` as
// month-day, a failed `..end` falling back to a single value), and adds only better error messages.
import { ALL_WEEKDAYS, CalendarEvent, DateTimeValue } from './calendarEvent';
import { clipText, ScheduleError } from './errors';

interface Unit {
  readonly name: string;
  /** First value of `*\/n` (0 for year/hour/minute/second, 1 for month/day). */
  readonly first: number;
  /** Exclusive upper bound, checked for values and steps alike; there is no lower bound. */
  readonly max: number;
}
const YEAR: Unit = { name: 'year', first: 0, max: 2200 };
const MONTH: Unit = { name: 'month', first: 1, max: 13 };
const DAY: Unit = { name: 'day', first: 1, max: 32 };
const HOUR: Unit = { name: 'hour', first: 0, max: 24 };
const MINUTE: Unit = { name: 'minute', first: 0, max: 60 };
const SECOND: Unit = { name: 'second', first: 0, max: 60 };

const zero: readonly DateTimeValue[] = [{ kind: 'single', value: 0 }];
const one: readonly DateTimeValue[] = [{ kind: 'single', value: 1 }];
const MONDAY = 1;

type KeywordEvent = Omit<CalendarEvent, 'utc' | 'keyword'>;
const base: KeywordEvent = { weekdays: 0, year: [], month: [], day: [], hour: [], minute: [], second: zero };
const months = (...m: number[]): DateTimeValue[] => m.map((value) => ({ kind: 'single', value }));
const KEYWORDS = new Map<string, KeywordEvent>([
  ['minutely', base],
  ['hourly', { ...base, minute: zero }],
  ['daily', { ...base, hour: zero, minute: zero }],
  ['weekly', { ...base, weekdays: MONDAY, hour: zero, minute: zero }],
  ['monthly', { ...base, day: one, hour: zero, minute: zero }],
  ['yearly', { ...base, month: one, day: one, hour: zero, minute: zero }],
  ['annually', { ...base, month: one, day: one, hour: zero, minute: zero }],
  ['quarterly', { ...base, month: months(1, 4, 7, 10), day: one, hour: zero, minute: zero }],
  ['semiannually', { ...base, month: months(1, 7), day: one, hour: zero, minute: zero }],
  ['semi-annually', { ...base, month: months(1, 7), day: one, hour: zero, minute: zero }],
]);

const WEEKDAY_NAMES = new Map<string, number>([
  ['mon', 0], ['monday', 0], ['tue', 1], ['tuesday', 1], ['wed', 2], ['wednesday', 2], ['thu', 3], ['thursday', 3],
  ['fri', 4], ['friday', 4], ['sat', 5], ['saturday', 5], ['sun', 6], ['sunday', 6],
]);

const SHAPE = "expected [weekdays] [[year-]month-day] [hour:]minute[:second] [UTC] or a keyword, e.g. 'mon..fri 02:30', 'sat *-1..7 15:00', 'daily'";

interface Ok<T> {
  readonly pos: number;
  readonly value: T;
}

/**
 * Text longer than this is refused before parsing. The caller enforces PVE's own, far smaller limit (128); this one
 * only keeps a direct call cheap: the parser is linear, but reads a long list several times while it backtracks.
 */
const MAX_EVENT_LENGTH = 1024;

/**
 * Parses one calendar event exactly as proxmox-time does (no trimming: the caller does that, and PVE's 128-character
 * limit). It runs in linear time whatever the input: it reads by index, and its few patterns are anchored single runs.
 */
export function parseCalendarEvent(input: string): CalendarEvent {
  if (input.length > MAX_EVENT_LENGTH) {
    throw new ScheduleError(input, MAX_EVENT_LENGTH, `the schedule is ${input.length} characters long, far more than any calendar event`, SHAPE);
  }
  return new Parser(input).parse();
}

class Parser {
  /** The furthest specific problem seen while backtracking, to explain a generic failure better. */
  private hint: { pos: number; reason: string } | null = null;
  private s: string;

  constructor(private readonly input: string) {
    this.s = input;
  }

  parse(): CalendarEvent {
    let utc = false;
    // proxmox-time strips a literal, case-sensitive `UTC` suffix and the spaces before it before anything else.
    if (this.s.endsWith('UTC')) {
      utc = true;
      let end = this.s.length - 3;
      while (end > 0 && this.s[end - 1] === ' ') end--; // not / +$/: that is quadratic on a long inner run of spaces
      this.s = this.s.slice(0, end);
    }
    const s = this.s;
    let i = 0;
    let weekdays = 0;
    let hasDays = false;
    if (/^[A-Za-z]/.test(s)) {
      const keyword = KEYWORDS.get(s);
      if (keyword) return { ...keyword, utc, keyword: s };
      const list = this.weekdayList(0);
      if (!list) this.failWeekday();
      weekdays = list.value;
      hasDays = true;
      i = this.space0(list.pos);
    }
    let year: readonly DateTimeValue[] = [];
    let month: readonly DateTimeValue[] = [];
    let day: readonly DateTimeValue[] = [];
    const date = this.dateSpec(i);
    if (date) {
      ({ year, month, day } = date.value);
      i = this.space0(date.pos);
    }
    let hour = zero;
    let minute = zero;
    let second = zero;
    const time = this.timeSpec(i);
    if (time) {
      ({ hour, minute, second } = time.value);
      i = time.pos;
    }
    if (!hasDays && !date && !time) this.fail(i, s.length === 0 ? 'the schedule is empty' : 'expected a weekday, a date or a time');
    if (i !== s.length) this.fail(i, this.unexpected(i));
    return { utc, weekdays, year, month, day, hour, minute, second };
  }

  // ---- lexical helpers ----

  private space0(p: number): number {
    const s = this.s;
    while (p < s.length && (s[p] === ' ' || s[p] === '\t')) p++;
    return p;
  }

  private note(pos: number, reason: string): void {
    if (!this.hint || pos >= this.hint.pos) this.hint = { pos, reason };
  }

  private fail(pos: number, reason: string): never {
    const h = this.hint;
    if (h && h.pos >= pos) throw new ScheduleError(this.input, h.pos, h.reason, SHAPE);
    throw new ScheduleError(this.input, pos, reason, SHAPE);
  }

  private failWeekday(): never {
    const word = /^[A-Za-z-]*/.exec(this.s)![0];
    const lower = word.toLowerCase();
    let reason = `unknown weekday '${clipText(word)}'`;
    const first = /^\S*/.exec(this.s)![0];
    if (KEYWORDS.has(word) || KEYWORDS.has(first)) {
      reason = `the keyword '${clipText(first)}' must be the whole schedule (optionally followed by ' UTC')`;
    } else if (KEYWORDS.has(lower)) {
      reason = `keywords are lower-case: write '${lower}', not '${word}'`;
    } else if (word.length > 0 && this.s.length - word.length <= 256 && this.s.slice(word.length).trim().toLowerCase() === 'utc') {
      reason = `unknown weekday '${clipText(word)}' (the UTC suffix must be upper-case)`;
    }
    throw new ScheduleError(this.input, 0, reason, SHAPE);
  }

  private unexpected(i: number): string {
    const rest = this.s.slice(i);
    if (/^,\s/.test(rest)) return "no space is allowed after ','";
    if (rest.startsWith('~')) return "'~' (counting from the end of the month) is not supported by Proxmox";
    if (/^\.\d/.test(rest)) return 'fractional seconds are not supported';
    if (/^\s/.test(rest)) return `unexpected extra part '${clipText(rest.trim())}' (weekdays, date and time may each appear once, in that order)`;
    if (rest.startsWith('..')) return "a range needs an end value ('a..b')";
    return `unexpected '${clipText(rest)}'`;
  }

  // ---- numbers and lists (parse_time_comp, parse_date_time_comp, parse_date_time_comp_list) ----

  private number(p: number, unit: Unit): Ok<number> | null {
    const s = this.s;
    let q = p;
    while (q < s.length && s.charCodeAt(q) >= 48 && s.charCodeAt(q) <= 57) q++;
    if (q === p) return null;
    const text = s.slice(p, q);
    const value = text.length > 10 ? Infinity : Number(text);
    if (value > 0xffffffff) {
      this.note(p, `the number ${clipText(text)} is too large`);
      return null;
    }
    if (value >= unit.max) {
      this.note(p, `${text} is out of range for a ${unit.name} (must be below ${unit.max})`);
      return null;
    }
    return { pos: q, value };
  }

  private component(p: number, unit: Unit): Ok<DateTimeValue> | null {
    const s = this.s;
    const a = this.number(p, unit);
    if (!a) return null;
    if (s.startsWith('..', a.pos)) {
      const b = this.number(a.pos + 2, unit);
      if (b) {
        if (a.value > b.value) {
          this.note(p, `the range ${a.value}..${b.value} starts after it ends`);
          return null;
        }
        if (s[b.pos] === '/') {
          const r = this.number(b.pos + 1, unit);
          if (!r) return null;
          return { pos: r.pos, value: { kind: 'repeated', start: a.value, step: r.value, end: b.value } };
        }
        return { pos: b.pos, value: { kind: 'range', start: a.value, end: b.value } };
      }
    }
    if (s[a.pos] === '/') {
      const r = this.number(a.pos + 1, unit);
      if (!r) return null;
      return { pos: r.pos, value: { kind: 'repeated', start: a.value, step: r.value } };
    }
    return { pos: a.pos, value: { kind: 'single', value: a.value } };
  }

  private list(p: number, unit: Unit): Ok<readonly DateTimeValue[]> | null {
    const s = this.s;
    if (s[p] === '*') {
      if (s[p + 1] === '/') {
        const r = this.number(p + 2, unit);
        if (!r) return null; // a bad step fails the whole list, it does not fall back to a bare `*`
        if (r.value > 0) return { pos: r.pos, value: [{ kind: 'repeated', start: unit.first, step: r.value }] };
        this.note(p + 2, `a step of 0 is not allowed after '*'`);
      }
      return { pos: p + 1, value: [] };
    }
    const first = this.component(p, unit);
    if (!first) return null;
    const values = [first.value];
    let q = first.pos;
    while (s[q] === ',') {
      const next = this.component(q + 1, unit);
      if (!next) break;
      values.push(next.value);
      q = next.pos;
    }
    return { pos: q, value: values };
  }

  // ---- the three parts ----

  private dateSpec(p: number): Ok<{ year: readonly DateTimeValue[]; month: readonly DateTimeValue[]; day: readonly DateTimeValue[] }> | null {
    const s = this.s;
    const y = this.list(p, YEAR);
    if (y && s[y.pos] === '-') {
      const m = this.list(y.pos + 1, MONTH);
      if (m && s[m.pos] === '-') {
        const d = this.list(m.pos + 1, DAY);
        if (d) return { pos: d.pos, value: { year: y.value, month: m.value, day: d.value } };
      }
    }
    const m = this.list(p, MONTH);
    if (m && s[m.pos] === '-') {
      const d = this.list(m.pos + 1, DAY);
      if (d) return { pos: d.pos, value: { year: [], month: m.value, day: d.value } };
    }
    return null;
  }

  private timeSpec(p: number): Ok<{ hour: readonly DateTimeValue[]; minute: readonly DateTimeValue[]; second: readonly DateTimeValue[] }> | null {
    const s = this.s;
    let hour: readonly DateTimeValue[] = [];
    let q = p;
    // The hour is optional: when it does not parse (e.g. 24..59), `A:B` is re-read as minute:second.
    const h = this.list(p, HOUR);
    if (h && s[h.pos] === ':') {
      hour = h.value;
      q = h.pos + 1;
    }
    const minute = this.list(q, MINUTE);
    if (!minute) return null;
    q = minute.pos;
    let second = zero;
    if (s[q] === ':') {
      const sec = this.list(q + 1, SECOND);
      if (sec) {
        second = sec.value;
        q = sec.pos;
      }
    }
    return { pos: q, value: { hour, minute: minute.value, second } };
  }

  private weekday(p: number): Ok<number> | null {
    const m = /^[A-Za-z]+/.exec(this.s.slice(p, p + 64));
    if (!m) return null;
    const day = WEEKDAY_NAMES.get(m[0].toLowerCase());
    if (day === undefined) {
      this.note(p, `unknown weekday '${m[0]}'`);
      return null;
    }
    return { pos: p + m[0].length, value: day };
  }

  private weekdayRange(p: number): Ok<number> | null {
    const a = this.weekday(p);
    if (!a) return null;
    if (this.s.startsWith('..', a.pos)) {
      const b = this.weekday(a.pos + 2);
      if (b) {
        // Ranges wrap around the week: fri..mon is fri, sat, sun, mon.
        let bits = 0;
        for (let d = a.value; ; d = (d + 1) % 7) {
          bits |= 1 << d;
          if (d === b.value) break;
        }
        return { pos: b.pos, value: bits };
      }
    }
    return { pos: a.pos, value: 1 << a.value };
  }

  private weekdayList(p: number): Ok<number> | null {
    const first = this.weekdayRange(p);
    if (!first) return null;
    let bits = first.value;
    let q = first.pos;
    while (this.s[q] === ',') {
      const next = this.weekdayRange(q + 1);
      if (!next) break;
      bits |= next.value;
      q = next.pos;
    }
    return { pos: q, value: bits & ALL_WEEKDAYS };
  }
}
