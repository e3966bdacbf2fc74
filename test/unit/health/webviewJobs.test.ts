// The health view's "PBS jobs" section: its rows (src/webview/health/jobs.ts) and how the view renders them.
import { strict as assert } from 'node:assert';
import type { JobHealth } from '../../../src/core/health/types';
import { jobProblemLine, jobRows } from '../../../src/webview/health/jobs';
import type { HealthViewData } from '../../../src/webview/health/protocol';
import { initialHealthState, reduceHealth, type HealthUiState } from '../../../src/webview/health/state';
import { renderHealth } from '../../../src/webview/health/view';
import { FakeElement, useFakeDom } from '../webviewFakeDom';
import { guest, NOW, report, viewData, XSS } from '../webviewHealthFixtures';

function job(kind: JobHealth['kind'], id: string, status: JobHealth['status'], over: Partial<JobHealth> = {}): JobHealth {
  return {
    endpoint: 'pbs', kind, id, store: 'store1', schedule: 'daily', status, problem: status === 'failed' || status === 'missed',
    reason: status === 'ok' ? '' : `reason ${status}`, lastRun: NOW - 3600, lastRunUpid: null, nextRun: NOW + 3600, enabled: true, lifecycle: 'active', ...over,
  };
}

function data(jobs: JobHealth[]): HealthViewData {
  const pbs = { ...report([]), jobs };
  return viewData({ id: 'pve1', name: 'Lab', report: report([guest(100, 'ok')]) }, { id: 'pbs', name: 'Backup server', report: pbs });
}

function loaded(d: HealthViewData, endpointId: string | null = null): HealthUiState {
  let s = reduceHealth(initialHealthState(undefined, 'UTC'), { type: 'start' }).state;
  s = reduceHealth(s, { type: 'loaded', request: 1, data: d, viewNow: NOW }).state;
  if (endpointId) s = reduceHealth(s, { type: 'endpoint', endpointId }).state;
  return s;
}

function render(state: HealthUiState): FakeElement {
  const app = new FakeElement('main');
  renderHealth(app as unknown as HTMLElement, state, NOW, () => undefined);
  return app;
}

describe('health view: PBS jobs', () => {
  useFakeDom();

  it('rows: kind, job, result in words with PBS\'s reason, the strip\'s mark; not judged for null', () => {
    const rows = jobRows(data([job('verify', 'v1', 'failed', { reason: 'the last run failed: verification failed' }), job('gc', 'store1', null, { reason: 'disabled' })]), null);
    assert.deepEqual(rows.map((r) => [r.key, r.kind, r.name, r.result, r.markClass, r.letter]), [
      ['pbs/verify/v1', 'Verify', 'v1', 'Failed', 'run-failed', 'F'],
      ['pbs/gc/store1', 'Garbage collection', 'store1', 'Not judged', 'run-none', '–'],
    ]);
    assert.equal(rows[0].reason, 'the last run failed: verification failed');
    assert.equal(jobProblemLine(rows), '1 of 2 PBS jobs failed or missed a run.');
    assert.equal(jobProblemLine(rows.slice(1)), null);
    assert.deepEqual(jobRows(data([job('prune', 'p1', 'ok')]), 'pve1'), [], 'the endpoint filter applies');
  });

  it('renders a PBS jobs section with each job\'s result, last and next run, PBS text as text', () => {
    const app = render(loaded(data([job('sync', 's1', 'failed', { reason: `the last run failed: ${XSS}` }), job('prune', 'p1', 'ok')])));
    const section = app.byId('pbs-jobs');
    assert.ok(section, 'the section is there');
    assert.equal(section.find((e) => e.tagName === 'h2')?.textContent, 'PBS jobs');
    const rows = section.byClass('job-row');
    assert.deepEqual(rows.map((r) => r.getAttribute('data-key')), ['pbs/sync/s1', 'pbs/prune/p1']);
    assert.equal(rows[0].byClass('job-kind')[0].textContent, 'Sync');
    assert.equal(rows[0].byClass('job-store')[0].textContent, 'datastore store1');
    assert.equal(rows[0].byClass('job-result')[0].textContent, `Failed: the last run failed: ${XSS}`);
    assert.ok(!app.find((e) => e.tagName === 'img'), 'markup in PBS text became an element');
    assert.match(rows[1].byClass('job-last')[0].textContent ?? '', /^last run .*1 h ago/);
    assert.match(rows[1].byClass('job-next')[0].textContent ?? '', /^next run /);
    assert.ok(rows[0].classList.includes('job-problem') && !rows[1].classList.includes('job-problem'));
  });

  it('shows no section without PBS jobs, or when the endpoint filter leaves none', () => {
    assert.equal(render(loaded(data([]))).byId('pbs-jobs'), undefined);
    assert.equal(render(loaded(data([job('prune', 'p1', 'ok')]), 'pve1')).byId('pbs-jobs'), undefined);
    assert.ok(render(loaded(data([job('prune', 'p1', 'ok')]), 'pbs')).byId('pbs-jobs'));
  });
});
