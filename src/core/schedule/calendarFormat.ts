// Canonical text and plain-words description of a parsed calendar event.
import { ALL_WEEKDAYS, CalendarEvent, DateTimeValue } from './calendarEvent';
import { pad2 } from './civil';

const SHORT = ['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'];
const LONG = ['Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday', 'Sunday'];
const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];

function num(n: number, width: number): string {
  return String(n).padStart(width, '0');
}

function valueText(v: DateTimeValue, width: number): string {
  switch (v.kind) {
    case 'single':
      return num(v.value, width);
    case 'range':
      return `${num(v.start, width)}..${num(v.end, width)}`;
    case 'repeated':
      return v.end === undefined
        ? `${num(v.start, width)}/${v.step}`
        : `${num(v.start, width)}..${num(v.end, width)}/${v.step}`;
  }
}

function listText(list: readonly DateTimeValue[], width: number): string {
  return list.length === 0 ? '*' : list.map((v) => valueText(v, width)).join(',');
}

/** Runs of consecutive days, Monday first: [[0, 4]] for mon..fri. */
function dayRuns(bits: number): Array<[number, number]> {
  const runs: Array<[number, number]> = [];
  for (let d = 0; d < 7; d++) {
    if (!(bits & (1 << d))) continue;
    const last = runs[runs.length - 1];
    if (last && last[1] === d - 1) last[1] = d;
    else runs.push([d, d]);
  }
  return runs;
}

function weekdaysText(bits: number): string {
  return dayRuns(bits)
    .map(([a, b]) => (a === b ? SHORT[a] : b === a + 1 ? `${SHORT[a]},${SHORT[b]}` : `${SHORT[a]}..${SHORT[b]}`))
    .join(',');
}

/**
 * The full form `[Weekdays] Y-M-D H:M:S [UTC]`, like systemd's normalized form; it parses back to the same event.
 */
export function normalizeEvent(e: CalendarEvent): string {
  const days = e.weekdays !== 0 && e.weekdays !== ALL_WEEKDAYS ? `${weekdaysText(e.weekdays)} ` : '';
  const date = `${listText(e.year, 4)}-${listText(e.month, 2)}-${listText(e.day, 2)}`;
  const time = `${listText(e.hour, 2)}:${listText(e.minute, 2)}:${listText(e.second, 2)}`;
  return `${days}${date} ${time}${e.utc ? ' UTC' : ''}`;
}

// ---- plain words ----

function join(words: string[]): string {
  if (words.length <= 1) return words.join('');
  return `${words.slice(0, -1).join(', ')} and ${words[words.length - 1]}`;
}

function ordinal(n: number): string {
  const s = n % 100 >= 11 && n % 100 <= 13 ? 'th' : (['th', 'st', 'nd', 'rd'][n % 10] ?? 'th');
  return `${n}${s}`;
}

function isSingles(list: readonly DateTimeValue[]): list is ReadonlyArray<{ kind: 'single'; value: number }> {
  return list.length > 0 && list.every((v) => v.kind === 'single');
}

function singles(list: readonly DateTimeValue[]): number[] {
  return list.map((v) => (v.kind === 'single' ? v.value : NaN));
}

function isZero(list: readonly DateTimeValue[]): boolean {
  return list.length === 1 && list[0].kind === 'single' && list[0].value === 0;
}

function listWords(list: readonly DateTimeValue[], name: (n: number) => string): string {
  return join(
    list.map((v) => {
      switch (v.kind) {
        case 'single':
          return name(v.value);
        case 'range':
          return `${name(v.start)} to ${name(v.end)}`;
        case 'repeated':
          if (v.step === 0) return name(v.start);
          return `every ${v.step} from ${name(v.start)}${v.end !== undefined ? ` to ${name(v.end)}` : ''}`;
      }
    }),
  );
}

