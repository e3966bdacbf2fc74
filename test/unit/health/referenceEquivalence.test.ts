// The optimized evaluateHealth (report.ts) against the straightforward one it replaced (reference/), on generated
// inventories that mix every shape the rules look at: selections by list, pool and all (with unknown vmids and
// node-bound jobs), disabled and stale jobs, unreadable schedules and zones, runs with and without a task, tasks whose
// log names the job, names none or was not read, several jobs at one minute on one node, copies of a task, guests
// sharing a vmid, backups without a ctime or vmid, and a policy. The reports must be equal, key order included.
import { strict as assert } from 'node:assert';
import { evaluateHealth } from '../../../src/core/health/report';
import { parseSchedule } from '../../../src/core/schedule';
import type { BackupPolicy, HealthOptions, PolicyRule } from '../../../src/core/health/types';
import type { BackupRecord, BackupRoutine, GuestRecord, Inventory, TaskRecord } from '../../../src/core/inventory/model';
import { Rng } from '../../../src/sim/random';
import { backup, guest, inventory, routine, storage, summary, utc } from './fixtures';
import { evaluateHealth as referenceHealth } from './reference/report';

const NOW = utc('2026-03-30T09:10:00Z'); // the day after Europe's spring DST change
const SCHEDULES = ['02:30', 'mon..fri 22:00', 'sat 18:15', '21:00', '*/6:00', 'daily', 'hourly', '04:15', 'tue..sat 00:45', '*/15', 'sun 02:30', '2026-03-29 02:30'];
const ZONES = ['UTC', 'Europe/Vienna', 'America/New_York', 'Australia/Sydney'];
const STORAGES = ['pbs', 'nas', 'local'];
const POOLS = ['prod', 'dev', 'null', null];

function generate(seed: number, endpoint: string, nodes: number, guestCount: number, routineCount: number): Inventory {
  const rng = new Rng(seed);
  const nodeName = (i: number): string => `pve${i + 1}`;
  const guests: GuestRecord[] = Array.from({ length: guestCount }, (_, i) => guest(100 + i, {
    node: nodeName(rng.int(0, nodes - 1)), pool: rng.pick(POOLS), tags: rng.chance(0.5) ? ['prod'] : ['dev'], name: rng.chance(0.2) ? `db-${i}` : `vm${i}`,
  }));
  // Two guests with one vmid (a broken inventory) now and then.
  if (rng.chance(0.5) && guestCount > 3) guests.push(guest(guests[1].vmid, { node: nodeName(nodes - 1), name: 'twin' }));
  const routines: BackupRoutine[] = Array.from({ length: routineCount }, (_, j) => {
    const mode = rng.pick(['all', 'pool', 'vmids', 'vmids'] as const);
    const vmids = mode === 'vmids' ? Array.from({ length: rng.int(0, 12) }, () => 100 + rng.int(-2, guestCount + 2)) : [];
    let schedule = rng.pick(SCHEDULES);
    if (rng.chance(0.03)) schedule = 'not a schedule';
    let timezone: string | null = rng.pick(ZONES);
    if (rng.chance(0.05)) timezone = null;
    if (rng.chance(0.02)) timezone = 'Mars/Olympus';
    return routine(rng.chance(0.04) && j > 0 ? `job-${j - 1}` : `job-${j}`, {
      schedule, timezone, enabled: !rng.chance(0.1), status: rng.chance(0.05) ? 'stale' : 'active',
      node: rng.chance(0.15) ? nodeName(rng.int(0, nodes)) : null, storage: rng.chance(0.1) ? null : rng.pick(STORAGES),
      nextRun: rng.chance(0.3) ? NOW + rng.int(0, 86400) : null,
      selection: { mode, vmids, pool: mode === 'pool' ? rng.pick(['prod', 'dev', 'null', null]) : null, exclude: mode === 'all' && rng.chance(0.5) ? [100, 100 + rng.int(0, guestCount)] : [] },
    });
  });
  const backups: BackupRecord[] = [];
  for (const g of guests) {
    const n = rng.int(0, 4);
    for (let b = 0; b < n; b++) {
      const ctime = rng.chance(0.05) ? null : NOW - rng.int(0, 4 * 86400);
      backups.push(backup(g.vmid, ctime ?? 0, {
        ctime, storage: rng.pick(STORAGES), volid: `x:${g.vmid}:${b}`,
        verification: rng.chance(0.3) ? null : { state: rng.chance(0.1) ? 'failed' : 'ok', upid: rng.chance(0.5) ? `UPID:pve1:1:0:${(NOW - rng.int(0, 40 * 86400)).toString(16)}:verify::root@pam:` : null },
      }));
    }
  }
  backups.push(backup(0, NOW - 100, { vmid: null, volid: 'x:orphan' }));
  const tasks: TaskRecord[] = [];
  let pid = 0;
  const task = (node: string, start: number, over: Partial<TaskRecord>): TaskRecord => ({
    upid: `UPID:${node}:${(++pid).toString(16)}:0:${start.toString(16)}:vzdump::root@pam:`, node, type: 'vzdump', id: '', user: 'root@pam',
    startTime: start, endTime: start + 300, status: 'OK', ...over,
  });
  for (const r of routines) {
    let times: number[];
    try {
      times = parseSchedule(r.schedule).between(NOW - 15 * 86400, NOW + 1, r.timezone ?? 'UTC');
    } catch {
      continue;
    }
    for (const t of times) {
      for (let n = 0; n < nodes; n++) {
        if (rng.chance(0.15)) continue; // missed
        const start = t + (rng.chance(0.05) ? rng.int(900, 2000) : rng.int(0, 60));
        const sel = r.selection;
        const kind = rng.int(0, 9);
        const failing = { failed: rng.chance(0.5) ? [{ vmid: rng.pick(guests).vmid, reason: 'boom', lines: ['ERROR: boom'] }] : [], started: rng.chance(0.3) ? [rng.pick(guests).vmid] : [], finished: rng.chance(0.3) ? [rng.pick(guests).vmid] : [], jobError: rng.chance(0.2) ? 'storage offline' : null };
        const log = summary({ storage: rng.chance(0.2) ? rng.pick(STORAGES) : r.storage, all: sel.mode === 'all', vmids: sel.vmids, exclude: sel.exclude, pool: sel.pool, ...failing });
        if (kind <= 4) tasks.push(task(nodeName(n), start, {}));
        else if (kind === 5) tasks.push(task(nodeName(n), start, { status: 'job errors', vzdump: { ...log, jobId: r.jobId } }));
        else if (kind === 6) tasks.push(task(nodeName(n), start, { status: 'job errors', vzdump: { ...log, jobId: null } }));
        else if (kind === 7) tasks.push(task(nodeName(n), start, { status: 'WARNINGS: 1' }));
        else if (kind === 8) tasks.push(task(nodeName(n), start, { status: null, endTime: rng.chance(0.5) ? null : start + 10 }));
        else tasks.push(task(nodeName(n), start, { status: 'some error' }));
        if (rng.chance(0.02)) tasks.push(tasks[tasks.length - 1]); // the same task listed twice
        if (rng.chance(0.02)) tasks.push(task(nodeName(n), start, { type: 'vzdump', vzdump: { ...log, jobId: '' }, status: 'job errors' }));
        if (rng.chance(0.02)) tasks.push(task(nodeName(n), start, { type: 'qmstart' }));
      }
    }
  }
  tasks.push(task('elsewhere', NOW - 3600, {}));
  // Several tasks at one second on one node, in no order.
  for (let i = tasks.length - 1; i > 0; i--) { const j = rng.int(0, i); [tasks[i], tasks[j]] = [tasks[j], tasks[i]]; }
  return inventory({ guests, backupRoutines: routines, backups, tasks, storages: [storage('pbs', 'pbs'), storage('nas', 'nfs'), storage('local', 'dir')] }, endpoint);
}

