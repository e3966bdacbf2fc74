import { strict as assert } from 'node:assert';
import { applyEvent, percentDone, progressMessage, stagePosition, startProgress } from '../../../src/ui/format/syncProgress';
import { presentStatus } from '../../../src/ui/format/statusText';

describe('ui: sync progress', () => {
  it('counts stages n/12 and shows item progress of the running stage', () => {
    const p = startProgress();
    applyEvent(p, { event: 'step', data: { step: 'devices', status: 'started' } });
    assert.equal(progressMessage(p), 'Stage 1/12: Devices (nodes, cluster)');
    applyEvent(p, { event: 'step', data: { step: 'devices', status: 'completed', result: { count: 3 }, duration_seconds: 0.2 } });
    applyEvent(p, { event: 'step', data: { step: 'storage', status: 'completed', result: { count: 4 } } });
    applyEvent(p, { event: 'step', data: { step: 'virtual-machines', status: 'started' } });
    applyEvent(p, { event: 'item_progress', data: { progress: { current: 120, total: 500 } } });
    assert.deepEqual(stagePosition(p), { index: 3, total: 12 });
    assert.equal(progressMessage(p), 'Stage 3/12: Virtual machines (120/500)');
    assert.ok(percentDone(p) > 2 / 12 * 100 && percentDone(p) < 3 / 12 * 100);
    assert.equal(p.stages[0]!.count, 3);
  });

  it('a subset of stages counts only those', () => {
    const p = startProgress(['devices', 'backup-routines']);
    applyEvent(p, { event: 'step', data: { step: 'backup-routines', status: 'started' } });
    assert.equal(progressMessage(p), 'Stage 1/2: Backup routines');
  });

  it('a failed run ends with its error and no stage left running', () => {
    const p = startProgress(['devices', 'storage'], 1000);
    applyEvent(p, { event: 'step', data: { step: 'storage', status: 'started' } });
    applyEvent(p, { event: 'error_detail', data: { category: 'timeout', message: 'storage timed out', suggestion: 'raise the timeout' } });
    applyEvent(p, { event: 'complete', data: { ok: false, message: 'Sync failed' } }, 4000);
    assert.equal(p.done, true);
    assert.equal(p.ok, false);
    assert.equal(p.stages[1]!.status, 'failed');
    assert.equal(progressMessage(p), 'Failed: storage timed out');
    assert.equal(percentDone(p), 100);
  });

  it('status bar: spinner while running, result and next run otherwise', () => {
    const p = startProgress();
    applyEvent(p, { event: 'step', data: { step: 'devices', status: 'started' } });
    const now = Date.UTC(2026, 10, 23, 12, 0, 0);
    const running = presentStatus({ running: { endpointName: 'lab', progress: p }, nowMs: now, timeZone: 'UTC' });
    assert.equal(running.kind, 'running');
    assert.equal(running.text, '$(sync~spin) Proxbox: lab · Stage 1/12: Devices (nodes, cluster)');
    const done = presentStatus({ last: { endpointName: 'lab', ok: true, finishedAtMs: now - 60_000 },
      nextRun: { atSeconds: now / 1000 + 3600, label: 'every hour' }, nowMs: now, timeZone: 'UTC' });
    assert.equal(done.text, '$(check) Proxbox: synced 11:59 · next in 1 h');
    assert.match(done.tooltip, /every hour/);
    const failed = presentStatus({ last: { endpointName: 'lab', ok: false, finishedAtMs: now }, nowMs: now, timeZone: 'UTC' });
    assert.equal(failed.kind, 'failed');
    assert.match(failed.text, /sync failed/);
  });
});
