import { strict as assert } from 'node:assert';
import { evaluateHealth } from '../../../src/core/health/report';
import type { RoutineHealth } from '../../../src/core/health/types';
import type { Inventory } from '../../../src/core/inventory/model';
import { backup, guest, inventory, options, routine, storage, summary, task, utc } from './fixtures';
import { parseVzdumpLog } from '../../../src/core/health/vzdumpLog';

const DAY = 86400;
const T = utc('2026-05-10T02:30:00Z');

function routinesOf(inv: Inventory, now: number, historyDays = 1): Map<string, RoutineHealth> {
  return new Map(evaluateHealth([inv], options(now, { historyDays })).routines.map((r) => [r.jobId, r]));
}

describe('health: runs of a routine', () => {
  it('ok, warnings, failed, missed and running runs, each on the node that hosts the selected guests', () => {
    const inv = inventory({
      guests: [guest(100, { node: 'pve1' }), guest(101, { node: 'pve2' }), guest(102, { node: 'pve3' })],
      backupRoutines: [routine('backup-daily', { schedule: '02:30' })],
      tasks: [
        task('pve1', T - DAY + 3, { status: 'OK' }),
        task('pve2', T - DAY + 4, { status: 'WARNINGS: 1', vzdump: summary({ jobId: 'backup-daily' }) }),
        task('pve3', T - DAY + 5, { status: 'job errors', vzdump: summary({ jobId: 'backup-daily', failed: [{ vmid: 102, reason: 'no space left on device', lines: ['ERROR: …'] }] }) }),
        task('pve1', T + 2, { status: null, endTime: null }),
      ],
    });
    const r = routinesOf(inv, T + 600, 2).get('backup-daily')!;
    const at = (t: number, node: string) => r.runs.find((x) => x.scheduled === t && x.node === node);
    assert.equal(at(T - DAY, 'pve1')?.status, 'ok');
    assert.equal(at(T - DAY, 'pve2')?.status, 'warnings');
    const failed = at(T - DAY, 'pve3')!;
    assert.equal(failed.status, 'failed');
    assert.deepEqual(failed.failedGuests, [102]);
    assert.equal(failed.failures[0].reason, 'no space left on device');
    assert.equal(at(T, 'pve1')?.status, 'running');
    // No task yet and the 15-minute window not over: left out, not missed.
    assert.equal(at(T, 'pve2'), undefined);
    assert.equal(r.lastRun?.status, 'failed', 'the newest run with an outcome (running ones skipped)');
    // Once the window is over the same run is missed.
    const later = routinesOf(inv, T + 15 * 60, 2).get('backup-daily')!;
    assert.equal(later.runs.find((x) => x.scheduled === T && x.node === 'pve2')?.status, 'missed');
    assert.equal(later.runs.find((x) => x.scheduled === T && x.node === 'pve2')?.task, null);
  });

  it('a task that starts 15 minutes or more after T, or before it, is not that run', () => {
    const inv = inventory({ guests: [guest(100)], backupRoutines: [routine('backup-daily')], tasks: [task('pve1', T + 15 * 60), task('pve1', T - 1)] });
    assert.equal(routinesOf(inv, T + 3600).get('backup-daily')!.runs.find((x) => x.scheduled === T)?.status, 'missed');
  });

  it('a node-bound job runs only on its node', () => {
    const inv = inventory({
      guests: [guest(100, { node: 'pve1' }), guest(101, { node: 'pve2' })],
      backupRoutines: [routine('backup-pve2', { node: 'pve2' })],
    });
    const r = routinesOf(inv, T + 3600).get('backup-pve2')!;
    assert.deepEqual([...new Set(r.runs.map((x) => x.node))], ['pve2']);
  });

  it('two routines with the same run time on one node: a known job id decides, the rest go in a stable order', () => {
    const both = (extra: Partial<Inventory>) => inventory({
      guests: [guest(100), guest(101)],
      backupRoutines: [
        routine('backup-a', { selection: { mode: 'vmids', vmids: [100], pool: null, exclude: [] } }),
        routine('backup-b', { selection: { mode: 'vmids', vmids: [101], pool: null, exclude: [] } }),
      ],
      ...extra,
    });
    // The earlier task's log names backup-b: it must go to b even though a comes first in the stable order.
    const named = both({ tasks: [task('pve1', T + 1, { status: 'job errors', vzdump: summary({ jobId: 'backup-b', failed: [{ vmid: 101, reason: 'x', lines: [] }] }) }), task('pve1', T + 2)] });
    let r = routinesOf(named, T + 3600);
    assert.equal(r.get('backup-b')!.runs.find((x) => x.scheduled === T)?.status, 'failed');
    assert.equal(r.get('backup-a')!.runs.find((x) => x.scheduled === T)?.status, 'ok');
    // Without job ids: by storage and selection from the log.
    const bySelection = both({ tasks: [task('pve1', T + 1, { status: 'WARNINGS: 1', vzdump: summary({ all: false, vmids: [101] }) }), task('pve1', T + 2)] });
    r = routinesOf(bySelection, T + 3600);
    assert.equal(r.get('backup-b')!.runs.find((x) => x.scheduled === T)?.status, 'warnings');
    assert.equal(r.get('backup-a')!.runs.find((x) => x.scheduled === T)?.status, 'ok');
    // Neither log read: each task to one run, the same way every time.
    const unread = both({ tasks: [task('pve1', T + 2, { status: 'OK' }), task('pve1', T + 1, { status: 'OK' })] });
    const first = routinesOf(unread, T + 3600);
    const upids = ['backup-a', 'backup-b'].map((j) => first.get(j)!.runs.find((x) => x.scheduled === T)!.task);
    assert.ok(upids[0] && upids[1] && upids[0] !== upids[1], 'each task goes to exactly one run');
    const again = routinesOf({ ...unread, tasks: [...unread.tasks].reverse() }, T + 3600);
    assert.deepEqual(['backup-a', 'backup-b'].map((j) => again.get(j)!.runs.find((x) => x.scheduled === T)!.task), upids);
  });

  it('a task whose job id belongs to another routine is never this routine\'s run', () => {
    const inv = inventory({
      guests: [guest(100)],
      backupRoutines: [routine('backup-a')],
      tasks: [task('pve1', T + 1, { status: 'job errors', vzdump: summary({ jobId: 'backup-elsewhere', failed: [{ vmid: 100, reason: 'x', lines: [] }] }) })],
    });
    const run = routinesOf(inv, T + 3600).get('backup-a')!.runs.find((x) => x.scheduled === T)!;
    assert.equal(run.status, 'missed');
  });

  it('a failed task whose log was not read fails every guest of the job on that node', () => {
    const inv = inventory({ guests: [guest(100), guest(101)], backupRoutines: [routine('backup-a')], tasks: [task('pve1', T + 1, { status: 'interrupted by signal' })] });
    const run = routinesOf(inv, T + 3600).get('backup-a')!.runs.find((x) => x.scheduled === T)!;
    assert.equal(run.status, 'failed');
    assert.deepEqual(run.failedGuests, [100, 101]);
  });
});

