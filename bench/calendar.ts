// Backup calendar figures: the data for one month view (six weeks) of many routines, the share that band collapsing
// saves the view, and the cost of grouping runs by the viewer's local day. Then the issue-13 budget: a month of 200
// routines plus 20 cron custom entries, computed and rendered, under 150 ms, with the cron entries' share of the time
// (cron-parser costs milliseconds a run; the calendar's day-stepping path must keep cron from dominating).
import { spawnSync } from 'node:child_process';
import { performance } from 'node:perf_hooks';
import { buildCalendar, type CalendarData, type CalendarRoutineInput } from '../src/core/calendar';
import { parseSchedule } from '../src/core/schedule';
import { initialCalendarState, reduceCalendar } from '../src/webview/calendar/state';
import { renderCalendar } from '../src/webview/calendar/view';
import { fakeDocument, FakeElement } from '../test/unit/webviewFakeDom';

(globalThis as { document?: unknown }).document = fakeDocument;

const SCHEDULES = ['daily', '02:30', 'mon..fri 01:00', 'sat 03:00', '*/5', '*/15', '0/2:00', 'hourly', 'sun 04:00', '*-*-1 05:00', '8..18:0/10', '21:00'];
const CRONS = ['15 2 * * *', '0 3 * * 1-5', '30 1 * * 0', '0 */6 * * *', '45 23 * * *'];
const ZONES = ['UTC', 'Europe/Berlin', 'America/New_York', 'Asia/Kolkata'];
const parse = (text: string) => parseSchedule(text, 'calendar');
const parseCron = (text: string) => parseSchedule(text, 'cron');
const FROM = Date.UTC(2026, 10, 2) / 1000; // a Monday
const TO = FROM + 42 * 86_400;
// What 200 sources of a real estate look like: mostly nightly and weekly jobs, some hourly, a few every 15 minutes.
const REAL = ['daily', '02:30', 'mon..fri 01:00', 'sat 03:00', 'sun 04:00', '21:00', '*-*-1 05:00', 'hourly', '0/2:00', '*/15'];
const KINDS = ['backup', 'backup', 'backup', 'replication', 'gc', 'verify', 'prune', 'sync'] as const;

function routines(n: number, schedules = SCHEDULES): CalendarRoutineInput[] {
  return Array.from({ length: n }, (_, i) => ({
    endpointId: `pve${i % 3}`, endpointName: `cluster ${i % 3}`, routineId: `backup-${i}`, label: `job ${i}`,
    scheduleText: schedules[i % schedules.length], timezone: ZONES[i % ZONES.length], enabled: i % 7 !== 0, status: i % 11 === 0 ? 'stale' : 'active',
    kind: KINDS[i % KINDS.length], resources: [{ key: `storage:${i % 9}`, label: `storage ${i % 9}` }],
  }));
}

function cronEntries(n: number, tag = ''): CalendarRoutineInput[] {
  // A distinct expression per entry and run (the tag), so the day-stepping cache cannot answer from an earlier run.
  return Array.from({ length: n }, (_, i) => ({
    endpointId: '~custom', endpointName: 'Custom entries', routineId: `setting:dump-${i}${tag}`, label: `dump ${i}`,
    scheduleText: `${CRONS[i % CRONS.length].replace(/^(\d+)/, (m) => String((Number(m) + i) % 60))}${tag}`, scheduleKind: 'cron' as const,
    timezone: ZONES[i % ZONES.length], enabled: true, status: 'active' as const, kind: 'custom' as const, customColor: '#e07000',
    resources: [{ key: `name:storage ${i % 9}`, label: `storage ${i % 9}`, byName: true }],
  }));
}

