// How a job of the jobs service reads in the tree, the status bar and quick picks.
import { describeCronOrEvent } from '../../core/jobs/cron';
import { isTerminal, type Job, type ScheduleSpec } from '../../core/jobs/types';
import { describeSchedule } from '../../core/jobs/recurrence';
import { stageLabel } from '../../core/pipeline/stageLabels';
import { formatDateTime, formatDuration, formatRelative, formatStamp, localZone } from '../../core/text/time';

const TYPE_LABELS: Record<string, string> = {
  all: 'Full sync', devices: 'Devices', 'virtual-machines': 'Virtual machines', backups: 'Backups', 'backup-routines': 'Backup jobs',
};

export function jobTitle(j: Pick<Job, 'syncType' | 'stages'>): string {
  if (j.syncType === 'custom' && j.stages?.length) return j.stages.map(stageLabel).join(', ');
  return TYPE_LABELS[j.syncType] ?? j.syncType;
}

/** "Full sync of lab, pve2" with endpoint names instead of ids where they are known. */
export function jobSubject(j: Pick<Job, 'syncType' | 'stages' | 'endpoints'>, nameOf: (id: string) => string | undefined): string {
  return `${jobTitle(j)} of ${j.endpoints.map((e) => nameOf(e) ?? e).join(', ')}`;
}

/**
 * A sync schedule in a few words, for names: "every weekday at 02:30", "every 60 minutes" (the back-off and the
 * expression as typed are in describeSchedule, for tooltips). A zone other than this machine's is named.
 */
export function scheduleName(spec: ScheduleSpec, timeZone = localZone()): string {
  switch (spec.mode) {
    case 'now': return 'run now';
    case 'once': return `once at ${formatStamp(spec.at / 1000, timeZone)}`;
    case 'interval': return `every ${spec.minutes} minute${spec.minutes === 1 ? '' : 's'}`;
    case 'seconds': return `every ${spec.seconds} second${spec.seconds === 1 ? '' : 's'}`;
    case 'cron': return `${describeCronOrEvent(spec.expr)}${spec.tz === timeZone ? '' : ` (${spec.tz})`}`;
    case 'continuous': return 'continuously';
  }
}

/** A run (running or ended) is named by its time; a scheduled job by its schedule. */
const isRun = (j: Pick<Job, 'status'>): boolean => j.status === 'running' || isTerminal(j.status);
const runTime = (j: Pick<Job, 'startedAt' | 'scheduledAt'>, timeZone?: string): string => formatStamp((j.startedAt ?? j.scheduledAt) / 1000, timeZone);
const recurs = (spec: ScheduleSpec): boolean => spec.mode !== 'now' && spec.mode !== 'once';

/**
 * A job as people name it (issue 11, item 8), not by its id: "Full sync of Lab cluster, every weekday at 02:30" for a
 * schedule, "Full sync of Lab cluster, 2026-11-30 02:30" for a run. For pick lists, log titles and tab names.
 */
export function jobName(j: Job, nameOf: (id: string) => string | undefined, timeZone?: string): string {
  const when = isRun(j) || !recurs(j.schedule) ? runTime(j, timeZone) : scheduleName(j.schedule, timeZone);
  return `${jobSubject(j, nameOf)}, ${when}`;
}

/** The tree's label (the endpoint is the parent): what and when, the part that tells jobs apart within reach. */
function treeLabel(j: Job, timeZone?: string): string {
  const when = isRun(j) || !recurs(j.schedule) ? runTime(j, timeZone) : scheduleName(j.schedule, timeZone);
  return `${jobTitle(j)}, ${when}`;
}

export interface JobPresentation { label: string; description: string; icon: { id: string; color?: string }; tooltip: string; contextValue: string }

/** `running` is the live progress line of a run of this window ("Stage 3/12: Storage"), when there is one. */
export function presentJob(j: Job, nowMs: number, opts: { timeZone?: string; running?: string; nameOf?: (id: string) => string | undefined } = {}): JobPresentation {
  const { timeZone } = opts;
  const now = nowMs / 1000;
  const label = treeLabel(j, timeZone);
  const sched = describeSchedule(j.schedule, timeZone);
  const took = j.startedAt !== undefined && j.completedAt !== undefined ? formatDuration((j.completedAt - j.startedAt) / 1000) : undefined;
  const lines = [jobName(j, opts.nameOf ?? (() => undefined), timeZone), `Schedule: ${sched}`, `Status: ${j.status}`, `Job: ${j.id}`];
  if (j.catchUp) lines.push(`Catch-up run for ${j.catchUp.missed} missed run${j.catchUp.missed === 1 ? '' : 's'} since ${formatDateTime(j.catchUp.since / 1000, timeZone)}`);
  if (j.error) lines.push(`Error: ${j.error}`);
  switch (j.status) {
    case 'scheduled':
      lines.push(`Next run: ${formatDateTime(j.scheduledAt / 1000, timeZone)}`);
      return { label, description: `scheduled · ${formatRelative(j.scheduledAt / 1000, now)}`, icon: { id: 'clock' }, tooltip: lines.join('\n'), contextValue: 'proxbox.job.scheduled' };
    case 'pending':
      return { label, description: 'queued behind a running sync', icon: { id: 'watch' }, tooltip: lines.join('\n'), contextValue: 'proxbox.job.scheduled' };
    case 'running':
      return { label, description: `running${opts.running ? ` · ${opts.running}` : ''}`, icon: { id: 'sync~spin' }, tooltip: lines.join('\n'), contextValue: 'proxbox.job.running' };
    case 'completed':
    case 'errored':
    case 'failed':
      break;
  }
  const ago = formatRelative((j.completedAt ?? j.scheduledAt) / 1000, now);
  if (j.interrupted) {
    // Cancelled, stopped from outside or never run: not a failed sync, and not shown as one.
    const what = j.startedAt === undefined ? 'not run' : 'stopped';
    return { label, description: `${what} · ${ago}${j.error ? ` · ${j.error}` : ''}`, icon: { id: 'circle-slash', color: 'disabledForeground' },
      tooltip: lines.join('\n'), contextValue: 'proxbox.job.finished' };
  }
  switch (j.status) {
    case 'completed':
      return { label, description: `completed · ${took ?? ''} · ${formatRelative((j.completedAt ?? j.scheduledAt) / 1000, now)}`,
        icon: { id: 'pass', color: 'testing.iconPassed' }, tooltip: lines.join('\n'), contextValue: 'proxbox.job.finished' };
    default:
      return { label, description: `${j.status} · ${took ? `${took} · ` : ''}${formatRelative((j.completedAt ?? j.scheduledAt) / 1000, now)}`,
        icon: { id: 'error', color: 'testing.iconFailed' }, tooltip: lines.join('\n'), contextValue: 'proxbox.job.finished' };
  }
}
