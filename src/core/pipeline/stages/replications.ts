// Stage 11: storage replication jobs. Like backup routines they are never deleted: a job that vanished from a
// complete listing is marked stale (scoped to this endpoint: the inventory is per endpoint), one that returns is
// active again. A failed listing marks nothing.
import type { ReplicationRecord } from '../../inventory/model';
import type { PveReplicationJob } from '../api';
import type { StageDefinition } from './types';
import { flag, num, str } from './guestConfig';

export function replicationFromJob(j: PveReplicationJob): ReplicationRecord {
  return {
    jobId: j.id,
    guest: num(j.guest),
    target: str(j.target),
    source: str(j.source),
    jobType: str(j.type),
    schedule: str(j.schedule),
    rate: num(j.rate),
    comment: str(j.comment),
    enabled: flag(j.disable) !== true,
    removeJob: str(j.remove_job),
    raw: { ...j },
    // Lifecycle fields are filled by the reconcile.
    status: 'active', firstSeen: '', lastSeen: '', staleSince: null,
  };
}

export const replications: StageDefinition = {
  name: 'replications',
  startMessage: 'Reading replication jobs.',
  async run(run) {
    const { ctx } = run;
    const jobs = await ctx.api.clusterReplication(ctx.call);
    run.discovery(jobs.map((j) => ({ name: j.id, item_type: 'replication' })), `Discovered ${jobs.length} replication job(s).`);
    run.reconcile('replications', jobs.map(replicationFromJob));
    return jobs.length;
  },
};
