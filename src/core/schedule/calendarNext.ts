// compute_next_event from proxmox-time, ported literally: walk a broken-down wall-clock time forward field by field,
// normalising after every change the way glibc's timegm/mktime do. The overflow skips, the 1,001-step cap and the
// DST behaviour all follow from that; do not "fix" them, Proxmox really behaves like this.
import { ALL_WEEKDAYS, CalendarEvent, findNext, listContains } from './calendarEvent';
import { civilFromSeconds, wallSeconds, WallTime } from './civil';
import { ZoneClock } from './timeZone';

/** proxmox-time gives up after this many loop iterations and returns "never". */
const MAX_STEPS = 1001;
/** Steps after which the walk starts looking for a cycle. */
const CYCLE_CHECK_AFTER = 8;

/**
 * A `struct tm` plus glibc's mktime state. glibc resolves a wall time that occurs twice (DST fall-back) with the
 * UTC offset of its previous mktime result, and moves a wall time that does not exist (spring-forward gap) forward
 * by the gap, remembering the offset from before the gap. We model that state per computation, starting from the
 * offset in force at `last`, which is exactly the state of a process that computed `last` itself (the chained case).
 */
class TmEditor {
  private tm: WallTime;
  private remembered: number;

  constructor(epoch: number, private readonly clock: ZoneClock, remembered: number, private readonly forwardGaps = false) {
    this.tm = civilFromSeconds(epoch + clock.offsetAt(epoch));
    this.remembered = remembered;
  }

  get year(): number { return this.tm.year; }
  get month(): number { return this.tm.month; }
  get day(): number { return this.tm.day; }
  get hour(): number { return this.tm.hour; }
  get minute(): number { return this.tm.minute; }
  get second(): number { return this.tm.second; }
  /** Monday = 0 .. Sunday = 6. */
  get dayNum(): number { return (this.tm.weekday + 6) % 7; }

  addYears(n: number): void {
    if (n === 0) return;
    this.normalize(this.tm.year + n, 1, 1, 0, 0, 0);
  }

  addMonths(n: number): void {
    if (n === 0) return;
    this.normalize(this.tm.year, this.tm.month + n, 1, 0, 0, 0);
  }

  addDays(n: number): void {
    if (n === 0) return;
    this.normalize(this.tm.year, this.tm.month, this.tm.day + n, 0, 0, 0);
  }

  setTime(hour: number, minute: number, second: number): void {
    this.normalize(this.tm.year, this.tm.month, this.tm.day, hour, minute, second);
  }

  setMinSec(minute: number, second: number): void {
    this.normalize(this.tm.year, this.tm.month, this.tm.day, this.tm.hour, minute, second);
  }

  setSec(second: number): void {
    this.normalize(this.tm.year, this.tm.month, this.tm.day, this.tm.hour, this.tm.minute, second);
  }

  /** The whole state the walk depends on: the wall time and glibc's remembered offset. */
  get state(): string {
    const t = this.tm;
    return `${wallSeconds(t.year, t.month, t.day, t.hour, t.minute, t.second)}/${this.remembered}`;
  }

  intoEpoch(): number {
    const t = this.tm;
    return this.mktime(wallSeconds(t.year, t.month, t.day, t.hour, t.minute, t.second));
  }

  private normalize(year: number, month: number, day: number, hour: number, minute: number, second: number): void {
    // glibc clamps tm_sec to 59 before probing (leap seconds) and adds the excess afterwards, so an overflowing
    // second step (e.g. 63) is added in absolute time, not on the wall clock: it differs across a fall-back.
    const excess = second > 59 ? second - 59 : 0;
    const epoch = this.mktime(wallSeconds(year, month, day, hour, minute, second - excess)) + excess;
    this.tm = civilFromSeconds(epoch + this.clock.offsetAt(epoch));
  }

  /**
   * glibc's mktime with tm_isdst = -1 (glibc 2.28+ __mktime_internal), given the wall time as seconds-as-if-UTC:
   * probe from the remembered offset and correct by the error until the wall time matches. In a spring-forward gap
   * the probes oscillate between the two sides and glibc keeps the side whose tm_isdst is set, which is the later
   * instant in ordinary zones and the earlier one in zones with negative DST (Dublin, Casablanca).
   */
  private mktime(wall: number): number {
    const clock = this.clock;
    const t0 = wall - this.remembered;
    let t = t0;
    let t1 = t0;
    let t2 = t0;
    let dst2 = false;
    for (let remaining = 6; ; ) {
      const dt = wall - (t + clock.offsetAt(t));
      if (dt === 0) break;
      if (t === t1 && t !== t2) {
        if (this.forwardGaps) {
          t = Math.max(t, t2);
          break;
        }
        const dst = clock.isDst(t);
        if (!dst2 || dst) break; // dst2 <= tm_isdst: settle here
      }
      if (--remaining === 0) throw new MktimeFailed();
      const dst = clock.isDst(t);
      t1 = t2;
      t2 = t;
      t += dt;
      dst2 = dst;
    }
    this.remembered = wall - t;
    return t;
  }
}

