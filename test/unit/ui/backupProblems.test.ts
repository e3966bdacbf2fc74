// The status bar's count of backup problems: guests whose backups are not ok, plus PBS jobs that JobHealth calls a
// problem (failed or missed); a warning job, an ok or excluded guest, and a datastore filling up are not counted.
import { strict as assert } from 'node:assert';
import type { GuestHealth, GuestHealthStatus, HealthReport, JobHealth } from '../../../src/core/health/types';
import { tallyProblems, tallyText } from '../../../src/ui/health/backupProblems';

function guest(vmid: number, status: GuestHealthStatus): GuestHealth {
  return {
    endpoint: 'pve', vmid, name: `g${vmid}`, node: 'n1', type: 'qemu', status, reason: '', lastBackup: null, backupCount: 0, nextBackup: null,
    routines: [], verification: null,
  };
}

function pbsJob(id: string, status: JobHealth['status'], problem: boolean): JobHealth {
  return {
    endpoint: 'pbs', kind: 'verify', id, store: 'main', schedule: 'daily', status, problem, reason: '', lastRun: null, lastRunUpid: null,
    nextRun: null, enabled: true, lifecycle: 'active',
  };
}

describe('ui: backup problem count', () => {
  it('counts unhealthy guests and PBS job problems over every report', () => {
    const pve: Pick<HealthReport, 'guests' | 'jobs'> = { guests: [guest(1, 'failed'), guest(2, 'ok'), guest(3, 'excluded'), guest(4, 'overdue'), guest(5, 'failed')], jobs: [] };
    const pbs: Pick<HealthReport, 'guests' | 'jobs'> = {
      guests: [], jobs: [pbsJob('v1', 'failed', true), pbsJob('v2', 'missed', true), pbsJob('v3', 'warnings', false), pbsJob('v4', 'ok', false), pbsJob('v5', null, false)],
    };
    const t = tallyProblems([pve, pbs]);
    assert.equal(t.total, 5);
    assert.equal(t.jobs, 2);
    assert.equal(t.byStatus.get('failed'), 2);
    assert.equal(tallyText(t), 'Failed: 2, Overdue: 1, PBS jobs failed or missed: 2');
  });

  it('a report without a jobs array (stored before PBS) counts its guests only', () => {
    const old = { guests: [guest(1, 'never')] } as unknown as HealthReport;
    assert.equal(tallyProblems([old]).total, 1);
    assert.equal(tallyProblems([]).total, 0);
    assert.equal(tallyText(tallyProblems([])), '');
  });
});
