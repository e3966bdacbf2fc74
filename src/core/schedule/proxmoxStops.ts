// Where Proxmox's own calendar engine stops scheduling a job for good. In zones whose tzdata uses negative DST
// (Europe/Dublin, Africa/Casablanca), glibc's mktime(tm_isdst = -1) resolves a time in the spring-forward gap
// backwards, proxmox-time's walk then loops before the gap until its step cap and answers "never", and PVE's scheduler,
// which always computes from the last run, never runs the job again. The engine reproduces that answer; this explains it.
import { nextCalendarEvent, realNextCalendarEvent } from './calendarNext';
import { CalendarEvent } from './calendarEvent';
import { civilFromSeconds } from './civil';
import { CalendarSchedule, Schedule } from './schedule';
import { ZoneClock, zoneClock } from './timeZone';

export interface ScheduleStop {
  /** The last run Proxmox still schedules after `after`, epoch seconds; null when it schedules none. */
  lastRun: number | null;
  /** The clock change (epoch seconds, first second of the new offset) at which Proxmox's engine gives up. */
  gapAt: number;
  /** The zone as given. */
  zone: string;
  /** One sentence for people, see proxmoxGivesUp. */
  message: string;
}

/** How far ahead to look: a yearly job still gets its warning before its last run. */
const LOOKAHEAD = 400 * 86400;
const WEEKDAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];

const pad = (n: number): string => String(n).padStart(2, '0');

/**
 * `Sat 2026-03-28 01:15 GMT`. The zone is named by its offset (`GMT`, `GMT+1`), worked out here rather than by
 * Intl's `timeZoneName`, whose short names differ between ICU versions (Casablanca's +00 is `GMT` or `GMT+0`).
 */
function formatRun(epoch: number, clock: ZoneClock): string {
  const offset = clock.offsetAt(epoch);
  const w = civilFromSeconds(epoch + offset);
  const abs = Math.abs(offset);
  const hours = Math.floor(abs / 3600);
  const minutes = Math.floor((abs % 3600) / 60);
  const name = offset === 0 ? 'GMT' : `GMT${offset < 0 ? '-' : '+'}${hours}${minutes ? `:${pad(minutes)}` : ''}`;
  return `${WEEKDAYS[w.weekday]} ${w.year}-${pad(w.month)}-${pad(w.day)} ${pad(w.hour)}:${pad(w.minute)} ${name}`;
}

/** Per event, zone and gap: the last real run before the gap (null: none within the look-ahead) and Proxmox's answer from it. */
interface GapAnswer {
  lastRun: number | null;
  answer: number | null;
  stops: boolean;
}
const gapAnswers = new Map<string, GapAnswer>();
const MAX_GAP_ANSWERS = 10_000;

/**
 * The last run before `gap` and what Proxmox computes from it. Before the gap Proxmox's walk and the real one agree,
 * so realNext(y) < gap exactly when a run lies in (y, gap): bisect for the last such run, the one Proxmox's chain
 * reaches the gap from. The real walk is used because it never loops (Proxmox's does wherever it meets the gap);
 * realNext(gap - 1) starts after the change, so the upper end has no run before the gap. About 25 calls instead of
 * walking every run up to the gap, and cached: health evaluations ask again for the same routines every time.
 */
function answerAtGap(event: CalendarEvent, key: string, gap: number, clock: ZoneClock): GapAnswer {
  const cached = gapAnswers.get(key);
  if (cached) return cached;
  const runBefore = (y: number): boolean => {
    const t = realNextCalendarEvent(event, y, clock);
    return t !== null && t < gap;
  };
  let result: GapAnswer = { lastRun: null, answer: null, stops: false };
  let lo = gap - LOOKAHEAD;
  if (runBefore(lo)) {
    let hi = gap - 1;
    while (hi - lo > 1) {
      const mid = lo + Math.floor((hi - lo) / 2);
      if (runBefore(mid)) lo = mid;
      else hi = mid;
    }
    const lastRun = realNextCalendarEvent(event, lo, clock) as number;
    const answer = nextCalendarEvent(event, lastRun, clock);
    // A "never" that is also real (no later year) is not the gap's doing.
    result = { lastRun, answer, stops: answer === null && realNextCalendarEvent(event, lastRun, clock) !== null };
  }
  if (gapAnswers.size >= MAX_GAP_ANSWERS) gapAnswers.clear();
  gapAnswers.set(key, result);
  return result;
}

/**
 * Proxmox's answer at the first gap after `from` that it does not get past: the last run it computes before the gap,
 * or undefined when it gets past every gap of the next 400 days (or when the job really never runs again).
 */
function findStop(event: CalendarEvent, normalized: string, from: number, clock: ZoneClock): { lastRun: number; gapAt: number } | undefined {
  let position = from; // where Proxmox's chain stands: `after`, or the last run it computed
  for (const gap of clock.gapsBetween(from + 1, from + LOOKAHEAD)) {
    if (position >= gap) continue;
    const atGap = answerAtGap(event, `${normalized}\u0000${clock.zone}\u0000${gap}`, gap, clock);
    if (atGap.lastRun !== null && atGap.lastRun > position) {
      // The chain passes that run on its way to the gap.
      if (atGap.stops) return { lastRun: atGap.lastRun, gapAt: gap };
      if (atGap.answer !== null) position = atGap.answer;
      continue;
    }
    // No run between `position` and the gap: Proxmox's next computation starts from `position` itself.
    const answer = nextCalendarEvent(event, position, clock);
    if (answer === null) {
      return realNextCalendarEvent(event, position, clock) === null ? undefined : { lastRun: position, gapAt: gap };
    }
    position = answer;
  }
  return undefined;
}

/**
 * Non-null when Proxmox's calendar engine finds no further run after `after` (or after one of the runs it computes
 * within the next 400 days) because of a daylight-saving gap in a zone with negative DST, while the job would really
 * run again. `next()`/`take()` give the same answer (null, or a list that ends); this says why and when.
 * Cheap where it cannot happen: cron schedules, UTC events and zones without negative DST return at once.
 */
export function proxmoxGivesUp(schedule: Schedule, after: number, tz: string): ScheduleStop | null {
  if (typeof after !== 'number' || !Number.isFinite(after)) {
    throw new RangeError(`after must be a finite number of epoch seconds, got ${String(after)}`);
  }
  const clock = zoneClock(tz); // validates the zone for every schedule, like next()
  if (!clock.negativeDst || !(schedule instanceof CalendarSchedule) || schedule.event.utc) return null;
  const from = Math.floor(after);
  const found = findStop(schedule.event, schedule.normalized, from, clock);
  if (!found) return null;
  const lastRun = found.lastRun > from ? found.lastRun : null;
  const reason = `its calendar engine gives up at the daylight-saving change in ${tz}`;
  const message = lastRun === null
    ? `Proxmox will not schedule this job again: ${reason}`
    : `Proxmox will not schedule this job after ${formatRun(lastRun, clock)}: ${reason}`;
  return { lastRun, gapAt: found.gapAt, zone: tz, message };
}
