// The one event reducer: folds a run's pipeline events into its progress and result, and words each event as one
// line. The output channel, the progress notification, the status bar, the tree, the job log and the CLI all read
// a run through here, so they can never disagree about which stage ran, what it counted or why it failed.
import { formatDuration } from '../text/time';
import { PBS_STAGES, STAGES, type CompleteData, type PipelineEvent, type StageResult } from './events';
import { stageLabel } from './stageLabels';

export type StageStatus = 'pending' | 'running' | 'completed' | 'failed' | 'skipped';

/** A stage as the run goes: its status, and once it ended the counts of its `step` result. */
export interface StageProgress extends Partial<Omit<StageResult, 'warnings'>> {
  name: string;
  status: StageStatus;
  /** How many warnings the stage reported (the texts are in the run's warnings). */
  warnings?: number;
  durationSeconds?: number;
  /** The stage's last word: its completion sentence, why it failed or why it was skipped. */
  message?: string;
  /** Items done in the stage while it runs. */
  item?: { current: number; total: number };
}

export interface RunProgress {
  /** The stages of the run in pipeline order (a dependency the caller did not select is added when it starts). */
  stages: StageProgress[];
  /** Stages running now; several at once when the pipeline runs independent stages side by side. */
  running: string[];
  done: boolean;
  ok?: boolean;
  cancelled?: boolean;
  message?: string;
  /** The run's error (error_detail of the earliest stage in pipeline order), with its next step. */
  error?: { category: string; message: string; suggestion?: string; stage?: string };
  warnings: string[];
  /** Totals of the `complete` event. */
  result?: CompleteData['result'];
  startedAt: number;
  finishedAt?: number;
}

export type LineLevel = 'trace' | 'debug' | 'info' | 'warn' | 'error';
export interface EventLine { level: LineLevel; text: string }

/** Every stage of either kind of endpoint in pipeline order (a run has the stages of one kind only). */
const ALL_STAGES: readonly string[] = [...STAGES, ...PBS_STAGES];

const FINISHED: ReadonlySet<StageStatus> = new Set(['completed', 'failed', 'skipped']);

/** A fresh progress for the given stages (all of them by default), in pipeline order. */
export function startRun(stages: readonly string[] = STAGES, nowMs = Date.now()): RunProgress {
  return { stages: stages.map((name) => ({ name, status: 'pending' })), running: [], done: false, warnings: [], startedAt: nowMs };
}

function stageOf(p: RunProgress, name: string): StageProgress | undefined {
  let s = p.stages.find((x) => x.name === name);
  if (!s && ALL_STAGES.includes(name)) {
    // The pipeline pulls in a dependency the caller did not ask for: show its work rather than hide it.
    s = { name, status: 'pending' };
    p.stages.push(s);
    const order = (n: string) => ALL_STAGES.indexOf(n);
    p.stages.sort((a, b) => order(a.name) - order(b.name));
  }
  return s;
}

/**
 * The stages a PBS run announces replace the ones the caller expected: a caller that does not know the endpoint's
 * kind (a sync job) starts with the PVE list, and a backup server's progress must count its own five stages, not
 * "0 of 12". A PVE run's announced list is what the caller resolved already, so it is left as it is.
 */
function adoptAnnouncedStages(p: RunProgress, metadata: Record<string, unknown> | undefined): void {
  const announced = metadata?.stages;
  if (metadata?.kind !== 'pbs' || !Array.isArray(announced)) return;
  const names = announced.filter((n): n is string => typeof n === 'string');
  p.stages = names.map((name) => p.stages.find((x) => x.name === name) ?? { name, status: 'pending' });
}

function setCounts(s: StageProgress, r: StageResult | undefined): void {
  if (!r) return;
  s.count = r.count;
  for (const k of ['created', 'updated', 'deleted', 'stale', 'failed', 'skipped'] as const) if (r[k] !== undefined) s[k] = r[k];
  if (r.warnings?.length) s.warnings = r.warnings.length;
}

