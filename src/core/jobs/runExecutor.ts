// The run executor: runs one job's endpoints one after another through the SyncRunner, turns their events into
// log lines and the per-stage result, and maps how the run ended to a job status. It decides nothing about the
// schedule: what happens next (a successor, a queued run) is the job state machine's business.
import { STAGES } from '../pipeline/events';
import { applyEvent, describeEvent, startRun, type LineLevel, type RunProgress } from '../pipeline/reducer';
import { redactDeep, redactSecrets } from '../secrets/redact';
import { Clock, Job, JobResult, LogLevel, SYNC_TYPE_STAGES, SyncRunner } from './types';

/** Log levels of the job log; per-item chatter (trace) stays out of it. */
const LOG_LEVEL: Record<LineLevel, LogLevel | undefined> = { trace: undefined, debug: 'debug', info: 'info', warn: 'warning', error: 'error' };

/** The stages an endpoint's run ended, as the job record keeps them. */
function stageResults(endpoint: string, p: RunProgress): JobResult['stages'] {
  return p.stages.filter((s) => s.status === 'completed' || s.status === 'failed' || s.status === 'skipped').map((s) => ({
    endpoint, stage: s.name, status: s.status as 'completed' | 'failed' | 'skipped',
    ...(s.count !== undefined ? { count: s.count } : {}),
    ...(s.created !== undefined ? { created: s.created } : {}),
    ...(s.updated !== undefined ? { updated: s.updated } : {}),
    ...(s.deleted !== undefined ? { deleted: s.deleted } : {}),
    ...(s.failed !== undefined ? { failed: s.failed } : {}),
    ...(s.skipped !== undefined ? { skipped: s.skipped } : {}),
    ...(s.durationSeconds !== undefined ? { durationSeconds: s.durationSeconds } : {}),
  }));
}

/** How a run ended, ready for the state machine's `runFinished`. Error and result have secrets hidden. */
export interface RunOutcome {
  /** completed: every endpoint ended ok; errored: one ended with `complete ok=false`; failed: the runner threw or the run was stopped. */
  status: 'completed' | 'errored' | 'failed';
  error?: string;
  result: JobResult;
  /** Stopped from outside (cancel, delete, a closing window, a lost lease): not a failure of the sync itself. */
  interrupted: boolean;
}

export interface RunExecutorOptions {
  runner: SyncRunner;
  clock: Clock;
  secrets?: () => readonly string[];
}

export class RunExecutor {
  constructor(private readonly options: RunExecutorOptions) {}

  /** Runs the job's endpoints in order; `log` receives its readable lines. Never throws: a broken runner is a failed run. */
  async run(job: Job, signal: AbortSignal, log: (level: LogLevel, message: string) => void): Promise<RunOutcome> {
    const { runner, clock } = this.options;
    const result: JobResult = { stages: [], endpoints: [] };
    const done = (endpoint: string, ok: boolean, message: string | undefined, durationSeconds: number) =>
      result.endpoints.push({ endpoint, ok, ...(message ? { message } : {}), durationSeconds });
    let status: RunOutcome['status'] = 'completed';
    let error: string | undefined;
    const stages = job.syncType === 'custom' ? job.stages : SYNC_TYPE_STAGES[job.syncType];
    for (const endpoint of job.endpoints) {
      if (signal.aborted) break;
      const t0 = clock.now();
      // The one event reducer: the job log and the job's result read the run the way the UI does.
      const progress = startRun(stages ?? STAGES, t0);
      try {
        const outcome = await runner.run({
          jobId: job.id,
          endpointId: endpoint,
          stages,
          interactive: job.interactive === true,
          trigger: job.schedule.mode === 'now' ? 'manual' : 'schedule',
          signal,
          onEvent: (e) => {
            applyEvent(progress, e, clock.now());
            const line = describeEvent(e, endpoint);
            const level = LOG_LEVEL[line.level];
            if (level) log(level, line.text);
          },
        });
        result.stages.push(...stageResults(endpoint, progress));
        done(endpoint, outcome.ok === true, outcome.message, (clock.now() - t0) / 1000);
        if (outcome.ok !== true && !signal.aborted) {
          status = status === 'failed' ? status : 'errored';
          error ??= `${endpoint}: ${outcome.message ?? 'the sync ended with errors'}`;
        }
      } catch (err) {
        if (signal.aborted) break;
        status = 'failed';
        const message = err instanceof Error ? err.message : String(err);
        error ??= `${endpoint}: ${message}`;
        log('error', `[${endpoint}] the sync broke: ${message}`);
        result.stages.push(...stageResults(endpoint, progress));
        done(endpoint, false, message, (clock.now() - t0) / 1000);
      }
    }
    if (signal.aborted) {
      status = 'failed';
      const reason: unknown = signal.reason;
      error = reason instanceof Error ? reason.message : 'Cancelled.';
      log('warning', error);
    }
    // The record outlives the run and is shown everywhere: no secret an error message or event carried may stay in it.
    const secrets = this.options.secrets?.() ?? [];
    return {
      status,
      ...(error ? { error: redactSecrets(error, secrets) } : {}),
      result: redactDeep(result, secrets),
      interrupted: signal.aborted,
    };
  }
}
