// The commands of scheduled syncs: schedule (a quick pick of modes, validated, with a preview of the next runs),
// cancel, delete, clear history. They forward to the jobs service; without it they say what is missing.
import * as vscode from 'vscode';
import { parseOnceAt, parseWholeNumber } from '../format/scheduleInput';
import { jobTitle, scheduleWords } from '../format/jobView';
import { formatDateTime, formatRelative } from '../format/time';
import { jobHistory } from '../settings';
import type { CommandDeps } from '../commands';
import { endpointIdOf } from '../commands';
import { isTerminalJob, type JobLike, type JobRequestLike, type ScheduleSpecLike } from './jobsPort';

type Reg = (id: string, fn: (...args: unknown[]) => unknown) => void;

function jobIdOf(arg: unknown): string | undefined {
  if (typeof arg === 'string') return arg;
  if (arg && typeof arg === 'object' && typeof (arg as { jobId?: unknown }).jobId === 'string') return (arg as { jobId: string }).jobId;
  return undefined;
}

const SYNC_TYPES: { label: string; detail: string; syncType: JobRequestLike['syncType'] }[] = [
  { label: 'Full sync', detail: 'All 12 stages', syncType: 'all' },
  { label: 'Backup routines', detail: 'vzdump jobs, next runs, stale marking (plus what they depend on)', syncType: 'backup-routines' },
  { label: 'Backups', detail: 'Backup files on every storage', syncType: 'backups' },
  { label: 'Virtual machines', detail: 'Guests and their configuration', syncType: 'virtual-machines' },
  { label: 'Devices', detail: 'Nodes and the cluster', syncType: 'devices' },
];

function localZone(): string {
  return Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';
}

async function input(title: string, prompt: string, value: string, check: (v: string) => string | undefined): Promise<string | undefined> {
  return vscode.window.showInputBox({ title, prompt, value, ignoreFocusOut: true, validateInput: check });
}

/** Asks for the schedule; returns undefined when the user backs out. */
async function askSchedule(deps: CommandDeps, title: string): Promise<ScheduleSpecLike | undefined> {
  const backoff = jobHistory().continuousBackoffSeconds;
  const modes = [
    { label: '$(play) Run now', mode: 'now' },
    { label: '$(calendar) Once at a time…', mode: 'once' },
    { label: '$(history) Every N minutes…', mode: 'interval', detail: 'Stays on its grid: a sync first run at 02:00 every 1440 minutes stays at 02:00' },
    { label: '$(symbol-event) Cron expression in a time zone…', mode: 'cron', detail: 'e.g. 0 */6 * * * in Europe/Vienna' },
    { label: '$(watch) Every N seconds…', mode: 'seconds', detail: 'For short intervals; measured from each start' },
    { label: '$(sync) Continuously', mode: 'continuous', detail: `Back to back; waits ${backoff} s after a failure (proxbox.jobs.continuousBackoffSeconds)` },
  ] as const;
  const pick = await vscode.window.showQuickPick(modes.map((m) => ({ ...m })), { title, placeHolder: 'When should it run?' });
  if (!pick) return undefined;
  switch (pick.mode) {
    case 'now': return { mode: 'now' };
    case 'continuous': return { mode: 'continuous', backoffSeconds: backoff };
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
      const minutes = Number(v.trim());
      const at = start.trim() ? parseOnceAt(start, Date.now()) : undefined;
      return { mode: 'interval', minutes, ...(at?.ok ? { startAt: at.value } : {}) };
    }
    case 'seconds': {
      const v = await input(title, 'Every how many seconds?', '30', (x) => { const r = parseWholeNumber(x, 'the number of seconds', 1, 86_400); return r.ok ? undefined : r.message; });
      if (v === undefined) return undefined;
      return { mode: 'seconds', seconds: Number(v.trim()), backoffSeconds: backoff };
    }
    case 'cron': {
      const jobs = deps.jobs!;
      const zone = localZone();
      const expr = await input(title, `Cron expression (5 fields, or 6 with seconds), read in the zone asked next`, '0 */6 * * *', (x) => {
        try { jobs.validate({ mode: 'cron', expr: x.trim(), tz: zone }, Date.now()); return undefined; } catch (e) { return (e as Error).message; }
      });
      if (expr === undefined) return undefined;
      const tz = await input(title, 'Time zone (IANA name)', zone, (x) => {
        if (deps.services.isValidTimeZone && !deps.services.isValidTimeZone(x.trim())) return `"${x.trim()}" is not a known time zone: use an IANA name like Europe/Vienna, America/New_York or UTC.`;
        try { jobs.validate({ mode: 'cron', expr: expr.trim(), tz: x.trim() }, Date.now()); return undefined; } catch (e) { return (e as Error).message; }
      });
      if (tz === undefined) return undefined;
      return { mode: 'cron', expr: expr.trim(), tz: tz.trim(), backoffSeconds: backoff };
    }
  }
}

