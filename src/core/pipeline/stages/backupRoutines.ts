// Stage 12: backup routines, the vzdump jobs of /cluster/backup, with every field Proxbox's BackupRoutine has.
// The next run is Proxmox's own `next-run` when the server sends one, else the schedule engine's answer in the
// node's zone. A job that vanished from the complete listing becomes stale (never deleted); one that comes back
// is active again; a failed listing marks nothing.
import type { BackupRoutine, NodeRecord, RoutineSelection, StorageRecord } from '../../inventory/model';
import type { PveBackupJob } from '../api';
import type { StageDefinition } from './types';
import { applyNextRun } from '../../inventory/nextRun';
import { flag, num, splitPropertyString, str } from './guestConfig';
import { parseRetention } from './storage';

function vmidList(v: unknown): number[] {
  if (v === undefined || v === null || v === '') return [];
  return [...new Set(String(v).split(/[,;\s]+/).map((s) => Number(s.trim())).filter((n) => Number.isInteger(n) && n > 0))].sort((a, b) => a - b);
}

function objectOrString(v: unknown, defaultKey?: string): Record<string, unknown> | null {
  if (v === undefined || v === null || v === '') return null;
  if (typeof v === 'object') return v as Record<string, unknown>;
  return splitPropertyString(String(v), defaultKey);
}

export function selectionOf(job: PveBackupJob): RoutineSelection {
  const exclude = vmidList(job.exclude);
  if (flag(job.all) === true) return { mode: 'all', vmids: [], pool: null, exclude };
  if (str(job.pool)) return { mode: 'pool', vmids: [], pool: String(job.pool), exclude };
  const vmids = vmidList(job.vmid);
  // PVE: `exclude` alone implies all guests.
  if (vmids.length === 0 && exclude.length > 0) return { mode: 'all', vmids: [], pool: null, exclude };
  return { mode: 'vmids', vmids, pool: null, exclude };
}

export function routineFromJob(job: PveBackupJob, storages: readonly StorageRecord[], nodes: readonly NodeRecord[], nowSeconds: number): BackupRoutine {
  const fleecing = objectOrString(job.fleecing, 'enabled');
  const performance = objectOrString(job.performance);
  const own = parseRetention(job['prune-backups']);
  const storageName = str(job.storage);
  const storageRetention = own ? null : storages.find((s) => s.storage === storageName)?.pruneBackups ?? null;
  const retention = own ?? storageRetention;
  const raw: Record<string, unknown> = { ...job };
  delete raw['next-run'];
  const r: BackupRoutine = {
    jobId: job.id,
    enabled: flag(job.enabled) !== false,
    schedule: str(job.schedule) ?? (job.starttime ? `${job.dow ? `${String(job.dow)} ` : ''}${String(job.starttime)}` : ''),
    nextRun: null,
    nextRunSource: 'computed',
    timezone: null,
    scheduleError: null,
    node: str(job.node),
    storage: storageName,
    selection: selectionOf(job),
    comment: str(job.comment),
    notesTemplate: str(job['notes-template']),
    keepLast: retention?.keepLast ?? null,
    keepHourly: retention?.keepHourly ?? null,
    keepDaily: retention?.keepDaily ?? null,
    keepWeekly: retention?.keepWeekly ?? null,
    keepMonthly: retention?.keepMonthly ?? null,
    keepYearly: retention?.keepYearly ?? null,
    keepAll: retention?.keepAll ?? null,
    retentionSource: own ? 'job' : storageRetention ? 'storage' : 'none',
    bwlimit: num(job.bwlimit),
    zstd: num(job.zstd),
    ioWorkers: num(performance?.['max-workers']),
    fleecing: fleecing ? Object.entries(fleecing).map(([k, v]) => `${k}=${String(v)}`).sort().join(',') : null,
    fleecingStorage: str(fleecing?.storage),
    repeatMissed: flag(job['repeat-missed']),
    pbsChangeDetectionMode: str(job['pbs-change-detection-mode']),
    mode: str(job.mode),
    compress: str(job.compress),
    raw,
    status: 'active', firstSeen: '', lastSeen: '', staleSince: null,
  };
  const pveNext = num(job['next-run']);
  applyNextRun(r, pveNext, nodes, nowSeconds);
  return r;
}

export const backupRoutines: StageDefinition = {
  name: 'backup-routines',
  startMessage: 'Reading backup routines (vzdump jobs).',
  async run(run) {
    const { ctx } = run;
    const jobs = await ctx.api.clusterBackup(ctx.call);
    run.discovery(jobs.map((j) => ({ name: j.id, item_type: 'backup-routine' })), `Discovered ${jobs.length} backup routine(s).`);
    const nowSeconds = Math.floor(ctx.now() / 1000);
    const storages = run.get('storages');
    const nodes = run.get('nodes');
    const routines = jobs.map((j) => routineFromJob(j, storages, nodes, nowSeconds));
    for (const r of routines) if (r.scheduleError) run.warnings.push(`backup routine ${r.jobId}: ${r.scheduleError}`);
    run.reconcile('backupRoutines', routines);
    return routines.length;
  },
};
