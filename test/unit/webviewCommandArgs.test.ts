import { strict as assert } from 'node:assert';
import { endpointTarget, routineTarget } from '../../src/ui/webviews/commandArgs';

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
