// `--scenario health`: a small, hand-laid cluster where every backup-health problem happens once, deterministically,
// and `cluster.scenario.planted` says what was planted, so a test can check that the health rules find exactly it
// (read the descriptor, never hard-code it). Stable for a fixed `now`; the runs are those of the last 21 days.
//
//   nodes    pve1 (Europe/Vienna): 100 q, 101 ct, 102 q, 103 ct, 104 q, 105 q
//            pve2 (UTC):           106 q, 107 ct, 108 q, 109 ct, 110 q
//            pve3 (America/New_York): 111 q, 112 ct, 113 q, 114 q, 115 ct
//   jobs     backup-daily-nfs   02:00 nfs-backup  100 101 107 111   pve2 was offline at its second-newest run: missed
//            backup-local-full  01:00 local       102 103 108       storage full: the newest run fails per guest
//            backup-nas         03:00 nas-backups 104 109           newest run: storage not online, before any guest
//            backup-pbs         04:00 pbs1        102 110 112 113   all OK; verification 110 ok, 112 failed, 113 none;
//                                                                   114 added to the job after its last run (no backup)
//            backup-disabled    21:00 local       115               disabled: 115 is covered by a disabled job only
//            backup-weekly-nfs  sun 05:00 nfs-backup 100            100 has newer backups from backup-daily-nfs there
//   not covered: 105, 106 (never backed up). 102 is in a failed job (backup-local-full) and an OK one (backup-pbs).
import { generateCluster, makeVzdumpRuns, type RunPlanner, verifyUpid } from './generate';
import { storageFullReason } from './vzdumpLog';
import { Rng } from './random';
import type { PlantedProblem, PveVersion, SimBackupJob, SimCluster, SimGuest } from './model';

export const SCENARIOS = ['health'] as const;
export type ScenarioName = (typeof SCENARIOS)[number];

const LAYOUT: { node: string; type: 'qemu' | 'lxc' }[] = [
  ...['qemu', 'lxc', 'qemu', 'lxc', 'qemu', 'qemu'].map((type) => ({ node: 'pve1', type: type as 'qemu' | 'lxc' })),
  ...['qemu', 'lxc', 'qemu', 'lxc', 'qemu'].map((type) => ({ node: 'pve2', type: type as 'qemu' | 'lxc' })),
  ...['qemu', 'lxc', 'qemu', 'qemu', 'lxc'].map((type) => ({ node: 'pve3', type: type as 'qemu' | 'lxc' })),
];

function job(id: string, schedule: string, storage: string, vmid: string, extra: Partial<SimBackupJob> = {}): SimBackupJob {
  return { id, type: 'vzdump', schedule, enabled: 1, storage, vmid, mode: 'snapshot', compress: storage === 'pbs1' ? undefined : 'zstd', ...extra };
}

