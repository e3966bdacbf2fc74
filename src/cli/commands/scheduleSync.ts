// `proxbox schedule-sync`: the scheduler in the foreground, for containers and terminals (the scheduler
// container's PROXBOX_MODE semantics). Same job records, lease and catch-up rules as the VS Code windows; stops
// cleanly on SIGTERM/SIGINT. Its other flags are those of `proxbox sync`.
import { UsageError, Verb } from '../io';
import { eventToJsonLine, runSync, PBS_STAGES, STAGES, PipelineEvent } from '../../core/pipeline';
import { describeSchedule, Job, JobError, JobService, LogEntry, parseSyncMode, SyncRunner } from '../../core/jobs';
import { parse, SYNC_TARGET_OPTIONS, syncTarget } from './syncArgs';
import { terminalSafe } from '../../core/text/terminal';

const HELP = `Usage: proxbox schedule-sync --mode MODE [--kind pve|pbs] --url URL --token-id ID [options]

Runs syncs of one endpoint on a schedule, in the foreground, until SIGTERM or Ctrl-C.
Modes (like the Proxbox scheduler container's PROXBOX_MODE):
  off                       do nothing and exit 0
  interval=<seconds>        every N seconds, measured from the start of each run
  continuous                back to back
  cron=<expression>         5-field cron (6 with seconds) in --tz (default UTC)
A run that fails is followed by the back-off (default 30 s) in every mode. Runs missed while the machine slept
or the command was not running are made up by one catch-up run, then the schedule resumes. Several processes on
one --store run the schedule once: one holds the scheduler lease, the others stand by and take over if it dies.

Options:
  --mode MODE               (default $PROXBOX_MODE, else off)
  --tz ZONE                 IANA time zone for cron (default $PROXBOX_SCHEDULER_TZ, else UTC)
  --backoff S               seconds to wait after a failed run (default $PROXBOX_SCHEDULER_BACKOFF_ON_ERROR_SECONDS, else 30)
  --kind pve|pbs, --url URL, --token-id ID, --token-secret-file FILE, --fingerprint FP, --store DIR, --endpoint-id ID, --name NAME,
  --stages a,b, --concurrency N, --vm-concurrency N, --backup-batch N, --timeout-ms N   as for 'proxbox sync'
  --json                    one JSON object per line: pipeline events, and {"event":"job","data":<job>} per job change
  -h, --help                show this help
Stages: ${STAGES.join(', ')}
PBS stages (--kind pbs): ${PBS_STAGES.join(', ')}

The token secret comes from PROXBOX_TOKEN_SECRET or --token-secret-file, never from an argument.
Exit status: 0 after a clean stop (or mode off), 1 when the scheduler could not run, 2 for usage errors.
`;

export const scheduleSync: Verb = async (argv, io) => {
  const v = parse(argv, {
    mode: { type: 'string' }, tz: { type: 'string' }, backoff: { type: 'string' },
    ...SYNC_TARGET_OPTIONS, kind: { type: 'string' }, help: { type: 'boolean', short: 'h' },
  }, 'schedule-sync');
  if (v.help) {
    io.stdout(HELP);
    return 0;
  }
  const modeText = (v.mode as string | undefined) ?? io.env.PROXBOX_MODE ?? 'off';
  const tz = (v.tz as string | undefined) ?? io.env.PROXBOX_SCHEDULER_TZ ?? 'UTC';
  const backoffRaw = (v.backoff as string | undefined) ?? io.env.PROXBOX_SCHEDULER_BACKOFF_ON_ERROR_SECONDS;
  let backoffSeconds: number | undefined;
  if (backoffRaw !== undefined) {
    if (!/^\d+(\.\d+)?$/.test(backoffRaw.trim())) throw new UsageError(`--backoff needs a number of seconds (0 or more), got '${backoffRaw}'.`);
    backoffSeconds = Number(backoffRaw);
  }
  let spec;
  try {
    spec = parseSyncMode(modeText, { tz, ...(backoffSeconds !== undefined ? { backoffSeconds } : {}), now: Date.now() });
  } catch (err) {
    if (err instanceof JobError) throw new UsageError(err.message);
    throw err;
  }
  if (spec === 'off') {
    io.stdout('schedule-sync: mode off, nothing to run.\n');
    return 0;
  }

  const { endpoint, secret, store, stages, options, json } = syncTarget(v, 'schedule-sync', io.env);
  const id = endpoint.id;

  const runner: SyncRunner = {
    async run(req) {
      const done = await runSync({
        endpoint, secret, store, stages: req.stages, signal: req.signal, options,
        onEvent: (e: PipelineEvent) => {
          if (json) io.stdout(eventToJsonLine(e) + '\n');
          req.onEvent(e);
        },
      });
      return { ok: done.ok, message: done.message };
    },
  };
  const service = new JobService({ storeDir: store, runner, label: `proxbox schedule-sync (pid ${process.pid})`, secrets: () => [secret] });
  const printEntry = (entry: LogEntry): void => {
    if (!json) io.stdout(`${new Date(entry.time).toISOString()} ${entry.level.padEnd(7)} ${terminalSafe(entry.message)}\n`);
  };
  const seen = new Map<string, string>();
  const printJobs = (jobs: Job[]): void => {
    if (!json) return;
    for (const j of jobs) {
      const text = JSON.stringify(j);
      if (seen.get(j.id) !== text) io.stdout(JSON.stringify({ event: 'job', data: j }) + '\n');
      seen.set(j.id, text);
    }
  };
  service.onDidChange((c) => {
    if (c.kind === 'log') printEntry(c.entry);
    else if (c.kind === 'jobs') printJobs(service.list());
    else if (c.kind === 'role' && !json) {
      io.stdout(c.scheduler ? 'schedule-sync: this process now runs the schedule.\n' : 'schedule-sync: another process took over the schedule; standing by.\n');
    }
  });

  try {
    await service.start();
    const result = await service.schedule({
      key: `schedule-sync:${id}`,
      syncType: stages ? 'custom' : 'all',
      ...(stages ? { stages } : {}),
      endpoints: [id],
      schedule: spec,
    });
    if (!json) {
      io.stdout(`schedule-sync: ${id} ${describeSchedule(spec)}, store ${store}${result.kept ? ' (existing schedule kept)' : ''}.\n`);
      if (!service.isScheduler) {
        const holder = await service.leaseHolder();
        io.stdout(`schedule-sync: ${terminalSafe(holder?.label ?? 'another process')} runs the schedule of this store; standing by to take over.\n`);
      }
    }
  } catch (err) {
    await service.dispose();
    if (err instanceof JobError) throw new UsageError(err.message);
    throw err;
  }

  await new Promise<void>((resolve) => {
    if (io.stopSignal.aborted) return resolve();
    io.stopSignal.addEventListener('abort', () => resolve(), { once: true });
  });
  const why = io.stopSignal.reason instanceof Error ? io.stopSignal.reason.message : 'a stop signal';
  await service.dispose(`Stopped: proxbox schedule-sync received ${why} before the sync finished.`);
  if (!json) io.stdout(`schedule-sync: stopped (${why}).\n`);
  return 0;
};
