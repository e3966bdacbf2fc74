import { strict as assert } from 'node:assert';
import { answerWithin, VsCodeUnresponsiveError } from '../../../src/ui/sync/answerWithin';
import { explainError } from '../../../src/core/errors/explain';

describe('answerWithin: a sync does not wait forever for a VS Code that went away', () => {
  it('passes an answer and a failure through unchanged', async () => {
    assert.equal(await answerWithin(Promise.resolve('s3cr3t'), 'the token secret', undefined, 1_000), 's3cr3t');
    await assert.rejects(answerWithin(Promise.reject(new Error('keychain locked')), 'the token secret', undefined, 1_000), /keychain locked/);
  });

  it('gives up after its time with an error that names what was asked and the next step', async () => {
    const never = new Promise<string>(() => undefined);
    const err = await answerWithin(never, 'the token secret of Lab', undefined, 20).then(() => undefined, (e: unknown) => e);
    assert.ok(err instanceof VsCodeUnresponsiveError);
    const x = explainError(err);
    assert.equal(x.category, 'timeout');
    assert.match(x.message, /did not answer within 0 s when asked for the token secret of Lab/);
    assert.match(x.suggestion ?? '', /Reload this window/);
  });

  it('stops waiting at once when the sync is cancelled', async () => {
    const abort = new AbortController();
    const pending = answerWithin(new Promise<string>(() => undefined), 'the token secret', abort.signal, 60_000);
    abort.abort(new Error('Sync cancelled.'));
    await assert.rejects(pending, /Sync cancelled/);
  });
});
