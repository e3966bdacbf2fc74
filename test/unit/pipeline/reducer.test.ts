import { strict as assert } from 'node:assert';
import type { PipelineEvent } from '../../../src/core/pipeline/events';
import { applyEvent, describeEvent, failRun, percentDone, progressMessage, stagePosition, startRun } from '../../../src/core/pipeline/reducer';
import { presentStatus } from '../../../src/ui/format/statusText';

// Events as the pipeline sends them; fields a test does not care about are filled in here, typed.
const step = (step: string, status: string, extra: Record<string, unknown> = {}) =>
  ({ event: 'step', data: { step, status, message: '', ...extra } }) as PipelineEvent;
const items = (phase: string, current: number, total: number) =>
  ({ event: 'item_progress', data: { event: 'item_progress', phase, status: 'processing', message: '', progress: { current, total, percent: 0 } } }) as PipelineEvent;
const complete = (ok: boolean, extra: Record<string, unknown> = {}) => ({
  event: 'complete',
  data: { ok, message: ok ? 'Sync of lab completed.' : 'Sync of lab failed', cancelled: false, endpoint: 'lab', stages: [], warnings: [], failed_stages: [], skipped_stages: [],
    result: { created: 0, updated: 0, deleted: 0, failed: 0, skipped: 0, total: 7, stale: 0, requests: 9, written: 1 }, duration_seconds: 3.5, ...extra },
}) as PipelineEvent;

