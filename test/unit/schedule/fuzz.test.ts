// The parser and the engine on random and mutated input: never a hang, never an unexplained exception, and every
// accepted schedule gives finite answers strictly after the start, which its canonical form reproduces.
import assert from 'node:assert/strict';
import { parseSchedule, Schedule, ScheduleError } from '../../../src/core/schedule';
import { Random } from './random';

const TOKENS = [
  'mon', 'tue', 'Wed', 'thursday', 'FRI', 'sat', 'sun', 'mo', 'daily', 'hourly', 'weekly', 'monthly', 'yearly',
  'quarterly', 'semi-annually', 'minutely', 'UTC', 'utc', '..', ',', '-', ':', '/', '*', ' ', ' ', '\t', '~', '.',
  '@', '0', '1', '2', '5', '7', '12', '23', '24', '29', '30', '31', '45', '59', '60', '61', '99', '2024', '2199',
  '2200', '00', '07', '1970', '4294967296', 'x', '!', '*/', '/0',
];

const VALID = [
  'daily', 'mon..fri 02:30', '*/5', 'sat *-1..7 15:00', '*:0/7', '2,22:30', 'monthly', '*-*-1,31', 'mon..wed 30/10',
  '12,14,16:5', '*/2:00', 'quarterly', 'fri..mon 23:59:59', '2030-02-29', '*-02-29 12:00', '24:00', '*-1/5-01',
  '*-*-1/7 3:00', 'mon..fri 7..18:00/15', 'sun 01:00 UTC', '1..3:0/30', '0/7:00', '*:*:0/7', '2025/2-1,6-1..7/3 4:5:6',
];

const ZONES = ['UTC', 'Europe/Vienna', 'America/New_York', 'Australia/Sydney', 'Asia/Kolkata', 'Australia/Lord_Howe'];
const STARTS = [0, 1_700_000_000, 1_711_842_600, 1_729_983_000, 1_762_059_000, 2_000_000_000, 4_102_444_799];

function randomText(r: Random): string {
  const n = r.int(0, 8);
  let s = '';
  for (let i = 0; i < n; i++) s += r.pick(TOKENS);
  return s;
}

function mutate(r: Random, text: string): string {
  const chars = [...text];
  const edits = r.int(1, 3);
  for (let e = 0; e < edits; e++) {
    const at = r.int(0, chars.length);
    switch (r.int(0, 3)) {
      case 0: chars.splice(at, 1); break;
      case 1: chars.splice(at, 0, r.pick(TOKENS)); break;
      case 2: chars[at] = String.fromCharCode(r.int(32, 126)); break;
      default: chars.splice(at, 0, ...chars.slice(0, r.int(0, chars.length))); break;
    }
  }
  return chars.join('');
}

function checkAnswers(schedule: Schedule, text: string, r: Random): void {
  const tz = r.pick(ZONES);
  const from = r.pick(STARTS) + r.int(-86400 * 40, 86400 * 40);
  const runs = schedule.take(from, 3, tz);
  let last = from;
  for (const t of runs) {
    assert.ok(Number.isSafeInteger(t), `${JSON.stringify(text)} in ${tz}: ${t} is not a whole number`);
    assert.ok(t > last, `${JSON.stringify(text)} in ${tz} from ${from}: ${t} is not after ${last}`);
    last = t;
  }
  // The canonical form is itself a schedule with the same runs.
  const again = parseSchedule(schedule.normalized);
  assert.deepEqual(again.take(from, 3, tz), runs, `${JSON.stringify(text)} vs normalized ${JSON.stringify(schedule.normalized)}`);
}

function exercise(text: string, r: Random): 'ok' | 'error' {
  let schedule: Schedule;
  try {
    schedule = parseSchedule(text);
  } catch (err) {
    assert.ok(err instanceof ScheduleError, `${JSON.stringify(text)} threw ${String(err)}`);
    assert.ok(err.position >= 0 && err.position <= Math.max(err.input.length, 128), `${JSON.stringify(text)}: position ${err.position}`);
    assert.ok(err.reason.length > 0 && !/undefined|NaN/.test(err.message), `${JSON.stringify(text)}: ${err.message}`);
    return 'error';
  }
  checkAnswers(schedule, text, r);
  return 'ok';
}

describe('schedule fuzzing (seeded)', () => {
  it('random token strings: a ScheduleError or finite answers', () => {
    const r = new Random(20241027);
    const seen = { ok: 0, error: 0 };
    for (let i = 0; i < 2500; i++) seen[exercise(randomText(r), r)]++;
    // Both outcomes must actually be exercised, or the generator is useless.
    assert.ok(seen.ok > 100 && seen.error > 100, JSON.stringify(seen));
  });

  it('mutated valid schedules: a ScheduleError or finite answers', () => {
    const r = new Random(7);
    const seen = { ok: 0, error: 0 };
    for (let i = 0; i < 2500; i++) seen[exercise(mutate(r, r.pick(VALID)), r)]++;
    assert.ok(seen.ok > 100 && seen.error > 100, JSON.stringify(seen));
  });

  it('the valid examples all parse and answer', () => {
    const r = new Random(1);
    for (const text of VALID) assert.equal(exercise(text, r), 'ok', text);
  });

  it('arbitrary characters, including control and non-ASCII ones', () => {
    const r = new Random(99);
    for (let i = 0; i < 500; i++) {
      let s = '';
      for (let j = r.int(0, 20); j > 0; j--) s += String.fromCodePoint(r.chance(0.8) ? r.int(0, 127) : r.int(128, 0x2fff));
      exercise(s, r);
    }
  });
});
