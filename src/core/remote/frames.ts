// proxbox-api's SSE frames → our pipeline events. Their event names are ours already (events.ts follows them);
// what differs is translated here: their run-level names (`stream`, `full-update`) become our `sync`, their legacy
// websocket-style `step` frames (one per object, with a `payload`) become `item_progress`, a stage failure gets the
// `step` failed our protocol has and theirs does not, and the kinds we have no event for (bootstrap_done, substep,
// duplicate_name_resolved, …) become debug lines rather than being dropped. Pure: no I/O, no clock of its own.
import { suggestionFor, type ErrorCategory } from '../errors/explain';
import {
  STAGES, type ItemInfo, type ItemOperation, type PhaseCounts, type PipelineEvent, type Progress, type StageName, type StageResult,
} from '../pipeline/events';

const CATEGORIES: ReadonlySet<string> = new Set(['connection', 'authentication', 'permission', 'validation', 'not_found', 'timeout', 'rate_limit', 'internal', 'unknown']);
const OPERATIONS: ReadonlySet<string> = new Set(['created', 'updated', 'deleted', 'skipped', 'failed']);

type Json = Record<string, unknown>;
const isObj = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);
const str = (v: unknown, fallback = ''): string => (typeof v === 'string' ? v : v === undefined || v === null ? fallback : JSON.stringify(v));
const num = (v: unknown): number | undefined => (typeof v === 'number' && Number.isFinite(v) ? v : undefined);
const isStage = (s: unknown): s is StageName => typeof s === 'string' && (STAGES as readonly string[]).includes(s);

/** The end of one stream as the backend said it (`complete`). */
export interface RemoteComplete {
  ok: boolean;
  message: string;
  errors: string[];
  warnings: string[];
}

export interface StageTally {
  status: 'running' | 'completed' | 'failed';
  startedAt: number;
  result: StageResult;
  duration_seconds: number;
}

export interface ErrorEntry { detail: string; step: StageName | 'sync'; category: ErrorCategory }

/** What a `step` or phase name means in the stream at hand. */
function progressOf(v: unknown): Progress | undefined {
  if (!isObj(v)) return undefined;
  const current = num(v.current) ?? 0;
  const total = num(v.total) ?? 0;
  return { current, total, percent: num(v.percent) ?? (total > 0 ? Math.round((current / total) * 100) : 0) };
}

function itemOf(v: unknown): ItemInfo | undefined {
  if (!isObj(v)) return undefined;
  const extra: Record<string, unknown> = isObj(v.extra) ? { ...v.extra } : {};
  for (const k of ['netbox_id', 'netbox_url'] as const) if (v[k] !== undefined) extra[k] = v[k];
  return { name: str(v.name, 'item'), item_type: str(v.item_type ?? v.type, 'item'), ...(Object.keys(extra).length ? { extra } : {}) };
}

export class FrameTranslator {
  /** Per stage, as the frames said it went. */
  readonly tallies = new Map<StageName, StageTally>();
  readonly errors: ErrorEntry[] = [];
  /** The `complete` of the current stream, once it came. */
  complete: RemoteComplete | undefined;
  private running: StageName | undefined;
  /** In per-stage mode: the stage the current stream runs. */
  private streamStage: StageName | undefined;
  /** The running stage's progress as its frames said it (discovery count, item_progress), for legacy frames that say none. */
  private known = { current: 0, total: 0 };
  /** A run-level error_detail already said why the running stage failed: the `error` after it adds no second one. */
  private explained: ErrorCategory | undefined;

  constructor(
    private readonly emit: (e: PipelineEvent) => void,
    private readonly debug: (line: string) => void,
    private readonly now: () => number,
  ) {}

  /** A new stream begins. For a per-stage stream, its stage starts now (the stream's own `started` is then only logged). */
  beginStream(stage?: StageName): void {
    this.complete = undefined;
    this.streamStage = stage;
    this.explained = undefined;
    if (stage) this.start(stage, `Starting ${stage} synchronization on the proxbox-api backend.`);
  }

