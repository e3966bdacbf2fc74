import { strict as assert } from 'node:assert';
import { failed, idle, loaded, loading } from '../../src/webview/shared/loadable';

describe('webview loadable', () => {
  it('settles only the latest request: older answers and failures are dropped', () => {
    let l = loading(idle<string>(), 1, false);
    l = loading(l, 2, false);
    assert.equal(loaded(l, 1, 'old'), l, 'an answer to request 1 while 2 is under way');
    assert.equal(failed(l, 1, 'timeout'), l);
    assert.deepEqual(loaded(l, 2, 'new'), { status: 'ready', value: 'new', error: null, request: 2 });
  });

  it('keeps the value on screen through a refresh and a failed refresh, or clears it for something else', () => {
    const shown = loaded(loading(idle<string>(), 1, false), 1, 'November');
    const refreshing = loading(shown, 2, true);
    assert.deepEqual([refreshing.status, refreshing.value], ['loading', 'November']);
    assert.deepEqual(failed(refreshing, 2, 'The extension did not answer.'), { status: 'error', value: 'November', error: 'The extension did not answer.', request: 2 });
    assert.equal(loading(shown, 3, false).value, null, 'another range: the old value would be wrong');
  });
});
