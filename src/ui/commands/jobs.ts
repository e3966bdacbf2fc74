// Commands of jobs: schedule a sync (a quick pick of modes, validated as typed, with a preview of the next runs),
// cancel, delete, clear the history, and show a job's log. They forward to the jobs service.
import * as vscode from 'vscode';
import { previewRuns } from '../../core/jobs/preview';
import { describeSchedule, validateSchedule } from '../../core/jobs/recurrence';
import { isTerminal, type JobRequest, type ScheduleSpec } from '../../core/jobs/types';
import { STAGES } from '../../core/pipeline/events';
import { formatDateTime, formatRelative, localZone } from '../../core/text/time';
import { jobSubject, jobTitle } from '../format/jobView';
import { parseOnceAt, parseWholeNumber } from '../input/scheduleInput';
import { jobHistory } from '../settings';
import { endpointIdOf, jobIdOf } from './args';
import type { CommandDeps } from './deps';
import { pickJob } from './pick';
import type { CommandTable } from './register';

const SYNC_TYPES: { label: string; detail: string; syncType: JobRequest['syncType'] }[] = ([
  ['all', `All ${STAGES.length} stages`],
  ['backup-routines', 'vzdump jobs, next runs, stale marking (plus what they depend on)'],
  ['backups', 'Backup files on every storage'],
  ['virtual-machines', 'Guests and their configuration'],
  ['devices', 'Nodes and the cluster'],
] as const).map(([syncType, detail]) => ({ label: jobTitle({ syncType }), detail, syncType }));
async function input(title: string, prompt: string, value: string, check: (v: string) => string | undefined): Promise<string | undefined> {
  return vscode.window.showInputBox({ title, prompt, value, ignoreFocusOut: true, validateInput: check });
}

/** The reason a spec is refused, or undefined when the jobs service will take it. */
function refusal(spec: ScheduleSpec): string | undefined {
  try {
    validateSchedule(spec, Date.now());
    return undefined;
  } catch (e) {
    return (e as Error).message;
  }
}

/** Asks for the schedule; undefined when the user backs out. */
async function askSchedule(deps: CommandDeps, title: string): Promise<ScheduleSpec | undefined> {
  const { continuousBackoffSeconds: backoff, continuousPauseSeconds: pause } = jobHistory();
  const modes = [
    { label: '$(play) Run now', mode: 'now' },
    { label: '$(calendar) Once at a time…', mode: 'once' },
    { label: '$(history) Every N minutes…', mode: 'interval', detail: 'Stays on its grid: a sync first run at 02:00 every 1440 minutes stays at 02:00' },
    { label: '$(symbol-event) Cron expression in a time zone…', mode: 'cron', detail: 'e.g. 0 */6 * * * in Europe/Vienna' },
    { label: '$(watch) Every N seconds…', mode: 'seconds', detail: 'For short intervals; measured from each start' },
    { label: '$(sync) Continuously', mode: 'continuous', detail: `Run after run, ${pause} s apart (proxbox.jobs.continuousPauseSeconds); ${backoff} s after a failure` },
  ] as const;
  const pick = await vscode.window.showQuickPick(modes.map((m) => ({ ...m })), { title, placeHolder: 'When should it run?', ignoreFocusOut: true });
  if (!pick) return undefined;
  switch (pick.mode) {
    case 'now': return { mode: 'now' };
    case 'continuous': return { mode: 'continuous', backoffSeconds: backoff, pauseSeconds: pause };
    case 'once': {
      const v = await input(title, 'Local date and time, e.g. 02:00 (the next one) or 2026-11-24 02:00', '', (x) => { const r = parseOnceAt(x, Date.now()); return r.ok ? undefined : r.message; });
      if (v === undefined) return undefined;
      const r = parseOnceAt(v, Date.now());
      return r.ok ? { mode: 'once', at: r.value } : undefined;
    }
    case 'interval': {
      const check = (x: string) => { const r = parseWholeNumber(x, 'the number of minutes', 1, 525_600); return r.ok ? undefined : r.message; };
      const v = await input(title, 'Every how many minutes? (1 or more; for shorter intervals use "every N seconds")', '60', check);
      if (v === undefined) return undefined;
      const start = await input(title, 'First run at (local time; empty = now), e.g. 02:00', '', (x) => {
        if (!x.trim()) return undefined;
        const r = parseOnceAt(x, Date.now());
        return r.ok ? undefined : r.message;
      });
      if (start === undefined) return undefined;
      const at = start.trim() ? parseOnceAt(start, Date.now()) : undefined;
      return { mode: 'interval', minutes: Number(v.trim()), ...(at?.ok ? { startAt: at.value } : {}) };
    }
    case 'seconds': {
      const v = await input(title, 'Every how many seconds?', '30', (x) => { const r = parseWholeNumber(x, 'the number of seconds', 1, 86_400); return r.ok ? undefined : r.message; });
      if (v === undefined) return undefined;
      return { mode: 'seconds', seconds: Number(v.trim()), backoffSeconds: backoff };
    }
    case 'cron': {
      const zone = localZone();
      const expr = await input(title, 'Cron expression (5 fields, or 6 with seconds), read in the zone asked next', '0 */6 * * *',
        (x) => refusal({ mode: 'cron', expr: x.trim(), tz: zone }));
      if (expr === undefined) return undefined;
      const tz = await input(title, 'Time zone (IANA name)', zone, (x) => {
        if (!deps.services.isValidTimeZone(x.trim())) return `"${x.trim()}" is not a known time zone: use an IANA name like Europe/Vienna, America/New_York or UTC.`;
        return refusal({ mode: 'cron', expr: expr.trim(), tz: x.trim() });
      });
      if (tz === undefined) return undefined;
      return { mode: 'cron', expr: expr.trim(), tz: tz.trim(), backoffSeconds: backoff };
    }
  }
}