function measure(n: number, timeZone: string): void {
  const input = routines(n);
  buildCalendar(input.slice(0, 4), { from: FROM, to: TO, timeZone, parse }); // warm the engine's caches and the JIT
  const t0 = performance.now();
  const data = buildCalendar(input, { from: FROM, to: TO, timeZone, parse });
  const ms = performance.now() - t0;
  const entries = data.days.reduce((s, d) => s + d.entries.length, 0);
  const bytes = Buffer.byteLength(JSON.stringify(data));
  console.log(`${String(n).padStart(4)} routines, viewer in ${timeZone.padEnd(16)} ${String(data.totalRuns).padStart(7)} runs -> ${String(entries).padStart(5)} entries ` +
    `(${(data.totalRuns / Math.max(1, entries)).toFixed(1)}x fewer), ${ms.toFixed(1)} ms, ${(ms * 1000 / Math.max(1, data.totalRuns)).toFixed(2)} µs/run, reply ${(bytes / 1024).toFixed(0)} KiB`);
}

function render(data: CalendarData): number {
  let s = initialCalendarState({ version: 1, view: 'month', anchor: '2026-11-15', endpointId: null, showDisabled: true }, 'UTC', FROM);
  s = reduceCalendar(s, { type: 'start' }).state;
  s = reduceCalendar(s, { type: 'contextLoaded', request: s.requests, viewNow: FROM, context: { endpoints: [{ id: 'pve0', name: 'cluster 0', syncedAt: 1 }], now: FROM } }).state;
  s = reduceCalendar(s, { type: 'runsLoaded', request: s.requests, data }).state;
  const app = new FakeElement('main');
  const t0 = performance.now();
  renderCalendar(app as unknown as HTMLElement, s, FROM, () => undefined);
  return performance.now() - t0;
}

/** Median of `n` timings: one-shot figures on a shared machine swing by half. */
function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}

const BUDGET_MS = 150;

/** The first build and render of a month in a fresh process (cold JIT), as when the calendar opens after activation. */
function firstBuild(): { compute: number; render: number } {
  const base = routines(200, REAL);
  const options = { from: FROM, to: TO, timeZone: 'UTC', parse, parseCron };
  buildCalendar([...base.slice(0, 4), ...cronEntries(2, ' ')], options); // what activation and the view's first page warm
  for (const e of cronEntries(20, '  ')) parseCron(e.scheduleText); // reading the setting parses each entry first
  const t0 = performance.now();
  const data = buildCalendar([...base, ...cronEntries(20, '  ')], options);
  const compute = performance.now() - t0;
  return { compute, render: render(data) };
}

/** Runs firstBuild in `n` fresh processes: one sample each, since only a fresh process is cold. */
function firstBuilds(n: number): { compute: number; render: number }[] {
  const out: { compute: number; render: number }[] = [];
  for (let i = 0; i < n; i++) {
    const r = spawnSync(process.execPath, [process.argv[1]!], { env: { ...process.env, PROXBOX_BENCH_FIRST_BUILD: '1' }, encoding: 'utf8' });
    if (r.status !== 0) throw new Error(`the first-build child failed: ${r.stderr}`);
    out.push(JSON.parse(r.stdout.trim().split('\n').pop()!) as { compute: number; render: number });
  }
  return out;
}

