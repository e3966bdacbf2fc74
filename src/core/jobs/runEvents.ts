// What a run's pipeline events mean to a job: one readable log line per event worth keeping, and the per-stage
// counts and durations of the job's result. Both read the event data field by field and tolerate a missing part,
// so that a runner emitting a partial event (an older pipeline, a test fake) still gives a log and a result.
// (To be replaced by the pipeline's one shared event reducer.)
import type { PipelineEvent } from '../pipeline/events';
import { JobResult, LogLevel, StageResult } from './types';

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
export function describeEvent(endpoint: string, e: PipelineEvent): { level: LogLevel; message: string } | undefined {
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

  onEvent(endpoint: string, e: PipelineEvent): void {
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
