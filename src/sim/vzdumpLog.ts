// vzdump runs as PVE writes them: the printed command line, each guest's timing inside its task, and the task log,
// line for line as pve-manager's PVE/VZDump.pm (exec_backup, exec_backup_task) and the fork_worker wrapper write it.
// Logs are printed on request from the compact SimVzdumpRun kept on the task; a guest's timing is derived from the
// task's UPID and the vmid, so the generator (backup ctimes, task end) and the log agree without storing either.
import { subSeed } from './random';
import { zoneOffsetAt } from '../core/schedule';
import type { SimBackupJob, SimCluster, SimGuest, SimStorage, SimTask } from './model';

const pad = (n: number, width = 2): string => String(n).padStart(width, '0');

/** strftime("%F %H:%M:%S", localtime) in the node's zone. */
function localStamp(epoch: number, timeZone: string): string {
  const d = new Date((epoch + zoneOffsetAt(epoch, timeZone)) * 1000);
  return `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())} ${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}`;
}

/** String::ShellQuote: words of safe characters stay bare, anything else goes in single quotes. */
function shellQuote(v: string): string {
  if (v === '') return "''";
  if (/^[A-Za-z0-9_!%+,\-./:=@^]+$/.test(v)) return v;
  return `'${v.replace(/'/g, "'\\''")}'`;
}

const propertyString = (o: Record<string, unknown>): string =>
  Object.keys(o).sort().map((k) => `${k}=${String(o[k])}`).join(',');

/**
 * The command line vzdump prints for a scheduled run (PVE::VZDump::Common::command_line): the vmid list first, then
 * the job's vzdump options and `--quiet 1` (pvescheduler adds it). `job-id` is passed to vzdump but left out of the
 * printed line, so it never appears here. Perl prints the options in hash order; a fixed order is as good a sample.
 */
export function vzdumpArgs(job: SimBackupJob): string {
  const parts: string[] = [];
  if (job.vmid) parts.push(...job.vmid.split(/[,;\s]+/).filter(Boolean));
  const opt = (name: string, v: unknown): void => {
    if (v === undefined || v === null || v === '') return;
    parts.push(`--${name}`, shellQuote(typeof v === 'object' ? propertyString(v as Record<string, unknown>) : String(v)));
  };
  opt('all', job.all);
  opt('pool', job.pool);
  opt('exclude', job.exclude);
  opt('node', job.node);
  opt('storage', job.storage);
  opt('mode', job.mode);
  opt('compress', job.compress);
  opt('notes-template', job['notes-template']);
  opt('prune-backups', job['prune-backups']);
  opt('fleecing', job.fleecing);
  opt('performance', job.performance);
  opt('protected', job.protected);
  opt('bwlimit', job.bwlimit);
  opt('mailto', job.mailto);
  opt('mailnotification', job.mailnotification);
  opt('notification-mode', job['notification-mode']);
  opt('pbs-change-detection-mode', job['pbs-change-detection-mode']);
  opt('quiet', 1);
  return parts.join(' ');
}

/** Seconds one guest's backup takes in a given task: stable for the same UPID and vmid. */
function guestSeconds(task: Pick<SimTask, 'upid'>, vmid: number): number {
  return 15 + (subSeed(vmid, task.upid) % 240);
}

export interface GuestSlot {
  vmid: number;
  start: number;
  end: number;
}

/** When each guest of a run started and ended: one after the other, from two seconds after the task started. */
export function runTimeline(task: Pick<SimTask, 'upid' | 'starttime'>, guests: readonly number[], failed?: Record<string, string>): GuestSlot[] {
  let t = task.starttime + 2;
  return guests.map((vmid) => {
    // A failure usually comes part-way through the archive.
    const secs = failed?.[vmid] !== undefined ? Math.max(3, Math.floor(guestSeconds(task, vmid) / 3)) : guestSeconds(task, vmid);
    const slot = { vmid, start: t, end: t + secs };
    t += secs + 1;
    return slot;
  });
}

/** When the whole run ends (its task's endtime). */
export function runEnd(task: Pick<SimTask, 'upid' | 'starttime'>, guests: readonly number[], failed?: Record<string, string>): number {
  const slots = runTimeline(task, guests, failed);
  return (slots.at(-1)?.end ?? task.starttime + 1) + 1;
}

/** The per-guest reason of a full storage, as qemu (vma), lxc (tar) and PBS uploads report it. */
export function storageFullReason(guest: Pick<SimGuest, 'type'>, storage: Pick<SimStorage, 'type'> | undefined): string {
  if (storage?.type === 'pbs') {
    return guest.type === 'qemu'
      ? 'backup write data failed: command error: write_data upload error: pipelined request failed: No space left on device (os error 28)'
      : 'command \'/usr/bin/proxmox-backup-client backup --crypt-mode=none pct.conf:/var/tmp/vzdumptmp/etc/vzdump/pct.conf root.pxar:/mnt/vzsnap0\' failed: exit code 255';
  }
  return guest.type === 'qemu'
    ? 'vma_queue_write: write error - No space left on device'
    : 'command \'set -o pipefail && lxc-usernsexec -m u:0:100000:65536 -m g:0:100000:65536 -- tar cpf - --totals --one-file-system -p --sparse --numeric-owner --acls --xattrs --xattrs-include=user.* --xattrs-include=security.capability --warning=no-file-ignored --warning=no-xattr-write --one-file-system --warning=no-file-ignored \'--directory=/mnt/vzsnap0\' ./ | zstd \'--threads=1\' >/var/tmp/vzdumptmp/vzdump.tar.dat\' failed: exit code 2';
}