function policy(rng: Rng): BackupPolicy {
  const range = { startLine: 0, startCharacter: 0, endLine: 0, endCharacter: 1 };
  const rules: PolicyRule[] = [
    { index: 0, match: { vmid: [101, 102] }, exclude: { reason: 'not ours' }, range },
    { index: 1, match: { tag: 'PROD' }, maxAgeHours: rng.int(12, 48), requireStorage: ['type:pbs'], range },
    { index: 2, match: { name: 'db-*' }, maxVerifyAgeDays: rng.int(1, 30), range },
    { index: 3, match: { node: 'pve2' }, requireStorage: ['n*', 'local'], range },
    { index: 4, match: {}, maxAgeHours: 72, range },
  ];
  return { rules };
}

describe('evaluateHealth: the optimized evaluation equals the reference', function () {
  this.timeout(60_000);
  for (const seed of [1, 2, 3, 4, 5, 6, 7, 8]) {
    it(`seed ${seed}`, () => {
      const rng = new Rng(seed * 7919);
      const invs = [generate(seed, 'lab', rng.int(1, 6), rng.int(5, 250), rng.int(1, 40))];
      if (seed % 2 === 0) invs.push(generate(seed + 100, seed % 4 === 0 ? 'lab' : 'other', rng.int(1, 4), rng.int(0, 60), rng.int(0, 10)));
      const options: HealthOptions = { now: NOW, graceSeconds: rng.pick([0, 360 * 60, 3600]), historyDays: rng.pick([1, 7, 14]), policy: seed % 3 === 0 ? null : policy(rng) };
      const before = JSON.stringify(invs);
      const got = evaluateHealth(invs, options);
      const want = referenceHealth(invs, options);
      assert.equal(JSON.stringify(invs), before, 'the inventories are not modified');
      assert.deepStrictEqual(got, want);
      assert.equal(JSON.stringify(got), JSON.stringify(want));
      // The generated inventories are worth comparing: they have runs of every outcome and guests of most statuses.
      const outcomes = new Set(got.routines.flatMap((r) => r.runs.map((x) => x.status)));
      assert.ok(outcomes.has('failed') && outcomes.has('missed') && outcomes.has('ok'), [...outcomes].join());
    });
  }
});