export function healthScenario(seed: number, now: number, version: PveVersion): SimCluster {
  // The seeded generator gives realistic guests, storages and nodes; the layout, jobs and history are laid by hand.
  const cluster = generateCluster({ seed, nodes: 3, guests: LAYOUT.length, jobs: 0, version, now });
  cluster.nodes[0].timezone = 'Europe/Vienna';
  cluster.nodes[1].timezone = 'UTC';
  cluster.nodes[2].timezone = 'America/New_York';
  cluster.guests.forEach((g: SimGuest, i) => {
    g.node = LAYOUT[i].node;
    if (g.type !== LAYOUT[i].type) {
      // Keep the generated disks and NICs plausible for the new type: only the config keys differ.
      g.type = LAYOUT[i].type;
      g.disks = g.disks.filter((d) => d.media !== 'cdrom').slice(0, 1).map((d) => ({ ...d, key: g.type === 'lxc' ? 'rootfs' : 'scsi0', options: undefined }));
      g.nics = g.nics.slice(0, 1).map((n) => ({ ...n, model: g.type === 'lxc' ? 'veth' : 'virtio', name: g.type === 'lxc' ? 'eth0' : undefined }));
      g.bios = undefined;
      g.machine = undefined;
      g.cpu = g.type === 'qemu' ? 'x86-64-v2-AES' : undefined;
      g.agent = false;
      g.agentRunning = false;
      g.ostype = g.type === 'lxc' ? 'debian' : 'l26';
    }
    g.template = false;
    g.name = g.name.replace(/^tpl-/, '');
    g.pool = undefined;
    g.lock = undefined;
  });
  cluster.storages.push({ storage: 'nas-backups', type: 'nfs', content: ['backup'], shared: true, path: '/mnt/pve/nas-backups',
    server: '10.0.1.40', export: '/volume1/pve', total: 4 * 1024 ** 4, used: 3 * 1024 ** 4 });
  cluster.jobs = [
    job('backup-daily-nfs', '02:00', 'nfs-backup', '100,101,107,111', { comment: 'Nightly backup' }),
    job('backup-local-full', '01:00', 'local', '102,103,108'),
    job('backup-nas', '03:00', 'nas-backups', '104,109'),
    job('backup-pbs', '04:00', 'pbs1', '102,110,112,113'),
    job('backup-disabled', '21:00', 'local', '115', { enabled: 0 }),
    job('backup-weekly-nfs', 'sun 05:00', 'nfs-backup', '100', { comment: 'Weekly full' }),
  ];
  // Replace the generated history's backups and vzdump runs with the planted ones (other tasks stay).
  cluster.backups = [];
  // Guests moved nodes: their start and snapshot tasks stay with them, replications (not part of this story) go.
  cluster.tasks = cluster.tasks.filter((t) => t.type !== 'vzdump' && (!/^\d+$/.test(t.id) || cluster.guests.find((g) => String(g.vmid) === t.id)?.node === t.node));
  cluster.replications = [];
  const planted: PlantedProblem[] = [];
  const guest = new Map(cluster.guests.map((g) => [g.vmid, g]));
  const local = cluster.storages.find((s) => s.storage === 'local');
  // The second-newest run of backup-daily-nfs on pve2: found while planning, when the run list is known.
  const dailyRuns = new Map<string, number[]>();
  const plan: RunPlanner = (j, node, scheduled, guests, newest) => {
    if (j.id === 'backup-daily-nfs') {
      const seen = dailyRuns.get(node) ?? [];
      seen.push(scheduled);
      dailyRuns.set(node, seen);
      return {};
    }
    if (!newest) return {};
    if (j.id === 'backup-local-full') {
      const failed: Record<string, string> = {};
      for (const g of guests) {
        failed[g.vmid] = storageFullReason(guest.get(g.vmid)!, local);
        planted.push({ kind: 'failed-guest', vmid: g.vmid, jobId: j.id, node, scheduled, reason: failed[g.vmid] });
      }
      return { failed };
    }
    if (j.id === 'backup-nas') {
      const reason = "could not activate storage 'nas-backups': storage 'nas-backups' is not online";
      planted.push({ kind: 'job-error', jobId: j.id, node, scheduled, reason });
      return { jobError: reason };
    }
    return {};
  };
  // First pass only to learn the daily job's run times; the second lays the history with the missed run.
  const probe = { ...cluster, tasks: [], backups: [] } as SimCluster;
  makeVzdumpRuns(seed, probe, plan);
  planted.length = 0;
  const missed = (dailyRuns.get('pve2') ?? []).at(-2);
  const finalPlan: RunPlanner = (j, node, scheduled, guests, newest) => {
    if (j.id === 'backup-daily-nfs') return node === 'pve2' && scheduled === missed ? { skip: true } : {};
    return plan(j, node, scheduled, guests, newest);
  };
  makeVzdumpRuns(seed, cluster, finalPlan);
  if (missed !== undefined) planted.push({ kind: 'missed-run', node: 'pve2', jobId: 'backup-daily-nfs', scheduled: missed });

  // PBS verification, one of each state; the other PBS backups verified OK.
  const verify: Record<number, 'ok' | 'failed' | 'none'> = { 110: 'ok', 112: 'failed', 113: 'none' };
  const rng = Rng.of(seed, 'scenario-verify');
  for (const b of cluster.backups) {
    if (b.storage !== 'pbs1') continue;
    const state = verify[b.vmid] ?? 'ok';
    delete b.encrypted;
    if (state === 'none') delete b.verification;
    else b.verification = { state, upid: verifyUpid(rng, b.ctime) };
  }
  for (const [vmid, state] of Object.entries(verify)) planted.push({ kind: 'verify', vmid: Number(vmid), storage: 'pbs1', state });

  // 114 joins backup-pbs after its last run: the runs (and their logs) never had it, so it has no backup.
  const pbs = cluster.jobs.find((j) => j.id === 'backup-pbs')!;
  pbs.vmid = `${pbs.vmid},114`;
  planted.push({ kind: 'added-after-last-run', vmid: 114, jobId: 'backup-pbs' });
  planted.push({ kind: 'not-covered', vmid: 105 }, { kind: 'not-covered', vmid: 106 });
  planted.push({ kind: 'disabled-only', vmid: 115, jobId: 'backup-disabled' });
  planted.push({ kind: 'two-jobs-one-failed', vmid: 102, failedJobId: 'backup-local-full', okJobId: 'backup-pbs' });
  planted.push({ kind: 'newer-backup-from-other-job', vmid: 100, jobId: 'backup-weekly-nfs', otherJobId: 'backup-daily-nfs', storage: 'nfs-backup' });
  cluster.tasks.sort((a, b) => b.starttime - a.starttime || (a.upid < b.upid ? -1 : 1));
  cluster.scenario = { name: 'health', planted };
  return cluster;
}
