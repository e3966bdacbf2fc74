// Builds a seeded cluster. Each node, guest and job draws from its own random stream (see random.ts), so the same
// seed always gives the same cluster and `jobs: K` gives exactly the first K jobs of any larger count.
import { Rng } from './random';
import { vzdumpStamp } from './timezone';
import { runsBetween } from './schedule';
import { guestsOfJob } from './coverage';
import { runEnd, runTimeline, vzdumpArgs } from './vzdumpLog';
import type {
  PveVersion, SimBackup, SimBackupJob, SimCluster, SimDisk, SimGuest, SimNic, SimNode, SimPool, SimReplication,
  SimSnapshot, SimStorage, SimTask, SimToken,
} from './model';

export interface GenerateOptions {
  seed: number;
  nodes: number;
  guests: number;
  jobs: number;
  version: PveVersion;
  /** Anchor of the generated history (epoch seconds). */
  now: number;
}

const GiB = 1024 ** 3;
const TiB = 1024 ** 4;

const TIME_ZONES = ['Europe/Vienna', 'America/New_York', 'UTC', 'Asia/Tokyo', 'Europe/London', 'Australia/Sydney', 'America/Los_Angeles'];
const CPU_MODELS = ['AMD EPYC 7313P 16-Core Processor', 'Intel(R) Xeon(R) Silver 4314 CPU @ 2.40GHz', 'AMD Ryzen 9 7950X 16-Core Processor', 'Intel(R) Xeon(R) E-2388G CPU @ 3.20GHz'];
const NAME_PREFIXES = ['web', 'db', 'app', 'cache', 'mail', 'dns', 'proxy', 'git', 'ci', 'monitor', 'files', 'auth', 'log', 'vpn', 'build', 'queue'];
const TAGS = ['prod', 'dev', 'staging', 'linux', 'windows', 'critical', 'k8s', 'db', 'web'];
const POOLS: SimPool[] = [
  { poolid: 'prod', comment: 'Production workloads' },
  { poolid: 'dev' },
  { poolid: 'infra', comment: 'DNS, monitoring, proxies' },
];
const SNAPSHOT_NAMES = ['clean_install', 'before_upgrade', 'pre_patch', 'known_good', 'release_2_4', 'test_state'];
const ISOS = ['debian-12.7.0-amd64-netinst.iso', 'ubuntu-24.04.1-live-server-amd64.iso', 'virtio-win-0.1.262.iso'];
const LXC_OS = ['debian', 'ubuntu', 'alpine', 'archlinux', 'centos'];

/** Backup-job shapes: the first jobs walk this list in order so even a small cluster shows every kind. */
const JOB_KINDS = ['vmid-list', 'node-all', 'pool', 'disabled', 'hourly-list', 'all-exclude', 'vmid-list', 'pool'] as const;
type JobKind = (typeof JOB_KINDS)[number];
/** Later jobs are mostly narrow selections, so a big cluster does not end up with every guest in every job. */
const LATER_JOB_KINDS: readonly JobKind[] = ['vmid-list', 'vmid-list', 'vmid-list', 'vmid-list', 'pool', 'hourly-list', 'disabled', 'node-all'];

const SCHEDULES = ['02:30', 'mon..fri 22:00', 'sat 18:15', '21:00', 'sun 01:00', 'mon,wed,fri 03:00', '*/6:00', 'daily',
  'weekly', '04:15', 'tue..sat 00:45', 'sat *-1..7 15:00', '22:30'];

/** Proxmox's BC:24:11 prefix; the rest is built from vmid and NIC index, so no two NICs in a cluster share one. */
function mac(rng: Rng, vmid: number, nic: number): string {
  const v = (((vmid & 0x1ffff) << 7) | ((nic & 0x3) << 5) | rng.int(0, 31)) ^ 0x5a5a5a;
  const b = [0xbc, 0x24, 0x11, (v >>> 16) & 0xff, (v >>> 8) & 0xff, v & 0xff];
  return b.map((x) => x.toString(16).padStart(2, '0').toUpperCase()).join(':');
}

