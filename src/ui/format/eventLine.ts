// One readable line per pipeline event, for the "Proxbox" output channel and the job log.
// Pure: the output channel adapter adds the timestamp (LogOutputChannel does) and picks the method from `level`.
import { stageLabel } from './stages';
import { formatDuration } from './time';

export type LineLevel = 'trace' | 'debug' | 'info' | 'warn' | 'error';
export interface EventLine { level: LineLevel; text: string }

/** The pipeline's event as it travels (`{event, data}`); kept loose so any version of the union fits. */
export interface EventLike { event: string; data?: unknown }

type Obj = Record<string, unknown>;
const obj = (v: unknown): Obj => (v && typeof v === 'object' ? (v as Obj) : {});
const str = (v: unknown): string | undefined => (typeof v === 'string' && v.length ? v : undefined);
const num = (v: unknown): number | undefined => (typeof v === 'number' && Number.isFinite(v) ? v : undefined);

function counts(result: unknown): string {
  const r = obj(result);
  const parts: string[] = [];
  if (num(r.count) !== undefined) parts.push(`${r.count} item${r.count === 1 ? '' : 's'}`);
  for (const k of ['created', 'updated', 'deleted', 'stale', 'failed', 'skipped'] as const) {
    const n = num(r[k]);
    if (n) parts.push(`${n} ${k}`);
  }
  return parts.join(', ');
}

function progress(p: unknown): string {
  const o = obj(p);
  const cur = num(o.current);
  const tot = num(o.total);
  return cur !== undefined && tot !== undefined ? `${cur}/${tot}` : '';
}

/** Formats one event. `prefix` (usually the endpoint name) starts the line so runs of several endpoints stay apart. */
export function formatEventLine(e: EventLike, prefix?: string): EventLine {
  const d = obj(e.data);
  const head = prefix ? `[${prefix}] ` : '';
  const line = (level: LineLevel, text: string): EventLine => ({ level, text: head + text });
  switch (e.event) {
    case 'step': {
      const stage = stageLabel(str(d.step) ?? 'sync');
      const status = str(d.status) ?? '';
      if (status === 'started') return line('info', `${stage}: started${str(d.message) ? ` — ${d.message}` : ''}`);
      if (status === 'completed') {
        const c = counts(d.result);
        const w = Array.isArray(obj(d.result).warnings) ? (obj(d.result).warnings as unknown[]).length : 0;
        return line(w ? 'warn' : 'info', `${stage}: completed${c ? `, ${c}` : ''} in ${formatDuration(num(d.duration_seconds))}` +
          (w ? ` (${w} warning${w === 1 ? '' : 's'})` : ''));
      }
      if (status === 'skipped') return line('warn', `${stage}: skipped${str(d.message) ? ` — ${d.message}` : ''}`);
      if (status === 'failed') {
        const dur = num(d.duration_seconds) !== undefined ? ` after ${formatDuration(num(d.duration_seconds))}` : '';
        return line('error', `${stage}: failed${dur}${str(d.message) ? ` — ${d.message}` : ''}`);
      }
      return line('info', `${stage}: ${status}${str(d.message) ? ` — ${d.message}` : ''}`);
    }
    case 'discovery': {
      const what = str(d.phase) ? stageLabel(str(d.phase)!) : 'sync';
      const count = num(d.count);
      return line('debug', `${what}: discovered ${count ?? '?'} item${count === 1 ? '' : 's'}${str(d.message) ? ` — ${d.message}` : ''}`);
    }
    case 'item_progress': {
      const what = str(d.phase) ? stageLabel(str(d.phase)!) : 'item';
      const item = str(obj(d.item).name) ?? '';
      const op = str(d.operation) ?? str(d.status) ?? '';
      const p = progress(d.progress);
      const problem = str(d.error) ?? str(d.warning);
      const level: LineLevel = op === 'failed' || str(d.status) === 'failed' ? 'warn' : 'trace';
      return line(level, `${what}${p ? ` ${p}` : ''}: ${item}${op ? ` ${op}` : ''}${problem ? ` — ${problem}` : ''}`);
    }
    case 'phase_summary': {
      const what = str(d.phase) ? stageLabel(str(d.phase)!) : 'phase';
      const r = obj(d.result);
      const fields = ['created', 'updated', 'deleted', 'failed', 'skipped', 'total']
        .map((k) => `${k} ${num(r[k]) ?? 0}`).join(', ');
      return line(num(r.failed) ? 'warn' : 'info', `${what}: summary — ${fields}`);
    }
    case 'error_detail': {
      const where = str(d.phase) ? `${stageLabel(str(d.phase)!)}: ` : '';
      const category = str(d.category) ?? 'unknown';
      const detail = str(d.detail) && d.detail !== d.message ? ` (${d.detail})` : '';
      const next = str(d.suggestion) ? ` → ${d.suggestion}` : '';
      return line('error', `${where}${category} error: ${str(d.message) ?? 'no message'}${detail}${next}`);
    }
    case 'error': {
      const where = str(d.step) ? `${stageLabel(str(d.step)!)}: ` : '';
      return line('error', `${where}error: ${str(d.error) ?? str(d.message) ?? 'unknown error'}${str(d.detail) ? ` (${d.detail})` : ''}`);
    }
    case 'complete': {
      if (d.ok === true) {
        const dur = num(d.duration_seconds) ?? num(obj(d.result).duration_seconds);
        return line('info', `sync finished OK${dur !== undefined ? ` in ${formatDuration(dur)}` : ''}${str(d.message) ? ` — ${d.message}` : ''}`);
      }
      const errors = Array.isArray(d.errors) ? (d.errors as unknown[]).map((x) => str(obj(x).detail) ?? str(obj(x).message)).filter(Boolean) : [];
      return line('error', `sync FAILED${str(d.message) ? ` — ${d.message}` : ''}${errors.length ? `: ${errors.join('; ')}` : ''}`);
    }
    default:
      return line('debug', `${e.event}: ${str(d.message) ?? JSON.stringify(e.data ?? {})}`);
  }
}

/** Replaces every occurrence of each secret by "***": a last line of defence before anything reaches a log. */
export function redactSecrets(text: string, secrets: Iterable<string>): string {
  let out = text;
  for (const s of secrets) {
    if (s && s.length >= 4) out = out.split(s).join('***');
  }
  return out;
}