function budget(): void {
  const base = routines(200, REAL);
  const options = { from: FROM, to: TO, timeZone: 'UTC', parse, parseCron };
  buildCalendar([...base.slice(0, 4), ...cronEntries(2, ' ')], options); // warm up
  const time = (f: () => CalendarData) => { const t0 = performance.now(); const data = f(); return { ms: performance.now() - t0, data }; };
  // Steady state, as a user paging through months sees it: seven builds, each with cron entries never seen before
  // (a different tag), so no run of theirs comes from a cache; each rendered. Reading the setting checks every entry
  // (readCustomEntries parses it), so the parse is cached before the calendar asks, here too.
  const steady: { compute: number; render: number }[] = [];
  let last: CalendarData | undefined;
  for (let k = 0; k < 7; k++) {
    const tag = ` ${'\t'.repeat(k + 1)}`;
    for (const e of cronEntries(20, tag)) parseCron(e.scheduleText);
    const run = time(() => buildCalendar([...base, ...cronEntries(20, tag)], options));
    steady.push({ compute: run.ms, render: render(run.data) });
    last = run.data;
  }
  const steadyCompute = median(steady.map((x) => x.compute));
  const steadyRender = median(steady.map((x) => x.render));
  const without = median(Array.from({ length: 7 }, () => time(() => buildCalendar(base, options)).ms));
  const noOverlaps = median(Array.from({ length: 7 }, () => time(() => buildCalendar(base.map((r) => ({ ...r, resources: [] })), options)).ms));
  // The same cron entries through cron-parser alone: what the calendar would cost without the day-stepping path.
  const slow = median(Array.from({ length: 3 }, (_, k) => {
    const tag = ` ${'\v'.repeat(k + 1)}`;
    for (const e of cronEntries(20, tag)) parseCron(e.scheduleText);
    return time(() => buildCalendar([...base, ...cronEntries(20, tag)], { ...options, fastCron: false })).ms;
  }));
  const cronRuns = last!.routines.filter((r) => r.kind === 'custom').reduce((n, r) => n + r.runs, 0);
  const cronCost = steadyCompute - without;
  const firsts = firstBuilds(5);
  const firstTotals = firsts.map((x) => x.compute + x.render).sort((a, b) => a - b);
  const pct = (ms: number) => `${(ms / BUDGET_MS * 100).toFixed(0)} %`;
  console.log(`\nissue 13 budget: one month, 200 routines of every kind + 20 cron custom entries, computed and rendered (budget ${BUDGET_MS} ms)`);
  const steadyTotal = steadyCompute + steadyRender;
  console.log(`  steady state (median of 7, new cron entries each time): compute ${steadyCompute.toFixed(1)} ms + render ${steadyRender.toFixed(1)} ms = ${steadyTotal.toFixed(1)} ms = ${pct(steadyTotal)} of the budget`);
  console.log(`  first build in a fresh process (5 processes): median ${median(firstTotals).toFixed(1)} ms = ${pct(median(firstTotals))} of the budget ` +
    `(fastest ${firstTotals[0]!.toFixed(1)} ms, slowest ${firstTotals[firstTotals.length - 1]!.toFixed(1)} ms; compute median ${median(firsts.map((x) => x.compute)).toFixed(1)} ms)`);
  console.log(`  ${last!.overlaps.length} overlaps listed, ${last!.overlapsLeftOut} more counted; overlaps cost ${(without - noOverlaps).toFixed(1)} ms of the compute (medians)`);
  console.log(`  cron: ${cronRuns} runs of 20 entries cost ${cronCost.toFixed(1)} ms = ${(cronCost / steadyCompute * 100).toFixed(0)} % of the compute (median with - median without)`);
  const distinct = new Set(base.map((r) => `${r.timezone}\u0000${r.scheduleText}`)).size;
  console.log(`  ${distinct} distinct (schedule, zone) pairs among the 200 routines: runs of a shared schedule are placed once per build`);
  const slowCron = slow - without;
  console.log(`  the same cron entries through cron-parser only: ${slow.toFixed(1)} ms compute, cron ${slowCron.toFixed(1)} ms` +
    (cronCost >= 1 ? ` = ${(slowCron / cronCost).toFixed(0)}x the day-stepping path's cron cost` : ' (the day-stepping path\'s cron cost is under 1 ms, below the noise)'));
}

if (process.env.PROXBOX_BENCH_FIRST_BUILD === '1') {
  console.log(JSON.stringify(firstBuild()));
  process.exit(0);
}

console.log('one month view (42 days), every run computed with the schedule engine, dense runs collapsed into bands');
for (const n of [12, 100, 500]) measure(n, 'UTC');
measure(100, 'Asia/Kathmandu');
budget();