describe('health: each node runs a job in its own zone, and a log without its command line', () => {
  it('matches the runs of a job on nodes in different zones at each node\'s local time', () => {
    // 02:30 local: 00:30 UTC in Vienna (summer), 02:30 UTC on a UTC node.
    const vienna = utc('2026-05-10T00:30:00Z');
    const inv = inventory({
      nodes: [
        { name: 'pve1', status: 'online', nodeId: 1, ip: null, timezone: 'Europe/Vienna', maxCpu: null, maxMemBytes: null, level: null },
        { name: 'pve2', status: 'online', nodeId: 2, ip: null, timezone: 'UTC', maxCpu: null, maxMemBytes: null, level: null },
      ],
      guests: [guest(100, { node: 'pve1' }), guest(101, { node: 'pve2' })],
      backupRoutines: [routine('backup-daily', { schedule: '02:30', timezone: 'Europe/Vienna' })],
      tasks: [task('pve1', vienna + 5), task('pve2', T + 5)],
      backups: [backup(100, vienna + 30), backup(101, T + 30)],
    });
    const now = T + 8 * 3600;
    const report = evaluateHealth([inv], options(now, { historyDays: 1 }));
    const runs = report.routines[0].runs.filter((r) => r.scheduled >= vienna);
    assert.deepEqual(runs.map((r) => [r.node, r.scheduled, r.status]), [['pve1', vienna, 'ok'], ['pve2', T, 'ok']]);
    assert.deepEqual(report.guests.map((g) => [g.vmid, g.status]), [[100, 'ok'], [101, 'ok']]);
    // Each guest's next backup is its own node's next run.
    assert.equal(report.guests.find((g) => g.vmid === 101)!.nextBackup, T + DAY);
    assert.equal(report.guests.find((g) => g.vmid === 100)!.nextBackup, vienna + DAY);
  });

  it('matches a task whose log is only `TASK ERROR` by node and time, and fails every guest of the job there', () => {
    const inv = inventory({
      guests: [guest(100), guest(101)],
      backupRoutines: [routine('backup-nas', { schedule: '02:30', selection: { mode: 'vmids', vmids: [100, 101], pool: null, exclude: [] } })],
      tasks: [task('pve1', T + 3, {
        status: "could not activate storage 'nas': storage 'nas' is not online",
        vzdump: summary({ storage: null, all: false, jobError: "could not activate storage 'nas': storage 'nas' is not online" }),
      })],
      backups: [backup(100, T - DAY + 20), backup(101, T - DAY + 20)],
    });
    const report = evaluateHealth([inv], options(T + 3600, { historyDays: 1 }));
    const run = report.routines[0].runs.find((r) => r.scheduled === T)!;
    assert.equal(run.status, 'failed');
    assert.deepEqual(run.failedGuests, [100, 101]);
    for (const g of report.guests) {
      assert.equal(g.status, 'failed');
      assert.match(g.reason, /storage 'nas' is not online/);
    }
  });
});