function makeNode(seed: number, i: number, zoneOffset: number): SimNode {
  const rng = Rng.of(seed, 'node', i);
  const maxcpu = rng.pick([8, 16, 32, 64]);
  return {
    name: `pve${i + 1}`,
    nodeid: i + 1,
    ip: `10.0.0.${11 + i}`,
    online: true,
    // Spread zones over the nodes, so a small cluster already mixes several.
    timezone: TIME_ZONES[(zoneOffset + i) % TIME_ZONES.length],
    maxcpu,
    maxmem: rng.pick([64, 128, 256, 512]) * GiB,
    maxdisk: rng.pick([100, 250, 500]) * GiB,
    cpuModel: rng.pick(CPU_MODELS),
    sockets: maxcpu >= 64 ? 2 : 1,
    uptime: rng.int(3600, 200 * 86400),
    level: rng.pick(['', '', 'c', 'b']),
    kernel: rng.pick(['6.8.12-4-pve', '6.14.8-2-pve', '6.17.2-1-pve']),
  };
}

function makeStorages(nodes: SimNode[], rng: Rng): SimStorage[] {
  const list: SimStorage[] = [
    { storage: 'local', type: 'dir', content: ['backup', 'iso', 'vztmpl'], shared: false, path: '/var/lib/vz',
      pruneBackups: 'keep-all=1', total: 100 * GiB, used: Math.floor(rng.next() * 60 * GiB) },
    { storage: 'local-lvm', type: 'lvmthin', content: ['images', 'rootdir'], shared: false, vgname: 'pve',
      thinpool: 'data', total: 800 * GiB, used: Math.floor(rng.next() * 500 * GiB) },
    { storage: 'nfs-backup', type: 'nfs', content: ['backup', 'iso'], shared: true, path: '/mnt/pve/nfs-backup',
      server: '10.0.1.20', export: '/srv/nfs/pve', pruneBackups: 'keep-daily=7,keep-last=3,keep-weekly=4',
      maxProtectedBackups: 5, total: 8 * TiB, used: Math.floor(rng.next() * 5 * TiB) },
    { storage: 'pbs1', type: 'pbs', content: ['backup'], shared: true, server: '10.0.1.30', datastore: 'store1',
      username: 'backup@pbs', fingerprint: Array.from({ length: 32 }, () => rng.int(0, 255).toString(16).padStart(2, '0')).join(':'),
      total: 20 * TiB, used: Math.floor(rng.next() * 12 * TiB) },
  ];
  if (nodes.length >= 3) {
    list.push({ storage: 'ceph-vm', type: 'rbd', content: ['images', 'rootdir'], shared: true, pool: 'vm',
      total: 30 * TiB, used: Math.floor(rng.next() * 10 * TiB) });
  }
  // A storage restricted to one node and disabled: clients must not list or fetch it.
  list.push({ storage: 'usb-archive', type: 'dir', content: ['backup'], shared: false, path: '/mnt/usb', disable: true,
    nodes: [nodes[0].name], total: 2 * TiB, used: TiB });
  return list;
}

