import { strict as assert } from 'node:assert';
import { isReply, RpcClient, RpcServer, type HostMessage, type ReplyMessage, type RequestMessage } from '../../src/webview/shared/rpc';
import { WebviewChannel } from '../../src/ui/webviews/channel';

interface TestRequests {
  add: { params: { a: number; b: number }; result: number };
  fail: { params: null; result: null };
  slow: { params: null; result: string };
}

type Push = { type: 'changed'; n: number };

const tick = () => new Promise((r) => setImmediate(r));

describe('webview request/reply client', () => {
  it('numbers each request and resolves it by its own reply, in any order', async () => {
    const sent: RequestMessage<TestRequests>[] = [];
    const rpc = new RpcClient<TestRequests>((m) => sent.push(m));
    const first = rpc.request('add', { a: 1, b: 2 });
    const second = rpc.request('add', { a: 10, b: 20 });
    assert.deepEqual(sent.map((m) => m.seq), [1, 2]);
    assert.deepEqual(sent[1], { type: 'request', seq: 2, method: 'add', params: { a: 10, b: 20 } });
    assert.equal(rpc.handleReply({ type: 'reply', seq: 2, ok: true, result: 30 }), true);
    assert.equal(rpc.handleReply({ type: 'reply', seq: 1, ok: true, result: 3 }), true);
    assert.deepEqual(await Promise.all([first, second]), [3, 30]);
    assert.equal(rpc.handleReply({ type: 'reply', seq: 1, ok: true, result: 3 }), false, 'a second reply is ignored');
    assert.equal(rpc.waiting, 0);
  });

  it('rejects with the extension\'s error message, or a fallback that names the request', async () => {
    const rpc = new RpcClient<TestRequests>(() => undefined);
    const p = rpc.request('fail', null);
    rpc.handleReply({ type: 'reply', seq: 1, ok: false, error: 'The endpoint is gone; add it again.' } satisfies ReplyMessage<TestRequests>);
    await assert.rejects(p, /^Error: The endpoint is gone; add it again\.$/);
    const q = rpc.request('fail', null);
    rpc.handleReply({ type: 'reply', seq: 2, ok: false, error: '' });
    await assert.rejects(q, /error for 'fail' without a message; see the Proxbox log/);
  });

  it('gives up on a request nobody answers, so a view never waits forever', async () => {
    const rpc = new RpcClient<TestRequests>(() => undefined, 20);
    await assert.rejects(rpc.request('add', { a: 1, b: 1 }), /did not answer 'add' within 0 s.*reload the window/);
    assert.equal(rpc.handleReply({ type: 'reply', seq: 1, ok: true, result: 2 }), false, 'a late reply is dropped');
    const long = rpc.request('slow', null, 200);
    await new Promise((r) => setTimeout(r, 50));
    assert.equal(rpc.handleReply({ type: 'reply', seq: 2, ok: true, result: 'done' }), true, 'a longer timeout for one request is honoured');
    assert.equal(await long, 'done');
  });

  it('ignores messages that are not replies, and fails what still waits when the view goes away', async () => {
    const rpc = new RpcClient<TestRequests>(() => undefined);
    const pending = rpc.request('add', { a: 1, b: 1 });
    for (const m of [null, 'reply', { type: 'state' }, { type: 'reply', seq: '1', ok: true }, { type: 'reply', seq: 1 }, { type: 'reply', seq: 0, ok: true }]) {
      assert.equal(rpc.handleReply(m), false, JSON.stringify(m));
    }
    assert.equal(isReply({ type: 'reply', seq: 1, ok: false, error: 'x' }), true);
    rpc.dispose();
    await assert.rejects(pending, /abandoned/);
    assert.equal(rpc.waiting, 0);
  });
});

describe('webview request/reply server', () => {
  function server() {
    const replies: ReplyMessage<TestRequests>[] = [];
    const logs: string[] = [];
    let release: (v: string) => void = () => undefined;
    const s = new RpcServer<TestRequests>({
      add: async ({ a, b }) => a + b,
      fail: async () => { throw new Error('The inventory could not be read; sync again.'); },
      slow: () => new Promise<string>((r) => { release = r; }),
    }, (r) => replies.push(r), (m) => logs.push(m));
    return { s, replies, logs, release: (v: string) => release(v) };
  }

  it('answers each request with its own sequence number, results and errors alike', async () => {
    const { s, replies, logs } = server();
    await s.handle({ type: 'request', seq: 7, method: 'add', params: { a: 2, b: 3 } });
    await s.handle({ type: 'request', seq: 8, method: 'fail', params: null });
    assert.deepEqual(replies, [
      { type: 'reply', seq: 7, ok: true, result: 5 },
      { type: 'reply', seq: 8, ok: false, error: 'The inventory could not be read; sync again.' },
    ]);
    assert.match(logs.join('\n'), /request fail failed: The inventory could not be read/);
  });

  it('replies to an unknown method with what to do, and drops what it cannot reply to', async () => {
    const { s, replies, logs } = server();
    await s.handle({ type: 'request', seq: 1, method: 'toString', params: null });
    await s.handle({ type: 'request', seq: 2, method: 'deleteEverything', params: null });
    assert.deepEqual(replies.map((r) => [r.seq, r.ok]), [[1, false], [2, false]]);
    assert.match((replies[1] as { error: string }).error, /no request 'deleteEverything'; reload the window/);
    await s.handle({ type: 'request', method: 'add', params: { a: 1, b: 1 } });
    await s.handle({ type: 'request', seq: -1, method: 'add', params: { a: 1, b: 1 } });
    await s.handle('request');
    assert.equal(replies.length, 2, 'no reply without a valid sequence number');
    assert.equal(logs.filter((l) => /malformed request/.test(l)).length, 3);
  });

  it('lets a slow request finish after a fast one, each reply carrying its own number', async () => {
    const { s, replies, release } = server();
    const slow = s.handle({ type: 'request', seq: 1, method: 'slow', params: null });
    await s.handle({ type: 'request', seq: 2, method: 'add', params: { a: 1, b: 1 } });
    release('late');
    await slow;
    assert.deepEqual(replies.map((r) => r.seq), [2, 1]);
  });

  it('round-trips typed requests between a client and a server', async () => {
    const client: RpcClient<TestRequests> = new RpcClient<TestRequests>((m) => void srv.handle(JSON.parse(JSON.stringify(m))), 1000);
    const srv: RpcServer<TestRequests> = new RpcServer<TestRequests>({
      add: async ({ a, b }) => a * 100 + b,
      fail: async () => { throw new Error('no'); },
      slow: async () => 'ok',
    }, (r) => client.handleReply(JSON.parse(JSON.stringify(r))));
    assert.equal(await client.request('add', { a: 4, b: 2 }), 402);
    await assert.rejects(client.request('fail', null), /^Error: no$/);
    assert.equal(await client.request('slow', null), 'ok');
  });
});

