// A sync run by an existing proxbox-api backend, shown as our own: the same events through the same once-only,
// redacting emitter, and the same `complete` shape as runSync, so the output channel, the status bar, the job log,
// the tree and `--json` cannot tell a remote run from a local one. Without stages, one `/full-update/stream`;
// with stages, their per-stage streams one after the other, stopping at the first that fails. A stream that ends
// without `complete` is an error, a cancel closes the stream, and exactly one `complete` ends the run.
import { EventEmitterOnce, type CompleteData, type PipelineEvent, type StageName, type StageOutcome } from '../pipeline/events';
import { explainError, suggestionFor, type ErrorCategory } from '../errors/explain';
import { redactDeepIfNeeded, redactSecrets } from '../secrets/redact';
import { CertificateChangedError, certificateChanged } from '../proxmox/tls';
import { FrameTranslator } from './frames';
import { parseBackendUrl, planStreams } from './routes';
import { createDispatcher, describeBreak, readStream, RemoteStreamError } from './stream';

export interface RemoteSyncRequest {
  /** The proxbox-api base URL (the one that serves /full-update/stream). */
  url: string;
  /** Sent as X-Proxbox-API-Key; never in an event, an error or a log line. */
  apiKey: string;
  /** Only these stages, through their per-stage streams; all of them through /full-update/stream when absent. */
  stages?: readonly string[];
  signal?: AbortSignal;
  onEvent?: (e: PipelineEvent) => void;
  /** Frames we have no event for (bootstrap_done, substep, …) and the run-level frames we replace, as text. */
  onDebug?: (line: string) => void;
  /** Time to the response headers, and the longest silence in a stream. Default 60 s (the backend's keep-alive is every 15 s). */
  timeoutMs?: number;
  /** Pinned SHA-256 fingerprint of the backend's certificate; CA verification when absent. */
  fingerprint?: string;
  ca?: string | string[];
  /** `complete.endpoint`: the endpoint's id (default: host-port of the URL). */
  endpointId?: string;
  /** The name in messages (default: the URL's host). */
  name?: string;
  now?: () => number;
}

export const DEFAULT_REMOTE_TIMEOUT_MS = 60_000;

/** How a run's error says that the backend's stream ended before its `complete` (see closedEarly). */
export const CLOSED_EARLY = 'the backend closed the stream before it said the sync ended';

/** True when the run failed because the stream ended (or broke) without proxbox-api's `complete`. */
export function closedEarly(c: CompleteData): boolean {
  return !c.ok && !c.cancelled && (c.errors ?? []).some((e) => e.detail.startsWith(CLOSED_EARLY));
}

const round3 = (s: number): number => Math.round(s * 1000) / 1000;