describe('pipeline: the one event reducer', () => {
  it('counts stages n/12 and shows item progress of the running stage', () => {
    const p = startRun();
    applyEvent(p, step('devices', 'started'));
    assert.equal(progressMessage(p), 'Stage 1/12: Devices (nodes, cluster)');
    applyEvent(p, step('devices', 'completed', { result: { count: 3 }, duration_seconds: 0.2 }));
    applyEvent(p, step('storage', 'completed', { result: { count: 4 } }));
    applyEvent(p, step('virtual-machines', 'started'));
    applyEvent(p, items('virtual-machines', 120, 500));
    assert.deepEqual(stagePosition(p), { index: 3, total: 12 });
    assert.equal(progressMessage(p), 'Stage 3/12: Virtual machines (120/500)');
    assert.ok(percentDone(p) > 2 / 12 * 100 && percentDone(p) < 3 / 12 * 100);
    assert.equal(p.stages[0]!.count, 3);
  });

  it('stages running side by side are all named, each with its own items', () => {
    const p = startRun();
    applyEvent(p, step('devices', 'completed', { result: { count: 3 } }));
    applyEvent(p, step('storage', 'started'));
    applyEvent(p, step('virtual-machines', 'started'));
    applyEvent(p, items('virtual-machines', 2, 8));
    assert.equal(progressMessage(p), 'Stage 2/12: Storage, Virtual machines (2/8)');
    applyEvent(p, step('storage', 'completed', { result: { count: 1 } }));
    assert.deepEqual(p.running, ['virtual-machines']);
  });

  it('a subset of stages counts only those, and a dependency pulled in is added in pipeline order', () => {
    const p = startRun(['backup-routines']);
    applyEvent(p, step('devices', 'started'));
    assert.deepEqual(p.stages.map((s) => s.name), ['devices', 'backup-routines']);
    assert.equal(progressMessage(p), 'Stage 1/2: Devices (nodes, cluster)');
  });

  it('a skipped stage ends with its reason and counts as done', () => {
    const p = startRun(['storage', 'backups']);
    applyEvent(p, step('storage', 'failed', { message: 'timeout' }));
    applyEvent(p, step('backups', 'skipped', { message: 'depends on storage, which failed' }));
    assert.equal(p.stages[1]!.status, 'skipped');
    assert.equal(p.stages[1]!.message, 'depends on storage, which failed');
    assert.equal(percentDone(p), 100);
  });

  it('a failed run ends with the error of its earliest stage in pipeline order, and no stage left running', () => {
    const p = startRun(['devices', 'storage', 'snapshots'], 1000);
    applyEvent(p, step('storage', 'started'));
    // A later stage that ran beside it failed first in wall time: the run still names storage, as `complete` does.
    applyEvent(p, { event: 'error_detail', data: { event: 'error_detail', phase: 'snapshots', category: 'connection', message: 'snapshots refused', detail: '', suggestion: '' } });
    applyEvent(p, { event: 'error_detail', data: { event: 'error_detail', phase: 'storage', category: 'timeout', message: 'storage timed out', detail: '', suggestion: 'raise the timeout' } });
    applyEvent(p, { event: 'error_detail', data: { event: 'error_detail', phase: 'sync', category: 'internal', message: 'later', detail: '', suggestion: '' } });
    applyEvent(p, complete(false), 4000);
    assert.equal(p.done, true);
    assert.equal(p.ok, false);
    assert.equal(p.stages[1]!.status, 'failed');
    assert.equal(progressMessage(p), 'Failed: storage timed out');
    assert.equal(percentDone(p), 100);
    assert.equal(p.result?.requests, 9);
  });

  it('a run that broke before the pipeline ends the same way', () => {
    const p = startRun(['devices']);
    failRun(p, { category: 'authentication', message: 'No token secret is stored for lab.' });
    assert.equal(progressMessage(p), 'Failed: No token secret is stored for lab.');
  });

  it('words a completed step with its count, duration and warnings', () => {
    const l = describeEvent(step('devices', 'completed', { result: { count: 3 }, duration_seconds: 0.41 }), 'lab');
    assert.equal(l.level, 'info');
    assert.equal(l.text, '[lab] Devices (nodes, cluster): completed, 3 items in 0.41 s');
    const w = describeEvent(step('backup-routines', 'completed', { result: { count: 3, created: 2, updated: 1, warnings: ['node pve9 is not in the cluster'] }, duration_seconds: 12.6 }));
    assert.equal(w.level, 'warn');
    assert.equal(w.text, 'Backup jobs: completed, 3 items, 2 created, 1 updated in 13 s (1 warning: node pve9 is not in the cluster)');
  });

  it('words errors with their category and next step, and the end of a run', () => {
    const e = describeEvent({ event: 'error_detail', data: { event: 'error_detail', phase: 'storage', category: 'authentication', message: '401 authentication failure', detail: '401 authentication failure', suggestion: 'check the token id and secret' } });
    assert.equal(e.level, 'error');
    assert.equal(e.text, 'Storage: authentication error: 401 authentication failure → check the token id and secret');
    assert.equal(describeEvent(step('storage', 'failed', { message: 'timeout' })).level, 'error');
    assert.equal(describeEvent(step('backups', 'skipped', { message: 'storage failed' })).text, 'Backups: skipped — storage failed');
    assert.equal(describeEvent(complete(false)).text, 'sync FAILED after 3.5 s — Sync of lab failed');
    assert.equal(describeEvent(complete(true)).text, 'sync finished OK in 3.5 s — Sync of lab completed.');
  });

  it('keeps per-item progress at trace level unless the item failed', () => {
    const ok = describeEvent({ event: 'item_progress', data: { event: 'item_progress', phase: 'virtual-machines', status: 'completed', operation: 'created', message: '', item: { name: 'web1', item_type: 'vm' }, progress: { current: 4, total: 10, percent: 40 } } });
    assert.equal(ok.level, 'trace');
    assert.equal(ok.text, 'Virtual machines 4/10: web1 created');
    const bad = describeEvent({ event: 'item_progress', data: { event: 'item_progress', phase: 'snapshots', status: 'failed', operation: 'failed', message: '', item: { name: 'db', item_type: 'vm' }, error: '500', progress: { current: 1, total: 2, percent: 50 } } });
    assert.equal(bad.level, 'warn');
  });

  it('status bar: spinner while running, result and next run otherwise, a run of another window without progress', () => {
    const p = startRun();
    applyEvent(p, step('devices', 'started'));
    const now = Date.UTC(2026, 10, 23, 12, 0, 0);
    const running = presentStatus({ running: { endpointName: 'lab', progress: p }, nowMs: now, timeZone: 'UTC' });
    assert.equal(running.kind, 'running');
    assert.equal(running.text, '$(sync~spin) Proxbox: lab · Stage 1/12: Devices (nodes, cluster)');
    assert.match(presentStatus({ running: { endpointName: 'lab' }, nowMs: now }).text, /lab · running in another window/);
    const done = presentStatus({ last: { endpointName: 'lab', ok: true, finishedAtMs: now - 60_000 },
      nextRun: { atSeconds: now / 1000 + 3600, label: 'every hour' }, nowMs: now, timeZone: 'UTC' });
    assert.equal(done.text, '$(check) Proxbox: synced 11:59 · next in 1 h');
    assert.match(done.tooltip, /every hour/);
    const failed = presentStatus({ last: { endpointName: 'lab', ok: false, finishedAtMs: now }, nowMs: now, timeZone: 'UTC' });
    assert.equal(failed.kind, 'failed');
    assert.match(failed.text, /sync failed/);
  });
});
