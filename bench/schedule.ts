// Schedule engine figures: a month of runs for 1,000 varied schedules, and `schedule next --batch` throughput.
// Prints times and ratios only; nothing here passes or fails on speed.
import { Readable } from 'node:stream';
import { performance } from 'node:perf_hooks';
import { schedule as scheduleVerb } from '../src/cli/commands/schedule';
import { parseSchedule } from '../src/core/schedule';
import { Rng as Random } from '../src/sim/random';

const ZONES = ['UTC', 'Europe/Vienna', 'America/New_York', 'Australia/Sydney', 'Asia/Kolkata'];
const DAYS = ['', 'mon..fri ', 'sat ', 'sun ', 'mon,wed,fri ', 'sat,sun ', 'fri..mon '];

function varied(r: Random): string {
  switch (r.int(0, 7)) {
    case 0: return r.pick(['daily', 'hourly', 'weekly', 'monthly', 'quarterly', 'yearly']);
    case 1: return `${r.pick(DAYS)}${r.int(0, 23)}:${String(r.int(0, 59)).padStart(2, '0')}`;
    case 2: return `*/${r.pick([5, 7, 10, 15, 20, 30, 45])}`;
    case 3: return `${r.pick(DAYS)}${r.int(0, 6)}..${r.int(7, 23)}:00/${r.pick([10, 15, 30])}`;
    case 4: return `sat *-${r.pick(['1..7', '8..14', '15..21'])} ${r.int(0, 23)}:00`;
    case 5: return `*-*-${r.pick(['1', '1,15', '1,31', '1/7'])} ${r.int(0, 23)}:${r.int(0, 59)}`;
    case 6: return `${r.int(0, 23)},${r.int(0, 23)}:${r.int(0, 59)}`;
    default: return `${r.pick(DAYS)}*/${r.pick([2, 3, 4, 6])}:${r.int(0, 59)}`;
  }
}

function fmt(ms: number): string {
  return `${ms.toFixed(1)} ms`;
}

async function batchRun(input: string): Promise<{ ms: number; lines: number }> {
  let out = '';
  const started = performance.now();
  await scheduleVerb(['next', '--batch', '--tz', 'UTC'], {
    stdout: (t) => { out += t; },
    stderr: (t) => { process.stderr.write(t); },
    stdin: Readable.from([input]),
    env: {},
    stopSignal: new AbortController().signal,
  });
  return { ms: performance.now() - started, lines: out.split('\n').length - 1 };
}

async function run(): Promise<void> {
  const r = new Random(2026);
  const texts = Array.from({ length: 1000 }, () => varied(r));
  const zones = texts.map(() => r.pick(ZONES));
  const from = Date.UTC(2026, 9, 1) / 1000; // October: the month with the European and US fall-back
  const to = Date.UTC(2026, 10, 1) / 1000;

  let t0 = performance.now();
  const schedules = texts.map((t) => parseSchedule(t));
  const parseMs = performance.now() - t0;

  t0 = performance.now();
  let runs = 0;
  schedules.forEach((s, i) => { runs += s.between(from, to, zones[i]).length; });
  const coldMs = performance.now() - t0;

  t0 = performance.now();
  schedules.forEach((s, i) => { s.between(from, to, zones[i]); });
  const warmMs = performance.now() - t0;

  console.log(`1,000 varied calendar schedules, one month (October 2026) of runs in 5 zones`);
  console.log(`  parse:                     ${fmt(parseMs)}`);
  console.log(`  between(), first pass:     ${fmt(coldMs)}  (${runs} runs, ${(runs / (coldMs / 1000) / 1000).toFixed(0)}k runs/s; includes learning zone offsets)`);
  console.log(`  between(), second pass:    ${fmt(warmMs)}  (${(runs / (warmMs / 1000) / 1000).toFixed(0)}k runs/s)`);
  console.log(`  ratio first/second pass:   ${(coldMs / warmMs).toFixed(2)}`);

  // cron-parser (through luxon) is far slower per run, so this comparison covers one week of 20 schedules.
  const weekEnd = from + 7 * 86400;
  const cronTexts = ['0 2 * * 1-5', '*/15 * * * *', '30 3 * * 0', '0 */6 * * *', '0 0 1 * *'];
  const calTexts = ['mon..fri 02:00', '*/15', 'sun 03:30', '*/6:00', 'monthly'];
  const time = (kind: 'cron' | 'calendar', list: string[]): { ms: number; runs: number } => {
    const started = performance.now();
    let n = 0;
    for (let i = 0; i < 20; i++) n += parseSchedule(list[i % 5], kind).between(from, weekEnd, ZONES[i % 5]).length;
    return { ms: performance.now() - started, runs: n };
  };
  const cron = time('cron', cronTexts);
  const cal = time('calendar', calTexts);
  console.log(`20 equivalent schedules, one week, cron (cron-parser) vs calendar events (own engine)`);
  console.log(`  cron:      ${fmt(cron.ms)} for ${cron.runs} runs`);
  console.log(`  calendar:  ${fmt(cal.ms)} for ${cal.runs} runs`);
  console.log(`  time per run, cron/calendar: ${((cron.ms / cron.runs) / (cal.ms / cal.runs)).toFixed(1)}x`);

  const lines: string[] = [];
  for (let i = 0; i < 5000; i++) {
    lines.push(JSON.stringify({ expr: texts[r.int(0, 999)], from: r.int(1_600_000_000, 1_900_000_000), count: 10, tz: r.pick(ZONES) }));
  }
  const input = `${lines.join('\n')}\n`;
  const first = await batchRun(input);
  const second = await batchRun(input);
  console.log(`schedule next --batch, 5,000 lines of 10 chained runs each (in-process)`);
  console.log(`  first run:   ${fmt(first.ms)}  ${(first.lines / (first.ms / 1000)).toFixed(0)} lines/s`);
  console.log(`  second run:  ${fmt(second.ms)}  ${(second.lines / (second.ms / 1000)).toFixed(0)} lines/s (parsed schedules and zone offsets cached)`);
}

run().catch((err) => {
  console.error(err);
  process.exit(1);
});