  get runningStage(): StageName | undefined {
    return this.running;
  }

  /** One frame as it came off the wire. */
  frame(name: string | undefined, raw: string): void {
    let data: unknown;
    try {
      data = JSON.parse(raw);
    } catch {
      this.debug(`unreadable ${name ?? 'message'} frame from the backend: ${raw.slice(0, 200)}`);
      return;
    }
    if (!isObj(data)) {
      this.debug(`${name ?? 'message'} frame without an object: ${raw.slice(0, 200)}`);
      return;
    }
    switch (name) {
      case 'step': return this.step(data);
      case 'discovery': return this.discovery(data);
      case 'item_progress': return this.itemProgress(data);
      case 'phase_summary': return this.phaseSummary(data);
      case 'error_detail': return this.errorDetail(data);
      case 'error': return this.error(data);
      case 'complete': return this.completeFrame(data);
      default:
        this.debug(`${name ?? 'message'}: ${raw.slice(0, 300)}`);
    }
  }

  /** A phase name of theirs as one of ours: a stage, or `sync` for the run. */
  private phaseOf(phase: unknown): StageName | 'sync' {
    if (isStage(phase)) return phase;
    return this.streamStage ?? this.running ?? 'sync';
  }

  private start(stage: StageName, message: string): void {
    this.running = stage;
    this.known = { current: 0, total: 0 };
    this.tallies.set(stage, { status: 'running', startedAt: this.now(), result: { count: 0 }, duration_seconds: 0 });
    this.emit({ event: 'step', data: { step: stage, status: 'started', message } });
  }

  /** Marks the running stage failed (once), with our `step` failed. */
  failRunning(message: string): StageName | undefined {
    const stage = this.running;
    if (!stage) return undefined;
    const t = this.tallies.get(stage)!;
    t.status = 'failed';
    t.duration_seconds = Math.round(this.now() - t.startedAt) / 1000;
    this.running = undefined;
    this.emit({ event: 'step', data: { step: stage, status: 'failed', message, duration_seconds: t.duration_seconds } });
    return stage;
  }

  /** error_detail + error for a failure, recorded for `complete`. */
  report(step: StageName | 'sync', category: ErrorCategory, message: string, detail: string, suggestion: string): void {
    this.emit({ event: 'error_detail', data: { event: 'error_detail', phase: step, category, message, detail: detail || message, suggestion } });
    this.emit({ event: 'error', data: { step, status: 'failed', error: message, detail: detail || message, category } });
    this.errors.push({ detail: message, step, category });
  }