function makeGuest(seed: number, i: number, nodes: SimNode[], storages: SimStorage[], now: number): SimGuest {
  const rng = Rng.of(seed, 'guest', i);
  const vmid = 100 + i;
  const type = rng.chance(0.6) || i === 7 ? 'qemu' : 'lxc';
  const node = nodes[rng.int(0, nodes.length - 1)];
  // A template now and then, and one early on so small clusters have one too.
  const template = type === 'qemu' && (rng.chance(0.04) || i === 7);
  const status = template ? 'stopped' : rng.chance(0.72) ? 'running' : 'stopped';
  const prefix = rng.pick(NAME_PREFIXES);
  const name = template ? `tpl-${prefix}-${vmid}` : `${prefix}-${vmid}`;
  const imageStorage = storages.some((s) => s.storage === 'ceph-vm') && rng.chance(0.5) ? 'ceph-vm' : 'local-lvm';
  const cores = rng.pick([1, 2, 2, 4, 4, 8]);
  const memoryMiB = rng.pick([512, 1024, 2048, 4096, 8192, 16384]);
  const subnet = 10 + Math.floor(i / 62500);
  const ip = `10.${subnet}.${Math.floor((i % 62500) / 250)}.${(i % 250) + 2}`;
  const gw = `10.${subnet}.${Math.floor((i % 62500) / 250)}.1`;
  const disks: SimDisk[] = [];
  const nics: SimNic[] = [];
  const agent = type === 'qemu' && rng.chance(0.55);
  if (type === 'qemu') {
    const bus = rng.pick(['scsi', 'scsi', 'scsi', 'virtio', 'sata']);
    disks.push({ key: `${bus}0`, storage: imageStorage, volume: `vm-${vmid}-disk-0`, sizeBytes: rng.pick([8, 16, 32, 64, 128]) * GiB,
      options: bus === 'scsi' ? { iothread: '1' } : {} });
    if (rng.chance(0.3)) {
      disks.push({ key: `${bus}1`, storage: imageStorage, volume: `vm-${vmid}-disk-1`, sizeBytes: rng.pick([50, 100, 250]) * GiB,
        backup: rng.chance(0.4) ? false : undefined, options: { cache: 'writeback', discard: 'on', ssd: '1' } });
    }
    const iso = rng.chance(0.4) ? `local:iso/${rng.pick(ISOS)}` : 'none';
    disks.push({ key: 'ide2', storage: iso === 'none' ? '' : 'local', volume: iso, sizeBytes: iso === 'none' ? 0 : 628 * 1024 * 1024, media: 'cdrom' });
    nics.push({ key: 'net0', model: 'virtio', mac: mac(rng, vmid, 0), bridge: 'vmbr0', firewall: true, ip: `${ip}/24`, gw,
      ip6: `fd00:${subnet.toString(16)}::${vmid.toString(16)}/64` });
    if (rng.chance(0.2)) {
      nics.push({ key: 'net1', model: rng.pick(['virtio', 'e1000']), mac: mac(rng, vmid, 1), bridge: 'vmbr1', firewall: false,
        tag: rng.pick([10, 20, 30, 100]), ip: `192.168.${rng.int(10, 99)}.${rng.int(2, 250)}/24` });
    }
  } else {
    disks.push({ key: 'rootfs', storage: imageStorage, volume: `vm-${vmid}-disk-0`, sizeBytes: rng.pick([4, 8, 16, 32]) * GiB });
    if (rng.chance(0.2)) {
      disks.push({ key: 'mp0', storage: imageStorage, volume: `vm-${vmid}-disk-1`, sizeBytes: rng.pick([32, 64]) * GiB,
        mountPath: '/srv/data', backup: rng.chance(0.5) ? true : undefined });
    }
    nics.push({ key: 'net0', model: 'veth', name: 'eth0', mac: mac(rng, vmid, 0), bridge: 'vmbr0', firewall: true, ip: `${ip}/24`, gw,
      dhcp: rng.chance(0.25) });
  }
  const ostype = type === 'qemu' ? rng.pick(['l26', 'l26', 'l26', 'win11', 'win10', 'other']) : rng.pick(LXC_OS);
  const bios = type === 'qemu' && (ostype.startsWith('win') || rng.chance(0.3)) ? 'ovmf' : undefined;
  if (bios === 'ovmf') {
    disks.push({ key: 'efidisk0', storage: imageStorage, volume: `vm-${vmid}-disk-${disks.length}`, sizeBytes: 4 * 1024 * 1024,
      options: { efitype: '4m', 'pre-enrolled-keys': '1' } });
  }
  const snapshots: SimSnapshot[] = [];
  if (!template && rng.chance(0.3)) {
    const count = rng.int(1, 3);
    let t = now - rng.int(30, 200) * 86400;
    const names = rng.sample(SNAPSHOT_NAMES, count);
    for (const [k, snapName] of names.entries()) {
      snapshots.push({ name: snapName, description: rng.chance(0.5) ? `${snapName.replace(/_/g, ' ')} on ${name}` : '',
        snaptime: t, parent: k > 0 ? names[k - 1] : undefined, vmstate: type === 'qemu' ? rng.chance(0.3) : undefined });
      t += rng.int(1, 20) * 86400;
    }
  }
  const maxmem = memoryMiB * 1024 * 1024;
  const running = status === 'running';
  return {
    vmid, type, node: node.name, name, status, template,
    tags: rng.sample(TAGS, rng.pick([0, 0, 1, 2, 3])),
    pool: rng.chance(0.35) ? rng.pick(POOLS).poolid : undefined,
    cores, sockets: 1, memoryMiB, swapMiB: type === 'lxc' ? 512 : 0, ostype, onboot: rng.chance(0.6), agent,
    agentRunning: agent && rng.chance(0.8), unprivileged: type === 'lxc' && rng.chance(0.85), disks, nics, snapshots,
    uptime: running ? rng.int(60, 90 * 86400) : 0,
    lock: !template && rng.chance(0.02) ? 'backup' : undefined,
    description: rng.chance(0.2) ? `Managed by the ${prefix} team.\nSee the runbook before restarting.` : undefined,
    bios, machine: type === 'qemu' && rng.chance(0.3) ? 'pc-q35-9.0' : undefined,
    cpu: type === 'qemu' ? rng.pick(['x86-64-v2-AES', 'host', 'kvm64']) : undefined,
    smbiosUuid: rng.uuid(), vmgenid: rng.uuid(), ctime: now - rng.int(100, 900) * 86400,
    cpuUsage: running ? Math.round(rng.next() * 0.3 * 1e6) / 1e6 : 0,
    memUsed: running ? Math.floor(maxmem * (0.2 + rng.next() * 0.6)) : 0,
    netin: running ? rng.int(1e5, 1e10) : 0, netout: running ? rng.int(1e5, 1e10) : 0,
    diskread: running ? rng.int(1e6, 1e11) : 0, diskwrite: running ? rng.int(1e6, 1e11) : 0,
  };
}

