// What a schedule will do, before it is saved: the quick pick shows these runs so the user can check them.
import { firstRun, nextRun } from './recurrence';
import type { ScheduleSpec } from './types';

/** The next `count` run times (epoch ms) if every run succeeded at its due time; empty for "now". */
export function previewRuns(spec: ScheduleSpec, nowMs: number, count: number): number[] {
  if (spec.mode === 'now') return [];
  const out: number[] = [];
  let t: number | null = firstRun(spec, nowMs);
  while (t !== null && out.length < count) {
    out.push(t);
    const next: number | null = nextRun(spec, { scheduledAt: t, now: t, succeeded: true, catchUp: false });
    t = next !== null && next > t ? next : null;
  }
  return out;
}
