// Stage 11: storage replication jobs. Like backup routines they are never deleted: a job that vanished from a
// complete listing is marked stale (scoped to this endpoint: the inventory is per endpoint), one that returns is
// active again. A failed listing marks nothing.
import type { ReplicationRecord } from '../../inventory/model';
import type { ReplicationJob } from '../../proxmox/types';
import type { StageDefinition } from './types';

export function replicationFromJob(j: ReplicationJob): ReplicationRecord {
  return {
    jobId: j.id,
    guest: j.guest,
    target: j.target,
    source: j.source ?? null,
    jobType: j.type,
    schedule: j.schedule,
    rate: j.rate ?? null,
    comment: j.comment ?? null,
    enabled: !j.disable,
    removeJob: j.removeJob ?? null,
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
    const jobs = await ctx.api.clusterReplication(run.call);
    run.discovery(jobs.map((j) => ({ name: j.id, item_type: 'replication' })), `Discovered ${jobs.length} replication job(s).`);
    run.reconcile('replications', jobs.map(replicationFromJob));
    return jobs.length;
  },
};