function makeJob(seed: number, j: number, guests: SimGuest[], nodes: SimNode[], version: PveVersion): SimBackupJob {
  const rng = Rng.of(seed, 'job', j);
  const kind: JobKind = j < JOB_KINDS.length ? JOB_KINDS[j] : rng.pick(LATER_JOB_KINDS);
  const vmids = guests.map((g) => g.vmid);
  const storage = rng.pick(['pbs1', 'pbs1', 'nfs-backup', 'local']);
  const job: SimBackupJob = {
    id: `backup-${rng.hex(8)}-${rng.hex(4)}`,
    type: 'vzdump',
    schedule: kind === 'hourly-list' ? rng.pick(['hourly', '*/30', '0/4:00']) : rng.pick(SCHEDULES),
    enabled: kind === 'disabled' ? 0 : 1,
    storage,
    mode: rng.pick(['snapshot', 'snapshot', 'snapshot', 'suspend', 'stop']),
    compress: storage === 'pbs1' ? undefined : rng.pick(['zstd', 'zstd', 'lzo', 'gzip']),
  };
  switch (kind) {
    case 'vmid-list':
    case 'disabled':
    case 'hourly-list':
      job.vmid = rng.sample(vmids, rng.int(1, Math.max(1, Math.min(kind === 'vmid-list' ? 40 : 6, Math.ceil(vmids.length / 4))))).join(',');
      break;
    case 'node-all':
      job.all = 1;
      job.node = rng.pick(nodes).name;
      break;
    case 'pool':
      job.pool = rng.pick(POOLS).poolid;
      break;
    case 'all-exclude':
      job.all = 1;
      job.exclude = rng.sample(vmids, rng.int(1, Math.max(1, Math.min(30, Math.ceil(vmids.length / 3))))).join(',');
      break;
  }
  if (!job.vmid && !job.all && !job.pool) job.vmid = String(rng.pick(vmids));
  if (rng.chance(0.6)) {
    job['prune-backups'] = rng.pick<Record<string, string | number>>([
      { 'keep-daily': '7', 'keep-last': '3', 'keep-monthly': '6', 'keep-weekly': '4' },
      { 'keep-last': '5' },
      { 'keep-daily': '14', 'keep-monthly': '12', 'keep-yearly': '2' },
      { 'keep-hourly': '24', 'keep-daily': '7' },
      { 'keep-all': 1 },
    ]);
  }
  if (rng.chance(0.35)) job.fleecing = rng.chance(0.8) ? { enabled: 1, storage: 'local-lvm' } : { enabled: 0 };
  if (rng.chance(0.2)) job.performance = { 'max-workers': String(rng.pick([4, 8, 16])) };
  if (rng.chance(0.5)) job.comment = rng.pick(['Nightly backup', 'Weekly full', 'Databases', 'Off-site copy', 'Critical guests']);
  if (rng.chance(0.4)) job['repeat-missed'] = 1;
  if (rng.chance(0.5)) job['notes-template'] = rng.pick(['{{guestname}}', '{{guestname}} on {{node}}', '{{cluster}}/{{vmid}}']);
  if (rng.chance(0.5)) job['notification-mode'] = rng.pick(['auto', 'notification-system', 'legacy-sendmail']);
  if (job['notification-mode'] === 'legacy-sendmail') {
    job.mailto = 'ops@example.com';
    job.mailnotification = rng.pick(['always', 'failure']);
  }
  if (rng.chance(0.1)) job.protected = 1;
  if (rng.chance(0.1)) job.bwlimit = rng.pick([51200, 102400]);
  if (storage === 'pbs1' && rng.chance(0.3)) job['pbs-change-detection-mode'] = rng.pick(['data', 'metadata']);
  if (version === '8.4' && rng.chance(0.3)) job['notification-policy'] = rng.pick(['always', 'failure']);
  return job;
}