export async function runRemoteSync(req: RemoteSyncRequest): Promise<CompleteData> {
  const now = req.now ?? Date.now;
  const started = now();
  const secrets = req.apiKey ? [req.apiKey] : [];
  const scrub = (t: string): string => redactSecrets(t, secrets);
  let completeData: CompleteData | undefined;
  // Every event passes through here, as in runSync: whatever a frame or an error holds, the key cannot leave.
  const emitter = new EventEmitterOnce((e) => {
    if (e.event === 'complete') completeData = e.data;
    req.onEvent?.(redactDeepIfNeeded(e, secrets));
  });
  const debug = (line: string): void => {
    try {
      req.onDebug?.(scrub(line));
    } catch {
      // A logging bug never breaks a sync.
    }
  };
  const t = new FrameTranslator((e) => emitter.emit(e), debug, now);
  let endpointId = req.endpointId ?? 'proxbox-api';
  let name = req.name ?? 'the proxbox-api backend';
  let stages: StageName[] = [];
  let cancelled = false;
  let requests = 0;
  const abort = new AbortController();
  const onCallerAbort = (): void => abort.abort();
  if (req.signal?.aborted) abort.abort();
  else req.signal?.addEventListener('abort', onCallerAbort, { once: true });
  let dispatcher: ReturnType<typeof createDispatcher> | undefined;

  /** The run ends here (cancel, a stream that broke): the running stage fails of it, then the cause is reported. */
  const endRun = (category: ErrorCategory, message: string, detail: string, suggestion: string): void => {
    t.failRunning(message);
    t.report('sync', category, scrub(message), scrub(detail), suggestion);
  };

  try {
    const base = parseBackendUrl(req.url);
    endpointId = req.endpointId ?? `${base.hostname}-${base.port || (base.protocol === 'https:' ? '443' : '80')}`;
    name = req.name ?? base.hostname;
    if (req.fingerprint && base.protocol !== 'https:') {
      throw Object.assign(new Error(`a certificate fingerprint was given for ${base.origin}, which is not https: use the https:// URL of the backend, or drop the fingerprint.`), { name: 'UsageError' });
    }
    const plan = planStreams(base, req.stages);
    stages = plan.stages;
    const timeoutMs = req.timeoutMs ?? DEFAULT_REMOTE_TIMEOUT_MS;
    dispatcher = createDispatcher({ fingerprint: req.fingerprint, ca: req.ca, timeoutMs });

    emitter.emit({ event: 'step', data: { step: 'sync', status: 'started', message: `Sync through proxbox-api at ${base.host} started (${stages.length} stage(s)).`, metadata: { endpoint: endpointId, stages, remote: true } } });
    emitter.emit({
      event: 'discovery',
      data: {
        event: 'discovery', phase: 'sync', status: 'discovered', message: `${stages.length} stage(s) to run.`, count: stages.length,
        items: stages.map((s) => ({ name: s, item_type: 'stage' })), progress: { current: 0, total: stages.length, percent: 0 },
      },
    });

    for (const stream of plan.streams) {
      if (abort.signal.aborted) break;
      t.beginStream(stream.stage);
      requests++;
      let opened = false;
      debug(`GET ${stream.url.pathname}`);
      try {
        await readStream(stream.url, {
          apiKey: req.apiKey, signal: abort.signal, timeoutMs, dispatcher,
          onOpen: () => { opened = true; },
          onFrame: (event, data) => t.frame(event, data),
        });
      } catch (err) {
        if (abort.signal.aborted) break;
        if (t.complete) break; // it said how the run ended; what broke after that changes nothing.
        if (err instanceof RemoteStreamError) {
          endRun(err.category, err.message, err.message, err.suggestion);
        } else if (err instanceof CertificateChangedError) {
          const c = explainError(certificateChanged(stream.url.pathname, name, err));
          endRun(c.category, c.message, c.detail, c.suggestion);
        } else {
          const { category, cause } = describeBreak(err);
          const message = opened
            ? `${CLOSED_EARLY}: ${cause}`
            : `could not reach the proxbox-api backend at ${base.host}: ${cause}`;
          endRun(category, message, `GET ${stream.url.pathname}: ${cause}`, category === 'timeout'
            ? 'Check that the backend is running and reachable, or raise the timeout; then sync again.'
            : 'Check that the backend is running and reachable from here (URL, port, proxy), then sync again.');
        }
        break;
      }
      if (abort.signal.aborted) break;
      if (!t.complete) {
        endRun('connection', `${CLOSED_EARLY}: GET ${stream.url.pathname} ended without a complete event${t.runningStage ? ` during stage ${t.runningStage}` : ''}.`,
          `GET ${stream.url.pathname}`, 'The backend may have restarted or a proxy cut the connection: check the backend\'s log, then sync again.');
        break;
      }
      if (t.complete.ok && t.runningStage) {
        // It said the run ended well while a stage it started never completed: that stage did not finish.
        const stage = t.failRunning('The backend ended the run before this stage completed.');
        t.report(stage ?? 'sync', 'internal', `the backend said the sync completed, but stage ${stage} never did.`, t.complete.message, suggestionFor('internal'));
        break;
      }
      if (!t.complete.ok) {
        // Their failure came with error/error_detail frames already; a `complete` ok:false without them still fails here.
        const failed = t.failRunning(t.complete.message || 'The backend ended the run as failed.');
        if (!t.errors.length) {
          t.report(failed ?? stream.stage ?? 'sync', 'internal', scrub(t.complete.message || 'The backend ended the run as failed.'),
            scrub(t.complete.errors.join('; ') || t.complete.message), suggestionFor('internal'));
        }
        break;
      }
    }
    if (abort.signal.aborted) {
      cancelled = true;
      endRun('cancelled', 'The sync was cancelled.', 'The stream to the proxbox-api backend was closed.', suggestionFor('cancelled'));
    }
  } catch (err) {
    const c = explainError(err);
    // A usage error's message already names the next step (explainError gives it no suggestion of its own).
    t.report('sync', c.category, scrub(c.message), scrub(c.detail), c.suggestion);
  } finally {
    req.signal?.removeEventListener('abort', onCallerAbort);
    if (!abort.signal.aborted) abort.abort();
    await dispatcher?.destroy().catch(() => undefined);
  }

  const outcomes: StageOutcome[] = stages.map((s) => {
    const tally = t.tallies.get(s);
    const r = tally?.result;
    return {
      step: s,
      status: tally ? (tally.status === 'running' ? 'failed' : tally.status) : 'not_run',
      count: r?.count ?? 0, created: r?.created ?? 0, updated: r?.updated ?? 0, deleted: r?.deleted ?? 0, stale: r?.stale ?? 0,
      failed: r?.failed ?? 0, skipped: r?.skipped ?? 0, duration_seconds: tally?.duration_seconds ?? 0,
    };
  });
  const failedStages = outcomes.filter((o) => o.status === 'failed').map((o) => o.step);
  const failedStage = stages.find((s) => t.errors.some((e) => e.step === s)) ?? failedStages[0];
  const stageWarnings = stages.flatMap((s) => t.tallies.get(s)?.result.warnings ?? []);
  const warnings = [...stageWarnings, ...(t.complete?.warnings ?? []).filter((w) => !stageWarnings.includes(w))].map(scrub);
  const ok = !cancelled && t.errors.length === 0 && failedStages.length === 0 && t.complete?.ok === true;
  const completedCount = outcomes.filter((o) => o.status === 'completed').length;
  const firstError = t.errors.find((e) => e.step === failedStage) ?? t.errors[0];
  const message = ok
    ? `Sync of ${name} through proxbox-api completed${warnings.length ? ` with ${warnings.length} warning(s)` : ''}.`
    : cancelled
      ? 'Sync cancelled.'
      : `Sync of ${name} through proxbox-api failed${failedStage ? ` in stage ${failedStage}` : ''}: ${firstError?.detail ?? t.complete?.message ?? 'unknown error'}` +
        ` (${completedCount} of ${stages.length} stage(s) completed).`;
  const sum = (k: 'created' | 'updated' | 'deleted' | 'failed' | 'skipped' | 'stale' | 'count'): number => outcomes.reduce((a, o) => a + o[k], 0);
  const data: CompleteData = {
    ok, message: scrub(message), cancelled, endpoint: endpointId, stages: outcomes, warnings,
    ...(failedStage ? { failed_stage: failedStage } : {}),
    failed_stages: failedStages,
    skipped_stages: [],
    ...(t.errors.length ? { errors: t.errors.map((e) => ({ ...e, detail: scrub(e.detail) })) } : {}),
    result: {
      created: sum('created'), updated: sum('updated'), deleted: sum('deleted'), failed: sum('failed'), skipped: sum('skipped'),
      total: sum('count'), stale: sum('stale'), requests, written: 0,
    },
    duration_seconds: round3((now() - started) / 1000),
  };
  emitter.emit({ event: 'complete', data });
  return completeData ?? data;
}
