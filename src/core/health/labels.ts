// How statuses and run outcomes read, in one place for the tree, the status bar, the CLI and the webviews. Each has a
// letter or symbol besides its colour, so a view stays readable without colour.
import type { PbsJobKind } from '../inventory/model';
import type { GuestHealthStatus, RunOutcome } from './types';

export const STATUS_LABELS: Record<GuestHealthStatus, string> = {
  failed: 'Failed',
  overdue: 'Overdue',
  never: 'Never backed up',
  'not-covered': 'Not covered',
  'verify-failed': 'Verify failed',
  excluded: 'Excluded',
  ok: 'OK',
};

export const RUN_LABELS: Record<RunOutcome, string> = {
  ok: 'OK',
  warnings: 'Warnings',
  failed: 'Failed',
  running: 'Running',
  missed: 'Missed',
};

/** One character per outcome for strips and calendars: shape, not only colour. */
export const RUN_SYMBOLS: Record<RunOutcome, string> = {
  ok: '✓',
  warnings: '!',
  failed: '✗',
  running: '…',
  missed: '○',
};

/** "3 backup problems", "1 backup problem". */
export function problemCount(n: number): string {
  return `${n} backup problem${n === 1 ? '' : 's'}`;
}

/** The kinds of PBS jobs, as a column reads them. */
export const JOB_KIND_LABELS: Record<PbsJobKind, string> = {
  prune: 'Prune',
  gc: 'Garbage collection',
  verify: 'Verify',
  sync: 'Sync',
};