function weekdayWords(bits: number): string {
  if (bits === 0 || bits === ALL_WEEKDAYS) return '';
  if (bits === 0x1f) return 'every weekday';
  if (bits === 0x60) return 'every weekend day';
  const days: string[] = [];
  for (let d = 0; d < 7; d++) if (bits & (1 << d)) days.push(LONG[d]);
  return `every ${join(days)}`;
}

const NTH = ['first', 'second', 'third', 'fourth'];

/** `sat *-1..7` is the first Saturday of the month (calendar events AND the weekday with the day). */
function nthWeekday(e: CalendarEvent): string | null {
  if (e.year.length > 0 || e.day.length !== 1 || e.day[0].kind !== 'range') return null;
  const { start, end } = e.day[0];
  const days = [0, 1, 2, 3, 4, 5, 6].filter((d) => e.weekdays & (1 << d));
  if (days.length !== 1 || end - start !== 6 || (start - 1) % 7 !== 0 || start > 22) return null;
  const monthPart = e.month.length === 0 ? 'every month' : isSingles(e.month)
    ? join(singles(e.month).map((m) => MONTHS[m - 1] ?? `month ${m}`))
    : `months ${listWords(e.month, String)}`;
  return `on the ${NTH[(start - 1) / 7]} ${LONG[days[0]]} of ${monthPart}`;
}

function dateWords(e: CalendarEvent): string {
  const { year, month, day } = e;
  if (year.length === 0 && month.length === 0 && day.length === 0) return '';
  if (isSingles(year) && isSingles(month) && isSingles(day) && year.length === 1 && month.length === 1 && day.length === 1) {
    return `on ${num(year[0].value, 4)}-${pad2(month[0].value)}-${pad2(day[0].value)}`;
  }
  const dayPart = day.length === 0
    ? 'every day'
    : isSingles(day)
      ? `the ${join(singles(day).map(ordinal))}`
      : `days ${listWords(day, String)}`;
  const monthPart = month.length === 0
    ? 'of every month'
    : isSingles(month)
      ? `of ${join(singles(month).map((m) => MONTHS[m - 1] ?? `month ${m}`))}`
      : `of months ${listWords(month, String)}`;
  const yearPart = year.length === 0 ? '' : ` in ${isSingles(year) ? join(singles(year).map(String)) : `years ${listWords(year, String)}`}`;
  return `on ${dayPart} ${monthPart}${yearPart}`.replace('on every day of every month', 'every day');
}

const clock = (h: number, m: number): string => `${pad2(h)}:${pad2(m)}`;

function hourWords(hour: readonly DateTimeValue[]): string {
  if (hour.length === 1) {
    const h = hour[0];
    if (h.kind === 'range') return `between ${clock(h.start, 0)} and ${clock(h.end, 59)}`;
    if (h.kind === 'repeated' && h.step > 0) {
      return `every ${h.step === 1 ? '' : `${h.step} `}hour${h.step === 1 ? '' : 's'}` +
        (h.start > 0 || h.end !== undefined ? ` from ${clock(h.start, 0)}` : '') +
        (h.end !== undefined ? ` to ${clock(h.end, 59)}` : '');
    }
  }
  return `during hour ${listWords(hour, pad2)}`;
}

