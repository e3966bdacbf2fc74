import { strict as assert } from 'node:assert';
import { newProblems, problemKeys } from '../../../src/core/health/changes';
import { HEALTH_STATUS_ORDER, type GuestHealth, type GuestHealthStatus, type HealthReport, type RoutineRun } from '../../../src/core/health/types';
import { groupByStatus, guestHealthDescription, guestHealthTooltip, lastRunText, summaryLine, STATUS_ICONS } from '../../../src/ui/format/healthView';

const NOW = 1_790_000_000;

function guest(vmid: number, status: GuestHealthStatus, extra: Partial<GuestHealth> = {}): GuestHealth {
  return { endpoint: 'lab', vmid, name: `g${vmid}`, node: 'pve1', type: 'qemu', status, reason: status === 'ok' ? '' : `why ${vmid}`,
    lastBackup: null, backupCount: 0, nextBackup: null, routines: [], verification: null, ...extra };
}

function report(guests: GuestHealth[]): HealthReport {
  const summary = Object.fromEntries(HEALTH_STATUS_ORDER.map((s) => [s, guests.filter((g) => g.status === s).length])) as HealthReport['summary'];
  return { now: NOW, graceSeconds: 0, historyDays: 14, summary, guests, routines: [], jobs: [], violations: [] };
}

function run(status: RoutineRun['status'], extra: Partial<RoutineRun> = {}): RoutineRun {
  return { scheduled: NOW - 7200, node: 'pve1', status, task: null, failedGuests: [], started: NOW - 7190, ended: NOW - 7000,
    taskStatus: null, failures: [], jobError: null, ...extra };
}

describe('health: what the tree shows', () => {
  it('groups every status in reading order, empty groups included, and counts only non-zero ones in the summary', () => {
    const r = report([guest(1, 'ok'), guest(2, 'failed'), guest(3, 'failed'), guest(4, 'never')]);
    const groups = groupByStatus(r);
    assert.deepEqual(groups.map((g) => g.status), [...HEALTH_STATUS_ORDER]);
    assert.deepEqual(groups.find((g) => g.status === 'failed')!.guests.map((g) => g.vmid), [2, 3]);
    assert.equal(groups.find((g) => g.status === 'overdue')!.guests.length, 0);
    assert.equal(summaryLine(r), 'Failed 2 · Never backed up 1 · OK 1');
  });
  it('gives every status its own icon, and an ok guest the age of its newest backup instead of a reason', () => {
    assert.equal(new Set(Object.values(STATUS_ICONS).map((i) => i.id)).size, HEALTH_STATUS_ORDER.length);
    assert.equal(guestHealthDescription(guest(1, 'ok', { lastBackup: NOW - 3 * 3600 }), NOW), 'backed up 3 h ago');
    assert.equal(guestHealthDescription(guest(2, 'overdue'), NOW), 'why 2');
  });
  it('escapes Proxmox text in the tooltip and names routines by their display names', () => {
    const g = guest(5, 'failed', { name: '[x](http://evil)', reason: 'ERROR: <b>disk</b>', routines: ['backup-1'] });
    const md = guestHealthTooltip(g, NOW, (id) => (id === 'backup-1' ? 'Nightly *db*' : id));
    assert.ok(!md.includes('[x](http://evil)'), md);
    assert.ok(md.includes('\\<b\\>'), md);
    assert.ok(md.includes('Nightly \\*db\\*'), md);
  });
  it('words the last run of a routine by its outcome', () => {
    assert.equal(lastRunText(run('failed', { failedGuests: [101, 102] }), NOW), 'last run ✗ 2 failed');
    assert.equal(lastRunText(run('failed'), NOW), 'last run ✗ failed');
    assert.equal(lastRunText(run('ok'), NOW), 'last run ✓ 2 h ago');
    assert.match(lastRunText(run('missed', { started: null }), NOW), /^last run ○ missed/);
    assert.equal(lastRunText(null, NOW), 'no run in the history window');
  });
});

describe('health: notifications only for what is new', () => {
  it('announces a failure once, again after it recovered, and overdue guests only at level all', () => {
    const first = report([guest(1, 'failed'), guest(2, 'overdue'), guest(3, 'ok')]);
    assert.deepEqual(newProblems(first, new Set(), 'failures').map((g) => g.vmid), [1]);
    assert.deepEqual(newProblems(first, new Set(), 'all').map((g) => g.vmid), [1, 2]);
    assert.deepEqual(newProblems(first, new Set(), 'off'), []);
    const seen = new Set(problemKeys(first));
    assert.deepEqual(newProblems(first, seen, 'all'), [], 'nothing new on the same report');
    const recovered = report([guest(1, 'ok'), guest(2, 'overdue'), guest(3, 'ok')]);
    const again = report([guest(1, 'failed'), guest(2, 'failed'), guest(3, 'ok')]);
    assert.deepEqual(newProblems(again, new Set(problemKeys(recovered)), 'failures').map((g) => g.vmid), [1, 2],
      'guest 2 changed from overdue to failed: a new problem');
  });
});
