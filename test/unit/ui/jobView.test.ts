import { strict as assert } from 'node:assert';
import { isFinishedSync, type Job } from '../../../src/core/jobs/types';
import { jobName, jobSubject, presentJob, scheduleName } from '../../../src/ui/format/jobView';

const T = Date.UTC(2026, 10, 30, 12, 0, 0);
const job = (over: Partial<Job>): Job => ({
  id: 'j1', chainId: 'j1', syncType: 'all', endpoints: ['lab'], status: 'completed', schedule: { mode: 'now' },
  createdAt: T - 60_000, scheduledAt: T - 60_000, startedAt: T - 60_000, completedAt: T - 30_000, ...over,
});

describe('ui: how a job reads', () => {
  it('a completed, a failed, a stopped and a never-run job read differently, and only two of them are syncs', () => {
    const done = presentJob(job({}), T, { timeZone: 'UTC' });
    assert.equal(done.icon.id, 'pass');
    assert.match(done.description, /^completed · 30 s · now$/);
    const failed = presentJob(job({ status: 'errored', error: 'lab: 401' }), T, { timeZone: 'UTC' });
    assert.equal(failed.icon.id, 'error');
    const stopped = presentJob(job({ status: 'failed', error: 'Cancelled by user.', interrupted: true }), T, { timeZone: 'UTC' });
    assert.equal(stopped.icon.id, 'circle-slash');
    assert.match(stopped.description, /^stopped · .* · Cancelled by user\.$/);
    const notRun = job({ status: 'failed', error: 'Cancelled by user.', interrupted: true, startedAt: undefined });
    assert.match(presentJob(notRun, T, { timeZone: 'UTC' }).description, /^not run/);
    assert.deepEqual([job({}), job({ status: 'errored' }), job({ interrupted: true, status: 'failed' }), notRun].map(isFinishedSync), [true, true, false, false]);
  });

  it('names endpoints and shows a running job\'s progress', () => {
    assert.equal(jobSubject(job({ endpoints: ['lab', 'pve2'] }), (id) => (id === 'lab' ? 'Lab cluster' : undefined)), 'Full sync of Lab cluster, pve2');
    const running = presentJob(job({ status: 'running', completedAt: undefined }), T, { running: 'Stage 3/12: Storage' });
    assert.equal(running.description, 'running · Stage 3/12: Storage');
    const scheduled = presentJob(job({ status: 'scheduled', schedule: { mode: 'interval', minutes: 60 }, scheduledAt: T + 3600_000, startedAt: undefined, completedAt: undefined }), T, { timeZone: 'UTC' });
    assert.equal(scheduled.description, 'scheduled · in 1 h');
    assert.equal(scheduled.label, 'Full sync, every 60 minutes');
  });

  it('names schedules and runs as people know them, not all "Full sync…" and never by id (issue 11, item 8)', () => {
    const names = (id: string) => ({ lab: 'Lab cluster', pve2: 'Second site' } as Record<string, string>)[id];
    const weekdays = job({ status: 'scheduled', endpoints: ['lab', 'pve2'], schedule: { mode: 'cron', expr: 'mon..fri 02:30', tz: 'UTC' },
      scheduledAt: T + 3600_000, startedAt: undefined, completedAt: undefined });
    assert.equal(jobName(weekdays, names, 'UTC'), 'Full sync of Lab cluster, Second site, every weekday at 02:30');
    const hourly = job({ status: 'scheduled', syncType: 'backup-routines', schedule: { mode: 'cron', expr: '0 * * * *', tz: 'Europe/Vienna' },
      scheduledAt: T + 3600_000, startedAt: undefined, completedAt: undefined });
    assert.equal(jobName(hourly, names, 'UTC'), 'Backup jobs of Lab cluster, every hour (Europe/Vienna)');
    // A run is named by when it started; the tree (under its endpoint) leaves the endpoint out.
    const run = job({ startedAt: Date.UTC(2026, 10, 30, 2, 30) });
    assert.equal(jobName(run, names, 'UTC'), 'Full sync of Lab cluster, 2026-11-30 02:30');
    assert.equal(presentJob(run, T, { timeZone: 'UTC', nameOf: names }).label, 'Full sync, 2026-11-30 02:30');
    assert.equal(presentJob(weekdays, T, { timeZone: 'UTC', nameOf: names }).label, 'Full sync, every weekday at 02:30');
    for (const j of [weekdays, hourly, run]) assert.doesNotMatch(jobName(j, names, 'UTC'), /\bj1\b/);
    assert.equal(scheduleName({ mode: 'interval', minutes: 1 }), 'every 1 minute');
    assert.equal(scheduleName({ mode: 'once', at: Date.UTC(2026, 11, 24, 2, 0) }, 'UTC'), 'once at 2026-12-24 02:00');
  });
});