function upid(node: string, pid: number, pstart: number, start: number, type: string, id: string, user: string): string {
  const hex = (n: number, w: number): string => n.toString(16).toUpperCase().padStart(w, '0');
  return `UPID:${node}:${hex(pid, 8)}:${hex(pstart, 8)}:${hex(start, 8)}:${type}:${id}:${user}:`;
}

function makeTask(rng: Rng, node: string, start: number, duration: number, type: string, id: string, status: string): SimTask {
  const pid = rng.int(1000, 4_000_000);
  const pstart = rng.int(1_000_000, 400_000_000);
  return { upid: upid(node, pid, pstart, start, type, id, 'root@pam'), node, pid, pstart, starttime: start,
    endtime: start + duration, type, id, user: 'root@pam', status };
}

function backupVolume(storage: SimStorage, guest: SimGuest, ctime: number, tz: string, compress: string | undefined): Pick<SimBackup, 'volid' | 'format'> {
  if (storage.type === 'pbs') {
    const stamp = new Date(ctime * 1000).toISOString().replace(/\.\d{3}Z$/, 'Z');
    return { volid: `${storage.storage}:backup/${guest.type === 'qemu' ? 'vm' : 'ct'}/${guest.vmid}/${stamp}`,
      format: guest.type === 'qemu' ? 'pbs-vm' : 'pbs-ct' };
  }
  const ext = ({ zstd: '.zst', lzo: '.lzo', gzip: '.gz', '1': '.lzo' } as Record<string, string>)[compress ?? ''] ?? '';
  const format = `${guest.type === 'qemu' ? 'vma' : 'tar'}${ext}`;
  return { volid: `${storage.storage}:backup/vzdump-${guest.type}-${guest.vmid}-${vzdumpStamp(ctime, tz)}.${format}`, format };
}

/** Days of vzdump runs kept as tasks: beyond the default history window (14 days) of the task-history stage. */
export const RUN_DAYS = 21;
/**
 * Runs kept per job and node. An every-30-minutes job over 21 days is 1,008 runs per node; a denser schedule keeps
 * only its newest runs (older ones then look missed), which bounds memory and generation time at 10,000 guests.
 */
const MAX_RUNS_PER_NODE = 1100;

/** Per-guest failures of the default cluster: what real vzdump runs report now and then. */
const RARE_GUEST_FAILURES = [
  'VM is locked (snapshot)',
  'got timeout',
  "unable to create temporary directory '/var/tmp/vzdumptmp123' - No space left on device",
];

/** Backups kept per guest and job: a few recent runs, as a prune policy leaves them; the rest were pruned. */
function keptBackups(rng: Rng, jobIndexForGuest: number): number {
  // At most two jobs of a guest keep several: 10,000 guests in several jobs each must stay compact.
  return jobIndexForGuest < 2 ? rng.pick([1, 2, 3, 3, 4, 4, 4]) : 1;
}

