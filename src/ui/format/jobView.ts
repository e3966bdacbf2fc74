// How a job of the jobs service reads in the tree and in quick picks.
import type { JobLike } from '../jobs/jobsPort';
import { stageLabel } from './stages';
import { formatDateTime, formatDuration, formatRelative } from './time';

const TYPE_LABELS: Record<string, string> = {
  all: 'Full sync', devices: 'Devices', 'virtual-machines': 'Virtual machines', backups: 'Backups', 'backup-routines': 'Backup routines',
};

export function jobTitle(j: JobLike): string {
  if (j.syncType === 'custom' && j.stages?.length) return j.stages.map(stageLabel).join(', ');
  return TYPE_LABELS[j.syncType] ?? j.syncType;
}

/** Plain words for a schedule, in the user's local time. */
export function scheduleWords(j: Pick<JobLike, 'schedule'>, timeZone?: string): string {
  const s = j.schedule;
  switch (s.mode) {
    case 'now': return 'run now';
    case 'once': return `once at ${formatDateTime(s.at / 1000, timeZone)}`;
    case 'interval': return `every ${s.minutes} minute${s.minutes === 1 ? '' : 's'}`;
    case 'seconds': return `every ${s.seconds} second${s.seconds === 1 ? '' : 's'}`;
    case 'cron': return `cron ${s.expr} (${s.tz})`;
    case 'continuous': return `continuously, ${s.backoffSeconds ?? 30} s pause after a failure`;
  }
}

export interface JobPresentation { label: string; description: string; icon: { id: string; color?: string }; tooltip: string; contextValue: string }

export function presentJob(j: JobLike, nowMs: number, timeZone?: string): JobPresentation {
  const now = nowMs / 1000;
  const label = jobTitle(j);
  const sched = scheduleWords(j, timeZone);
  const took = j.startedAt !== undefined && j.completedAt !== undefined ? formatDuration((j.completedAt - j.startedAt) / 1000) : undefined;
  const lines = [`${label} of ${j.endpoints.join(', ')}`, `Schedule: ${sched}`, `Status: ${j.status}`];
  if (j.catchUp) lines.push(`Catch-up run for ${j.catchUp.missed} missed run${j.catchUp.missed === 1 ? '' : 's'} since ${formatDateTime(j.catchUp.since / 1000, timeZone)}`);
  if (j.error) lines.push(`Error: ${j.error}`);
  switch (j.status) {
    case 'scheduled':
      lines.push(`Next run: ${formatDateTime(j.scheduledAt / 1000, timeZone)}`);
      return { label, description: `scheduled · ${formatRelative(j.scheduledAt / 1000, now)} · ${sched}`, icon: { id: 'clock' }, tooltip: lines.join('\n'), contextValue: 'proxbox.job.scheduled' };
    case 'pending':
      return { label, description: 'queued behind a running sync', icon: { id: 'watch' }, tooltip: lines.join('\n'), contextValue: 'proxbox.job.scheduled' };
    case 'running':
      return { label, description: 'running', icon: { id: 'sync~spin' }, tooltip: lines.join('\n'), contextValue: 'proxbox.job.running' };
    case 'completed':
      return { label, description: `completed · ${took ?? ''} · ${formatRelative((j.completedAt ?? j.scheduledAt) / 1000, now)}`,
        icon: { id: 'pass', color: 'testing.iconPassed' }, tooltip: lines.join('\n'), contextValue: 'proxbox.job.finished' };
    default:
      return { label, description: `${j.status} · ${took ? `${took} · ` : ''}${formatRelative((j.completedAt ?? j.scheduledAt) / 1000, now)}`,
        icon: { id: 'error', color: 'testing.iconFailed' }, tooltip: lines.join('\n'), contextValue: 'proxbox.job.finished' };
  }
}