  private step(d: Json): void {
    const name = d.step;
    const status = str(d.status);
    // Legacy frames (a sync service's websocket message): one object of the running stage.
    if ('payload' in d || 'rowid' in d || status === 'progress') {
      const phase = this.phaseOf(undefined);
      const k = this.known;
      k.current = k.total > 0 ? Math.min(k.total, k.current + 1) : k.current + 1;
      this.emit({
        event: 'item_progress',
        data: {
          event: 'item_progress', phase, status: status === 'failed' ? 'failed' : status === 'completed' ? 'completed' : 'processing',
          message: str(d.message, `${str(name)} ${status}`),
          item: { name: str(d.rowid ?? name, 'item'), item_type: str(name, 'item') },
          ...(status === 'failed' ? { operation: 'failed' as ItemOperation } : {}),
          // A legacy frame says nothing of the stage's size: the total its discovery gave, or none (no made-up percentage).
          progress: { current: k.current, total: k.total, percent: k.total > 0 ? Math.round((k.current / k.total) * 100) : 0 },
        },
      });
      return;
    }
    const stage = this.streamStage ?? (isStage(name) ? name : undefined);
    if (!stage || (this.streamStage && !isStage(name) && status !== 'started' && status !== 'completed')) {
      this.debug(`step ${str(name)} ${status}: ${str(d.message)}`);
      return;
    }
    if (status === 'started') {
      if (this.streamStage) this.debug(`step ${str(name)} started: ${str(d.message)}`);
      else this.start(stage, str(d.message, `Starting ${stage} synchronization.`));
      return;
    }
    if (status === 'completed') {
      const t = this.tallies.get(stage);
      if (!t || t.status !== 'running') {
        this.debug(`step ${stage} completed without having started: ${str(d.message)}`);
        return;
      }
      const r = isObj(d.result) ? d.result : {};
      const created = num(r.created) ?? t.result.created;
      const updated = num(r.updated) ?? t.result.updated;
      const warnings = Array.isArray(r.warnings) ? r.warnings.map((w) => str(w)) : undefined;
      t.result = {
        ...t.result,
        count: num(r.count) ?? (created !== undefined || updated !== undefined ? (created ?? 0) + (updated ?? 0) : t.result.count),
        ...(created !== undefined ? { created } : {}),
        ...(updated !== undefined ? { updated } : {}),
        ...(warnings?.length ? { warnings } : {}),
      };
      t.status = 'completed';
      t.duration_seconds = num(d.duration_seconds) ?? Math.round(this.now() - t.startedAt) / 1000;
      this.running = undefined;
      this.emit({ event: 'step', data: { step: stage, status: 'completed', message: str(d.message, `${stage} synchronized.`), result: t.result, duration_seconds: t.duration_seconds } });
      return;
    }
    if (status === 'failed') {
      if (this.running === stage) this.failRunning(str(d.message ?? d.error, `${stage} failed.`));
      else this.debug(`step ${stage} failed: ${str(d.message ?? d.error)}`);
      return;
    }
    this.debug(`step ${stage} ${status}: ${str(d.message)}`);
  }

  private discovery(d: Json): void {
    if (!isStage(d.phase) && !this.streamStage) {
      // The run's own discovery (phase full-update): we announced the stages ourselves, in our order.
      this.debug(`discovery ${str(d.phase)}: ${str(d.message)}`);
      return;
    }
    const items = Array.isArray(d.items) ? d.items.map(itemOf).filter((i): i is ItemInfo => i !== undefined) : [];
    const count = num(d.count) ?? items.length;
    this.known = { current: 0, total: count };
    this.emit({
      event: 'discovery',
      data: {
        event: 'discovery', phase: this.phaseOf(d.phase), status: 'discovered', message: str(d.message, `${count} item(s) discovered.`), count, items,
        progress: progressOf(d.progress) ?? { current: 0, total: count, percent: 0 },
        ...(isObj(d.metadata) ? { metadata: d.metadata } : {}),
      },
    });
  }

  private itemProgress(d: Json): void {
    const status = str(d.status);
    const op = str(d.operation);
    const item = itemOf(d.item);
    const p = progressOf(d.progress);
    if (p && p.total > 0) this.known = { current: p.current, total: p.total };
    this.emit({
      event: 'item_progress',
      data: {
        event: 'item_progress', phase: this.phaseOf(d.phase),
        status: status === 'failed' || status === 'completed' ? status : 'processing',
        // `would_delete` (an orphan sweep's dry run) has no operation of ours: it changed nothing, so skipped.
        message: str(d.message, `${item?.name ?? 'item'} ${op || status}`),
        ...(item ? { item } : {}),
        ...(op ? { operation: (OPERATIONS.has(op) ? op : 'skipped') as ItemOperation } : {}),
        progress: p ?? { current: 0, total: 0, percent: 0 },
        ...(d.error !== undefined ? { error: str(d.error) } : {}),
        ...(d.warning !== undefined ? { warning: str(d.warning) } : {}),
      },
    });
  }