function addBackup(cluster: SimCluster, rng: Rng, job: SimBackupJob, storage: SimStorage, guest: SimGuest, ctime: number, tz: string): SimBackup {
  const disk = guest.disks.filter((d) => d.media !== 'cdrom').reduce((sum, d) => sum + d.sizeBytes, 0);
  const vol = backupVolume(storage, guest, ctime, tz, job.compress);
  const backup: SimBackup = { storage: storage.storage, node: storage.shared ? undefined : guest.node, vmid: guest.vmid,
    subtype: guest.type, ctime, size: Math.max(1, Math.floor(disk * (0.05 + rng.next() * 0.4))), ...vol };
  if (job['notes-template']) {
    backup.notes = job['notes-template'].replace('{{guestname}}', guest.name).replace('{{node}}', guest.node)
      .replace('{{cluster}}', cluster.name).replace('{{vmid}}', String(guest.vmid));
  }
  if (job.protected === 1 || rng.chance(0.05)) backup.protected = true;
  if (storage.type === 'pbs') {
    if (rng.chance(0.6)) {
      backup.verification = { state: rng.chance(0.95) ? 'ok' : 'failed', upid: verifyUpid(rng, ctime) };
    }
    if (rng.chance(0.1)) backup.encrypted = Array.from({ length: 32 }, () => rng.hex(2)).join(':');
  }
  cluster.backups.push(backup);
  return backup;
}

export function verifyUpid(rng: Rng, ctime: number): string {
  return `UPID:pbs1:0000${rng.hex(4).toUpperCase()}:${rng.hex(8).toUpperCase()}:00000${rng.int(0, 9)}:${(ctime + 3600).toString(16).toUpperCase()}:verificationjob:store1\\x3av\\x2d${rng.hex(8)}:root@pam:`;
}

/** How one scheduled run on one node turns out; the scenario overrides some, the default cluster rolls the dice. */
export interface RunPlan {
  /** No task at all (the node was offline at that time). */
  skip?: boolean;
  failed?: Record<string, string>;
  jobError?: string;
}

export type RunPlanner = (job: SimBackupJob, node: string, scheduled: number, guests: SimGuest[], newest: boolean) => RunPlan | undefined;

function jobErrorText(storage: SimStorage): string {
  return storage.type === 'pbs'
    ? `could not activate storage '${storage.storage}': ${storage.storage}: error fetching datastores - 500 Can't connect to ${storage.server ?? '10.0.1.30'}:8007 (Connection timed out)`
    : `could not activate storage '${storage.storage}': storage '${storage.storage}' is not online`;
}

/**
 * One vzdump task per scheduled run of every enabled job, on every node that hosts a guest the job selects (PVE's
 * vzdump API returns early, without a task, on a node with none), for the last RUN_DAYS days in the node's zone.
 * Backups are the archives of the newest successful runs (older ones pruned); a backup's ctime is its guest's start
 * inside the run's task. `plan` decides the rare failures.
 */