/** Applies one event in place and returns the same object (callers re-render from it). */
export function applyEvent(p: RunProgress, e: PipelineEvent, nowMs = Date.now()): RunProgress {
  switch (e.event) {
    case 'step': {
      const d = e.data;
      if (d.step === 'sync') {
        if (d.status === 'started') adoptAnnouncedStages(p, d.metadata);
        break;
      }
      const s = stageOf(p, d.step);
      if (!s) break;
      if (d.status === 'started') {
        s.status = 'running';
        if (!p.running.includes(d.step)) p.running.push(d.step);
        break;
      }
      s.status = d.status;
      setCounts(s, d.result);
      if (d.duration_seconds !== undefined) s.durationSeconds = d.duration_seconds;
      if (d.message) s.message = d.message;
      s.item = undefined;
      p.running = p.running.filter((n) => n !== d.step);
      break;
    }
    case 'item_progress':
    case 'discovery': {
      const s = p.stages.find((x) => x.name === e.data.phase);
      if (s && e.data.progress) s.item = { current: e.data.progress.current, total: e.data.progress.total };
      break;
    }
    case 'error_detail': {
      // Stages run side by side, so errors arrive in an order timing decides. The run's error is the one of the
      // earliest stage in pipeline order (run-level errors last), as `complete` names it: the same in every run.
      const rank = (phase: string | undefined) => {
        const i = ALL_STAGES.indexOf(phase ?? '');
        return i < 0 ? ALL_STAGES.length : i;
      };
      if (!p.error || rank(e.data.phase) < rank(p.error.stage)) {
        p.error = { category: e.data.category, message: e.data.message, stage: e.data.phase, ...(e.data.suggestion ? { suggestion: e.data.suggestion } : {}) };
      }
      break;
    }
    case 'complete': {
      const d = e.data;
      p.done = true;
      p.ok = d.ok;
      p.cancelled = d.cancelled;
      p.message = d.message;
      p.warnings = [...(d.warnings ?? [])];
      p.result = d.result;
      p.finishedAt = nowMs;
      p.running = [];
      // A stage still "running" when the run ended did not finish: say so rather than leave a spinner behind.
      for (const s of p.stages) {
        if (s.status === 'running') s.status = d.ok ? 'completed' : 'failed';
        s.item = undefined;
      }
      break;
    }
    case 'error':
      break;
  }
  return p;
}

/** Ends a run that broke before the pipeline could say so (no secret, the endpoint vanished): same shape as a failure. */
export function failRun(p: RunProgress, error: { category: string; message: string; suggestion?: string }, nowMs = Date.now()): RunProgress {
  p.error ??= error;
  p.done = true;
  p.ok = false;
  p.cancelled = error.category === 'cancelled';
  p.message = error.message;
  p.finishedAt = nowMs;
  p.running = [];
  for (const s of p.stages) if (s.status === 'running') s.status = 'failed';
  return p;
}

/** How many stages have ended, and how many the run has. */
export function stagePosition(p: RunProgress): { index: number; total: number } {
  const total = p.stages.length;
  const finished = p.stages.filter((s) => FINISHED.has(s.status)).length;
  return { index: Math.min(total, finished + (p.running.length ? 1 : 0)), total };
}

/** "Stage 3/12: Virtual machines (120/500)" while running (several names when stages overlap); the outcome when done. */
export function progressMessage(p: RunProgress): string {
  if (p.done) {
    if (p.ok) return 'Finished';
    if (p.cancelled) return 'Cancelled';
    return `Failed${p.error ? `: ${p.error.message}` : p.message ? `: ${p.message}` : ''}`;
  }
  const { index, total } = stagePosition(p);
  if (!p.running.length) return `Stage ${index}/${total}`;
  const names = p.running.map((n) => {
    const item = p.stages.find((s) => s.name === n)?.item;
    return `${stageLabel(n)}${item && item.total > 0 ? ` (${item.current}/${item.total})` : ''}`;
  });
  return `Stage ${index}/${total}: ${names.join(', ')}`;
}

/** Fraction 0..100 done, for progress increments. */
export function percentDone(p: RunProgress): number {
  if (p.done) return 100;
  const total = p.stages.length || 1;
  let done = 0;
  for (const s of p.stages) {
    if (FINISHED.has(s.status)) done += 1;
    else if (s.status === 'running' && s.item && s.item.total > 0) done += Math.min(1, s.item.current / s.item.total);
  }
  return Math.min(100, (done / total) * 100);
}

/** Wall time of the run so far, or in total once done. */
export function elapsedText(p: RunProgress, nowMs = Date.now()): string {
  return formatDuration(((p.finishedAt ?? nowMs) - p.startedAt) / 1000);
}