describe('webview host channel', () => {
  function channel(onReady?: () => void) {
    const posted: HostMessage<Push, TestRequests>[] = [];
    const rendered: string[] = [];
    const c = new WebviewChannel<Push, TestRequests>({
      handlers: { add: async ({ a, b }) => a + b, fail: async () => null, slow: async () => '' },
      post: (m) => void posted.push(m),
      onReady,
      onRendered: (t) => rendered.push(t),
    });
    return { c, posted, rendered };
  }

  it('posts nothing before the view is ready, then what waited, in order', async () => {
    let readies = 0;
    const { c, posted } = channel(() => readies++);
    c.push({ type: 'changed', n: 1 });
    c.push({ type: 'changed', n: 2 });
    assert.deepEqual(posted, []);
    await c.receive({ type: 'ready' });
    assert.deepEqual(posted, [{ type: 'changed', n: 1 }, { type: 'changed', n: 2 }]);
    assert.equal(readies, 1);
    c.push({ type: 'changed', n: 3 });
    assert.equal(posted.length, 3, 'a listening view gets pushes at once');
  });

  it('keeps a push VS Code could not deliver (a hidden panel\'s discarded page) for the page that comes back', async () => {
    const posted: unknown[] = [];
    let live = true;
    const c = new WebviewChannel<Push, TestRequests>({
      handlers: { add: async () => 0, fail: async () => null, slow: async () => '' },
      post: (m) => {
        if (live) posted.push(m);
        return Promise.resolve(live);
      },
    });
    await c.receive({ type: 'ready' });
    live = false;
    c.push({ type: 'changed', n: 1 });
    await tick();
    assert.equal(c.isListening, false, 'an undelivered push means nobody listens');
    c.push({ type: 'changed', n: 2 });
    live = true;
    await c.receive({ type: 'ready' });
    await tick();
    assert.deepEqual(posted, [{ type: 'changed', n: 1 }, { type: 'changed', n: 2 }]);
    assert.equal(c.counts.readies, 2);
  });

  it('sends an undelivered push to a page that said ready while VS Code was still answering', async () => {
    const posted: unknown[] = [];
    let answer: (ok: boolean) => void = () => undefined;
    const c = new WebviewChannel<Push, TestRequests>({
      handlers: { add: async () => 0, fail: async () => null, slow: async () => '' },
      post: (m) => {
        posted.push(m);
        return new Promise<boolean>((r) => { answer = r; });
      },
    });
    await c.receive({ type: 'ready' });
    c.push({ type: 'changed', n: 1 });
    await c.receive({ type: 'ready' }); // the page restarted before VS Code said the push was lost
    answer(false);
    await tick();
    assert.deepEqual(posted, [{ type: 'changed', n: 1 }, { type: 'changed', n: 1 }]);
    assert.equal(c.isListening, true);
  });

  it('keeps only the latest pushes for a view that never comes back', () => {
    const posted: unknown[] = [];
    const d = new WebviewChannel<Push, TestRequests>({ handlers: { add: async () => 0, fail: async () => null, slow: async () => '' }, post: (m) => void posted.push(m) });
    for (let n = 0; n < 100; n++) d.push({ type: 'changed', n });
    void d.receive({ type: 'ready' });
    assert.equal(posted.length, 20);
    assert.deepEqual(posted[19], { type: 'changed', n: 99 });
  });

  it('answers requests through the envelope, before or after ready', async () => {
    const { c, posted } = channel();
    await c.receive({ type: 'request', seq: 1, method: 'add', params: { a: 1, b: 2 } });
    assert.deepEqual(posted, [{ type: 'reply', seq: 1, ok: true, result: 3 }], 'a request proves the view listens for its reply');
  });

  it('keeps the last text snapshot and counts renders, ignoring anything else', async () => {
    const { c, rendered } = channel();
    await c.receive({ type: 'rendered', text: 'November 2026' });
    await c.receive({ type: 'rendered', text: 42 });
    await c.receive({ type: 'nonsense' });
    await c.receive(null);
    assert.equal(c.lastSnapshot, 'November 2026');
    assert.deepEqual(rendered, ['November 2026']);
    assert.deepEqual(c.counts, { renders: 1, readies: 0 });
    await tick();
  });
});
