// Backup health figures: evaluateHealth over 10,000 guests and 200 routines with two weeks of backups and vzdump
// tasks, against the 100 ms budget. Prints times and the ratio only; nothing here passes or fails on speed.
// Run: npm run build && node out/bench/health.js
import { performance } from 'node:perf_hooks';
import { evaluateHealth } from '../src/core/health/report';
import { parseSchedule } from '../src/core/schedule';
import { emptyInventory, type BackupRecord, type BackupRoutine, type GuestRecord, type Inventory, type TaskRecord } from '../src/core/inventory/model';
import { routineIncludes } from '../src/core/health/selection';
import { Rng } from '../src/sim/random';
import { sortReferenceMs } from './lib/machineReference';

const GUESTS = Number(process.env.GUESTS ?? 10_000);
const ROUTINES = Number(process.env.ROUTINES ?? 200);
const NODES = 20;
const BUDGET_MS = 100;
const NOW = Date.UTC(2026, 4, 20, 12) / 1000;
const ZONES = ['UTC', 'Europe/Vienna', 'America/New_York'];
const SCHEDULES = ['02:30', 'mon..fri 22:00', 'sat 18:15', '21:00', '*/6:00', 'daily', '04:15', 'tue..sat 00:45'];

function build(): Inventory {
  const rng = new Rng(7);
  const inv = emptyInventory({ id: 'bench', name: 'bench', url: 'https://bench.invalid:8006', tokenId: 'u@pam!t' });
  inv.storages = [{ storage: 'pbs', type: 'pbs', content: ['backup'], shared: true, enabled: true, nodes: null, path: null, server: null, datastore: null, namespace: null, port: null, fingerprint: null, export: null, pruneBackups: null, perNode: [] }];
  inv.guests = Array.from({ length: GUESTS }, (_, i): GuestRecord => ({
    vmid: 100 + i, type: 'qemu', name: `guest-${i}`, node: `pve${(i % NODES) + 1}`, status: 'running', template: false, tags: ['prod'],
    pool: i % 10 === 0 ? 'prod' : null, cpus: 2, maxMemBytes: null, maxDiskBytes: null, haState: null, onBoot: null, agent: null,
    osType: null, description: null, parentSnapshot: null, configDigest: null, configuredDiskBytes: null,
  }));
  inv.backupRoutines = Array.from({ length: ROUTINES }, (_, j): BackupRoutine => {
    const kind = j % 20 === 0 ? 'pool' : j % 20 === 1 ? 'all' : 'vmids';
    const vmids = kind === 'vmids' ? Array.from({ length: 60 }, (_, k) => 100 + ((j * 50 + k) % GUESTS)) : [];
    return {
      jobId: `backup-${j}`, enabled: j % 15 !== 7, schedule: SCHEDULES[j % SCHEDULES.length], nextRun: null, nextRunSource: 'computed',
      timezone: ZONES[j % ZONES.length], timezoneNote: null, scheduleError: null, node: null, storage: 'pbs',
      selection: { mode: kind, vmids, pool: kind === 'pool' ? 'prod' : null, exclude: kind === 'all' ? [100, 101] : [] },
      comment: null, notesTemplate: null, retentionSource: 'none', bwlimit: null, zstd: null, ioWorkers: null, fleecing: null,
      fleecingStorage: null, repeatMissed: null, pbsChangeDetectionMode: null, mode: null, compress: null, raw: {},
      keepLast: null, keepHourly: null, keepDaily: null, keepWeekly: null, keepMonthly: null, keepYearly: null, keepAll: null,
      status: 'active', firstSeen: '', lastSeen: '', staleSince: null,
    };
  });
  // What a cluster that runs these jobs looks like after two weeks: pvescheduler starts every enabled job on every node
  // at each scheduled time (a vzdump task per node, also where the job selects nothing), most tasks end OK, some fail
  // one guest of that node (their log was read: a summary with the job id), and now and then a node misses a run.
  // Each guest's backups are the ones its jobs' runs made, pruned to the newest three (PBS keep-last=3 per group); a few
  // guests have had none for three days.
  const selectedOn = inv.backupRoutines.map((r) => {
    const perNode: number[][] = Array.from({ length: NODES }, () => []);
    for (const g of inv.guests) if (routineIncludes(r, g)) perNode[Number(g.node.slice(3)) - 1].push(g.vmid);
    return perNode;
  });
  const timesOf = inv.backupRoutines.map((r) => (r.enabled ? parseSchedule(r.schedule).between(NOW - 14 * 86400, NOW, r.timezone!) : []));
  const missed = new Set<string>();
  const failedGuest = new Set<string>();
  const tasks: TaskRecord[] = [];
  let pid = 0;
  inv.backupRoutines.forEach((r, j) => {
    for (const t of timesOf[j]) {
      for (let n = 1; n <= NODES; n++) {
        if (rng.int(0, 2000) === 0) { missed.add(`${j}/${t}/${n}`); continue; }
        const onNode = selectedOn[j][n - 1];
        const victim = onNode.length && rng.int(0, 30) === 0 ? onNode[rng.int(0, onNode.length - 1)] : null;
        if (victim !== null) failedGuest.add(`${j}/${t}/${victim}`);
        const start = t + rng.int(0, 20);
        tasks.push({
          upid: `UPID:pve${n}:${(++pid).toString(16)}:0:${start.toString(16)}:vzdump::root@pam:`, node: `pve${n}`, type: 'vzdump', id: '', user: 'root@pam',
          startTime: start, endTime: start + 600, status: victim !== null ? 'job errors' : 'OK',
          ...(victim !== null ? { vzdump: { jobId: r.jobId, storage: 'pbs', all: r.selection.mode === 'all', vmids: r.selection.vmids, exclude: r.selection.exclude, pool: r.selection.pool, node: null, started: onNode, finished: onNode.filter((v) => v !== victim), failed: [{ vmid: victim, reason: 'bench failure', lines: [] }], jobError: null, truncated: false } } : {}),
        });
      }
    }
  });
  const backups: BackupRecord[] = [];
  const covering = inv.guests.map(() => [] as number[]);
  const index = new Map(inv.guests.map((g, i) => [g.vmid, i]));
  inv.backupRoutines.forEach((r, j) => {
    if (r.enabled) for (const perNode of selectedOn[j]) for (const v of perNode) covering[index.get(v)!].push(j);
  });
  inv.guests.forEach((g, i) => {
    const n = Number(g.node.slice(3));
    const made: number[] = [];
    for (const j of covering[i]) {
      const times = timesOf[j];
      let kept = 0;
      for (let k = times.length - 1; k >= 0 && kept < 3; k--) {
        const t = times[k];
        if (missed.has(`${j}/${t}/${n}`) || failedGuest.has(`${j}/${t}/${g.vmid}`)) continue;
        const ctime = t + 30 + ((g.vmid * 7 + j) % 900);
        if (ctime > NOW || (i % 997 === 0 && ctime > NOW - 3 * 86400)) continue; // a few guests whose backups stopped
        made.push(ctime);
        kept++;
      }
    }
    const newest = [...new Set(made)].sort((a, b) => b - a).slice(0, 3);
    for (const ctime of newest) {
      backups.push({ volid: `pbs:backup/vm/${g.vmid}/${ctime}`, storage: 'pbs', node: null, vmid: g.vmid, subtype: 'qemu', format: 'pbs-vm', ctime, sizeBytes: 1, notes: null, protected: false, encrypted: false, verification: { state: rng.int(0, 300) === 0 ? 'failed' : 'ok', upid: null } });
    }
  });
  inv.backups = backups;
  inv.tasks = tasks;
  return inv;
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

const inv = build();
const options = { now: NOW, graceSeconds: 360 * 60, historyDays: 14, policy: null };
let t = performance.now();
const first = evaluateHealth([inv], options);
const coldMs = performance.now() - t;
const samples: number[] = [];
for (let i = 0; i < 7; i++) {
  t = performance.now();
  evaluateHealth([inv], options);
  samples.push(performance.now() - t);
}
const warm = median(samples);
const runs = first.routines.reduce((n, r) => n + r.runs.length, 0);
console.log(`health: ${GUESTS} guests, ${ROUTINES} routines, ${inv.backups.length} backups, ${inv.tasks.length} vzdump tasks, ${runs} runs matched`);
console.log(`  summary: ${JSON.stringify(first.summary)}`);
console.log(`  first evaluation ${coldMs.toFixed(1)} ms; median of 7 ${warm.toFixed(1)} ms = ${(warm / BUDGET_MS).toFixed(2)} × the ${BUDGET_MS} ms budget`);
const ref = sortReferenceMs();
console.log(`  machine reference: sorting 10,000 numbers takes ${ref.toFixed(2)} ms; the median is ${(warm / ref).toFixed(0)} × that`);