function countsText(r: StageResult | undefined): string {
  if (!r) return '';
  const parts = [`${r.count} item${r.count === 1 ? '' : 's'}`];
  for (const k of ['created', 'updated', 'deleted', 'stale', 'failed', 'skipped'] as const) if (r[k]) parts.push(`${r[k]} ${k}`);
  return parts.join(', ');
}

/** One readable line per event. `prefix` (the endpoint's name) starts the line, so runs of several endpoints stay apart. */
export function describeEvent(e: PipelineEvent, prefix?: string): EventLine {
  const line = (level: LineLevel, text: string): EventLine => ({ level, text: `${prefix ? `[${prefix}] ` : ''}${text}` });
  const label = (phase: string | undefined) => (phase && phase !== 'sync' ? stageLabel(phase) : 'sync');
  switch (e.event) {
    case 'step': {
      const d = e.data;
      const stage = label(d.step);
      switch (d.status) {
        case 'started':
          return line(d.step === 'sync' ? 'info' : 'debug', `${stage}: started${d.message ? ` — ${d.message}` : ''}`);
        case 'completed': {
          const c = countsText(d.result);
          const w = d.result?.warnings?.length ?? 0;
          return line(w ? 'warn' : 'info', `${stage}: completed${c ? `, ${c}` : ''} in ${formatDuration(d.duration_seconds)}` +
            (w ? ` (${w} warning${w === 1 ? '' : 's'}: ${d.result!.warnings!.join('; ')})` : ''));
        }
        case 'skipped':
          return line('warn', `${stage}: skipped${d.message ? ` — ${d.message}` : ''}`);
        case 'failed': {
          const dur = d.duration_seconds !== undefined ? ` after ${formatDuration(d.duration_seconds)}` : '';
          return line('error', `${stage}: failed${dur}${d.message ? ` — ${d.message}` : ''}`);
        }
      }
      return line('info', `${stage}: ${String((d as { status: string }).status)}`);
    }
    case 'discovery':
      return line('debug', `${label(e.data.phase)}: discovered ${e.data.count} item${e.data.count === 1 ? '' : 's'}`);
    case 'item_progress': {
      const d = e.data;
      const p = d.progress ? ` ${d.progress.current}/${d.progress.total}` : '';
      const op = d.operation ?? d.status;
      const problem = d.error ?? d.warning;
      const level: LineLevel = d.status === 'failed' || d.operation === 'failed' ? 'warn' : d.warning ? 'warn' : 'trace';
      return line(level, `${label(d.phase)}${p}: ${d.item?.name ?? 'item'} ${op}${problem ? ` — ${problem}` : ''}`);
    }
    case 'phase_summary': {
      const r = e.data.result;
      const fields = (['created', 'updated', 'deleted', 'failed', 'skipped', 'total'] as const).map((k) => `${k} ${r[k] ?? 0}`).join(', ');
      // A sink's summaries are per kind of object and are what the user asked for: shown at info level.
      const what = e.data.object_type ? `${label(e.data.phase)} ${e.data.object_type}` : label(e.data.phase);
      return line(r.failed ? 'warn' : e.data.object_type ? 'info' : 'debug', `${what}: summary — ${fields}${r.stale ? `, stale ${r.stale}` : ''}`);
    }
    case 'error_detail': {
      const d = e.data;
      const detail = d.detail && d.detail !== d.message ? ` (${d.detail})` : '';
      const times = d.occurrences && d.occurrences > 1 ? ` ×${d.occurrences}` : '';
      return line('error', `${label(d.phase)}: ${d.category} error${times}: ${d.message}${detail}${d.suggestion ? ` → ${d.suggestion}` : ''}`);
    }
    case 'error':
      return line('error', `${label(e.data.step)}: error: ${e.data.error}`);
    case 'complete': {
      const d = e.data;
      if (d.ok) return line('info', `sync finished OK in ${formatDuration(d.duration_seconds)} — ${d.message}`);
      if (d.cancelled) return line('warn', `sync cancelled after ${formatDuration(d.duration_seconds)}`);
      return line('error', `sync FAILED after ${formatDuration(d.duration_seconds)} — ${d.message}`);
    }
  }
}