  private phaseSummary(d: Json): void {
    const r = isObj(d.result) ? d.result : {};
    const counts: PhaseCounts = {
      created: num(r.created) ?? 0, updated: num(r.updated) ?? 0, deleted: num(r.deleted) ?? 0,
      failed: num(r.failed) ?? 0, skipped: num(r.skipped) ?? 0, total: num(r.total) ?? 0,
    };
    const phase = this.phaseOf(d.phase);
    const t = phase === 'sync' ? undefined : this.tallies.get(phase);
    if (t) {
      // A stage may summarise several collections (devices: nodes and hardware): its counts add up.
      for (const k of ['created', 'updated', 'deleted', 'failed', 'skipped'] as const) t.result[k] = (t.result[k] ?? 0) + counts[k];
    }
    this.emit({
      event: 'phase_summary',
      data: {
        event: 'phase_summary', phase, status: counts.failed > 0 ? 'completed_with_errors' : 'completed',
        message: str(d.message, `${phase}: ${counts.created} created, ${counts.updated} updated, ${counts.deleted} deleted, ${counts.failed} failed, ${counts.skipped} skipped.`),
        result: counts,
        timing: { elapsed_ms: num(isObj(d.timing) ? d.timing.elapsed_ms : undefined) ?? 0 },
      },
    });
  }

  private errorDetail(d: Json): void {
    const category = (CATEGORIES.has(str(d.category)) ? str(d.category) : 'unknown') as ErrorCategory;
    const message = str(d.message, 'The backend reported an error.');
    const detail = str(d.detail, message);
    const suggestion = str(d.suggestion) || suggestionFor(category);
    if (isStage(d.phase)) {
      // An item's error inside a stage that goes on (backup-routines reports one this way).
      const item = itemOf(d.item);
      this.emit({ event: 'error_detail', data: { event: 'error_detail', phase: d.phase, category, message, detail, suggestion, ...(item ? { item } : {}) } });
      return;
    }
    // The run's failure (phase full-update): the running stage failed of it. Its message is generic ("Full update
    // synchronization failed"); the detail names the cause.
    const stage = this.failRunning(detail) ?? 'sync';
    this.explained = category;
    this.emit({ event: 'error_detail', data: { event: 'error_detail', phase: stage, category, message, detail, suggestion } });
    this.lastFailure = { stage, category, message };
  }

  private lastFailure: { stage: StageName | 'sync'; category: ErrorCategory; message: string } | undefined;

  private error(d: Json): void {
    const message = str(d.error ?? d.message, 'The backend reported an error.');
    const detail = str(d.detail, message);
    if (this.explained && this.lastFailure) {
      // Their error_detail came first and said why; this is the same failure in a line.
      const { stage, category } = this.lastFailure;
      this.emit({ event: 'error', data: { step: stage, status: 'failed', error: message, detail, category } });
      this.errors.push({ detail: message, step: stage, category });
      this.explained = undefined;
      this.lastFailure = undefined;
      return;
    }
    const stage = this.failRunning(message) ?? (isStage(d.step) ? d.step : 'sync');
    // A cancel on the server's side ("Server shutdown or request cancelled.") is the backend's, not ours: internal.
    this.report(stage, 'internal', message, detail, suggestionFor('internal'));
  }

  private completeFrame(d: Json): void {
    const r = isObj(d.result) ? d.result : {};
    this.complete = {
      ok: d.ok === true,
      message: str(d.message),
      errors: Array.isArray(d.errors) ? d.errors.map((e) => (isObj(e) ? str(e.detail ?? e.message) : str(e))) : [],
      warnings: Array.isArray(r.warnings) ? r.warnings.map((w) => str(w)) : [],
    };
    if (this.running && this.complete.ok && this.streamStage === this.running) {
      // A per-stage stream that said it ended well without its `completed` step: the stage completed.
      this.step({ step: this.running, status: 'completed', message: this.complete.message });
    }
  }
}
