// Folds the pipeline's events into what the progress notification, the status bar and the tree's activity item show.
// Pure state machine: one function per event, so every surface reads the same numbers.
import type { EventLike } from './eventLine';
import { stageLabel, STAGE_ORDER } from './stages';
import { formatDuration } from './time';

export type StageStatus = 'pending' | 'running' | 'completed' | 'failed' | 'skipped';
export interface StageProgress {
  name: string;
  status: StageStatus;
  count?: number;
  durationSeconds?: number;
  message?: string;
}
export interface SyncProgress {
  stages: StageProgress[];
  current?: string;
  item?: { current: number; total: number };
  done: boolean;
  ok?: boolean;
  message?: string;
  error?: { category: string; message: string; suggestion?: string };
  startedAt: number;
  finishedAt?: number;
}

type Obj = Record<string, unknown>;
const obj = (v: unknown): Obj => (v && typeof v === 'object' ? (v as Obj) : {});
const num = (v: unknown): number | undefined => (typeof v === 'number' && Number.isFinite(v) ? v : undefined);
const str = (v: unknown): string | undefined => (typeof v === 'string' && v.length ? v : undefined);

/** A fresh progress for the given stages (all 12 by default), in pipeline order. */
export function startProgress(stages: readonly string[] = STAGE_ORDER, nowMs = Date.now()): SyncProgress {
  return { stages: stages.map((name) => ({ name, status: 'pending' })), done: false, startedAt: nowMs };
}

function stageOf(p: SyncProgress, name: string): StageProgress {
  let s = p.stages.find((x) => x.name === name);
  if (!s) {
    // The pipeline may pull in a dependency the caller did not ask for: show it rather than hide its work.
    s = { name, status: 'pending' };
    p.stages.push(s);
  }
  return s;
}

/** Applies one event in place and returns the same object (callers re-render from it). */
export function applyEvent(p: SyncProgress, e: EventLike, nowMs = Date.now()): SyncProgress {
  const d = obj(e.data);
  switch (e.event) {
    case 'step': {
      const name = str(d.step);
      if (!name || !p.stages.some((s) => s.name === name) && !(STAGE_ORDER as readonly string[]).includes(name)) break;
      const s = stageOf(p, name);
      const status = str(d.status);
      if (status === 'started') {
        s.status = 'running';
        p.current = name;
        p.item = undefined;
      } else if (status === 'completed' || status === 'failed' || status === 'skipped') {
        s.status = status;
        const r = obj(d.result);
        s.count = num(r.count) ?? (num(r.created) !== undefined || num(r.updated) !== undefined
          ? (num(r.created) ?? 0) + (num(r.updated) ?? 0) + (num(r.unchanged) ?? 0) : s.count);
        s.durationSeconds = num(d.duration_seconds) ?? s.durationSeconds;
        s.message = str(d.message) ?? s.message;
        if (p.current === name) { p.current = undefined; p.item = undefined; }
      }
      break;
    }
    case 'item_progress':
    case 'discovery': {
      const pr = obj(d.progress);
      const cur = num(pr.current);
      const tot = num(pr.total);
      if (cur !== undefined && tot !== undefined) p.item = { current: cur, total: tot };
      break;
    }
    case 'error_detail':
      p.error = { category: str(d.category) ?? 'unknown', message: str(d.message) ?? 'unknown error', suggestion: str(d.suggestion) };
      break;
    case 'complete':
      p.done = true;
      p.ok = d.ok === true;
      p.message = str(d.message);
      p.finishedAt = nowMs;
      p.current = undefined;
      p.item = undefined;
      // A stage still "running" when the run ended did not finish: say so rather than leave a spinner behind.
      for (const s of p.stages) if (s.status === 'running') s.status = p.ok ? 'completed' : 'failed';
      break;
  }
  return p;
}

/** 1-based position of the running stage among the selected ones, and their number. */
export function stagePosition(p: SyncProgress): { index: number; total: number } {
  const total = p.stages.length;
  const finished = p.stages.filter((s) => s.status !== 'pending' && s.status !== 'running').length;
  return { index: Math.min(total, finished + (p.current ? 1 : 0)), total };
}

/** "Stage 3/12: Virtual machines (120/500)" while running; the outcome when done. */
export function progressMessage(p: SyncProgress): string {
  if (p.done) return p.ok ? 'Finished' : `Failed${p.error ? `: ${p.error.message}` : p.message ? `: ${p.message}` : ''}`;
  const { index, total } = stagePosition(p);
  if (!p.current) return `Stage ${index}/${total}`;
  const items = p.item && p.item.total > 0 ? ` (${p.item.current}/${p.item.total})` : '';
  return `Stage ${index}/${total}: ${stageLabel(p.current)}${items}`;
}

/** Fraction 0..100 done, for withProgress increments. */
export function percentDone(p: SyncProgress): number {
  if (p.done) return 100;
  const total = p.stages.length || 1;
  const finished = p.stages.filter((s) => s.status !== 'pending' && s.status !== 'running').length;
  const partial = p.item && p.item.total > 0 ? Math.min(1, p.item.current / p.item.total) : 0;
  return Math.min(100, ((finished + (p.current ? partial : 0)) / total) * 100);
}

/** Wall time of the run so far (or in total once done). */
export function elapsedText(p: SyncProgress, nowMs = Date.now()): string {
  return formatDuration(((p.finishedAt ?? nowMs) - p.startedAt) / 1000);
}
