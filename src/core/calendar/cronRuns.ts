// Cron runs for the calendar, fast. cron-parser answers one run per call and costs about 2 ms a run with a zone, so
// twenty daily cron entries alone would take a month view over a second. A plain numeric cron (values, ranges,
// steps, lists: what custom entries use) is expanded here into its sets once and stepped day by day in the zone:
// one wall-time conversion per run. Anything else (L, W, #, H, macros) returns undefined and goes to the engine.
import { epochFromWallTime, zoneOffsetAt } from '../schedule';

interface CronSets {
  seconds: number[];
  minutes: number[];
  hours: number[];
  days: Set<number>;
  months: Set<number>;
  weekdays: Set<number>;
  /** Cron's rule: when both day fields are restricted, a day matches if EITHER does. */
  domStar: boolean;
  dowStar: boolean;
}

function expand(field: string, min: number, max: number): number[] | undefined {
  const out = new Set<number>();
  for (const part of field.split(',')) {
    const m = /^(\*|\?|(\d+)(?:-(\d+))?)(?:\/(\d+))?$/.exec(part);
    if (!m) return undefined;
    const step = m[4] === undefined ? 1 : Number(m[4]);
    if (step < 1) return undefined;
    const star = m[1] === '*' || m[1] === '?';
    const from = star ? min : Number(m[2]);
    // "5/10" means from 5 to the end in steps of 10, as in cron-parser.
    const to = star ? max : m[3] !== undefined ? Number(m[3]) : m[4] !== undefined ? max : from;
    if (from < min || to > max || from > to) return undefined;
    for (let v = from; v <= to; v += step) out.add(v);
  }
  return [...out].sort((a, b) => a - b);
}

function cronSets(text: string): CronSets | undefined {
  const f = text.trim().split(/\s+/);
  if (f.length !== 5 && f.length !== 6) return undefined;
  const [sec, min, hour, dom, mon, dow] = f.length === 6 ? f : ['0', ...f];
  const seconds = expand(sec, 0, 59);
  const minutes = expand(min, 0, 59);
  const hours = expand(hour, 0, 23);
  const days = expand(dom, 1, 31);
  const months = expand(mon, 1, 12);
  const weekdays = expand(dow, 0, 7);
  if (!seconds || !minutes || !hours || !days || !months || !weekdays) return undefined;
  return {
    seconds, minutes, hours, days: new Set(days), months: new Set(months),
    weekdays: new Set(weekdays.map((d) => d % 7)), domStar: dom === '*' || dom === '?', dowStar: dow === '*' || dow === '?',
  };
}

const setsCache = new Map<string, CronSets | null>();
/** Per zone and UTC day: the zone's offset when it holds all day, null on a day with a DST change. The same for every
 * cron entry in that zone, so twenty entries in one zone ask the platform once per day, not twenty times. */
const dayOffsets = new Map<string, number | null>();

function steadyOffset(d: number, tz: string): number | null {
  const key = `${tz}\u0000${d}`;
  let offset = dayOffsets.get(key);
  if (offset === undefined) {
    // Checked 14 hours beyond either end of the UTC day: the widest offsets there are.
    const before = zoneOffsetAt(d * 86_400 - 14 * 3600, tz);
    offset = before === zoneOffsetAt((d + 1) * 86_400 + 14 * 3600, tz) ? before : null;
    if (dayOffsets.size >= 20_000) dayOffsets.clear();
    dayOffsets.set(key, offset);
  }
  return offset;
}
const runsCache = new Map<string, number[]>();
const MAX_CACHE = 500;

/** Every run with from <= t < to of a numeric cron expression in `tz`, at most `limit`; undefined when the expression
 * needs the full engine. Cached per expression, zone and range, so a redraw of the same month costs nothing. */
export function fastCronBetween(text: string, from: number, to: number, tz: string, limit: number): number[] | undefined {
  let sets = setsCache.get(text);
  if (sets === undefined) {
    sets = cronSets(text) ?? null;
    if (setsCache.size >= MAX_CACHE) setsCache.clear();
    setsCache.set(text, sets);
  }
  if (sets === null) return undefined;
  const key = `${text}\u0000${tz}\u0000${from}\u0000${to}\u0000${limit}`;
  const hit = runsCache.get(key);
  if (hit) return hit;
  const out: number[] = [];
  // Walk the civil days from the day before `from` (in UTC terms, which covers every zone's offset) to the day after.
  const startDay = Math.floor(from / 86_400) - 1;
  const endDay = Math.floor(to / 86_400) + 1;
  for (let d = startDay; d <= endDay && out.length < limit; d++) {
    const date = new Date(d * 86_400_000);
    const year = date.getUTCFullYear();
    const month = date.getUTCMonth() + 1;
    const day = date.getUTCDate();
    if (!sets.months.has(month)) continue;
    const domOk = sets.days.has(day);
    const dowOk = sets.weekdays.has(date.getUTCDay());
    const dayOk = sets.domStar && sets.dowStar ? true : sets.domStar ? dowOk : sets.dowStar ? domOk : domOk || dowOk;
    if (!dayOk) continue;
    // Most days have one offset all day: then a run is plain arithmetic. A day with a DST change takes the full
    // conversion per run (gaps and repeated hours resolved there).
    const offset = steadyOffset(d, tz);
    for (const h of sets.hours) {
      for (const m of sets.minutes) {
        for (const s of sets.seconds) {
          const t = offset !== null ? d * 86_400 + h * 3600 + m * 60 + s - offset : epochFromWallTime(tz, year, month, day, h, m, s);
          if (t >= from && t < to) out.push(t);
        }
      }
    }
  }
  // A spring-forward gap moves two wall times onto one instant; the list stays strictly increasing.
  const runs = [...new Set(out)].sort((a, b) => a - b).slice(0, limit);
  if (runsCache.size >= MAX_CACHE) runsCache.clear();
  runsCache.set(key, runs);
  return runs;
}
