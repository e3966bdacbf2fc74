// The runner: one sync of one endpoint, its stages run by their dependency graph (dependencies.ts). A stage starts
// as soon as every stage it depends on has completed, so independent stages fetch at the same time; they all go
// through the one client's concurrency limit (the stage limits only decide what each stage queues), so running
// more stages at once never means more requests in flight, only that the client always has work queued. Each stage's
// changes are committed when it completes, in whatever order stages finish: context.ts explains why the inventory
// comes out the same in any order. A failed stage skips only the stages that depend on it; every other stage still
// completes and is saved, and the run ends `ok: false` naming what failed and what was skipped. An authentication
// error or a cancel ends the whole run (every further request would fail the same way). Whatever happens, exactly
// one `complete` event ends the run, and the stages that completed are saved (a no-change run saves nothing).
//
// The endpoint's kind picks the stages: a Proxmox VE cluster runs the twelve PVE stages through a PveApi, a Proxmox
// Backup Server the five PBS stages through a PbsApi; the two never mix in one run. Sinks (NetBox) do not run for a
// PBS: NetBox receives a cluster's devices, guests and interfaces, of which a PBS has none. They are not silently
// dropped: the run says so in a warning, so a NetBox target configured on a PBS endpoint does not look like it synced.
import { setMaxListeners } from 'node:events';
import type { PveApi } from './api';
import type { PbsApi } from '../pbs/api';
import { PbsClient } from '../pbs/client';
import { SyncContext, StageRun } from './context';
import { dependenciesOf, isStageName, resolveStagesFor } from './dependencies';
import { explainError, type ExplainedError } from '../errors/explain';
import { redactDeepIfNeeded, redactSecrets } from '../secrets/redact';
import { CancelledError, isRunFatal } from './errors';
import {
  CompleteData, ErrorCategory, EventEmitterOnce, PipelineEvent, PipelineStageName, progress, StageName, StageOutcome, StepName,
} from './events';
import { sinkPartialOf, type InventorySink, type SinkCounts } from './sink';
import { PipelineOptions, PipelineOptionsInput, resolveOptions } from './options';
import { ProxmoxClient } from '../proxmox/client';
import { STAGE_DEFINITIONS } from './stages';
import { PBS_STAGE_DEFINITIONS } from './stages/pbs';
import type { StageDefinition } from './stages/types';
import { stageLabel } from './stageLabels';
import type { DocumentStore } from '../inventory/store';
import { COLLECTIONS, EndpointRef, Inventory, emptyInventory, endpointKind } from '../inventory/model';
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
  /** The same for the endpoint of a Proxmox Backup Server (`endpoint.kind === 'pbs'`). */
  pbsApi?: PbsApi;
  /** Where the inventory goes after the stages (NetBox), each run as one more step. */
  sinks?: readonly InventorySink[];
  /** Other credentials of this run (a sink's token): redacted from every event like the secret. */
  redact?: readonly string[];
}

function createClient(endpoint: EndpointRef, secret: string, options: PipelineOptions): PveApi {
  // One connection limit for the whole run: the stage limits (guests, backup listings) only decide what is
  // queued; the client decides what is in flight.
  return new ProxmoxClient(endpoint, secret, {
    timeoutMs: options.timeoutMs, retries: options.retries, concurrency: options.concurrency.fetch, maxResponseBytes: options.maxResponseBytes,
  });
}

function createPbsClient(endpoint: EndpointRef, secret: string, options: PipelineOptions): PbsApi {
  return new PbsClient(endpoint, secret, {
    timeoutMs: options.timeoutMs, retries: options.retries, concurrency: options.concurrency.fetch, maxResponseBytes: options.maxResponseBytes,
  });
}

function definitionOf(stage: PipelineStageName): StageDefinition {
  return isStageName(stage) ? STAGE_DEFINITIONS[stage] : PBS_STAGE_DEFINITIONS[stage];
}

