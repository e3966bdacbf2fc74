// Backup calendar figures: the data for one month view (six weeks) of many routines, the share that band collapsing
// saves the view, and the cost of grouping runs by the viewer's local day. Prints figures and ratios only.
import { performance } from 'node:perf_hooks';
import { buildCalendar, type CalendarRoutineInput } from '../src/core/calendar';
import { parseSchedule } from '../src/core/schedule';

const SCHEDULES = ['daily', '02:30', 'mon..fri 01:00', 'sat 03:00', '*/5', '*/15', '0/2:00', 'hourly', 'sun 04:00', '*-*-1 05:00', '8..18:0/10', '21:00'];
const ZONES = ['UTC', 'Europe/Berlin', 'America/New_York', 'Asia/Kolkata'];
const parse = (text: string) => parseSchedule(text, 'calendar');
const FROM = Date.UTC(2026, 10, 2) / 1000; // a Monday
const TO = FROM + 42 * 86_400;

function routines(n: number): CalendarRoutineInput[] {
  return Array.from({ length: n }, (_, i) => ({
    endpointId: `pve${i % 3}`, endpointName: `cluster ${i % 3}`, routineId: `backup-${i}`, label: `job ${i}`,
    scheduleText: SCHEDULES[i % SCHEDULES.length], timezone: ZONES[i % ZONES.length], enabled: i % 7 !== 0, status: i % 11 === 0 ? 'stale' : 'active',
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

console.log('one month view (42 days), every run computed with the schedule engine, dense runs collapsed into bands');
for (const n of [12, 100, 500]) measure(n, 'UTC');
measure(100, 'Asia/Kathmandu');
