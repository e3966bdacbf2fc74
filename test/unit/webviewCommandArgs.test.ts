import { strict as assert } from 'node:assert';
import type { Job } from '../../src/core/jobs/types';
import { startRun } from '../../src/core/pipeline/reducer';
import { endpointIdOf, routineTargetOf } from '../../src/ui/commands/args';
import type { RunRecord } from '../../src/ui/sync/syncRuns';
import { syncOutcome } from '../../src/ui/webviews/commandArgs';

describe('webview command arguments (through the one argument parser)', () => {
  it('reads a routine from ids or from a tree item', () => {
    assert.deepEqual(routineTargetOf(['ep1', 'backup-1']), { endpointId: 'ep1', routineId: 'backup-1' });
    assert.deepEqual(routineTargetOf([{ endpointId: 'ep1', routineId: 'r' }]), { endpointId: 'ep1', routineId: 'r' });
    assert.deepEqual(routineTargetOf([{ endpointId: 'ep1', routine: { jobId: 'j' } }]), { endpointId: 'ep1', routineId: 'j' });
    assert.deepEqual(routineTargetOf([{ data: { endpointId: 'e', jobId: 'j' } }]), { endpointId: 'e', routineId: 'j' });
    assert.equal(routineTargetOf([]), undefined);
    assert.equal(routineTargetOf(['ep1']), undefined);
    assert.equal(routineTargetOf([{ label: 'Backup Jobs' }]), undefined);
  });

  it('reads an endpoint from an id or a tree item', () => {
    assert.equal(endpointIdOf('ep1'), 'ep1');
    assert.equal(endpointIdOf({ endpointId: 'ep2' }), 'ep2');
    assert.equal(endpointIdOf({ endpoint: { id: 'ep3' } }), 'ep3');
    assert.equal(endpointIdOf(undefined), undefined);
    assert.equal(endpointIdOf({}), undefined);
  });
});

describe('webview: Sync now outcome, read from what "Sync Now" resolves with', () => {
  const job = (over: Partial<Job>): Job => ({
    id: 'j1', chainId: 'j1', syncType: 'all', endpoints: ['ep1'], status: 'completed', schedule: { mode: 'now' },
    createdAt: 0, scheduledAt: 0, startedAt: 1, completedAt: 2, ...over,
  });
  const record = (error?: RunRecord['error']): RunRecord => ({
    jobId: 'j1', endpointId: 'ep1', endpointName: 'lab', trigger: 'manual', progress: startRun(['devices']), lines: [], ...(error ? { error } : {}),
  });

  it('a completed job, a failed one with its explanation, a stopped one, one run elsewhere, none', () => {
    assert.deepEqual(syncOutcome({ job: job({}) }), { started: true, ok: true, message: 'Sync finished; this view shows the new inventory.' });
    assert.deepEqual(syncOutcome({ job: job({ status: 'errored', error: 'ep1: 401' }), record: record({ category: 'authentication', message: 'The token was refused (401).', suggestion: 'Edit the endpoint and enter the secret again.' }) }),
      { started: true, ok: false, message: 'Sync failed: The token was refused (401). Edit the endpoint and enter the secret again.' });
    assert.match(syncOutcome({ job: job({ status: 'failed', error: 'ep1: socket hang up' }) }).message, /^Sync failed: ep1: socket hang up\. See the Proxbox log/);
    assert.equal(syncOutcome({ job: job({ status: 'failed', error: 'Cancelled by user.', interrupted: true }) }).message, 'Sync stopped: Cancelled by user.');
    assert.equal(syncOutcome({}).ok, true, 'a sync handed to the window that runs the schedule is not a failure');
    assert.deepEqual(syncOutcome(undefined).started, false);
  });
});
