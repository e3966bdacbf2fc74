// Which guests a vzdump job selects: the one place that knows it (coverage, the routine detail view and the CLI all
// ask here). The rule is vzdump's own, PVE::VZDump::get_included_guests run after verify_vzdump_parameters:
// - `pool` wins over `vmid`, which wins over `all`;
// - an `exclude` without a pool means `all` (verify_vzdump_parameters sets all=1; the API does so when it stores a
//   job and again when it runs one), and `exclude` is applied only when backing up all guests;
// - a job bound to a `node` selects only the guests on that node (pvescheduler runs it there and nowhere else).
// The simulator keeps its own copy of this rule on purpose (src/sim/coverage.ts), as an independent oracle that
// the tests hold this one against.
import type { BackupRoutine, GuestRecord, RoutineSelection } from '../inventory/model';
import type { BackupJob } from '../proxmox/types';

/** What selection needs of a routine; the inventory's BackupRoutine and the views' narrower inputs both fit. */
export type SelectingRoutine = Pick<BackupRoutine, 'node' | 'selection'>;

/** What selection needs of a guest (the views' guest slice may leave `pool` out: then it is in no pool). */
export type SelectableGuest = Pick<GuestRecord, 'vmid' | 'node'> & { pool?: string | null };

/** The selection of a job as the client decoded it, with vzdump's precedence applied once, here. */
export function selectionOf(job: BackupJob): RoutineSelection {
  // `exclude` is kept as written even where vzdump ignores it, so that a view can say it is ignored.
  const exclude = [...new Set(job.exclude)].sort((a, b) => a - b);
  if (job.pool) return { mode: 'pool', vmids: [], pool: job.pool, exclude };
  if (job.vmids.length > 0) return { mode: 'vmids', vmids: [...new Set(job.vmids)].sort((a, b) => a - b), pool: null, exclude };
  // Perl's defined(): an `exclude` that is present but empty still turns the job into "all".
  const excludeGiven = job.raw.exclude !== undefined && job.raw.exclude !== null;
  if (job.all || excludeGiven) return { mode: 'all', vmids: [], pool: null, exclude };
  // No pool, no list, not all: vzdump selects nothing (PVE refuses to store such a job; a hand-edited one exists).
  return { mode: 'vmids', vmids: [], pool: null, exclude };
}

/** A selection as the views hold it (the tree's routine slice is looser than RoutineSelection). */
type ExcludeOf = { mode: string; exclude?: readonly number[] };

/** The vmids the job really leaves out: its `exclude`, which vzdump applies only when backing up all guests. */
export function effectiveExclude(selection: ExcludeOf): readonly number[] {
  return selection.mode === 'all' ? selection.exclude ?? [] : [];
}

/** The vmids in `exclude` that vzdump ignores, because the job selects a pool or a list rather than all guests. */
export function ignoredExclude(selection: ExcludeOf): readonly number[] {
  return selection.mode === 'all' ? [] : selection.exclude ?? [];
}

/** Whether the routine selects the guest. Disabled or stale routines still select: callers decide what counts. */
export function routineIncludes(r: SelectingRoutine, g: SelectableGuest): boolean {
  if (r.node && r.node !== g.node) return false;
  const s = r.selection;
  switch (s.mode) {
    case 'pool': return s.pool !== null && (g.pool ?? null) === s.pool;
    case 'vmids': return s.vmids.includes(g.vmid);
    case 'all': return !s.exclude.includes(g.vmid);
  }
}

/** The guests the routine selects, in the order given. */
export function selectedGuests<G extends SelectableGuest>(r: SelectingRoutine, guests: readonly G[]): G[] {
  return guests.filter((g) => routineIncludes(r, g));
}

/**
 * vmids the routine lists that none of `guests` has (deleted, or hidden from the token). vzdump still tries them
 * wherever the job runs, and the backup of each fails; they are not guests, so they are never "selected".
 */
export function unknownVmids(r: SelectingRoutine, guests: readonly SelectableGuest[]): number[] {
  if (r.selection.mode !== 'vmids') return [];
  const known = new Set(guests.map((g) => g.vmid));
  return r.selection.vmids.filter((v) => !known.has(v));
}
