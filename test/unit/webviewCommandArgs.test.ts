import { strict as assert } from 'node:assert';
import { endpointTarget, routineTarget, syncOutcome } from '../../src/ui/webviews/commandArgs';

describe('webview command arguments', () => {
  it('reads a routine from ids or from a tree item', () => {
    assert.deepEqual(routineTarget(['ep1', 'backup-1']), { endpointId: 'ep1', routineId: 'backup-1' });
    assert.deepEqual(routineTarget([{ endpointId: 'ep1', routineId: 'r' }]), { endpointId: 'ep1', routineId: 'r' });
    assert.deepEqual(routineTarget([{ endpointId: 'ep1', routine: { jobId: 'j' } }]), { endpointId: 'ep1', routineId: 'j' });
    assert.deepEqual(routineTarget([{ data: { endpointId: 'e', jobId: 'j' } }]), { endpointId: 'e', routineId: 'j' });
    assert.equal(routineTarget([]), undefined);
    assert.equal(routineTarget(['ep1']), undefined);
    assert.equal(routineTarget([{ label: 'Backup Routines' }]), undefined);
  });

  it('reads an endpoint from an id or a tree item', () => {
    assert.equal(endpointTarget('ep1'), 'ep1');
    assert.equal(endpointTarget({ endpointId: 'ep2' }), 'ep2');
    assert.equal(endpointTarget({ endpoint: { id: 'ep3' } }), 'ep3');
    assert.equal(endpointTarget(undefined), undefined);
    assert.equal(endpointTarget({}), undefined);
  });
});

describe('webview: Sync now outcome', () => {
  it('reads a finished run, a failed run and a sync that did not start', () => {
    assert.deepEqual(syncOutcome({ ok: true }), { started: true, ok: true, message: 'Sync finished; this view shows the new inventory.' });
    assert.deepEqual(syncOutcome({ ok: false, error: { message: 'The token was refused (401).', suggestion: 'Edit the endpoint and enter the secret again.' } }),
      { started: true, ok: false, message: 'Sync failed: The token was refused (401). Edit the endpoint and enter the secret again.' });
    assert.match(syncOutcome({ ok: false, message: 'cancelled' }).message, /^Sync failed: cancelled\. See the Proxbox log/);
    assert.deepEqual(syncOutcome(undefined).started, false);
    assert.match(syncOutcome(undefined).message, /already/);
  });
});
