// The runner: one sync of one endpoint. Stages run in order; each one's changes are committed only when it
// completes. Task history, backups and snapshots may fail with a warning; any other stage's failure stops the
// run. Cancellation stops it within a second. Whatever happens, exactly one `complete` event ends the run, and
// the stages that completed are saved (a no-change run saves nothing).
import { setMaxListeners } from 'node:events';
import type { PveApi } from './api';
import { SyncContext, StageRun } from './context';
import { SKIPPABLE_STAGES, resolveStages } from './dependencies';
import { explainError, type ExplainedError } from '../errors/explain';
import { CancelledError } from './errors';
import {
  CompleteData, ErrorCategory, EventEmitterOnce, PipelineEvent, StageName, StageOutcome,
} from './events';
import { PipelineOptions, PipelineOptionsInput, resolveOptions } from './options';
import { ProxmoxClient } from '../proxmox/client';
import { STAGE_DEFINITIONS } from './stages';
import type { DocumentStore } from '../inventory/store';
import { EndpointRef, Inventory, emptyInventory } from '../inventory/model';
import { endpointRef, loadInventory, openStore, saveInventory } from '../inventory/inventory';

export interface SyncRequest {
  endpoint: EndpointRef;
  /** The API token secret. Used for the client only: never logged, stored or put into an event. */
  secret: string;
  store: DocumentStore | string;
  stages?: readonly string[];
  signal?: AbortSignal;
  onEvent?: (e: PipelineEvent) => void;
  options?: PipelineOptionsInput;
  /** Clock in epoch milliseconds (tests inject one). */
  now?: () => number;
  /** A ready API (tests, or callers that share a client); otherwise one is created from endpoint + secret. */
  api?: PveApi;
}

function createClient(endpoint: EndpointRef, secret: string, options: PipelineOptions): PveApi {
  // One connection limit for the whole run: the stage limits (guests, backup listings) only decide what is
  // queued; the client decides what is in flight.
  return new ProxmoxClient(endpoint, secret, { timeoutMs: options.timeoutMs, retries: options.retries, concurrency: options.concurrency.fetch });
}

const round3 = (s: number): number => Math.round(s * 1000) / 1000;

function scrub(text: string, secret: string): string {
  return secret && secret.length >= 4 ? text.split(secret).join('***') : text;
}