export function jobCommands(deps: CommandDeps): CommandTable {
  const { store, jobs } = deps;
  const nameOf = (id: string) => store.get(id)?.name;
  const scheduleGoesOn = (chainId: string) => jobs.list().some((j) => j.chainId === chainId && !isTerminal(j.status));
  return {
    'proxbox.job.schedule': async (arg) => {
      const all = store.list();
      if (!all.length) return vscode.commands.executeCommand('proxbox.sync.endpoint');
      const given = endpointIdOf(arg);
      let endpoints = given ? [given] : all.length === 1 ? [all[0]!.id] : undefined;
      if (!endpoints) {
        const picks = await vscode.window.showQuickPick(all.map((e) => ({ label: e.name, description: e.url, picked: true, id: e.id })),
          { canPickMany: true, title: 'Schedule Sync', placeHolder: 'Endpoints to sync', ignoreFocusOut: true });
        if (!picks?.length) return undefined;
        endpoints = picks.map((p) => p.id);
      }
      const names = endpoints.map((id) => nameOf(id) ?? id).join(', ');
      const title = `Schedule Sync of ${names}`;
      const type = await vscode.window.showQuickPick(SYNC_TYPES, { title, placeHolder: 'What to sync', ignoreFocusOut: true });
      if (!type) return undefined;
      const spec = await askSchedule(deps, title);
      if (!spec) return undefined;
      if (spec.mode !== 'now') {
        const now = Date.now();
        const list = spec.mode === 'continuous' ? `Runs now, then again ${spec.pauseSeconds ?? 30} s after each run ends.`
          : previewRuns(spec, now, 5).map((t) => `• ${formatDateTime(t / 1000)} (${formatRelative(t / 1000, now / 1000)})`).join('\n');
        const ok = 'Schedule';
        const choice = await vscode.window.showInformationMessage(`${type.label} of ${names}, ${describeSchedule(spec)}?`,
          { modal: true, detail: `Next runs (local time):\n${list}\n\nOnly one VS Code window runs the schedule; the others show it.` }, ok);
        if (choice !== ok) return undefined;
      }
      // A refusal (enqueue once, a time in the past) is a JobError that says why; the command wrapper shows it.
      const r = await jobs.schedule({ syncType: type.syncType, endpoints, schedule: spec, interactive: spec.mode === 'now' });
      const where = r.forwarded ? ' (the window that runs the schedule picks it up)' : r.queued ? ' (queued behind a running sync)' : r.kept ? ' (an equal schedule existed and was kept)' : '';
      void vscode.window.showInformationMessage(`Proxbox: ${jobTitle(r.job)} of ${names} scheduled: ${describeSchedule(r.job.schedule)}${where}.`);
      return r.job;
    },

    // Cancel and delete act on the schedule, whichever of its runs the row or pick named: a continuous or recurring
    // schedule moves on to a new run record while the user clicks (issue 11, item 1).
    'proxbox.job.cancel': async (arg) => {
      const id = await pickJob(deps, arg, (j) => !isTerminal(j.status), 'Sync to cancel', 'no sync is running or scheduled.');
      if (!id) return false;
      const job = jobs.get(id);
      if (job && isTerminal(job.status) && !scheduleGoesOn(job.chainId)) {
        // A one-off run ended between the click and now: nothing is wrong, so no error.
        void vscode.window.showInformationMessage(`Proxbox: ${jobSubject(job, nameOf)} has already ended (${job.status}); there is nothing to cancel.`);
        return false;
      }
      await jobs.cancel(id);
      return true;
    },

    'proxbox.job.delete': async (arg) => {
      // A running job stands for its schedule too (a continuous one is always running or about to).
      const id = await pickJob(deps, arg, (j) => !isTerminal(j.status), 'Sync schedule to delete', 'no sync is scheduled.');
      const job = id ? jobs.get(id) : undefined;
      if (!id || !job) return false;
      if (job.schedule.mode !== 'now' && job.schedule.mode !== 'once') {
        const ok = 'Delete';
        const running = jobs.list().some((j) => j.chainId === job.chainId && j.status === 'running');
        const c = await vscode.window.showWarningMessage(`Delete the sync schedule "${jobTitle(job)}, ${describeSchedule(job.schedule)}"?`,
          { modal: true, detail: `Its schedule stops: ${running ? 'the run in progress is stopped and ' : ''}no further runs are made. The history of past runs is kept.` }, ok);
        if (c !== ok) return false;
      }
      await jobs.delete(id);
      return true;
    },

    'proxbox.job.clearHistory': async () => {
      const n = await jobs.clearHistory();
      void vscode.window.showInformationMessage(jobs.isScheduler
        ? `Proxbox: cleared ${n} finished sync${n === 1 ? '' : 's'} from the history.`
        : 'Proxbox: the window that runs the sync schedule clears the history.');
    },

    'proxbox.job.showLog': async (arg) => {
      const id = jobIdOf(arg) ?? jobs.list().find((j) => isTerminal(j.status) || j.status === 'running')?.id;
      if (!id) return deps.log.show();
      await deps.logs.open(id);
    },

    'proxbox.job.showCurrent': async () => {
      const current = jobs.list().find((j) => j.status === 'running') ?? jobs.list().find((j) => isTerminal(j.status));
      deps.log.show();
      if (current) await deps.logs.open(current.id);
    },
  };
}