const round3 = (s: number): number => Math.round(s * 1000) / 1000;

/** The one redactor, with this run's secret: nothing that leaves the runner may carry it. */
function scrub(text: string, secrets: readonly string[]): string {
  return redactSecrets(text, [...secrets]);
}

type StageState = 'pending' | 'running' | 'completed' | 'failed' | 'skipped';
type ErrorEntry = NonNullable<CompleteData['errors']>[number];

function emptyOutcome(step: StepName, status: StageOutcome['status']): StageOutcome {
  return { step, status, count: 0, created: 0, updated: 0, deleted: 0, stale: 0, failed: 0, skipped: 0, duration_seconds: 0 };
}

export async function runSync(req: SyncRequest): Promise<CompleteData> {
  const now = req.now ?? Date.now;
  const started = now();
  const secret = req.secret ?? '';
  // The Proxmox secret and any other credential of the run (a sink's token): none may leave in an event.
  const secrets = [secret, ...(req.redact ?? [])].filter((x) => x.length > 0);
  let completeData: CompleteData | undefined;
  // Every event passes through here: the secret can never leave in an event, whatever an error message held.
  const emitter = new EventEmitterOnce((e) => {
    if (e.event === 'complete') completeData = e.data;
    if (!req.onEvent) return;
    // Most events hold no credential: look at the text once, and redact value by value only when it may.
    req.onEvent(redactDeepIfNeeded(e, secrets));
  });
  const endpoint = endpointRef(req.endpoint);
  const kind = endpointKind(endpoint);
  const state = new Map<StepName, StageState>();
  const outcomes = new Map<StepName, StageOutcome>();
  // Collected per stage and put together in pipeline order at the end, so `complete` does not depend on which
  // stage happened to finish first.
  const stageWarnings = new Map<StepName, string[]>();
  const stageErrors = new Map<StepName, ErrorEntry>();
  const runErrors: ErrorEntry[] = [];
  /** The run's own warnings (a sink that does not run for this kind of endpoint), after the stages'. */
  const runWarnings: string[] = [];
  let cancelled = false;
  /** The stage whose error ended the whole run (a bad token), when one did. */
  let fatal: { stage: PipelineStageName; classified: ExplainedError } | undefined;
  let api: PveApi | PbsApi | undefined;
  let ownsApi = false;
  let written = 0;
  const readyApi = kind === 'pbs' ? req.pbsApi : req.api;
  const requestsBefore = readyApi?.requestCount ?? 0;

  /** error_detail + error for a failure of a stage or of the run; returns the `errors` entry. */
  const report = (step: StepName | 'sync', c: ExplainedError): ErrorEntry => {
    const message = scrub(c.message, secrets);
    emitter.emit({ event: 'error_detail', data: { event: 'error_detail', phase: step, category: c.category, message, detail: scrub(c.detail, secrets), suggestion: c.suggestion } });
    emitter.emit({ event: 'error', data: { step, status: 'failed', error: message, detail: scrub(c.detail, secrets), category: c.category } });
    return { detail: message, step, category: c.category };
  };

  let stages: PipelineStageName[] = [];
  const sinks = kind === 'pbs' ? [] : req.sinks ?? [];
  for (const sink of kind === 'pbs' ? req.sinks ?? [] : []) {
    runWarnings.push(`${sink.name}: not run: ${endpoint.name} is a Proxmox Backup Server, and ${stageLabel(sink.name)} receives a Proxmox VE cluster's devices, guests and interfaces, which a backup server does not have.`);
  }
  let steps: StepName[] = [];
  const runAbort = new AbortController();
  try {
    stages = resolveStagesFor(kind, req.stages);
    steps = [...stages, ...sinks.map((k) => k.name)];
    for (const s of steps) state.set(s, 'pending');
    const options = resolveOptions(req.options);
    const store = openStore(req.store);
    const previous = await loadInventory(store, endpoint.id, Math.floor(now() / 1000));
    const inventory: Inventory = previous ?? emptyInventory(endpoint);
    const endpointChanged = !previous || JSON.stringify(endpointRef(previous.endpoint)) !== JSON.stringify(endpoint);
    inventory.endpoint = endpoint;

    if (readyApi) api = readyApi;
    else {
      api = kind === 'pbs' ? createPbsClient(endpoint, secret, options) : createClient(endpoint, secret, options);
      ownsApi = true;
    }
    // The run's own signal: the caller's cancel reaches it, and a run-fatal error or the end of the run aborts it
    // so that no request of a stage that lost the race keeps running. Every queued request listens to it, hence
    // no listener limit.
    const signal = runAbort.signal;
    setMaxListeners(0, signal);
    if (req.signal?.aborted) runAbort.abort();
    else req.signal?.addEventListener('abort', () => runAbort.abort(), { once: true });
    const ctx = kind === 'pbs'
      ? new SyncContext(null, signal, options, emitter, now, inventory, secrets, api as PbsApi)
      : new SyncContext(api as PveApi, signal, options, emitter, now, inventory, secrets);

    emitter.emit({ event: 'step', data: { step: 'sync', status: 'started', message: `Sync of ${endpoint.name} started (${steps.length} stage(s))${runWarnings.length ? `; ${runWarnings.map((w) => w.split(':')[0]).join(', ')} not run for a Proxmox Backup Server` : ''}.`, metadata: { endpoint: endpoint.id, kind, stages: steps } } });
    emitter.emit({
      event: 'discovery',
      data: {
        event: 'discovery', phase: 'sync', status: 'discovered', message: `${steps.length} stage(s) to run.`, count: steps.length,
        items: steps.map((s) => ({ name: s, item_type: 'stage' })), progress: { current: 0, total: steps.length, percent: 0 },
      },
    });

    const abortPromise = new Promise<never>((_, reject) => {
      if (signal.aborted) reject(new CancelledError());
      signal.addEventListener('abort', () => reject(new CancelledError()), { once: true });
    });
    abortPromise.catch(() => undefined);

    const runStage = async (name: PipelineStageName): Promise<void> => {
      const def = definitionOf(name);
      const run = new StageRun(ctx, name);
      const t0 = now();
      emitter.emit({ event: 'step', data: { step: name, status: 'started', message: def.startMessage } });
      try {
        const work = def.run(run);
        work.catch(() => undefined);
        // The race lets a cancel end a stage whose request hangs, without waiting for its timeout.
        const count = await Promise.race([work, abortPromise]);
        run.flushFailures();
        run.commit();
        state.set(name, 'completed');
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
        stageWarnings.set(name, run.warnings);
        outcomes.set(name, { step: name, status: 'completed', count, created: c.created, updated: c.updated, deleted: c.deleted, stale: c.stale, failed: run.failed, skipped: run.skipped, duration_seconds: seconds });
      } catch (err) {
        const seconds = round3((now() - t0) / 1000);
        state.set(name, 'failed');
        run.flushFailures();
        outcomes.set(name, { ...emptyOutcome(name, 'failed'), failed: run.failed, skipped: run.skipped, duration_seconds: seconds });
        if (signal.aborted) {
          // Stopped from outside: the caller cancelled, or another stage met an error that ends the run. The cause
          // is reported once (by that stage, or as the run's cancel), not again by every stage it stopped.
          if (!fatal) cancelled = true;
          const why = fatal
            ? `Stopped: ${fatal.stage} failed (${fatal.classified.category}), so no further request can succeed.`
            : 'The sync was cancelled.';
          emitter.emit({ event: 'step', data: { step: name, status: 'failed', message: why, duration_seconds: seconds } });
          return;
        }
        const c = explainError(err);
        emitter.emit({ event: 'step', data: { step: name, status: 'failed', message: scrub(c.message, secrets), duration_seconds: seconds } });
        if (c.category === 'cancelled') {
          // A cancel that surfaced as this stage's own error (the client was closed): the run's cancel.
          cancelled = true;
          runAbort.abort();
          return;
        }
        stageErrors.set(name, report(name, c));
        if (isRunFatal(c)) {
          fatal = { stage: name, classified: c };
          runAbort.abort();
        }
      }
    };

    /** One sink as one more step: its counts per kind of object, and a failure for every object it could not write. */
    const runSink = async (sink: InventorySink, inv: Inventory, signal: AbortSignal): Promise<void> => {
      const name = sink.name;
      const t0 = now();
      const summarize = (types: readonly SinkCounts[]): void => {
        for (const t of types) {
          emitter.emit({
            event: 'phase_summary',
            data: {
              event: 'phase_summary', phase: name, object_type: t.type, status: t.failed ? 'completed_with_errors' : 'completed',
              message: `${name} ${t.type}: ${t.created} created, ${t.updated} updated, ${t.deleted} deleted, ${t.failed} failed, ${t.unchanged} unchanged.`,
              result: { created: t.created, updated: t.updated, deleted: t.deleted, failed: t.failed, skipped: 0, total: t.created + t.updated + t.deleted + t.unchanged + t.failed },
              timing: { elapsed_ms: Math.round(now() - t0) },
            },
          });
        }
      };
      state.set(name, 'running');
      emitter.emit({ event: 'step', data: { step: name, status: 'started', message: sink.startMessage } });
      // Sinks run in PVE runs only (see the header), so the completed stages are PVE stages.
      const completed = new Set(stages.filter((s): s is StageName => isStageName(s) && state.get(s) === 'completed'));
      try {
        const r = await Promise.race([sink.run({
          inventory: inv, completed, signal,
          progress: (type, done, total) => emitter.emit({
            event: 'item_progress',
            data: { event: 'item_progress', phase: name, status: 'completed', message: `${type} done`, item: { name: type, item_type: 'object_type' }, progress: progress(done, total) },
          }),
        }), abortPromise]);
        const sum = (k: 'created' | 'updated' | 'deleted' | 'unchanged' | 'failed'): number => r.types.reduce((a, t) => a + t[k], 0);
        summarize(r.types);
        const seconds = round3((now() - t0) / 1000);
        const counts = { created: sum('created'), updated: sum('updated'), deleted: sum('deleted'), failed: r.failures.length };
        const total = counts.created + counts.updated + counts.deleted + sum('unchanged');
        const summary = `${counts.created} created, ${counts.updated} updated, ${counts.deleted} deleted in ${r.target} (${r.requests} requests, ${r.writes} of them writes)`;
        outcomes.set(name, { ...emptyOutcome(name, r.failures.length ? 'failed' : 'completed'), count: total, ...counts, duration_seconds: seconds });
        if (r.failures.length) {
          // Not a success while something that should have reached the target did not: the step fails, naming them.
          state.set(name, 'failed');
          const shown = r.failures.slice(0, 3).map((f) => `${f.label}: ${f.reason}`).join('; ');
          const more = r.failures.length > 3 ? `; and ${r.failures.length - 3} more` : '';
          const message = scrub(`${r.failures.length} object(s) could not be written: ${shown}${more}.`, secrets);
          emitter.emit({ event: 'step', data: { step: name, status: 'failed', message: `${message} The rest was written: ${summary}.`, result: { count: total, ...counts }, duration_seconds: seconds } });
          stageErrors.set(name, report(name, {
            category: 'validation', message, detail: r.failures.map((f) => scrub(`${f.label}: ${f.reason}`, secrets)).join('\n'),
            suggestion: 'Fix the objects named (or the NetBox objects they collide with: an object of the same name that Proxbox did not create is never changed unless "adopt" is on), then sync again; the other objects are written already.',
          }));
        } else {
          state.set(name, 'completed');
          emitter.emit({ event: 'step', data: { step: name, status: 'completed', message: `${stageLabel(name)}: ${summary}.`, result: { count: total, ...counts }, duration_seconds: seconds } });
        }
      } catch (err) {
        const seconds = round3((now() - t0) / 1000);
        state.set(name, 'failed');
        // What was written before the error stays written: it is counted and said, never lost behind the error.
        const partial = sinkPartialOf(err);
        if (partial) summarize(partial.types);
        const total = (k: 'created' | 'updated' | 'deleted'): number => (partial?.types ?? []).reduce((a, t) => a + t[k], 0);
        const counts = { created: total('created'), updated: total('updated'), deleted: total('deleted'), failed: partial?.failures.length ?? 0 };
        const before = counts.created + counts.updated + counts.deleted
          ? ` Written before it stopped: ${counts.created} created, ${counts.updated} updated, ${counts.deleted} deleted; the next sync completes the rest.`
          : '';
        outcomes.set(name, { ...emptyOutcome(name, 'failed'), ...counts, duration_seconds: seconds });
        if (signal.aborted) {
          cancelled = true;
          emitter.emit({ event: 'step', data: { step: name, status: 'failed', message: `The sync was cancelled.${before}`, duration_seconds: seconds } });
          return;
        }
        const c = explainError(err);
        emitter.emit({ event: 'step', data: { step: name, status: 'failed', message: scrub(c.message + before, secrets), duration_seconds: seconds } });
        stageErrors.set(name, report(name, { ...c, message: c.message + before }));
      }
    };

    // Decides every pending stage whose dependencies have all settled: it starts when they all completed, and is
    // skipped when one failed or was skipped. Waiting for every dependency to settle (rather than skipping at the
    // first failure) names the same cause in every run, whichever of two failing dependencies fails first.
    // STAGES and PBS_STAGES are topological orders, so one pass also settles chains of skips.
    await new Promise<void>((allSettled) => {
      let active = 0;
      const decide = (): void => {
        if (!signal.aborted) {
          for (const name of stages) {
            if (state.get(name) !== 'pending') continue;
            const deps = dependenciesOf(name);
            if (deps.some((d) => state.get(d) === 'pending' || state.get(d) === 'running')) continue;
            if (deps.every((d) => state.get(d) === 'completed')) {
              state.set(name, 'running');
              active++;
              void runStage(name)
                // runStage settles its stage whatever the stage throws; this only catches a bug in that handling.
                .catch((err: unknown) => { runErrors.push(report('sync', explainError(err))); })
                .finally(() => {
                  active--;
                  decide();
                });
            } else {
              skip(name);
            }
          }
        }
        if (active === 0) allSettled();
      };
      decide();
    });
    // A cancel between two stages stops the run without interrupting a stage: still a cancelled run.
    if (signal.aborted && !fatal && stages.some((s) => state.get(s) === 'pending')) cancelled = true;
    if (cancelled) runErrors.push(report('sync', explainError(new CancelledError())));

    // Save what the completed stages learned (also after a failure: each of them finished its listing). A run in
    // which no stage completed learned nothing: it writes no sync time, and for an endpoint never synced nothing at
    // all, so a first sync refused by Proxmox leaves no empty inventory that would pass for an empty, healthy cluster.
    // A renamed endpoint's record is still saved (with its old sync time): the views name it from there.
    const learned = stages.some((s) => state.get(s) === 'completed');
    if (learned ? ctx.dirty.size > 0 || ctx.clusterChanged || endpointChanged : endpointChanged && previous !== undefined) {
      if (learned) inventory.syncedAt = new Date(now()).toISOString();
      // The server's text is redacted on the way into the store: a job comment that echoes the token never lands on disk.
      const dirty = COLLECTIONS.filter((c) => ctx.dirty.has(c));
      written = (await saveInventory(store, inventory, dirty, ctx.clusterChanged || endpointChanged, secrets)).written;
    }
    for (const sink of sinks) {
      if (signal.aborted) break;
      if (!learned) {
        state.set(sink.name, 'skipped');
        outcomes.set(sink.name, emptyOutcome(sink.name, 'skipped'));
        emitter.emit({ event: 'step', data: { step: sink.name, status: 'skipped', message: 'skipped: no Proxmox stage completed, so there is nothing new to send.' } });
        continue;
      }
      await runSink(sink, inventory, signal);
    }
  } catch (err) {
    runErrors.push(report('sync', explainError(err)));
  } finally {
    if (!runAbort.signal.aborted) runAbort.abort();
    if (ownsApi && api) await api.close().catch(() => undefined);
  }

  /** A stage whose dependency failed: one `skipped` step naming the failed stage at the root. */
  function skip(name: PipelineStageName): void {
    const deps = dependenciesOf(name);
    // The root cause: a failed dependency itself, or the failed stage behind a skipped one; the first in
    // pipeline order, so the same faults give the same reason.
    const roots = deps.map((d) => (state.get(d) === 'failed' ? d : outcomes.get(d)?.failed_dependency)).filter((r): r is PipelineStageName => r !== undefined);
    const root = stages.find((s) => roots.includes(s)) ?? roots[0];
    const via = deps.includes(root) ? undefined : deps.find((d) => outcomes.get(d)?.failed_dependency === root);
    const message = `skipped: depends on ${root}, which failed${via ? ` (through ${via})` : ''}.`;
    state.set(name, 'skipped');
    outcomes.set(name, { ...emptyOutcome(name, 'skipped'), failed_dependency: root });
    emitter.emit({ event: 'step', data: { step: name, status: 'skipped', message, failed_dependency: root } });
  }

  const stageOutcomes = steps.map((s) => outcomes.get(s) ?? emptyOutcome(s, 'not_run'));
  const failedStages = stageOutcomes.filter((o) => o.status === 'failed').map((o) => o.step);
  const skippedStages = stageOutcomes.filter((o) => o.status === 'skipped').map((o) => o.step);
  const errors = [...steps.flatMap((s) => stageErrors.get(s) ?? []), ...runErrors];
  const failedStage = steps.find((s) => stageErrors.has(s));
  const warnings = [...steps.flatMap((s) => stageWarnings.get(s) ?? []), ...runWarnings].map((w) => scrub(w, secrets));
  const sum = (k: keyof StageOutcome): number => stageOutcomes.reduce((a, o) => a + (typeof o[k] === 'number' ? (o[k] as number) : 0), 0);
  const ok = errors.length === 0 && !cancelled && failedStages.length === 0 && skippedStages.length === 0;
  const requests = api ? api.requestCount - requestsBefore : 0;
  const completedCount = stageOutcomes.filter((o) => o.status === 'completed').length;
  const message = ok
    ? `Sync of ${endpoint.name} completed${warnings.length ? ` with ${warnings.length} warning(s)` : ''}.`
    : cancelled
      ? 'Sync cancelled.'
      : failedStage
        ? `Sync of ${endpoint.name} failed in stage ${failedStage}: ${stageErrors.get(failedStage)!.detail}` +
          (failedStages.length > 1 ? `; also failed: ${failedStages.filter((s) => s !== failedStage).join(', ')}` : '') +
          (skippedStages.length ? `; skipped: ${skippedStages.join(', ')}` : '') +
          ` (${completedCount} of ${steps.length} stage(s) completed).`
        : `Sync of ${endpoint.name} failed: ${errors[0]?.detail ?? 'unknown error'}`;
  const data: CompleteData = {
    ok, message, cancelled, endpoint: endpoint.id, stages: stageOutcomes, warnings,
    ...(failedStage ? { failed_stage: failedStage } : {}),
    failed_stages: failedStages,
    skipped_stages: skippedStages,
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
