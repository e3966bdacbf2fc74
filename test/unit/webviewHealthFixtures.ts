// Health reports built by hand for the health view's tests and benchmark: HealthReport (src/core/health/types.ts)
// is the contract, so the fixtures are typed by it and fail to compile when it changes.
import type { GuestHealth, GuestHealthStatus, HealthReport, RoutineHealth, RoutineRun } from '../../src/core/health/types';
import type { HealthViewData } from '../../src/webview/health/protocol';

export const NOW = Date.UTC(2026, 10, 23, 12) / 1000; // Monday 23 Nov 2026, 12:00 UTC
export const XSS = '<img src=x onerror=alert(1)>';
export const DAY = 86_400;

export function guest(vmid: number, status: GuestHealthStatus, extra: Partial<GuestHealth> = {}): GuestHealth {
  return {
    endpoint: 'pve1', vmid, name: `guest-${vmid}`, node: 'pve-a', type: 'qemu', status, reason: status === 'ok' ? '' : `reason ${status}`,
    lastBackup: status === 'never' ? null : NOW - 31 * 3600, backupCount: status === 'never' ? 0 : 3,
    nextBackup: status === 'not-covered' ? null : NOW + 14 * 3600, routines: status === 'not-covered' ? [] : ['backup-daily'],
    verification: null, ...extra,
  };
}

export function run(daysAgo: number, status: RoutineRun['status'], extra: Partial<RoutineRun> = {}): RoutineRun {
  const scheduled = NOW - daysAgo * DAY - 9.5 * 3600; // 02:30 UTC
  return {
    scheduled, node: 'pve-a', status, task: status === 'missed' ? null : `UPID:pve-a:000:${scheduled}:vzdump::root@pam:`,
    failedGuests: [], started: status === 'missed' ? null : scheduled, ended: status === 'missed' || status === 'running' ? null : scheduled + 600,
    taskStatus: status === 'ok' ? 'OK' : status === 'failed' ? 'job errors' : null, failures: [], jobError: null, ...extra,
  };
}

export function routine(jobId: string, runs: RoutineRun[], extra: Partial<RoutineHealth> = {}): RoutineHealth {
  const done = runs.filter((r) => r.status !== 'running');
  return { endpoint: 'pve1', jobId, runs, lastRun: done[done.length - 1] ?? null, dueRun: null, nextRun: NOW + 14 * 3600, problems: [], ...extra };
}

export function report(guests: GuestHealth[], routines: RoutineHealth[] = []): HealthReport {
  const summary = { excluded: 0, 'not-covered': 0, never: 0, failed: 0, overdue: 0, 'verify-failed': 0, ok: 0 };
  for (const g of guests) summary[g.status]++;
  return { now: NOW, graceSeconds: 3600, historyDays: 14, summary, guests, routines, jobs: [], violations: [] };
}

export function viewData(...endpoints: { id: string; name: string; report: HealthReport; names?: Record<string, string> }[]): HealthViewData {
  return { now: NOW, endpoints: endpoints.map((e) => ({ endpointId: e.id, endpointName: e.name, report: e.report, routineNames: e.names ?? {} })) };
}

const STATUSES: GuestHealthStatus[] = ['ok', 'ok', 'ok', 'ok', 'ok', 'ok', 'ok', 'ok', 'failed', 'overdue', 'never', 'not-covered', 'verify-failed', 'excluded'];

/** `n` guests over three endpoints and 60 daily routines with 14 days of runs: the 10,000-guest benchmark's cluster. */
export function largeData(n: number): HealthViewData {
  const endpoints = [0, 1, 2].map((e) => {
    const guests: GuestHealth[] = [];
    for (let i = e; i < n; i += 3) {
      guests.push(guest(100 + i, STATUSES[i % STATUSES.length], { endpoint: `pve${e}`, node: `node-${i % 17}`, routines: [`job-${i % 20}`], name: `vm-${i}` }));
    }
    const routines = Array.from({ length: 20 }, (_, j) => routine(`job-${j}`,
      Array.from({ length: 14 }, (_, d) => run(13 - d, (d + j) % 9 === 0 ? 'failed' : (d + j) % 7 === 0 ? 'missed' : 'ok')), { endpoint: `pve${e}` }));
    return { id: `pve${e}`, name: `cluster ${e}`, report: report(guests, routines) };
  });
  return viewData(...endpoints);
}