export function makeVzdumpRuns(seed: number, cluster: SimCluster, plan?: RunPlanner): void {
  const nodeByName = new Map(cluster.nodes.map((n) => [n.name, n]));
  const storageById = new Map(cluster.storages.map((s) => [s.storage, s]));
  const jobsPerGuest = new Map<number, number>();
  for (const job of cluster.jobs) {
    if (job.enabled !== 1) continue;
    const storage = storageById.get(job.storage ?? 'local');
    if (!storage) continue;
    const byNode = new Map<string, SimGuest[]>();
    for (const g of guestsOfJob(job, cluster).sort((a, b) => a.vmid - b.vmid)) {
      const list = byNode.get(g.node);
      if (list) list.push(g);
      else byNode.set(g.node, [g]);
    }
    const args = vzdumpArgs(job);
    for (const [nodeName, guests] of [...byNode].sort((a, b) => (a[0] < b[0] ? -1 : 1))) {
      const node = nodeByName.get(nodeName);
      if (!node) continue;
      const vmids = guests.map((g) => g.vmid);
      const runs = runsBetween(job.schedule, cluster.epoch - RUN_DAYS * 86400, cluster.epoch, node.timezone, 5000).slice(-MAX_RUNS_PER_NODE);
      const finished: { task: SimTask; failed?: Record<string, string> }[] = [];
      for (const [k, scheduled] of runs.entries()) {
        const rng = Rng.of(seed, 'run', job.id, nodeName, scheduled);
        let p = plan?.(job, nodeName, scheduled, guests, k === runs.length - 1);
        if (!p) {
          p = {};
          if (storage.shared && rng.chance(0.003)) p.jobError = jobErrorText(storage);
          else if (rng.chance(0.02)) p.failed = { [rng.pick(vmids)]: rng.pick(RARE_GUEST_FAILURES) };
        }
        if (p.skip) continue;
        // pvescheduler starts the job within a few seconds of its time.
        const start = scheduled + rng.int(0, 20);
        if (start >= cluster.epoch) continue;
        const task = makeTask(rng, nodeName, start, 1, 'vzdump', vmids.length === 1 ? String(vmids[0]) : '',
          p.jobError ?? (p.failed ? 'job errors' : 'OK'));
        task.vzdump = { job: job.id, args, guests: p.jobError ? [] : vmids };
        if (p.failed) task.vzdump.failed = p.failed;
        if (p.jobError) task.vzdump.jobError = p.jobError;
        const end = p.jobError ? start + 1 : runEnd(task, vmids, p.failed);
        if (end > cluster.epoch) {
          // Still running: listed only as active, and its log stops where the run is.
          delete task.endtime;
          task.status = '';
        } else {
          task.endtime = end;
          if (!p.jobError) finished.push({ task, failed: p.failed });
        }
        cluster.tasks.push(task);
      }
      // The archives the newest successful runs left, per guest; older ones were pruned. Each run's timeline is
      // computed once, however many guests it holds.
      const timelines = new Map<number, Map<number, number>>();
      const startOf = (r: number, vmid: number): number => {
        let t = timelines.get(r);
        if (!t) {
          t = new Map(runTimeline(finished[r].task, vmids, finished[r].failed).map((x) => [x.vmid, x.start]));
          timelines.set(r, t);
        }
        return t.get(vmid)!;
      };
      for (const guest of guests) {
        const index = jobsPerGuest.get(guest.vmid) ?? 0;
        jobsPerGuest.set(guest.vmid, index + 1);
        const rng = Rng.of(seed, 'history', guest.vmid, job.id);
        let keep = keptBackups(rng, index);
        for (let r = finished.length - 1; r >= 0 && keep > 0; r--) {
          if (finished[r].failed?.[guest.vmid] !== undefined) continue;
          addBackup(cluster, rng, job, storage, guest, startOf(r, guest.vmid), node.timezone);
          keep--;
        }
      }
    }
  }
}

function makeHistory(seed: number, cluster: SimCluster, plan?: RunPlanner): void {
  makeVzdumpRuns(seed, cluster, plan);
  const covered = new Set<number>();
  for (const job of cluster.jobs) {
    if (job.enabled === 1) for (const g of guestsOfJob(job, cluster)) covered.add(g.vmid);
  }
  const nodeByName = new Map(cluster.nodes.map((n) => [n.name, n]));
  const storageById = new Map(cluster.storages.map((s) => [s.storage, s]));
  for (const guest of cluster.guests) {
    if (guest.template) continue;
    const rng = Rng.of(seed, 'history', guest.vmid);
    const node = nodeByName.get(guest.node)!;
    const disk = guest.disks.filter((d) => d.media !== 'cdrom').reduce((sum, d) => sum + d.sizeBytes, 0);
    if (!covered.has(guest.vmid) && rng.chance(0.25)) {
      // An old backup from a job that no longer exists: real clusters have these, and they must not count as coverage.
      const storage = storageById.get('local')!;
      const ctime = cluster.epoch - rng.int(30, 120) * 86400 - rng.int(0, 86399);
      cluster.backups.push({ storage: 'local', node: guest.node, vmid: guest.vmid, subtype: guest.type, ctime,
        size: Math.max(1, Math.floor(disk * 0.2)), ...backupVolume(storage, guest, ctime, node.timezone, 'zstd') });
    }
    if (guest.status === 'running') {
      const start = cluster.epoch - guest.uptime;
      cluster.tasks.push(makeTask(rng, guest.node, start, rng.int(1, 5), guest.type === 'qemu' ? 'qmstart' : 'vzstart', String(guest.vmid), 'OK'));
    }
    for (const snap of guest.snapshots) {
      cluster.tasks.push(makeTask(rng, guest.node, snap.snaptime - rng.int(1, 30), rng.int(1, 40),
        guest.type === 'qemu' ? 'qmsnapshot' : 'vzsnapshot', String(guest.vmid), 'OK'));
    }
  }
  for (const node of cluster.nodes) {
    const rng = Rng.of(seed, 'node-tasks', node.name);
    for (let d = 1; d <= 7; d++) {
      cluster.tasks.push(makeTask(rng, node.name, cluster.epoch - d * 86400 + rng.int(0, 3600), rng.int(5, 40), 'aptupdate', '', 'OK'));
    }
    cluster.tasks.push(makeTask(rng, node.name, cluster.epoch - rng.int(1, 60) * 86400, 2, 'srvreload', 'networking',
      rng.chance(0.2) ? "command 'ifreload -a' failed: exit code 1" : 'OK'));
  }
  cluster.tasks.sort((a, b) => b.starttime - a.starttime || (a.upid < b.upid ? -1 : 1));
}

