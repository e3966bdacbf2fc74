// Cron expressions (5 fields, or 6 with leading seconds) through cron-parser, always with an explicit zone.
import { CronExpression, CronExpressionParser } from 'cron-parser';
import { ScheduleError } from './errors';

const SHAPE = "expected 5 fields 'minute hour day-of-month month day-of-week' (or 6 with leading seconds), e.g. '30 2 * * 1-5'";
const FIELD_NAMES5 = ['minute', 'hour', 'day-of-month', 'month', 'day-of-week'];
const FIELD_NAMES6 = ['second', ...FIELD_NAMES5];

function parseWith(text: string, tz: string, currentDate = new Date(0)): CronExpression {
  // `H` values are derived from the expression itself, so they are stable between runs and machines.
  return CronExpressionParser.parse(text, { tz, currentDate, hashSeed: text });
}

function message(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

const RANGES: Record<string, string> = {
  second: '0–59', minute: '0–59', hour: '0–23', 'day-of-month': '1–31', month: '1–12 or jan–dec', 'day-of-week': '0–7 or sun–sat, 0 and 7 are Sunday',
};

/**
 * What is wrong with one field, in the user's words rather than cron-parser's ("Constraint error, got value 61
 * expected range 0-59" becomes "minute 61 is out of range 0–59"). Unknown parser messages keep the field and range.
 */
export function fieldProblem(name: string, text: string, parserMessage: string): string {
  const range = RANGES[name] ?? '';
  const outOfRange = /got value (\S+) expected range/.exec(parserMessage);
  if (outOfRange) return `${name} ${outOfRange[1]} is out of range ${range}`;
  if (/cannot repeat at every 0/.test(parserMessage)) return `${name} '${text}' steps by 0; a step after '/' is 1 or more`;
  const backwards = /Invalid range: (\S+), min\((\S+)\) > max\((\S+)\)/.exec(parserMessage);
  if (backwards) return `${name} range ${backwards[1]} runs backwards (${backwards[2]} is after ${backwards[3]})`;
  return `${name} '${text}' is not a value, range (a-b), step (*/n) or list (a,b) within ${range}`;
}

/** Checks a cron expression; throws a ScheduleError that names the failing field, its range and its position. */
export function validateCron(text: string): { normalized: string; fields: string[] } {
  if (text.startsWith('@')) {
    try {
      const expr = parseWith(text, 'UTC');
      return { normalized: expr.stringify(true), fields: expr.stringify(true).split(' ') };
    } catch (err) {
      throw new ScheduleError(text, 0, `unknown cron macro '${text}' (${message(err)})`, SHAPE);
    }
  }
  const fields: Array<{ text: string; pos: number }> = [];
  for (const m of text.matchAll(/\S+/g)) fields.push({ text: m[0], pos: m.index ?? 0 });
  if (fields.length !== 5 && fields.length !== 6) {
    const pos = fields.length > 6 ? fields[6].pos : text.length;
    throw new ScheduleError(text, pos, `a cron expression has 5 or 6 fields, this one has ${fields.length}`, SHAPE);
  }
  const names = fields.length === 6 ? FIELD_NAMES6 : FIELD_NAMES5;
  // Find the field at fault by checking each one alone, with every other field set to '*'.
  for (let i = 0; i < fields.length; i++) {
    const probe = fields.map((f, j) => (j === i ? f.text : '*')).join(' ');
    try {
      parseWith(probe, 'UTC');
    } catch (err) {
      throw new ScheduleError(text, fields[i].pos, fieldProblem(names[i], fields[i].text, message(err)), SHAPE);
    }
  }
  try {
    const expr = parseWith(text, 'UTC');
    return { normalized: expr.stringify(fields.length === 6), fields: fields.map((f) => f.text) };
  } catch (err) {
    // Each field is valid alone, so the combination is what never happens (30 February).
    const never = /day of month/i.test(message(err)) ? 'that day of the month never occurs in the months given' : message(err);
    throw new ScheduleError(text, 0, `invalid cron expression (${never})`, SHAPE);
  }
}

/** One parsed iterator per zone, reset for each question. */
export class CronRunner {
  private readonly byZone = new Map<string, CronExpression>();

  constructor(private readonly text: string) {}

  next(after: number, tz: string): number | null {
    let expr = this.byZone.get(tz);
    if (!expr) {
      expr = parseWith(this.text, tz);
      this.byZone.set(tz, expr);
    }
    expr.reset(new Date(after * 1000));
    try {
      const ms = expr.next().getTime();
      return Number.isFinite(ms) ? Math.floor(ms / 1000) : null;
    } catch {
      // cron-parser gives up on expressions that cannot match (e.g. 30 February): that is "never".
      return null;
    }
  }
}

const DOW = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday', 'Sunday'];
const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];

function names(field: string, table: string[], offset: number): string | null {
  const out: string[] = [];
  for (const part of field.split(',')) {
    const m = /^(\d+)(?:-(\d+))?$/.exec(part);
    if (!m) return null;
    const a = table[Number(m[1]) - offset];
    const b = m[2] !== undefined ? table[Number(m[2]) - offset] : undefined;
    if (!a || (m[2] !== undefined && !b)) return null;
    out.push(b ? `${a} to ${b}` : a);
  }
  return out.join(', ');
}

/** Plain words for the common shapes; anything else is described field by field. */
export function describeCron(normalized: string): string {
  const f = normalized.split(' ');
  const [sec, min, hour, dom, mon, dow] = f.length === 6 ? f : ['0', ...f];
  let time: string;
  if (/^\d+$/.test(min) && /^\d+$/.test(hour)) {
    time = `at ${hour.padStart(2, '0')}:${min.padStart(2, '0')}${sec !== '0' ? `:${sec.padStart(2, '0')}` : ''}`;
  } else if (min === '*' && hour === '*') {
    time = sec === '0' ? 'every minute' : sec === '*' ? 'every second'
      : /^\*\/\d+$/.test(sec) ? `every ${sec.slice(2)} seconds` : `at second ${sec} of every minute`;
  } else if (/^\*\/\d+$/.test(min) && hour === '*' && sec === '0') {
    time = `every ${min.slice(2)} minutes`;
  } else if (/^\d+$/.test(min) && /^\*\/\d+$/.test(hour) && sec === '0') {
    time = `every ${hour.slice(2)} hours at :${min.padStart(2, '0')}`;
  } else if (/^\d+$/.test(min) && hour === '*') {
    time = min === '0' ? 'every hour' : `at minute ${min} of every hour`;
  } else {
    time = `at minute ${min} of hour ${hour}${sec !== '0' ? `, second ${sec}` : ''}`;
  }
  const days: string[] = [];
  if (dom !== '*' && dom !== '?') days.push(`on day ${dom} of the month`);
  if (dow !== '*' && dow !== '?') days.push(`on ${names(dow, DOW, 0) ?? `weekday ${dow}`}`);
  // Cron runs when EITHER the day of month or the weekday matches, if both are restricted.
  const dayText = days.length === 2 ? `${days[0]} or ${days[1]}` : days[0] ?? (time.startsWith('every') ? '' : 'every day');
  const monthText = mon !== '*' ? `in ${names(mon, MONTHS, 1) ?? `month ${mon}`}` : '';
  return [dayText, monthText, time].filter((p) => p.length > 0).join(' ');
}
