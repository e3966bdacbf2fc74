// PBS stage 5: the scheduled jobs of the server: prune (GET /admin/prune), garbage collection, one per datastore
// (GET /admin/gc), verify (GET /admin/verify) and sync (GET /admin/sync), each with PBS's JobScheduleStatus
// (last-run-state, last-run-upid, last-run-endtime, next-run). Like vzdump jobs, a job that vanished from its
// complete listing becomes stale (never deleted) and is active again when it returns. The four listings are
// separate items: one refused listing (a token without the right on sync jobs) keeps that kind's jobs as they were
// and fails only its item. The stage also reads the server's time zone (serverZone.ts): PBS runs these schedules in
// it, and reading it here means a sync of the jobs alone brings it too.
import type { PbsJobKind, PbsJobRecord } from '../../../inventory/model';
import type { PbsGcJob, PbsJobStatus, PbsPruneJob, PbsSyncJob, PbsVerifyJob } from '../../../pbs/api';
import type { StageDefinition } from '../types';
import { forEachItem } from '../types';
import { syncServerZone } from './serverZone';

type JobBase = Pick<PbsJobRecord, 'kind' | 'jobId' | 'store' | 'raw'> & Partial<PbsJobRecord>;

function jobRecord(base: JobBase, status: PbsJobStatus): PbsJobRecord {
  return {
    ns: null, schedule: null, enabled: true, comment: null, remote: null, remoteStore: null, direction: null, retention: null,
    outdatedAfterDays: null, ignoreVerified: null,
    ...base,
    lastRunState: status.lastRunState ?? null,
    lastRunUpid: status.lastRunUpid ?? null,
    lastRunEndtime: status.lastRunEndtime ?? null,
    nextRun: status.nextRun ?? null,
    status: 'active', firstSeen: '', lastSeen: '', staleSince: null,
  };
}

/** Verify and sync jobs carry no typed `disable` in every PBS version: the raw flag decides when present. */
const disabledIn = (raw: Record<string, unknown>): boolean => raw.disable === true || raw.disable === 1 || raw.disable === '1';
const textOrNull = (s: string | undefined): string | null => (s === undefined || s === '' ? null : s);

export function pruneJobRecord(j: PbsPruneJob): PbsJobRecord {
  return jobRecord({
    kind: 'prune', jobId: j.id, store: j.store, ns: j.ns ?? null, schedule: textOrNull(j.schedule), enabled: !j.disable,
    comment: j.comment ?? null, retention: j.retention, raw: j.raw,
  }, j);
}

export function gcJobRecord(j: PbsGcJob): PbsJobRecord {
  return jobRecord({ kind: 'gc', jobId: j.store, store: j.store, schedule: textOrNull(j.schedule), raw: j.raw }, j);
}

export function verifyJobRecord(j: PbsVerifyJob): PbsJobRecord {
  return jobRecord({
    kind: 'verify', jobId: j.id, store: j.store, ns: j.ns ?? null, schedule: textOrNull(j.schedule), enabled: !disabledIn(j.raw),
    comment: j.comment ?? null, outdatedAfterDays: j.outdatedAfter ?? null, ignoreVerified: j.ignoreVerified ?? null, raw: j.raw,
  }, j);
}

export function syncJobRecord(j: PbsSyncJob): PbsJobRecord {
  return jobRecord({
    kind: 'sync', jobId: j.id, store: j.store, ns: j.ns ?? null, schedule: textOrNull(j.schedule), enabled: !disabledIn(j.raw),
    comment: j.comment ?? null, remote: textOrNull(j.remote), remoteStore: j.remoteStore, direction: j.direction ?? 'pull', raw: j.raw,
  }, j);
}

interface JobListing {
  kind: PbsJobKind;
  read(): Promise<PbsJobRecord[]>;
}

export const pbsJobs: StageDefinition = {
  name: 'pbs-jobs',
  startMessage: 'Reading prune, garbage collection, verify and sync jobs.',
  async run(run) {
    const { ctx } = run;
    const pbs = ctx.pbs;
    const listings: JobListing[] = [
      { kind: 'prune', read: async () => (await pbs.pruneJobs(run.call)).map(pruneJobRecord) },
      { kind: 'gc', read: async () => (await pbs.gcJobs(run.call)).map(gcJobRecord) },
      { kind: 'verify', read: async () => (await pbs.verifyJobs(run.call)).map(verifyJobRecord) },
      { kind: 'sync', read: async () => (await pbs.syncJobs(run.call)).map(syncJobRecord) },
    ];
    const describe = (l: JobListing): { name: string; item_type: string } => ({ name: `${l.kind} jobs`, item_type: 'job-listing' });
    run.discovery(listings.map(describe), `Listing ${listings.length} kinds of job.`);
    run.attempted = listings.length;
    const found: PbsJobRecord[] = [];
    const listed = new Set<PbsJobKind>();
    await forEachItem(run, listings, ctx.limits.node, describe, async (l) => {
      found.push(...await l.read());
      listed.add(l.kind);
    });
    run.assertNotAllFailed();
    await syncServerZone(run);
    run.reconcile('pbsJobs', found, (r) => listed.has(r.kind));
    return found.length;
  },
};
