import { strict as assert } from 'node:assert';
import { endpointIdOf, jobIdOf, stagesOf } from '../../../src/ui/commands/args';

describe('ui: the one command argument parser', () => {
  it('reads an endpoint id from an id, a tree node or a nested endpoint', () => {
    assert.equal(endpointIdOf('lab'), 'lab');
    assert.equal(endpointIdOf({ endpointId: 'lab', key: 'ep:lab' }), 'lab');
    assert.equal(endpointIdOf({ endpoint: { id: 'pve2' } }), 'pve2');
    assert.equal(endpointIdOf({ endpointId: 42 }), undefined);
    assert.equal(endpointIdOf(''), undefined);
    assert.equal(endpointIdOf(undefined), undefined);
  });
  it('reads a job id from an id or a job node, and stage lists only when they are all names', () => {
    assert.equal(jobIdOf({ jobId: 'mx1-a' }), 'mx1-a');
    assert.equal(jobIdOf({ endpointId: 'lab' }), undefined);
    assert.deepEqual(stagesOf({ stages: ['devices', 'storage'] }), ['devices', 'storage']);
    assert.equal(stagesOf({ stages: ['devices', 3] }), undefined);
    assert.equal(stagesOf({ stages: [] }), undefined);
  });
});
