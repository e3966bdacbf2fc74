// Which guests a vzdump job selects, following PVE::VZDump::get_included_guests: a pool or a vmid list, or all
// guests minus `exclude`; a `node` restricts any of them to the guests on that node. Before that,
// verify_vzdump_parameters turns a job with `exclude` and no pool into an "all" job (the API does it when it stores
// a job and when it runs one). Disabled jobs still select (PVE's not-backed-up report counts them), so callers
// decide what "enabled" means for them. Written apart from the core's rule on purpose: it is the oracle the core's
// src/core/health/selection.ts is tested against.
import type { SimBackupJob, SimCluster, SimGuest } from './model';

const parsedLists = new Map<string, Set<number>>();

/** The vmids of a `vmid`/`exclude` list; memoised, because coverage checks run once per guest and job. */
export function vmidList(text: string | undefined): Set<number> {
  const key = text ?? '';
  const hit = parsedLists.get(key);
  if (hit) return hit;
  const out = new Set<number>();
  for (const part of (text ?? '').split(/[,;\s]+/)) {
    if (/^\d+$/.test(part)) out.add(Number(part));
  }
  if (parsedLists.size > 1000) parsedLists.clear();
  parsedLists.set(key, out);
  return out;
}

export function guestCoveredBy(job: SimBackupJob, guest: SimGuest, _cluster?: SimCluster): boolean {
  if (job.node && job.node !== guest.node) return false;
  if (job.pool) return guest.pool === job.pool;
  if (job.vmid) return vmidList(job.vmid).has(guest.vmid);
  if (job.all === 1 || job.exclude !== undefined) return !vmidList(job.exclude).has(guest.vmid);
  return false;
}

export function guestsOfJob(job: SimBackupJob, cluster: SimCluster): SimGuest[] {
  if (job.vmid && !job.pool) {
    // vmid lists may name guests that no longer exist; those are simply not selected.
    const ids = vmidList(job.vmid);
    return cluster.guests.filter((g) => ids.has(g.vmid) && (!job.node || job.node === g.node));
  }
  return cluster.guests.filter((g) => guestCoveredBy(job, g));
}
