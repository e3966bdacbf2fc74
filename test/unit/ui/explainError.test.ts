import { strict as assert } from 'node:assert';
import { explainError } from '../../../src/ui/format/explainError';

describe('ui: error explanations', () => {
  it('keeps the category and suggestion an error carries', () => {
    const e = Object.assign(new Error('401 authentication failure'), { category: 'authentication', suggestion: 'check the token' });
    assert.deepEqual(explainError(e), { category: 'authentication', message: '401 authentication failure', suggestion: 'check the token' });
  });
  it('maps Node network codes to a next step', () => {
    const x = explainError(Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:8006'), { code: 'ECONNREFUSED' }));
    assert.equal(x.category, 'connection');
    assert.match(x.suggestion ?? '', /8006/);
  });
  it('cancellation and unknown values still read well', () => {
    const abort = new Error('aborted');
    abort.name = 'AbortError';
    assert.equal(explainError(abort).category, 'cancelled');
    assert.equal(explainError('boom').message, 'boom');
    assert.match(explainError(new Error('x')).suggestion ?? '', /Show Log/);
  });
});