/** glibc's mktime gave up (EOVERFLOW); proxmox-time then returns an error, which we report as "never". */
class MktimeFailed extends Error {}

function compute(event: CalendarEvent, last: number, clock: ZoneClock, remembered: number, forwardGaps: boolean): number | null {
  const allDays = event.weekdays === 0 || event.weekdays === ALL_WEEKDAYS;
  const t = new TmEditor(last + 1, clock, remembered, forwardGaps);
  // The walk is a pure function of its state, so a state seen before means it cycles until the step cap: "never"
  // without the 1,001 steps (a Dublin `01:15` walking back from its gap costs 6 ms otherwise). Only a walk that is
  // already long keeps the states, so ordinary answers (a handful of steps) pay nothing.
  let seen: Set<string> | undefined;
  for (let count = 0; count < MAX_STEPS; count++) {
    if (count >= CYCLE_CHECK_AFTER) {
      seen ??= new Set();
      const state = t.state;
      if (seen.has(state)) return null;
      seen.add(state);
    }
    if (event.year.length > 0) {
      const year = t.year;
      if (!listContains(event.year, year)) {
        const n = findNext(event.year, year);
        if (n === null) return null; // no later year can match
        t.addYears(n - year);
        continue;
      }
    }
    if (event.month.length > 0) {
      const month = t.month;
      if (!listContains(event.month, month)) {
        const n = findNext(event.month, month);
        if (n !== null) t.addMonths(n - month);
        else t.addYears(1);
        continue;
      }
    }
    if (event.day.length > 0) {
      const day = t.day;
      if (!listContains(event.day, day)) {
        const n = findNext(event.day, day);
        if (n !== null) t.addDays(n - day);
        else t.addMonths(1);
        continue;
      }
    }
    if (!allDays) {
      const dayNum = t.dayNum;
      if ((event.weekdays & (1 << dayNum)) === 0) {
        let n = -1;
        for (let d = dayNum + 1; d < 7; d++) {
          if (event.weekdays & (1 << d)) {
            n = d;
            break;
          }
        }
        t.addDays(n >= 0 ? n - dayNum : 7 - dayNum);
        continue;
      }
    }
    if (event.hour.length > 0) {
      const hour = t.hour;
      if (!listContains(event.hour, hour)) {
        const n = findNext(event.hour, hour);
        if (n !== null) t.setTime(n, 0, 0);
        else t.addDays(1);
        continue;
      }
    }
    if (event.minute.length > 0) {
      const minute = t.minute;
      if (!listContains(event.minute, minute)) {
        const n = findNext(event.minute, minute);
        if (n !== null) t.setMinSec(n, 0);
        else t.setTime(t.hour + 1, 0, 0);
        continue;
      }
    }
    if (event.second.length > 0) {
      const second = t.second;
      if (!listContains(event.second, second)) {
        const n = findNext(event.second, second);
        if (n !== null) t.setSec(n);
        else t.setMinSec(t.minute + 1, 0);
        continue;
      }
    }
    return t.intoEpoch();
  }
  return null;
}

/**
 * The first instant strictly after `last` (epoch seconds) at which the event fires, or null when it never does
 * (no later year, or 1,001 steps without a match). `clock` is the node's zone; events with the UTC suffix must be
 * given the UTC clock by the caller.
 */
export function nextCalendarEvent(event: CalendarEvent, last: number, clock: ZoneClock): number | null {
  const first = safeCompute(event, last, clock, clock.offsetAt(last), false);
  // A "never" is Proxmox's answer too, also the one that is wrong in reality: in zones with negative DST (Dublin,
  // Casablanca) glibc resolves a spring-forward gap backwards, so `01:15` in Dublin walks back to 00:15 on the change
  // day and loops there until the step cap. PVE's scheduler computes from the last run, so it never runs the job again;
  // the contract is what Proxmox computes, and proxmoxGivesUp() explains it.
  if (first === null || first > last) return first;
  // Proxmox itself can answer a time that is not after `last`: when `last` is the final second before the clocks go
  // back (the remembered summer offset picks the first occurrence of the repeated hour), and in zones with negative
  // DST when the gap sends the walk back to a matching time before `last` (`*:15` in Dublin from 00:15 GMT on the
  // change day answers 00:15 again). PVE's scheduler would take such a run as due at once; a next run in the past
  // cannot be a schedule, so answer like a process that has seen the new offset and moves gap times forward.
  return realNextCalendarEvent(event, last, clock);
}

/**
 * The next run as the wall clock really has it (gap times moved forward, the new offset remembered), not as glibc
 * computes it in zones with negative DST; used to tell a Proxmox "never" from a real one.
 */
export function realNextCalendarEvent(event: CalendarEvent, last: number, clock: ZoneClock): number | null {
  const retry = safeCompute(event, last, clock, clock.offsetAt(last + 1), true);
  return retry !== null && retry > last ? retry : null;
}

function safeCompute(event: CalendarEvent, last: number, clock: ZoneClock, remembered: number, forwardGaps: boolean): number | null {
  try {
    return compute(event, last, clock, remembered, forwardGaps);
  } catch (err) {
    if (err instanceof MktimeFailed) return null;
    throw err;
  }
}