describe('health: runs older than the stored task history', () => {
  it('are unknown, not missed, before the oldest vzdump task of a node; a node without any task is judged throughout', () => {
    const inv = inventory({
      guests: [guest(100, { node: 'pve1' }), guest(101, { node: 'pve2' })],
      backupRoutines: [routine('backup-daily', { schedule: '02:30' })],
      // pve1's history reaches back 2 days (a sync read a shorter window than health is asked about); pve2 has none.
      tasks: [task('pve1', T - 2 * DAY + 4), task('pve1', T - DAY + 4), task('pve1', T + 4)],
    });
    const r = routinesOf(inv, T + 3600, 5).get('backup-daily')!;
    const on = (node: string) => r.runs.filter((x) => x.node === node).map((x) => [x.scheduled, x.status]);
    assert.deepEqual(on('pve1'), [[T - 2 * DAY, 'ok'], [T - DAY, 'ok'], [T, 'ok']]);
    assert.equal(on('pve2').length, 5, 'every run of the window');
    assert.ok(on('pve2').every(([, status]) => status === 'missed'));
  });
});

describe('health: review fixes', () => {
  it('takes the worst outcome of the newest scheduled time as the last run, whichever node sorts last', () => {
    const inv = inventory({
      guests: [guest(100, { node: 'pve1' }), guest(101, { node: 'pve2' })],
      backupRoutines: [routine('backup-daily', { schedule: '02:30' })],
      tasks: [
        task('pve1', T + 3, { status: 'job errors', vzdump: summary({ failed: [{ vmid: 100, reason: 'no space left on device', lines: [] }] }) }),
        task('pve2', T + 4, { status: 'OK' }),
      ],
    });
    const r = routinesOf(inv, T + 3600).get('backup-daily')!;
    assert.equal(r.lastRun?.node, 'pve1');
    assert.equal(r.lastRun?.status, 'failed');
  });

  it('falls back to the routine\'s zone for a node zone the engine does not know, instead of throwing', () => {
    const inv = inventory({
      nodes: [{ name: 'pve1', status: 'online', nodeId: 1, ip: null, timezone: 'Not/AZone', maxCpu: null, maxMemBytes: null, level: null }],
      guests: [guest(100)],
      backupRoutines: [routine('backup-daily', { schedule: '02:30', timezone: 'UTC' })],
      tasks: [task('pve1', T + 3)],
      backups: [backup(100, T + 30)],
    });
    const report = evaluateHealth([inv], options(T + 3600, { historyDays: 1 }));
    assert.equal(report.guests[0].status, 'ok');
    assert.equal(report.routines[0].lastRun?.status, 'ok');
  });
});

describe('health: two jobs at the same minute on one node', () => {
  it('gives a job that died before its first line the run of the job whose storage its error names', () => {
    const inv = inventory({
      storages: [storage('nas', 'nfs'), storage('pbs', 'pbs')],
      guests: [guest(100), guest(101)],
      backupRoutines: [
        routine('backup-a', { schedule: '02:30', storage: 'nas', selection: { mode: 'vmids', vmids: [100], pool: null, exclude: [] } }),
        routine('backup-b', { schedule: '02:30', storage: 'pbs', selection: { mode: 'vmids', vmids: [101], pool: null, exclude: [] } }),
      ],
      tasks: [
        // backup-b's run: OK, started first (its log was not read).
        task('pve1', T + 4, { status: 'OK' }),
        // backup-a's run: vzdump died before printing its command line.
        task('pve1', T + 5, { status: "could not activate storage 'nas': storage 'nas' is not online",
          vzdump: parseVzdumpLog(["TASK ERROR: could not activate storage 'nas': storage 'nas' is not online"], false) }),
      ],
      backups: [backup(100, T - DAY + 30), backup(101, T + 4, { storage: 'pbs' })],
    });
    const report = evaluateHealth([inv], options(T + 3600, { historyDays: 1 }));
    const last = (job: string) => report.routines.find((r) => r.jobId === job)!.lastRun!;
    assert.equal(last('backup-a').status, 'failed');
    assert.equal(last('backup-b').status, 'ok');
    assert.deepEqual(report.guests.map((g) => [g.vmid, g.status]), [[100, 'failed'], [101, 'ok']]);
  });
});
