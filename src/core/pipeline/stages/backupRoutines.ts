// Stage 12: backup routines, the vzdump jobs of /cluster/backup, with every field Proxbox's BackupRoutine has.
// The next run is Proxmox's own `next-run` when the server sends one, else the schedule engine's answer in the
// node's zone. A job that vanished from the complete listing becomes stale (never deleted); one that comes back
// is active again; a failed listing marks nothing.
import type { BackupRoutine, NodeRecord, StorageRecord } from '../../inventory/model';
import type { BackupJob } from '../../proxmox/types';
import type { StageDefinition } from './types';
import { applyNextRun } from '../../inventory/nextRun';
import { retentionOf } from './storage';
import { selectionOf } from '../../health/selection';

function printFleecing(job: BackupJob): string | null {
  if (!job.fleecing) return null;
  return [`enabled=${job.fleecing.enabled ? 1 : 0}`, ...(job.fleecing.storage ? [`storage=${job.fleecing.storage}`] : [])].join(',');
}

export function routineFromJob(job: BackupJob, storages: readonly StorageRecord[], nodes: readonly NodeRecord[], nowSeconds: number): BackupRoutine {
  const own = retentionOf(job.pruneBackups);
  const storageRetention = own ? null : storages.find((s) => s.storage === job.storage)?.pruneBackups ?? null;
  const retention = own ?? storageRetention;
  const raw: Record<string, unknown> = { ...job.raw };
  delete raw['next-run'];
  const r: BackupRoutine = {
    jobId: job.id,
    enabled: job.enabled,
    schedule: job.schedule ?? '',
    nextRun: null,
    nextRunSource: 'computed',
    timezone: null,
    timezoneNote: null,
    scheduleError: null,
    node: job.node ?? null,
    storage: job.storage ?? null,
    selection: selectionOf(job),
    comment: job.comment ?? null,
    notesTemplate: job.notesTemplate ?? null,
    keepLast: retention?.keepLast ?? null,
    keepHourly: retention?.keepHourly ?? null,
    keepDaily: retention?.keepDaily ?? null,
    keepWeekly: retention?.keepWeekly ?? null,
    keepMonthly: retention?.keepMonthly ?? null,
    keepYearly: retention?.keepYearly ?? null,
    keepAll: retention?.keepAll ?? null,
    retentionSource: own ? 'job' : storageRetention ? 'storage' : 'none',
    bwlimit: job.bwlimit ?? null,
    zstd: job.raw.zstd !== undefined ? Number(job.raw.zstd) : null,
    ioWorkers: job.performance?.maxWorkers ?? null,
    fleecing: printFleecing(job),
    fleecingStorage: job.fleecing?.storage ?? null,
    repeatMissed: job.repeatMissed,
    pbsChangeDetectionMode: job.pbsChangeDetectionMode ?? null,
    mode: job.mode ?? null,
    compress: job.compress ?? null,
    raw,
    status: 'active', firstSeen: '', lastSeen: '', staleSince: null,
  };
  applyNextRun(r, job.nextRun ?? null, nodes, nowSeconds);
  return r;
}

export const backupRoutines: StageDefinition = {
  name: 'backup-routines',
  startMessage: 'Reading backup routines (vzdump jobs).',
  async run(run) {
    const { ctx } = run;
    const jobs = await ctx.api.clusterBackup(run.call);
    run.discovery(jobs.map((j) => ({ name: j.id, item_type: 'backup-routine' })), `Discovered ${jobs.length} backup routine(s).`);
    const nowSeconds = Math.floor(ctx.now() / 1000);
    const storages = run.get('storages');
    const nodes = run.get('nodes');
    const routines = jobs.map((j) => routineFromJob(j, storages, nodes, nowSeconds));
    for (const r of routines) {
      if (r.scheduleError) run.warnings.push(`backup routine ${r.jobId}: ${r.scheduleError}`);
      if (r.timezoneNote) run.warnings.push(`backup routine ${r.jobId}: ${r.timezoneNote}`);
    }
    run.reconcile('backupRoutines', routines);
    return routines.length;
  },
};