export async function runSync(req: SyncRequest): Promise<CompleteData> {
  const now = req.now ?? Date.now;
  const started = now();
  const secret = req.secret ?? '';
  let completeData: CompleteData | undefined;
  // Every event passes through here: the secret can never leave in an event, whatever an error message held.
  const emitter = new EventEmitterOnce((e) => {
    if (e.event === 'complete') completeData = e.data;
    if (!req.onEvent) return;
    const safe = secret && JSON.stringify(e).includes(secret) ? (JSON.parse(scrub(JSON.stringify(e), secret)) as PipelineEvent) : e;
    req.onEvent(safe);
  });
  const endpoint = endpointRef(req.endpoint);
  const outcomes: StageOutcome[] = [];
  const warnings: string[] = [];
  const errors: NonNullable<CompleteData['errors']> = [];
  let failedStage: StageName | undefined;
  let cancelled = false;
  let api: PveApi | undefined;
  let ownsApi = false;
  let ctx: SyncContext | undefined;
  let written = 0;
  const requestsBefore = req.api?.requestCount ?? 0;

  const fail = (step: StageName | 'sync', c: ExplainedError): void => {
    const message = scrub(c.message, secret);
    emitter.emit({ event: 'error_detail', data: { event: 'error_detail', phase: step, category: c.category, message, detail: scrub(c.detail, secret), suggestion: c.suggestion } });
    emitter.emit({ event: 'error', data: { step, status: 'failed', error: message, detail: scrub(c.detail, secret), category: c.category } });
    errors.push({ detail: message, step, category: c.category });
  };

  let stages: StageName[] = [];
  const runAbort = new AbortController();
  try {
    stages = resolveStages(req.stages);
    const options = resolveOptions(req.options);
    const store = openStore(req.store);
    const previous = await loadInventory(store, endpoint.id, Math.floor(now() / 1000));
    const inventory: Inventory = previous ?? emptyInventory(endpoint);
    const endpointChanged = !previous || JSON.stringify(endpointRef(previous.endpoint)) !== JSON.stringify(endpoint);
    inventory.endpoint = endpoint;

    if (req.api) api = req.api;
    else {
      api = createClient(endpoint, secret, options);
      ownsApi = true;
    }
    // The run's own signal: the caller's cancel reaches it, and a failed run aborts it so that no request of a
    // stage that lost the race keeps running. Every queued request listens to it, hence no listener limit.
    const signal = runAbort.signal;
    setMaxListeners(0, signal);
    if (req.signal?.aborted) runAbort.abort();
    else req.signal?.addEventListener('abort', () => runAbort.abort(), { once: true });
    ctx = new SyncContext(api, signal, options, emitter, now, inventory);

    emitter.emit({ event: 'step', data: { step: 'sync', status: 'started', message: `Sync of ${endpoint.name} started (${stages.length} stage(s)).`, metadata: { endpoint: endpoint.id, stages } } });
    emitter.emit({
      event: 'discovery',
      data: {
        event: 'discovery', phase: 'sync', status: 'discovered', message: `${stages.length} stage(s) to run.`, count: stages.length,
        items: stages.map((s) => ({ name: s, item_type: 'stage' })), progress: { current: 0, total: stages.length, percent: 0 },
      },
    });

    const abortPromise = new Promise<never>((_, reject) => {
      if (signal.aborted) reject(new CancelledError());
      signal.addEventListener('abort', () => reject(new CancelledError()), { once: true });
    });
    abortPromise.catch(() => undefined);

    for (const name of stages) {
      if (signal.aborted) {
        cancelled = true;
        break;
      }
      const def = STAGE_DEFINITIONS[name];
      const run = new StageRun(ctx, name);
      const t0 = now();
      emitter.emit({ event: 'step', data: { step: name, status: 'started', message: def.startMessage } });
      try {
        const work = def.run(run);
        work.catch(() => undefined);
        const count = await Promise.race([work, abortPromise]);
        run.flushFailures();
        run.commit();
        const seconds = round3((now() - t0) / 1000);
        const c = run.counts;
        const total = c.created + c.updated + c.deleted + c.stale + c.unchanged;
        emitter.emit({
          event: 'phase_summary',
          data: {
            event: 'phase_summary', phase: name, status: run.failed > 0 ? 'completed_with_errors' : 'completed',
            message: `${name}: ${c.created} created, ${c.updated} updated, ${c.deleted} deleted${c.stale ? `, ${c.stale} marked stale` : ''}, ${run.failed} failed, ${run.skipped} skipped.`,
            result: { created: c.created, updated: c.updated, deleted: c.deleted, failed: run.failed, skipped: run.skipped, total, stale: c.stale },
            timing: { elapsed_ms: Math.round(now() - t0) },
          },
        });
        emitter.emit({
          event: 'step',
          data: {
            step: name, status: 'completed', message: `${name} synchronized${run.skipped ? ` (${run.skipSummary()})` : ''}.`,
            result: { count, created: c.created, updated: c.updated, deleted: c.deleted, stale: c.stale, failed: run.failed, skipped: run.skipped, ...(run.warnings.length ? { warnings: run.warnings } : {}) },
            duration_seconds: seconds,
          },
        });
        warnings.push(...run.warnings);
        outcomes.push({ step: name, status: 'completed', count, created: c.created, updated: c.updated, deleted: c.deleted, stale: c.stale, failed: run.failed, skipped: run.skipped, duration_seconds: seconds });
      } catch (err) {
        const c = signal.aborted ? explainError(new CancelledError()) : explainError(err);
        const seconds = round3((now() - t0) / 1000);
        run.flushFailures();
        outcomes.push({ step: name, status: 'failed', count: 0, created: 0, updated: 0, deleted: 0, stale: 0, failed: run.failed, skipped: run.skipped, duration_seconds: seconds });
        const skippable = SKIPPABLE_STAGES.has(name) && c.category !== 'cancelled' && c.category !== 'authentication';
        emitter.emit({
          event: 'step',
          data: { step: name, status: 'failed', message: scrub(c.message, secret), duration_seconds: seconds, ...(skippable ? { skippable: true } : {}) },
        });
        if (c.category === 'cancelled') {
          cancelled = true;
          break;
        }
        if (skippable) {
          emitter.emit({ event: 'error_detail', data: { event: 'error_detail', phase: name, category: c.category, message: scrub(c.message, secret), detail: scrub(c.detail, secret), suggestion: c.suggestion } });
          warnings.push(`${name} was skipped: ${scrub(c.message, secret)}`);
          continue;
        }
        failedStage = name;
        fail(name, c);
        break;
      }
    }

    if (cancelled) fail(failedStage ?? 'sync', explainError(new CancelledError()));

    // Save what the completed stages learned (also after a failure: each of them finished its listing).
    if (ctx.dirty.size > 0 || ctx.clusterChanged || endpointChanged) {
      inventory.syncedAt = new Date(now()).toISOString();
      written = (await saveInventory(store, inventory, ctx.dirty, ctx.clusterChanged || endpointChanged)).written;
    }
  } catch (err) {
    fail('sync', explainError(err));
  } finally {
    if (!runAbort.signal.aborted) runAbort.abort();
    if (ownsApi && api) await api.close().catch(() => undefined);
  }

  for (const s of stages) if (!outcomes.some((o) => o.step === s)) outcomes.push({ step: s, status: 'not_run', count: 0, created: 0, updated: 0, deleted: 0, stale: 0, failed: 0, skipped: 0, duration_seconds: 0 });
  const sum = (k: keyof StageOutcome): number => outcomes.reduce((a, o) => a + (typeof o[k] === 'number' ? (o[k] as number) : 0), 0);
  const ok = errors.length === 0 && !cancelled;
  const requests = api ? api.requestCount - requestsBefore : 0;
  const message = ok
    ? `Sync of ${endpoint.name} completed${warnings.length ? ` with ${warnings.length} warning(s)` : ''}.`
    : cancelled
      ? 'Sync cancelled.'
      : `Sync of ${endpoint.name} failed${failedStage ? ` in stage ${failedStage}` : ''}: ${errors[0]?.detail ?? 'unknown error'}`;
  const data: CompleteData = {
    ok, message, cancelled, endpoint: endpoint.id, stages: outcomes, warnings: warnings.map((w) => scrub(w, secret)),
    ...(failedStage ? { failed_stage: failedStage } : {}),
    ...(errors.length ? { errors } : {}),
    result: {
      created: sum('created'), updated: sum('updated'), deleted: sum('deleted'), failed: sum('failed'), skipped: sum('skipped'),
      total: sum('count'), stale: sum('stale'), requests, written,
    },
    duration_seconds: round3((now() - started) / 1000),
  };
  emitter.emit({ event: 'complete', data });
  return completeData ?? data;
}

export type { ErrorCategory };