function timeWords(e: CalendarEvent): string {
  const { hour, minute, second } = e;
  if (isSingles(hour) && isSingles(minute) && isSingles(second) && hour.length * minute.length * second.length <= 8) {
    const times: string[] = [];
    const withSeconds = !isZero(second);
    for (const h of singles(hour)) for (const m of singles(minute)) for (const s of singles(second)) {
      times.push(`${pad2(h)}:${pad2(m)}${withSeconds ? `:${pad2(s)}` : ''}`);
    }
    return `at ${join(times)}`;
  }
  const parts: string[] = [];
  if (second.length === 0) parts.push('every second');
  else if (second.length === 1 && second[0].kind === 'repeated' && second[0].end === undefined && second[0].step > 0) {
    parts.push(`every ${second[0].step} seconds${second[0].start > 0 ? ` from second ${second[0].start}` : ''}`);
  } else if (!isZero(second)) parts.push(`at second ${listWords(second, String)}`);
  const m = minute.length === 1 ? minute[0] : undefined;
  if (minute.length === 0) {
    if (isZero(second)) parts.push('every minute');
  } else if (m && m.kind === 'repeated' && m.end === undefined && m.step > 0) {
    parts.push(`every ${m.step} minutes${m.start > 0 ? ` from minute ${m.start}` : ''}`);
  } else if (isSingles(minute)) {
    const marks = join(singles(minute).map((x) => `:${pad2(x)}`));
    parts.push(hour.length === 0 ? (isZero(minute) ? 'every hour' : `every hour at ${marks}`) : `at ${marks}`);
  } else {
    parts.push(`at minute ${listWords(minute, String)}${hour.length === 0 ? ' of every hour' : ''}`);
  }
  if (hour.length > 0) parts.push(hourWords(hour));
  return parts.join(' ');
}

/** Proxmox's overflow skips, said plainly, for steps and day lists that can hit them. */
function skipNotes(e: CalendarEvent): string[] {
  const notes: string[] = [];
  const check = (list: readonly DateTimeValue[], name: string, cycle: number, first: number): void => {
    for (const v of list) {
      if (v.kind !== 'repeated' || v.end !== undefined || v.step === 0) continue;
      // The first candidate past the cycle carries into the next one at this offset; runs before it are skipped.
      const wrap = v.start + Math.ceil((cycle + first - v.start) / v.step) * v.step;
      if (wrap - cycle > v.start) {
        notes.push(`the ${name} step ${v.step} does not fit the ${cycle}-${name} cycle, so Proxmox skips the runs that would follow the wrap`);
      }
    }
  };
  check(e.second, 'second', 60, 0);
  check(e.minute, 'minute', 60, 0);
  check(e.hour, 'hour', 24, 0);
  check(e.month, 'month', 12, 1);
  const days = e.day;
  const stepped = days.some((v) => v.kind === 'repeated' && v.end === undefined && v.step > 0 && v.step < 28);
  const late = days.some((v) => (v.kind === 'single' && v.value > 28) || (v.kind === 'range' && v.start > 28));
  const early = days.some((v) => (v.kind === 'single' && v.value <= 28) || (v.kind === 'range' && v.start <= 28));
  if (stepped || (late && early)) {
    notes.push('a day past the end of a month carries into the next month, so Proxmox skips that month\'s first days');
  }
  return notes;
}

const KEYWORD_WORDS: Record<string, string> = {
  minutely: 'every minute',
  hourly: 'every hour',
  daily: 'every day at 00:00',
  weekly: 'every Monday at 00:00',
  monthly: 'on the 1st of every month at 00:00',
  yearly: 'every year on January 1 at 00:00',
  annually: 'every year on January 1 at 00:00',
  quarterly: 'on the 1st of January, April, July and October at 00:00',
  semiannually: 'on the 1st of January and July at 00:00',
  'semi-annually': 'on the 1st of January and July at 00:00',
};

/** Plain words, e.g. "every weekday at 02:30". */
export function describeEvent(e: CalendarEvent): string {
  const utc = e.utc ? ' (UTC)' : '';
  if (e.keyword && KEYWORD_WORDS[e.keyword]) return KEYWORD_WORDS[e.keyword] + utc;
  const nth = nthWeekday(e);
  const days = nth ?? weekdayWords(e.weekdays);
  const date = nth ? '' : dateWords(e);
  const time = timeWords(e);
  let text = [days, date, time].filter((p) => p.length > 0).join(' ');
  if (!days && !date && /^at \d/.test(time)) text = `every day ${time}`;
  const notes = skipNotes(e);
  return text + utc + (notes.length > 0 ? ` (note: ${notes.join('; ')})` : '');
}
