import { strict as assert } from 'node:assert';
import { RpcClient, type ReplyMessage } from '../../src/webview/shared/rpc';

interface TestRequests {
  add: { params: { a: number; b: number }; result: number };
  fail: { params: null; result: null };
}

describe('webview request/reply client', () => {
  it('numbers each request and resolves it by its own reply, in any order', async () => {
    const sent: { seq: number; method: string; params: unknown }[] = [];
    const rpc = new RpcClient<TestRequests>((m) => sent.push(m as { seq: number; method: string; params: unknown }));
    const first = rpc.request('add', { a: 1, b: 2 });
    const second = rpc.request('add', { a: 10, b: 20 });
    assert.deepEqual(sent.map((m) => m.seq), [1, 2]);
    assert.deepEqual(sent[1], { type: 'request', seq: 2, method: 'add', params: { a: 10, b: 20 } });
    assert.equal(rpc.handleReply({ type: 'reply', seq: 2, ok: true, result: 30 }), true);
    assert.equal(rpc.handleReply({ type: 'reply', seq: 1, ok: true, result: 3 }), true);
    assert.deepEqual(await Promise.all([first, second]), [3, 30]);
    assert.equal(rpc.handleReply({ type: 'reply', seq: 1, ok: true, result: 3 }), false, 'a second reply is ignored');
  });

  it('rejects with the extension\'s error message', async () => {
    const rpc = new RpcClient<TestRequests>(() => undefined);
    const p = rpc.request('fail', null);
    rpc.handleReply({ type: 'reply', seq: 1, ok: false, error: 'The endpoint is gone; add it again.' } as ReplyMessage);
    await assert.rejects(p, /The endpoint is gone; add it again\./);
  });

  it('gives up on a request nobody answers, so a view never waits forever', async () => {
    const rpc = new RpcClient<TestRequests>(() => undefined, 20);
    await assert.rejects(rpc.request('add', { a: 1, b: 1 }), /did not answer 'add'.*reload the window/);
    assert.equal(rpc.handleReply({ type: 'reply', seq: 1, ok: true, result: 2 }), false, 'a late reply is dropped');
  });
});