function archiveLine(storage: SimStorage | undefined, guest: SimGuest | undefined, vmid: number, start: number, tz: string, compress: string | undefined): string {
  const type = guest?.type ?? 'qemu';
  if (storage?.type === 'pbs') {
    const stamp = new Date(start * 1000).toISOString().replace(/\.\d{3}Z$/, 'Z');
    return `INFO: creating Proxmox Backup Server archive '${type === 'qemu' ? 'vm' : 'ct'}/${vmid}/${stamp}'`;
  }
  const ext = ({ zstd: '.zst', lzo: '.lzo', gzip: '.gz' } as Record<string, string>)[compress ?? ''] ?? '';
  const stamp = localStamp(start, tz).replace(/-/g, '_').replace(' ', '-').replace(/:/g, '_');
  const dir = storage?.path ?? (storage ? `/mnt/pve/${storage.storage}` : '/var/lib/vz');
  return `INFO: creating vzdump archive '${dir}/dump/vzdump-${type}-${vmid}-${stamp}.${type === 'qemu' ? 'vma' : 'tar'}${ext}'`;
}

/** The task log of a vzdump task, as far as it has got at `now`. */
export function vzdumpLogLines(task: SimTask, cluster: SimCluster, now: number): string[] {
  const run = task.vzdump;
  if (!run) return [];
  const tz = cluster.nodes.find((n) => n.name === task.node)?.timezone ?? 'UTC';
  // PVE::VZDump->new died (storage could not be activated): the worker never printed its first line.
  if (run.jobError) return [`TASK ERROR: ${run.jobError}`];
  const job = run.job ? cluster.jobs.find((j) => j.id === run.job) : undefined;
  const storageId = /--storage (\S+)/.exec(run.args)?.[1]?.replace(/^'|'$/g, '') ?? 'local';
  const storage = cluster.storages.find((s) => s.storage === storageId);
  const compress = /--compress (\S+)/.exec(run.args)?.[1] ?? job?.compress;
  const mode = /--mode (\S+)/.exec(run.args)?.[1] ?? 'snapshot';
  const guests = new Map(cluster.guests.map((g) => [g.vmid, g]));
  const lines = [`INFO: starting new backup job: vzdump ${run.args}`];
  let errors = 0;
  for (const slot of runTimeline(task, run.guests, run.failed)) {
    if (slot.start > now) break;
    const g = guests.get(slot.vmid);
    const type = g?.type ?? 'qemu';
    lines.push(`INFO: Starting Backup of VM ${slot.vmid} (${type})`, `INFO: Backup started at ${localStamp(slot.start, tz)}`,
      `INFO: status = ${g?.status ?? 'stopped'}`);
    if (type === 'qemu') {
      lines.push(`INFO: VM Name: ${g?.name ?? `vm${slot.vmid}`}`);
      for (const d of g?.disks ?? []) {
        if (d.media === 'cdrom') continue;
        if (d.backup === false) lines.push(`INFO: exclude disk '${d.key}' '${d.storage}:${d.volume}' (backup=no)`);
        else lines.push(`INFO: include disk '${d.key}' '${d.storage}:${d.volume}' ${Math.round(d.sizeBytes / 1024 ** 3)}G`);
      }
    } else {
      lines.push(`INFO: CT Name: ${g?.name ?? `ct${slot.vmid}`}`, 'INFO: including mount point rootfs (\'/\') in backup');
    }
    lines.push(`INFO: backup mode: ${mode}`, 'INFO: ionice priority: 7', archiveLine(storage, g, slot.vmid, slot.start, tz, compress));
    if (slot.end > now) return lines;
    const reason = run.failed?.[slot.vmid];
    if (reason !== undefined) {
      errors++;
      lines.push(`ERROR: Backup of VM ${slot.vmid} failed - ${reason}`, `INFO: Failed at ${localStamp(slot.end, tz)}`);
    } else {
      const secs = slot.end - slot.start;
      lines.push(`INFO: Finished Backup of VM ${slot.vmid} (${pad(Math.floor(secs / 3600))}:${pad(Math.floor(secs / 60) % 60)}:${pad(secs % 60)})`,
        `INFO: Backup finished at ${localStamp(slot.end, tz)}`);
    }
  }
  if (task.endtime === undefined || task.endtime > now) return lines;
  lines.push(errors ? 'INFO: Backup job finished with errors' : 'INFO: Backup job finished successfully');
  lines.push(errors ? 'TASK ERROR: job errors' : task.status.startsWith('WARNINGS') ? `TASK ${task.status}` : 'TASK OK');
  return lines;
}
