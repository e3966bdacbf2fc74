// The reconcile rules: how a fresh listing from Proxmox is folded into what the store already holds.
// - Only records the listing covers ("in scope") can be deleted or marked stale; a listing that failed or was
//   partial must simply not be reconciled, so nothing outside a complete listing is ever touched.
// - Volatile fields (a next run that moves with the clock, a last-seen time) never count as a change, so a
//   re-sync with nothing changed in Proxmox reports zero changes and rewrites nothing.
// - Lifecycle collections (backup routines, replications) are never deleted: a job that vanished is marked stale,
//   and a stale job that comes back is active again.
import type { Lifecycle } from './model';

export interface ReconcileCounts {
  created: number;
  updated: number;
  deleted: number;
  stale: number;
  unchanged: number;
}

export interface ReconcileOptions<T> {
  key: (r: T) => string;
  /** Which stored records this listing speaks for. Default: all of them. */
  inScope?: (r: T) => boolean;
  /** Fields ignored when deciding whether a record changed. */
  volatile?: readonly string[];
  /** Lifecycle mode: missing records become stale instead of being deleted. The ISO time of this sync. */
  lifecycleNow?: string;
}

export interface ReconcileResult<T> {
  records: T[];
  counts: ReconcileCounts;
  /** True when the stored form changed (and the collection must be written). */
  changed: boolean;
}

const collator = new Intl.Collator('en', { numeric: true });

/**
 * Natural order of keys and names (net2 before net10). One collator for every caller: `localeCompare` with options
 * builds a new one on each call, which costs more than the comparison.
 */
export const naturalCompare = collator.compare;

export function emptyCounts(): ReconcileCounts {
  return { created: 0, updated: 0, deleted: 0, stale: 0, unchanged: 0 };
}

export function addCounts(into: ReconcileCounts, c: ReconcileCounts): void {
  into.created += c.created;
  into.updated += c.updated;
  into.deleted += c.deleted;
  into.stale += c.stale;
  into.unchanged += c.unchanged;
}

/** JSON with object keys sorted, so that two records built along different code paths compare equal. */
export function stableStringify(value: unknown, omit?: ReadonlySet<string>): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? 'null';
  if (Array.isArray(value)) return '[' + value.map((v) => stableStringify(v)).join(',') + ']';
  const obj = value as Record<string, unknown>;
  const keys = Object.keys(obj).filter((k) => obj[k] !== undefined && !omit?.has(k)).sort();
  return '{' + keys.map((k) => JSON.stringify(k) + ':' + stableStringify(obj[k])).join(',') + '}';
}

export function reconcile<T extends object>(prev: readonly T[], incoming: readonly T[], opts: ReconcileOptions<T>): ReconcileResult<T> {
  const omit = new Set(opts.volatile ?? []);
  const counts = emptyCounts();
  const prevByKey = new Map<string, T>();
  for (const r of prev) prevByKey.set(opts.key(r), r);
  const out = new Map<string, T>();
  let changed = false;

  for (const fresh of incoming) {
    const k = opts.key(fresh);
    if (out.has(k)) continue; // the first listing of a duplicate wins; Proxmox ids are unique per collection
    const old = prevByKey.get(k);
    let next = fresh;
    if (opts.lifecycleNow !== undefined) {
      const oldLc = old as (T & Lifecycle) | undefined;
      next = {
        ...fresh,
        status: 'active',
        firstSeen: oldLc?.firstSeen ?? opts.lifecycleNow,
        lastSeen: opts.lifecycleNow,
        staleSince: null,
      };
    }
    if (!old) {
      counts.created++;
      changed = true;
    } else if (stableStringify(old, omit) !== stableStringify(next, omit)) {
      counts.updated++;
      changed = true;
    } else {
      counts.unchanged++;
    }
    out.set(k, next);
  }

  for (const [k, old] of prevByKey) {
    if (out.has(k)) continue;
    if (opts.inScope && !opts.inScope(old)) {
      out.set(k, old);
      continue;
    }
    if (opts.lifecycleNow !== undefined) {
      const oldLc = old as T & Lifecycle;
      if (oldLc.status === 'stale') {
        out.set(k, old);
        continue;
      }
      out.set(k, { ...old, status: 'stale', staleSince: opts.lifecycleNow });
      counts.stale++;
      changed = true;
      continue;
    }
    counts.deleted++;
    changed = true;
  }

  const records = [...out.entries()].sort((a, b) => collator.compare(a[0], b[0])).map(([, r]) => r);
  if (!changed && prev.length === records.length) {
    // Same records: also keep the stored order check cheap; a differing order means the stored file was
    // written by another release, and rewriting it once is harmless.
    for (let i = 0; i < records.length; i++) {
      if (opts.key(records[i]) !== opts.key(prev[i])) {
        changed = true;
        break;
      }
    }
  } else if (!changed) {
    changed = true;
  }
  return { records, counts, changed };
}