export function registerJobCommands(reg: Reg, deps: CommandDeps): void {
  const { syncs, store } = deps;

  reg('proxbox.job.schedule', async (arg) => {
    const jobs = deps.jobs;
    if (!jobs) {
      void vscode.window.showInformationMessage('Proxbox: scheduled syncs are not part of this build. Use "Sync Endpoint" meanwhile.');
      return undefined;
    }
    const all = store.list();
    if (!all.length) return vscode.commands.executeCommand('proxbox.sync.endpoint');
    const given = endpointIdOf(arg);
    let endpoints = given ? [given] : all.length === 1 ? [all[0]!.id] : undefined;
    if (!endpoints) {
      const picks = await vscode.window.showQuickPick(all.map((e) => ({ label: e.name, description: e.url, picked: true, id: e.id })),
        { canPickMany: true, title: 'Schedule Sync', placeHolder: 'Endpoints to sync' });
      if (!picks?.length) return undefined;
      endpoints = picks.map((p) => p.id);
    }
    const names = endpoints.map((id) => store.get(id)?.name ?? id).join(', ');
    const title = `Schedule Sync of ${names}`;
    const type = await vscode.window.showQuickPick(SYNC_TYPES, { title, placeHolder: 'What to sync' });
    if (!type) return undefined;
    const spec = await askSchedule(deps, title);
    if (!spec) return undefined;
    try {
      jobs.validate(spec, Date.now());
    } catch (e) {
      void vscode.window.showErrorMessage(`Proxbox: ${(e as Error).message}`);
      return undefined;
    }
    if (spec.mode !== 'now') {
      const now = Date.now();
      const runs = jobs.preview(spec, now, 5);
      const list = spec.mode === 'continuous' ? 'Runs back to back, starting now.'
        : runs.map((t) => `• ${formatDateTime(t / 1000)} (${formatRelative(t / 1000, now / 1000)})`).join('\n');
      const ok = 'Schedule';
      const choice = await vscode.window.showInformationMessage(`${type.label} of ${names}, ${scheduleWords({ schedule: spec })}?`,
        { modal: true, detail: `Next runs (local time):\n${list}\n\nOnly one VS Code window runs the schedule; the others show it.` }, ok);
      if (choice !== ok) return undefined;
    }
    try {
      const r = await jobs.schedule({ syncType: type.syncType, endpoints, schedule: spec });
      const where = r.forwarded ? ' (the window that runs the schedule picks it up)' : r.queued ? ' (queued behind a running sync)' : r.kept ? ' (an equal schedule existed and was kept)' : '';
      void vscode.window.showInformationMessage(`Proxbox: ${jobTitle(r.job)} of ${names} scheduled: ${scheduleWords(r.job)}${where}.`);
      return r.job;
    } catch (e) {
      void vscode.window.showErrorMessage(`Proxbox: the sync was not scheduled: ${syncs.explain(e).message}`);
      return undefined;
    }
  });

  const pickJob = async (arg: unknown, filter: (j: JobLike) => boolean, placeHolder: string): Promise<string | undefined> => {
    const id = jobIdOf(arg);
    if (id) return id;
    const candidates = deps.jobs?.list().filter(filter) ?? [];
    if (!candidates.length) {
      void vscode.window.showInformationMessage('Proxbox: no such job.');
      return undefined;
    }
    const p = await vscode.window.showQuickPick(candidates.map((j) => ({
      label: `${jobTitle(j)} of ${j.endpoints.map((e) => store.get(e)?.name ?? e).join(', ')}`, description: `${j.status} · ${scheduleWords(j)}`, id: j.id,
    })), { placeHolder });
    return p?.id;
  };

  reg('proxbox.job.cancel', async (arg) => {
    const local = jobIdOf(arg) && syncs.find(jobIdOf(arg)!);
    if (local && local.finishedAt === undefined) return syncs.cancel(local.id);
    if (!deps.jobs) return vscode.commands.executeCommand('proxbox.sync.cancel', arg);
    const id = await pickJob(arg, (j) => !isTerminalJob(j), 'Job to cancel');
    if (!id) return false;
    await deps.jobs.cancel(id);
    return true;
  });

  reg('proxbox.job.delete', async (arg) => {
    if (!deps.jobs) {
      void vscode.window.showInformationMessage('Proxbox: there are no scheduled jobs in this build.');
      return false;
    }
    const id = await pickJob(arg, (j) => j.status === 'scheduled' || j.status === 'pending', 'Scheduled job to delete');
    const job = id ? deps.jobs.get(id) : undefined;
    if (!id || !job) return false;
    if (job.schedule.mode !== 'now' && job.schedule.mode !== 'once') {
      const ok = 'Delete';
      const c = await vscode.window.showWarningMessage(`Delete the scheduled ${jobTitle(job)} (${scheduleWords(job)})?`,
        { modal: true, detail: 'Its schedule stops: no further runs are made. The history of past runs is kept.' }, ok);
      if (c !== ok) return false;
    }
    await deps.jobs.delete(id);
    return true;
  });

  reg('proxbox.job.clearHistory', async () => {
    const n = deps.jobs ? await deps.jobs.clearHistory() : 0;
    const m = syncs.clearHistory();
    void vscode.window.showInformationMessage(`Proxbox: cleared ${Math.max(n, m)} finished job${Math.max(n, m) === 1 ? '' : 's'} from the history.`);
  });
}
