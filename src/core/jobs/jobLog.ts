// A job's log: pipeline events turned into readable, levelled entries, and the per-stage result. The log is
// capped (the first entries and the most recent ones are kept, with a marker for what was left out), so a
// run with thousands of items cannot grow a job record without bound.
import { JobResult, LogEntry, LogLevel, StageResult, SyncEvent } from './types';

export const DEFAULT_MAX_LOG_ENTRIES = 1000;
const HEAD_ENTRIES = 50;
const MAX_MESSAGE_CHARS = 2000;

/** Hides API token secrets in text that reaches a log, in the `PVEAPIToken=user@realm!name=SECRET` form and any given secret. */
export function redactSecrets(text: string, secrets: readonly string[] = []): string {
  let out = text.replace(/(PVEAPIToken=[^\s=!]+![^\s=]+=)[^\s"',;]+/gi, '$1***');
  for (const s of secrets) if (s.length >= 4) out = out.split(s).join('***');
  return out;
}

export class JobLog {
  private head: LogEntry[] = [];
  private tail: LogEntry[] = [];
  private droppedCount = 0;

  constructor(
    private readonly maxEntries = DEFAULT_MAX_LOG_ENTRIES,
    private readonly secrets: () => readonly string[] = () => [],
    initial: { entries: LogEntry[]; dropped?: number } = { entries: [] },
  ) {
    for (const e of initial.entries) this.push(e);
    this.droppedCount += initial.dropped ?? 0;
  }

  add(time: number, level: LogLevel, message: string): LogEntry {
    let text = redactSecrets(message, this.secrets());
    if (text.length > MAX_MESSAGE_CHARS) text = text.slice(0, MAX_MESSAGE_CHARS) + ` … (${text.length - MAX_MESSAGE_CHARS} more characters)`;
    const entry = { time, level, message: text };
    this.push(entry);
    return entry;
  }

  private push(entry: LogEntry): void {
    if (this.head.length < Math.min(HEAD_ENTRIES, this.maxEntries)) {
      this.head.push(entry);
      return;
    }
    this.tail.push(entry);
    const room = this.maxEntries - this.head.length;
    if (this.tail.length > room) {
      this.droppedCount += this.tail.length - room;
      this.tail.splice(0, this.tail.length - room);
    }
  }

  /** Entries ever added, kept or not: tells whether a saved snapshot is still complete. */
  get total(): number {
    return this.head.length + this.tail.length + this.droppedCount;
  }

  get dropped(): number {
    return this.droppedCount;
  }

  /** The entries in order, with one marker entry where older entries were left out. */
  entries(): LogEntry[] {
    if (this.droppedCount === 0) return [...this.head, ...this.tail];
    const at = this.tail[0]?.time ?? this.head[this.head.length - 1]?.time ?? 0;
    const marker: LogEntry = { time: at, level: 'warning', message: `… ${this.droppedCount} log entries left out (the log keeps the first and the latest ${this.maxEntries}) …` };
    return [...this.head, marker, ...this.tail];
  }

  toJSON(): { entries: LogEntry[]; dropped: number } {
    return { entries: [...this.head, ...this.tail], dropped: this.droppedCount };
  }
}

type Data = Record<string, unknown>;
const str = (v: unknown): string | undefined => (typeof v === 'string' && v.length > 0 ? v : undefined);
const num = (v: unknown): number | undefined => (typeof v === 'number' && Number.isFinite(v) ? v : undefined);

function countsText(result: unknown): string {
  if (!result || typeof result !== 'object') return '';
  const r = result as Data;
  const parts: string[] = [];
  if (num(r.count) !== undefined) parts.push(`${r.count} item${r.count === 1 ? '' : 's'}`);
  for (const k of ['created', 'updated', 'deleted', 'stale', 'failed', 'skipped']) if (num(r[k])) parts.push(`${r[k]} ${k}`);
  return parts.join(', ');
}

/** One log line for an event, or undefined for events too fine-grained for a job log. */
export function describeEvent(endpoint: string, e: SyncEvent): { level: LogLevel; message: string } | undefined {
  const d = (e.data && typeof e.data === 'object' ? e.data : {}) as Data;
  const where = `[${endpoint}]`;
  switch (e.event) {
    case 'step': {
      const step = str(d.step) ?? 'sync';
      if (d.status === 'started') return { level: 'info', message: `${where} ${step}: started` };
      if (d.status === 'completed') {
        const counts = countsText(d.result);
        const dur = num(d.duration_seconds);
        return { level: 'info', message: `${where} ${step}: completed${counts ? `, ${counts}` : ''}${dur !== undefined ? ` in ${dur.toFixed(2)} s` : ''}` };
      }
      if (d.status === 'failed') return { level: 'error', message: `${where} ${step}: failed${str(d.message) ? `: ${d.message}` : ''}` };
      return str(d.message) ? { level: 'debug', message: `${where} ${step}: ${d.message}` } : undefined;
    }
    case 'discovery':
      return { level: 'debug', message: `${where} ${str(d.phase) ?? ''}: ${str(d.message) ?? `discovered ${num(d.count) ?? '?'} items`}`.trim() };
    case 'phase_summary': {
      const counts = countsText(d.result);
      const level: LogLevel = d.status === 'completed_with_errors' ? 'warning' : 'info';
      return { level, message: `${where} ${str(d.phase) ?? 'phase'} summary: ${counts || 'nothing to do'}` };
    }
    case 'item_progress': {
      // Only problems: per-item successes would drown the log.
      if (d.status !== 'failed' && !str(d.warning)) return undefined;
      const item = d.item && typeof d.item === 'object' ? str((d.item as Data).name) : undefined;
      const why = str(d.error) ?? str(d.warning) ?? str(d.message) ?? '';
      return { level: d.status === 'failed' ? 'error' : 'warning', message: `${where} ${str(d.phase) ?? ''} ${item ?? 'item'}: ${why}`.replace(/\s+/g, ' ').trim() };
    }
    case 'error_detail': {
      const parts = [`${where} ${str(d.phase) ?? ''} ${str(d.category) ?? 'unknown'} error: ${str(d.message) ?? ''}`.replace(/\s+/g, ' ')];
      if (str(d.detail)) parts.push(`Detail: ${d.detail}`);
      if (str(d.suggestion)) parts.push(`Next step: ${d.suggestion}`);
      return { level: 'error', message: parts.join(' ') };
    }
    case 'error':
      return { level: 'error', message: `${where} ${str(d.step) ?? 'sync'} failed: ${str(d.error) ?? str(d.message) ?? 'unknown error'}${str(d.detail) ? ` (${d.detail})` : ''}` };
    case 'complete':
      return d.ok === true
        ? { level: 'info', message: `${where} sync completed${str(d.message) ? `: ${d.message}` : ''}` }
        : { level: 'error', message: `${where} sync ended with errors${str(d.message) ? `: ${d.message}` : ''}` };
    default:
      return undefined;
  }
}

/** Builds the per-stage counts and durations of a job from the events of each endpoint's run. */
export class ResultCollector {
  readonly result: JobResult = { stages: [], endpoints: [] };

  onEvent(endpoint: string, e: SyncEvent): void {
    const d = (e.data && typeof e.data === 'object' ? e.data : {}) as Data;
    if (e.event === 'step' && (d.status === 'completed' || d.status === 'failed') && str(d.step)) {
      const stage = this.stage(endpoint, d.step as string);
      stage.status = d.status;
      const r = (d.result && typeof d.result === 'object' ? d.result : {}) as Data;
      for (const k of ['count', 'created', 'updated', 'deleted', 'failed', 'skipped'] as const) if (num(r[k]) !== undefined) stage[k] = r[k] as number;
      if (num(d.duration_seconds) !== undefined) stage.durationSeconds = d.duration_seconds as number;
    } else if (e.event === 'phase_summary' && str(d.phase)) {
      const stage = this.stage(endpoint, d.phase as string);
      const r = (d.result && typeof d.result === 'object' ? d.result : {}) as Data;
      for (const k of ['created', 'updated', 'deleted', 'failed', 'skipped'] as const) if (num(r[k]) !== undefined) stage[k] = r[k] as number;
    }
  }

  endpointDone(endpoint: string, ok: boolean, message: string | undefined, durationSeconds: number): void {
    this.result.endpoints.push({ endpoint, ok, ...(message ? { message } : {}), durationSeconds });
  }

  private stage(endpoint: string, name: string): StageResult {
    let s = this.result.stages.find((x) => x.endpoint === endpoint && x.stage === name);
    if (!s) {
      s = { endpoint, stage: name, status: 'completed' };
      this.result.stages.push(s);
    }
    return s;
  }
}
