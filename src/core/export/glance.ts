// The feed of `/glance.json` for Glance's custom-api widget: flat, every value already a string or a number, so a
// template of `.JSON.Array`, `.String` and `.Int` renders it without arithmetic. Times are RFC 3339 in UTC (Glance's
// `parseTime "RFC3339"` and `toRelativeTime` read them) and pre-formatted in the server's zone for a plain column.
import { entryStart, type CalendarData } from '../calendar';
import { STATUS_LABELS } from '../health/labels';
import { HEALTH_STATUS_ORDER, isHealthy, type GuestHealthStatus, type HealthReport } from '../health/types';
import { formatStamp } from '../text/time';
import { isoUtc } from './csv';

export interface GlanceGuest {
  name: string;
  vmid: number;
  endpoint: string;
  status: GuestHealthStatus;
  status_label: string;
  ok: boolean;
  /** RFC 3339 UTC, '' when never. */
  last: string;
  last_text: string;
  next: string;
  next_text: string;
  backups: number;
}

export interface GlanceRun {
  label: string;
  job: string;
  endpoint: string;
  at: string;
  at_text: string;
  /** Runs in this entry (a band of dense runs counts them all). */
  runs: number;
}

export interface GlanceProblem {
  kind: 'guest' | 'job';
  name: string;
  endpoint: string;
  status: string;
  reason: string;
}

export interface GlanceFeed {
  generated_at: string;
  time_zone: string;
  summary: Record<GuestHealthStatus, number> & { guests: number; problems: number; jobs: number; job_problems: number };
  guests: GlanceGuest[];
  next_runs: GlanceRun[];
  problems: GlanceProblem[];
}

const STATUS_RANK = new Map(HEALTH_STATUS_ORDER.map((s, i) => [s, i]));

/** The feed: guests worst first (then by name), the next `maxRuns` runs from `now` on, every problem. */
export function glanceFeed(report: HealthReport, upcoming: CalendarData, timeZone: string, maxRuns = 20): GlanceFeed {
  const text = (t: number | null): string => (t === null ? '' : formatStamp(t, timeZone));
  const guests = [...report.guests]
    .sort((a, b) => (STATUS_RANK.get(a.status)! - STATUS_RANK.get(b.status)!) || a.name.localeCompare(b.name, 'en') || a.vmid - b.vmid)
    .map((g): GlanceGuest => ({
      name: g.name, vmid: g.vmid, endpoint: g.endpoint, status: g.status, status_label: STATUS_LABELS[g.status], ok: isHealthy(g.status),
      last: isoUtc(g.lastBackup), last_text: text(g.lastBackup), next: isoUtc(g.nextBackup), next_text: text(g.nextBackup), backups: g.backupCount,
    }));
  const routines = new Map(upcoming.routines.map((r) => [r.key, r]));
  const runs: GlanceRun[] = [];
  for (const day of upcoming.days) {
    for (const e of day.entries) {
      const r = routines.get(e.routine);
      const at = entryStart(e);
      if (!r || at < report.now || !r.enabled || r.status !== 'active') continue;
      runs.push({ label: r.label, job: r.routineId, endpoint: r.endpointName, at: isoUtc(at), at_text: text(at), runs: e.kind === 'band' ? e.count : 1 });
      if (runs.length >= maxRuns) break;
    }
    if (runs.length >= maxRuns) break;
  }
  const jobs = report.jobs ?? [];
  const problems: GlanceProblem[] = [
    ...report.guests.filter((g) => !isHealthy(g.status))
      .map((g): GlanceProblem => ({ kind: 'guest', name: `${g.name} (${g.vmid})`, endpoint: g.endpoint, status: STATUS_LABELS[g.status], reason: g.reason })),
    ...jobs.filter((j) => j.problem)
      .map((j): GlanceProblem => ({ kind: 'job', name: `${j.kind} ${j.id}`, endpoint: j.endpoint, status: j.status ?? 'missed', reason: j.reason })),
  ];
  return {
    generated_at: isoUtc(report.now),
    time_zone: timeZone,
    summary: {
      ...report.summary, guests: report.guests.length, problems: problems.filter((p) => p.kind === 'guest').length,
      jobs: jobs.length, job_problems: problems.filter((p) => p.kind === 'job').length,
    },
    guests,
    next_runs: runs,
    problems,
  };
}