function makeReplications(seed: number, guests: SimGuest[], nodes: SimNode[]): SimReplication[] {
  if (nodes.length < 2) return [];
  const out: SimReplication[] = [];
  for (const g of guests) {
    const rng = Rng.of(seed, 'replication', g.vmid);
    // Always one for the first guest, so even the smallest cluster shows a replication job.
    if (g.template || !(rng.chance(0.1) || g === guests.find((x) => !x.template))) continue;
    const others = nodes.filter((n) => n.name !== g.node);
    const rep: SimReplication = { id: `${g.vmid}-0`, type: 'local', guest: g.vmid, jobnum: 0, target: rng.pick(others).name,
      source: g.node, schedule: rng.pick(['*/15', '*/30', '*/5', 'hourly', '22:00']) };
    if (rng.chance(0.3)) rep.rate = rng.pick([10, 50, 100.5]);
    if (rng.chance(0.3)) rep.comment = 'DR copy';
    if (rng.chance(0.15)) rep.disable = 1;
    out.push(rep);
  }
  return out;
}

function makeTokens(seed: number): SimToken[] {
  const rng = Rng.of(seed, 'tokens');
  return [
    { tokenId: 'root@pam!proxbox', secret: rng.uuid(), sysAudit: true, vmAudit: 'all', datastoreAudit: true, guestAgentAudit: true },
    // Lacks Sys.Audit: backup jobs, cluster and node status answer 403 while guest lists still answer (filtered).
    { tokenId: 'readonly@pve!limited', secret: rng.uuid(), sysAudit: false, vmAudit: 'all', datastoreAudit: true, guestAgentAudit: false },
  ];
}

export function generateCluster(opts: GenerateOptions): SimCluster {
  const { seed } = opts;
  const nodeCount = Math.max(1, Math.floor(opts.nodes));
  const zoneOffset = Rng.of(seed, 'zones').int(0, TIME_ZONES.length - 1);
  const nodes = Array.from({ length: nodeCount }, (_, i) => makeNode(seed, i, zoneOffset));
  const storages = makeStorages(nodes, Rng.of(seed, 'storages'));
  const guests = Array.from({ length: Math.max(0, Math.floor(opts.guests)) }, (_, i) => makeGuest(seed, i, nodes, storages, opts.now));
  const cluster: SimCluster = {
    name: nodeCount > 1 ? `lab-${Rng.of(seed, 'cluster').hex(4)}` : nodes[0].name,
    version: opts.version,
    configVersion: nodeCount + 2,
    epoch: opts.now,
    nodes,
    storages,
    guests,
    pools: POOLS.map((p) => ({ ...p })),
    jobs: guests.length === 0 ? [] : Array.from({ length: Math.max(0, Math.floor(opts.jobs)) }, (_, j) => makeJob(seed, j, guests, nodes, opts.version)),
    replications: makeReplications(seed, guests, nodes),
    backups: [],
    tasks: [],
    tokens: makeTokens(seed),
    fingerprint: '',
  };
  makeHistory(seed, cluster);
  // Rebuilding the bulk records from JSON leaves flat strings and shared shapes: about half the memory of the
  // template-literal strings they were built from, which matters at 10,000 guests.
  cluster.backups = JSON.parse(JSON.stringify(cluster.backups)) as SimBackup[];
  // The vzdump runs stay out of the rebuild: their guest lists are shared by every run of a job on a node, and a
  // rebuild would copy each of them once per task.
  const runs = cluster.tasks.map((t) => t.vzdump);
  for (const t of cluster.tasks) delete t.vzdump;
  cluster.tasks = JSON.parse(JSON.stringify(cluster.tasks)) as SimTask[];
  cluster.tasks.forEach((t, i) => {
    if (runs[i]) t.vzdump = runs[i];
  });
  return cluster;
}
