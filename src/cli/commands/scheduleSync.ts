// `proxbox schedule-sync`: the scheduler in the foreground, for containers and terminals (the scheduler
// container's PROXBOX_MODE semantics). Same job records, lease and catch-up rules as the VS Code windows; stops
// cleanly on SIGTERM/SIGINT. Its other flags are those of `proxbox sync`.
import { UsageError, Verb } from '../io';
import { eventToJsonLine, resolveStages, runSync, StageSelectionError, STAGES, PipelineEvent } from '../../core/pipeline';
import { describeSchedule, Job, JobError, JobService, LogEntry, parseSyncMode, SyncRunner } from '../../core/jobs';
import { defaultStore, endpointIdFromUrl, parse, positiveInt, readSecret } from './syncArgs';

const HELP = `Usage: proxbox schedule-sync --mode MODE --url URL --token-id ID [options]

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
  --url URL, --token-id ID, --token-secret-file FILE, --fingerprint FP, --store DIR, --endpoint-id ID, --name NAME,
  --stages a,b, --concurrency N, --vm-concurrency N, --backup-batch N, --timeout-ms N   as for 'proxbox sync'
  --json                    one JSON object per line: pipeline events, and {"event":"job","data":<job>} per job change
  -h, --help                show this help
Stages: ${STAGES.join(', ')}

The token secret comes from PROXBOX_TOKEN_SECRET or --token-secret-file, never from an argument.
Exit status: 0 after a clean stop (or mode off), 1 when the scheduler could not run, 2 for usage errors.
`;

export const scheduleSync: Verb = async (argv, io) => {
  const v = parse(argv, {
    mode: { type: 'string' }, tz: { type: 'string' }, backoff: { type: 'string' },
    url: { type: 'string' }, 'token-id': { type: 'string' }, 'token-secret-file': { type: 'string' }, fingerprint: { type: 'string' },
    store: { type: 'string' }, 'endpoint-id': { type: 'string' }, name: { type: 'string' }, stages: { type: 'string' },
    concurrency: { type: 'string' }, 'vm-concurrency': { type: 'string' }, 'backup-batch': { type: 'string' }, 'timeout-ms': { type: 'string' },
    json: { type: 'boolean' }, help: { type: 'boolean', short: 'h' },
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

  const url = v.url as string | undefined;
  const tokenId = v['token-id'] as string | undefined;
  if (!url) throw new UsageError("--url is required (https://HOST:8006). Run 'proxbox schedule-sync --help'.");
  if (!tokenId) throw new UsageError("--token-id is required (user@realm!tokenname). Run 'proxbox schedule-sync --help'.");
  if (!/^[^\s@!]+@[^\s@!]+![A-Za-z][A-Za-z0-9._-]*$/.test(tokenId)) {
    throw new UsageError(`--token-id '${tokenId}' is not of the form user@realm!tokenname (e.g. root@pam!proxbox).`);
  }
  const id = (v['endpoint-id'] as string | undefined) ?? endpointIdFromUrl(url);
  let stages: string[] | undefined;
  if (v.stages) {
    stages = String(v.stages).split(',').map((s) => s.trim()).filter(Boolean);
    try {
      resolveStages(stages);
    } catch (err) {
      if (err instanceof StageSelectionError) throw new UsageError(err.message);
      throw err;
    }
  }
  const options = {
    concurrency: {
      fetch: positiveInt(v.concurrency, '--concurrency'),
      vm: positiveInt(v['vm-concurrency'], '--vm-concurrency'),
      backupBatch: positiveInt(v['backup-batch'], '--backup-batch'),
    },
    timeoutMs: positiveInt(v['timeout-ms'], '--timeout-ms', 600_000),
  };
  const secret = readSecret(v['token-secret-file'] as string | undefined, io.env);
  const store = (v.store as string | undefined) ?? defaultStore(io.env);
  const json = v.json === true;
  const endpoint = { id, name: (v.name as string | undefined) ?? new URL(url).hostname, url, tokenId, ...(v.fingerprint ? { fingerprint: String(v.fingerprint) } : {}) };

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
    if (!json) io.stdout(`${new Date(entry.time).toISOString()} ${entry.level.padEnd(7)} ${entry.message}\n`);
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
        io.stdout(`schedule-sync: ${holder?.label ?? 'another process'} runs the schedule of this store; standing by to take over.\n`);
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
