import { strict as assert } from 'node:assert';
import { evaluateHealth } from '../../../src/core/health/report';
import type { BackupPolicy, GuestHealth, HealthReport, PolicyRule } from '../../../src/core/health/types';
import type { Inventory } from '../../../src/core/inventory/model';
import { backup, guest, inventory, options, routine, storage, summary, task, utc } from './fixtures';

// A daily 02:30 UTC job evaluated at 12:00 with 6 h grace: the due run is today's 02:30.
const NOW = utc('2026-05-10T12:00:00Z');
const DUE = utc('2026-05-10T02:30:00Z');
const range = { startLine: 0, startCharacter: 0, endLine: 0, endCharacter: 0 };
const policyOf = (...r: Omit<PolicyRule, 'index' | 'range'>[]): BackupPolicy => ({ rules: r.map((x, index) => ({ ...x, index, range })) });

function run(inv: Inventory, now = NOW, policy: BackupPolicy | null = null): HealthReport {
  return evaluateHealth([inv], options(now, { policy }));
}
function of(report: HealthReport, vmid: number): GuestHealth {
  const g = report.guests.find((x) => x.vmid === vmid);
  assert.ok(g, `guest ${vmid} in the report`);
  return g;
}

describe('health: guest status rules', () => {
  it('ok when the due run left a backup; overdue when it did not, naming the job, the run and the newest backup', () => {
    const inv = inventory({
      guests: [guest(100), guest(101)],
      backupRoutines: [routine('backup-daily')],
      backups: [backup(100, DUE + 40), backup(101, DUE - 86400 + 40)],
    });
    const r = run(inv);
    assert.equal(of(r, 100).status, 'ok');
    const late = of(r, 101);
    assert.equal(late.status, 'overdue');
    assert.match(late.reason, /backup-daily/);
    assert.match(late.reason, /2026-05-10 02:30 UTC/);
    assert.match(late.reason, /2026-05-09 02:30 UTC/);
  });

  it('allows a backup a few seconds before the run (clock skew), not minutes', () => {
    const inv = inventory({ guests: [guest(100), guest(101)], backupRoutines: [routine('backup-daily')], backups: [backup(100, DUE - 5), backup(101, DUE - 300)] });
    const r = run(inv);
    assert.equal(of(r, 100).status, 'ok');
    assert.equal(of(r, 101).status, 'overdue');
  });

  it('is not overdue before the grace period of the latest run is over', () => {
    const inv = inventory({ guests: [guest(100)], backupRoutines: [routine('backup-daily')], backups: [backup(100, DUE - 86400 + 10)] });
    assert.equal(of(run(inv, DUE + 3 * 3600), 100).status, 'ok');
    assert.equal(of(run(inv, DUE + 7 * 3600), 100).status, 'overdue');
  });

  it('the spring-forward day in Europe/Vienna: the skipped 02:30 leaves yesterday\'s run due, not overdue', () => {
    const inv = inventory({
      guests: [guest(100)],
      backupRoutines: [routine('backup-vienna', { timezone: 'Europe/Vienna' })],
      backups: [backup(100, utc('2026-03-28T01:31:00Z'))],
    });
    const r = run(inv, utc('2026-03-29T08:00:00Z'));
    assert.equal(of(r, 100).status, 'ok', of(r, 100).reason);
    assert.equal(r.routines[0].dueRun, utc('2026-03-28T01:30:00Z'));
  });

  it('a job counts only backups on its own storage: a newer backup from another job elsewhere does not help it', () => {
    const inv = inventory({
      storages: [storage('nas', 'nfs'), storage('pbs', 'pbs')],
      guests: [guest(100)],
      backupRoutines: [routine('backup-nas', { storage: 'nas' }), routine('backup-pbs', { storage: 'pbs', schedule: '03:00' })],
      backups: [backup(100, DUE - 86400 * 3, { storage: 'nas' }), backup(100, utc('2026-05-10T03:00:10Z'), { storage: 'pbs' })],
    });
    const g = of(run(inv), 100);
    assert.equal(g.status, 'overdue');
    assert.match(g.reason, /backup-nas/);
    assert.equal(g.lastBackup, utc('2026-05-10T03:00:10Z'), 'lastBackup is the newest on any storage');
  });

  it('a job with no storage accepts a backup on any storage', () => {
    const inv = inventory({ guests: [guest(100)], backupRoutines: [routine('backup-any', { storage: null })], backups: [backup(100, DUE + 60, { storage: 'elsewhere' })] });
    assert.equal(of(run(inv), 100).status, 'ok');
  });

  it('never: covered and no backup anywhere', () => {
    const g = of(run(inventory({ guests: [guest(100)], backupRoutines: [routine('backup-daily')] })), 100);
    assert.equal(g.status, 'never');
    assert.equal(g.backupCount, 0);
    assert.deepEqual(g.routines, ['backup-daily']);
  });

  it('not-covered: a guest with backups but no job; a guest only a disabled or stale job selects names that job', () => {
    const inv = inventory({
      guests: [guest(100), guest(101), guest(102)],
      backupRoutines: [
        routine('backup-off', { enabled: false, selection: { mode: 'vmids', vmids: [101], pool: null, exclude: [] } }),
        routine('backup-gone', { status: 'stale', staleSince: '2026-05-01T00:00:00Z', selection: { mode: 'vmids', vmids: [102], pool: null, exclude: [] } }),
      ],
      backups: [backup(100, DUE + 60)],
    });
    const r = run(inv);
    assert.equal(of(r, 100).status, 'not-covered');
    assert.equal(of(r, 100).backupCount, 1);
    assert.match(of(r, 100).reason, /no backup job/);
    assert.equal(of(r, 101).status, 'not-covered');
    assert.match(of(r, 101).reason, /backup-off \(disabled\)/);
    assert.equal(of(r, 102).status, 'not-covered');
    assert.match(of(r, 102).reason, /backup-gone \(stale/);
    const gone = r.routines.find((x) => x.jobId === 'backup-gone')!;
    assert.deepEqual(gone.problems.map((p) => p.kind), ['stale']);
    assert.deepEqual(gone.runs, []);
  });

  it('pool, all-except and node-bound jobs cover what vzdump selects', () => {
    const inv = inventory({
      guests: [guest(100, { pool: 'prod' }), guest(101), guest(102, { node: 'pve2' }), guest(103)],
      backupRoutines: [
        routine('backup-pool', { selection: { mode: 'pool', vmids: [], pool: 'prod', exclude: [] } }),
        routine('backup-except', { selection: { mode: 'all', vmids: [], pool: null, exclude: [100, 101, 103] } }),
        routine('backup-pve1', { node: 'pve1', selection: { mode: 'vmids', vmids: [101, 102], pool: null, exclude: [] } }),
      ],
    });
    const r = run(inv);
    assert.deepEqual(of(r, 100).routines, ['backup-pool']);
    assert.deepEqual(of(r, 101).routines, ['backup-pve1']);
    assert.deepEqual(of(r, 102).routines, ['backup-except'], 'the node-bound job does not cover a guest on another node');
    assert.equal(of(r, 103).status, 'not-covered');
  });

  it('a template is covered like any guest (vzdump\'s get_included_guests does not leave templates out)', () => {
    const inv = inventory({ guests: [guest(9000, { template: true })], backupRoutines: [routine('backup-all')] });
    const g = of(run(inv), 9000);
    assert.deepEqual(g.routines, ['backup-all']);
    assert.equal(g.status, 'never');
  });

  it('failed: two jobs cover one guest and only one failed; the reason quotes Proxmox', () => {
    const runStart = DUE + 5;
    const inv = inventory({
      storages: [storage('nas', 'nfs'), storage('pbs', 'pbs')],
      guests: [guest(100), guest(101)],
      backupRoutines: [routine('backup-nas', { storage: 'nas' }), routine('backup-pbs', { storage: 'pbs', schedule: '01:00' })],
      tasks: [
        task('pve1', runStart, { status: 'job errors', vzdump: summary({ jobId: 'backup-nas', storage: 'nas', started: [100, 101], finished: [101], failed: [{ vmid: 100, reason: "unable to open file '/mnt/nas/x' - Permission denied", lines: [] }] }) }),
        task('pve1', utc('2026-05-10T01:00:03Z')),
      ],
      backups: [
        backup(100, utc('2026-05-10T01:00:20Z'), { storage: 'pbs' }), backup(101, utc('2026-05-10T01:00:40Z'), { storage: 'pbs' }),
        backup(101, runStart + 30, { storage: 'nas' }),
      ],
    });
    const r = run(inv);
    const g = of(r, 100);
    assert.equal(g.status, 'failed');
    assert.match(g.reason, /backup-nas/);
    assert.match(g.reason, /Permission denied/);
    assert.equal(of(r, 101).status, 'ok');
    assert.equal(r.guests[0].vmid, 100, 'failed sorts first');
  });

  it('a failure is over once a backup for that job is newer than the failed run', () => {
    const start = DUE + 5;
    const inv = inventory({
      guests: [guest(100)],
      backupRoutines: [routine('backup-nas')],
      tasks: [task('pve1', start, { status: 'job errors', vzdump: summary({ jobId: 'backup-nas', failed: [{ vmid: 100, reason: 'boom', lines: [] }] }) })],
      backups: [backup(100, start + 3600)], // a manual re-run onto the same storage
    });
    assert.equal(of(run(inv), 100).status, 'ok');
  });

  it('a job error before any guest fails every guest of the job on that node', () => {
    const inv = inventory({
      guests: [guest(100), guest(101, { node: 'pve2' })],
      backupRoutines: [routine('backup-nas')],
      tasks: [
        task('pve1', DUE + 2, { status: "storage 'nas' is not online", vzdump: summary({ jobId: 'backup-nas', jobError: "storage 'nas' is not online" }) }),
        task('pve2', DUE + 2),
      ],
      backups: [backup(100, DUE - 86400 + 10), backup(101, DUE + 20)],
    });
    const r = run(inv);
    assert.equal(of(r, 100).status, 'failed');
    assert.match(of(r, 100).reason, /storage 'nas' is not online/);
    assert.equal(of(r, 101).status, 'ok');
  });

  it('verify-failed when the newest backup failed verification, below overdue in rule order', () => {
    const inv = inventory({
      guests: [guest(100), guest(101)],
      backupRoutines: [routine('backup-daily')],
      backups: [
        backup(100, DUE + 60, { verification: { state: 'failed', upid: null } }),
        backup(101, DUE - 86400, { verification: { state: 'failed', upid: null } }),
      ],
    });
    const r = run(inv);
    assert.equal(of(r, 100).status, 'verify-failed');
    assert.equal(of(r, 100).verification, 'failed');
    assert.equal(of(r, 101).status, 'overdue');
  });

  it('summary counts every status, zeroes included, and guests sort by status order then endpoint then vmid', () => {
    const a = inventory({ guests: [guest(101), guest(100)], backupRoutines: [routine('backup-daily')], backups: [backup(100, DUE + 60), backup(101, DUE + 60)] }, 'b-end');
    const b = inventory({ guests: [guest(105), guest(100)] }, 'a-end');
    const r = evaluateHealth([a, b], options(NOW));
    assert.deepEqual(r.summary, { failed: 0, overdue: 0, never: 0, 'not-covered': 2, 'verify-failed': 0, excluded: 0, ok: 2 });
    assert.deepEqual(r.guests.map((g) => `${g.status}/${g.endpoint}/${g.vmid}`), ['not-covered/a-end/100', 'not-covered/a-end/105', 'ok/b-end/100', 'ok/b-end/101']);
  });

  it('a schedule that does not parse is a routine problem, and the guest stays covered', () => {
    const inv = inventory({ guests: [guest(100)], backupRoutines: [routine('backup-bad', { schedule: 'mon..funday' })], backups: [backup(100, DUE)] });
    const r = run(inv);
    assert.deepEqual(r.routines[0].problems.map((p) => p.kind), ['schedule-error']);
    assert.deepEqual(of(r, 100).routines, ['backup-bad']);
  });

  it('nextBackup is the earliest next run of the covering jobs after now', () => {
    const inv = inventory({ guests: [guest(100)], backupRoutines: [routine('a'), routine('b', { schedule: '20:00' })], backups: [backup(100, DUE + 9)] });
    assert.equal(of(run(inv), 100).nextBackup, utc('2026-05-10T20:00:00Z'));
  });
});

describe('health: policy applied', () => {
  const base = (): Inventory => inventory({
    storages: [storage('nas', 'nfs'), storage('pbs-a', 'pbs')],
    guests: [guest(100), guest(101)],
    backupRoutines: [routine('backup-daily')],
    backups: [backup(100, DUE + 60), backup(101, DUE + 60)],
  });

  it('exclude wins over everything, with the rule\'s reason', () => {
    const inv = inventory({ guests: [guest(100)] });
    const g = of(run(inv, NOW, policyOf({ match: { vmid: [100] }, exclude: { reason: 'backed up elsewhere' } })), 100);
    assert.equal(g.status, 'excluded');
    assert.equal(g.reason, 'backed up elsewhere');
    assert.equal(g.policyRule, 0);
  });

  it('maxAgeHours exceeded makes an otherwise ok guest overdue, with a violation', () => {
    const r = run(base(), NOW, policyOf({ match: { vmid: [101] }, maxAgeHours: 4 }));
    assert.equal(of(r, 100).status, 'ok');
    assert.equal(of(r, 101).status, 'overdue');
    assert.equal(of(r, 101).policyRule, 0);
    assert.deepEqual(r.violations.map((v) => [v.rule, v.vmid]), [[0, 101]]);
    assert.match(r.violations[0].message, /9 h old; the policy allows 4 h/);
  });

  it('requireStorage: no backup on a matching storage is a violation and overdue', () => {
    const r = run(base(), NOW, policyOf({ match: {}, requireStorage: ['type:pbs'] }));
    assert.equal(of(r, 100).status, 'overdue');
    assert.match(of(r, 100).reason, /type:pbs/);
    assert.equal(r.violations.length, 2);
    const inv = base();
    inv.backups.push(backup(100, DUE - 86400, { storage: 'pbs-a' }));
    const r2 = run(inv, NOW, policyOf({ match: {}, requireStorage: ['pbs-*'] }));
    assert.equal(of(r2, 100).status, 'ok');
    assert.equal(of(r2, 101).status, 'overdue');
  });

  it('a policy violation does not hide a worse status (failed stays failed)', () => {
    const inv = base();
    inv.tasks = [task('pve1', DUE + 1, { status: 'job errors', vzdump: summary({ jobId: 'backup-daily', failed: [{ vmid: 100, reason: 'disk read error', lines: [] }] }) })];
    inv.backups = [backup(101, DUE + 60)];
    inv.backups.push(backup(100, DUE - 10));
    const r = run(inv, NOW, policyOf({ match: {}, maxAgeHours: 1 }));
    assert.equal(of(r, 100).status, 'failed');
    assert.ok(r.violations.some((v) => v.vmid === 100), 'the violation is still listed');
  });

  it('maxVerifyAgeDays: the verify task\'s UPID gives the time; never verified is a violation', () => {
    const verifyUpid = (t: number): string => `UPID:pbs:00001234:00000000:${t.toString(16).toUpperCase()}:verificationjob:x:root@pam:`;
    const inv = base();
    inv.backups = [
      backup(100, DUE + 60), backup(100, DUE - 30 * 86400, { verification: { state: 'ok', upid: verifyUpid(NOW - 2 * 86400) } }),
      backup(101, DUE + 60, { verification: { state: 'ok', upid: null } }),
    ];
    inv.guests.push(guest(102));
    inv.backups.push(backup(102, DUE + 60, { verification: { state: 'ok', upid: verifyUpid(NOW - 10 * 86400) } }));
    const r = run(inv, NOW, policyOf({ match: {}, maxVerifyAgeDays: 7 }));
    assert.equal(of(r, 100).status, 'ok', 'an old backup verified 2 days ago counts');
    assert.equal(of(r, 101).status, 'ok', 'without a UPID the ctime (today) stands for the verification time');
    assert.equal(of(r, 102).status, 'verify-failed');
    const inv2 = base();
    const r2 = run(inv2, NOW, policyOf({ match: { vmid: [100] }, maxVerifyAgeDays: 7 }));
    assert.equal(of(r2, 100).status, 'verify-failed');
    assert.match(of(r2, 100).reason, /never verified/);
  });
});
