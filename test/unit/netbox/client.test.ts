// The NetBox client against a small real HTTPS server on 127.0.0.1 (the simulator's certificates) that scripts
// NetBox's answers as netbox-api.md documents them: 403 for bad tokens, per-item bulk errors, cursor pages.
import { strict as assert } from 'node:assert';
import { X509Certificate } from 'node:crypto';
import { createServer, type Server } from 'node:https';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { NetBoxClient, type NetBoxClientOptions } from '../../../src/core/netbox/client';
import { NetBoxError } from '../../../src/core/netbox/errors';
import { nodeLink, routineLink, vmLink } from '../../../src/core/netbox/netboxLinks';
import { explainError } from '../../../src/core/errors/explain';
import { certificates } from '../../../src/sim/certs';

interface Seen {
  method: string;
  url: string;
  headers: IncomingMessage['headers'];
  body: string;
}

type Script = (req: Seen, res: ServerResponse) => void;

interface FakeNetBox {
  url: string;
  seen: Seen[];
  script: Script;
  close(): Promise<void>;
}

const V2 = 'nbt_abcdEFGH1234.0123456789abcdef0123456789abcdef01234567';
const V1 = '0123456789abcdef0123456789abcdef01234567';

function send(res: ServerResponse, status: number, body: unknown, apiVersion = '4.6'): void {
  const text = body === undefined ? '' : JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text), 'api-version': apiVersion });
  res.end(text);
}

async function startNetBox(script: Script = (_q, res) => send(res, 404, { detail: 'Not found.' })): Promise<FakeNetBox> {
  const state = { seen: [] as Seen[], script };
  const server: Server = createServer({ key: certificates.a.key, cert: certificates.a.cert }, (req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const seen = { method: req.method ?? '', url: req.url ?? '', headers: req.headers, body: Buffer.concat(chunks).toString('utf8') };
      state.seen.push(seen);
      state.script(seen, res);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return Object.assign(state, {
    url: `https://127.0.0.1:${port}`,
    close: () => new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    }),
  });
}

const fingerprintA = new X509Certificate(certificates.a.cert).fingerprint256;
const fingerprintB = new X509Certificate(certificates.b.cert).fingerprint256;
const fast: Partial<NetBoxClientOptions> = { timeoutMs: 2000, retries: 2, retryBaseMs: 5, concurrency: 4 };

/** A NetBox of `version` with `count` sites; pages as that version does (cursor from 4.6, offset before). */
function pagingNetBox(version: string, count: number): Script {
  const rows = Array.from({ length: count }, (_, i) => ({ id: (i + 1) * 3, name: `site-${i + 1}` }));
  const major = version.split('.').slice(0, 2).join('.');
  return (req, res) => {
    const u = new URL(req.url, 'https://netbox.test');
    if (u.pathname === '/api/status/') return send(res, 200, { 'netbox-version': version, plugins: { netbox_proxbox: '0.0.24' } }, major);
    const limit = Number(u.searchParams.get('limit') ?? 50);
    const cursor = major >= '4.6' && u.searchParams.has('start');
    let page: typeof rows;
    let next: string | null = null;
    if (cursor) {
      const start = Number(u.searchParams.get('start'));
      page = rows.filter((r) => r.id >= start).slice(0, limit);
      if (page.length === limit) {
        u.searchParams.set('start', String(page[page.length - 1].id + 1));
        next = `https://127.0.0.1:${req.headers.host?.split(':')[1]}${u.pathname}?${u.searchParams.toString()}`;
      }
    } else {
      const offset = Number(u.searchParams.get('offset') ?? 0);
      page = rows.slice(offset, offset + limit);
      if (offset + limit < rows.length) {
        u.searchParams.set('offset', String(offset + limit));
        next = `https://${req.headers.host}${u.pathname}?${u.searchParams.toString()}`;
      }
    }
    send(res, 200, { count: cursor ? null : rows.length, next, previous: null, results: page }, major);
  };
}

async function failure(p: Promise<unknown>): Promise<NetBoxError> {
  try {
    await p;
  } catch (e) {
    assert.ok(e instanceof NetBoxError, `expected a NetBoxError, got ${String(e)}`);
    return e;
  }
  assert.fail('expected the call to fail');
}

/** Every text a user or a log can see of an error. */
const allText = (e: NetBoxError): string =>
  [e.message, e.netboxMessage ?? '', e.path, String(e), JSON.stringify(e.toDetail()), JSON.stringify(e.itemErrors ?? []), JSON.stringify(explainError(e))].join('\n');

describe('NetBox client', () => {
  let nb: FakeNetBox;
  const clients: NetBoxClient[] = [];
  /** `pin` null: no pin, CA verification. */
  const client = (token = V2, options: Partial<NetBoxClientOptions> = {}, pin: string | null = fingerprintA): NetBoxClient => {
    const c = new NetBoxClient({ url: nb.url, ...(pin === null ? {} : { fingerprint: pin }) }, token, { ...fast, ...options });
    clients.push(c);
    return c;
  };

  beforeEach(async () => {
    nb = await startNetBox();
  });
  afterEach(async () => {
    await Promise.all(clients.splice(0).map((c) => c.close()));
    await nb.close();
  });

  describe('tokens and headers', () => {
    it('sends a v2 token (nbt_…) as Bearer and a v1 token with the Token keyword, JSON accepted, Content-Type on writes', async () => {
      nb.script = (req, res) => (req.method === 'GET' ? send(res, 200, { 'netbox-version': '4.6.8', plugins: {} }) : send(res, 201, [{ id: 1, name: 'a' }]));
      await client(V2).status();
      await client(V1).create('/api/dcim/sites/', [{ name: 'a', slug: 'a' }]);
      const [get, post] = nb.seen;
      assert.equal(get.headers.authorization, `Bearer ${V2}`);
      assert.equal(get.headers.accept, 'application/json');
      assert.equal(get.headers['content-type'], undefined);
      assert.equal(post.headers.authorization, `Token ${V1}`);
      assert.equal(post.headers['content-type'], 'application/json');
      assert.deepEqual(JSON.parse(post.body), [{ name: 'a', slug: 'a' }]);
    });

    it('refuses an empty token before any request, and never shows the token in toString or JSON', () => {
      assert.throws(() => client('  '), (e: unknown) => e instanceof NetBoxError && /empty/.test(e.message));
      const c = client(V2);
      assert.ok(!String(c).includes(V2) && !JSON.stringify(c).includes(V2));
      assert.equal(nb.seen.length, 0);
    });
  });

  describe('status and the plugin', () => {
    it('reads the version and plugins from /api/status/', async () => {
      nb.script = (_req, res) => send(res, 200, { 'netbox-version': '4.7.1', 'django-version': '5.2', plugins: { netbox_proxbox: '0.0.24' } });
      assert.deepEqual(await client().status(), { version: '4.7.1', plugins: { netbox_proxbox: '0.0.24' } });
      assert.equal(nb.seen[0].url, '/api/status/');
    });

    it('knows the proxbox plugin from /api/plugins/proxbox/: 200 yes, 404 no, 403 an error', async () => {
      const c = client();
      nb.script = (_req, res) => send(res, 200, { 'backup-routines': 'x' });
      assert.equal(await c.hasProxboxPlugin(), true);
      nb.script = (_req, res) => send(res, 404, { detail: 'Not found.' });
      assert.equal(await c.hasProxboxPlugin(), false);
      nb.script = (_req, res) => send(res, 403, { detail: 'Invalid v2 token' });
      assert.equal((await failure(c.hasProxboxPlugin())).category, 'authentication');
      assert.ok(nb.seen.every((r) => r.url === '/api/plugins/proxbox/'));
    });
  });

  describe('lists', () => {
    it('pages a 4.6 NetBox with the cursor (start=0, then its next links) and keeps the caller\'s filters', async () => {
      nb.script = pagingNetBox('4.6.8', 5);
      const rows = await client(V2, { pageSize: 2 }).list('/api/dcim/sites/', { tag: 'proxbox', id: ['3', '6'] });
      assert.deepEqual(rows.map((r) => r.id), [3, 6, 9, 12, 15]);
      const lists = nb.seen.filter((r) => r.url.startsWith('/api/dcim/sites/')).map((r) => new URL(r.url, 'https://x'));
      assert.equal(lists.length, 3);
      assert.deepEqual(lists.map((u) => u.searchParams.get('start')), ['0', '7', '13']);
      assert.ok(lists.every((u) => !u.searchParams.has('offset') && u.searchParams.get('limit') === '2'));
      assert.deepEqual(lists[0].searchParams.getAll('id'), ['3', '6']);
      assert.equal(lists[0].searchParams.get('tag'), 'proxbox');
    });

    it('pages a 4.5 NetBox with limit/offset, having learned its version once from /api/status/', async () => {
      nb.script = pagingNetBox('4.5.2', 5);
      const c = client(V2, { pageSize: 2 });
      assert.equal((await c.list('/api/dcim/sites/')).length, 5);
      assert.equal((await c.list('/api/dcim/sites/')).length, 5);
      assert.equal(nb.seen.filter((r) => r.url === '/api/status/').length, 1);
      const lists = nb.seen.filter((r) => r.url.startsWith('/api/dcim/sites/')).map((r) => new URL(r.url, 'https://x'));
      assert.deepEqual(lists.slice(0, 3).map((u) => u.searchParams.get('offset')), ['0', '2', '4']);
      assert.ok(lists.every((u) => !u.searchParams.has('start')));
      assert.equal(c.requestCount, 7);
      assert.equal(c.writeCount, 0);
    });

    it('learns the version from an earlier answer\'s API-Version header instead of asking /api/status/', async () => {
      const listing = pagingNetBox('4.6.8', 3);
      nb.script = (req, res) => (req.method === 'POST' ? send(res, 201, [{ id: 1 }], '4.6') : listing(req, res));
      const c = client(V2, { pageSize: 10 });
      await c.create('/api/dcim/sites/', [{ name: 'x', slug: 'x' }]);
      assert.equal((await c.list('/api/dcim/sites/')).length, 3);
      assert.deepEqual(nb.seen.map((r) => r.method + ' ' + r.url), ['POST /api/dcim/sites/', 'GET /api/dcim/sites/?limit=10&start=0']);
    });

    it('pages with offset when the caller orders the list (NetBox refuses start with ordering)', async () => {
      nb.script = pagingNetBox('4.6.8', 3);
      assert.equal((await client(V2, { pageSize: 2 }).list('/api/dcim/sites/', { ordering: 'name' })).length, 3);
      const first = new URL(nb.seen.find((r) => r.url.startsWith('/api/dcim/sites/'))!.url, 'https://x');
      assert.equal(first.searchParams.get('offset'), '0');
      assert.equal(first.searchParams.has('start'), false);
    });

    it('keeps no more requests in flight than its concurrency', async () => {
      let open = 0;
      let most = 0;
      nb.script = (_req, res) => {
        most = Math.max(most, ++open);
        setTimeout(() => {
          open--;
          send(res, 200, { 'netbox-version': '4.6.8', plugins: {} });
        }, 20);
      };
      const c = client(V2, { concurrency: 2 });
      await Promise.all(Array.from({ length: 8 }, () => c.status()));
      assert.equal(most, 2);
      assert.equal(c.requestCount, 8);
    });

    it('refuses a next link to another origin, so the token never goes there', async () => {
      nb.script = (req, res) => req.url === '/api/status/'
        ? send(res, 200, { 'netbox-version': '4.6.8', plugins: {} })
        : send(res, 200, { count: null, next: 'https://elsewhere.invalid/api/dcim/sites/?start=2&limit=1', previous: null, results: [{ id: 1 }] });
      const e = await failure(client(V2, { pageSize: 1 }).list('/api/dcim/sites/'));
      assert.equal(e.code, 'OTHER_ORIGIN');
      assert.match(e.message, /elsewhere\.invalid/);
      assert.equal(nb.seen.length, 2);
    });
  });

  describe('errors', () => {
    it('tells a bad or missing token (403 with NetBox\'s words) from a missing permission (any other 403)', async () => {
      const c = client();
      for (const detail of ['Invalid v2 token', 'Authentication credentials were not provided.', 'Token expired']) {
        nb.script = (_req, res) => send(res, 403, { detail });
        const e = await failure(c.list('/api/dcim/sites/'));
        assert.equal(e.category, 'authentication', detail);
        assert.equal(e.status, 403);
        assert.equal(e.netboxMessage, detail);
        assert.match(e.suggestion, /API Tokens/);
      }
      nb.script = (_req, res) => send(res, 403, { detail: 'You do not have permission to perform this action.' });
      const e = await failure(c.create('/api/dcim/sites/', [{ name: 'a', slug: 'a' }]));
      assert.equal(e.category, 'permission');
      assert.equal(e.method, 'POST');
      assert.match(e.suggestion, /Write enabled/);
      assert.match(e.message, new RegExp(`NetBox at ${nb.url.replace(/\./g, '\\.')}`));
    });

    it('reports a bulk 400 with the per-item errors aligned to the input, naming the item and field', async () => {
      const itemErrors = [{}, { slug: ['This field is required.'] }, {}];
      nb.script = (_req, res) => send(res, 400, itemErrors);
      const c = client();
      const e = await failure(c.create('/api/dcim/sites/', [{ name: 'a', slug: 'a' }, { name: 'b' }, { name: 'c', slug: 'c' }]));
      assert.equal(e.category, 'validation');
      assert.deepEqual(e.itemErrors, itemErrors);
      assert.match(e.message, /item 2 \(name "b"\): slug: This field is required\./);
      assert.ok(!/item 1|item 3/.test(e.message));
      assert.equal(c.writeCount, 1);
      assert.equal(nb.seen.length, 1);
    });

    it('joins the field errors of a plain 400 readably', async () => {
      nb.script = (_req, res) => send(res, 400, { name: ['site with this name already exists.'], non_field_errors: ['Bad.'] });
      const e = await failure(client().update('/api/dcim/sites/', [{ id: 4, name: 'x' }]));
      assert.equal(e.netboxMessage, 'name: site with this name already exists.; Bad.');
      assert.equal(e.itemErrors, undefined);
      assert.deepEqual(JSON.parse(nb.seen[0].body), [{ id: 4, name: 'x' }]);
      assert.equal(nb.seen[0].method, 'PATCH');
    });

    it('deletes with [{"id": n}] and reports a 409 with NetBox\'s own message', async () => {
      const detail = 'Unable to delete object. 2 dependent objects were found: eth0 (1), eth1 (2)';
      nb.script = (_req, res) => send(res, 409, { detail });
      const e = await failure(client().delete('/api/virtualization/virtual-machines/', [5, 7]));
      assert.equal(nb.seen[0].method, 'DELETE');
      assert.deepEqual(JSON.parse(nb.seen[0].body), [{ id: 5 }, { id: 7 }]);
      assert.equal(e.category, 'validation');
      assert.equal(e.status, 409);
      assert.equal(e.netboxMessage, detail);
      assert.match(e.toDetail().detail, /HTTP 409 · DELETE \/api\/virtualization\/virtual-machines\/ · Unable to delete/);
      const explained = explainError(e);
      assert.equal(explained.category, 'validation');
      assert.match(explained.detail, /DELETE/);
    });

    it('a bulk delete that succeeds (204, no body) resolves', async () => {
      nb.script = (_req, res) => {
        res.writeHead(204, { 'api-version': '4.6' });
        res.end();
      };
      await client().delete('/api/dcim/sites/', [1]);
      assert.equal(nb.seen.length, 1);
    });
  });

  describe('retries and deadlines', () => {
    it('retries a GET on 503 until it answers, and never a POST', async () => {
      let failures = 2;
      nb.script = (_req, res) => {
        if (failures-- > 0) return send(res, 503, { detail: 'Service unavailable' });
        send(res, 200, { 'netbox-version': '4.6.8', plugins: {} });
      };
      const c = client();
      assert.equal((await c.status()).version, '4.6.8');
      assert.equal(c.requestCount, 3);
      nb.seen.length = 0;
      nb.script = (_req, res) => send(res, 503, { detail: 'Service unavailable' });
      const e = await failure(c.create('/api/dcim/sites/', [{ name: 'a', slug: 'a' }]));
      assert.equal(e.category, 'connection');
      assert.equal(nb.seen.length, 1);
      nb.seen.length = 0;
      assert.equal((await failure(c.status())).status, 503);
      assert.equal(nb.seen.length, 3, 'one attempt and two retries');
    });

    it('times out a read (retried) and a write (not retried, and says it may have happened)', async () => {
      nb.script = () => undefined; // never answers
      const c = client(V2, { timeoutMs: 150, retries: 1 });
      const read = await failure(c.status());
      assert.equal(read.category, 'timeout');
      assert.equal(nb.seen.length, 2);
      nb.seen.length = 0;
      const write = await failure(c.update('/api/dcim/sites/', [{ id: 1, name: 'x' }]));
      assert.equal(write.category, 'timeout');
      assert.match(write.message, /may still have happened/);
      assert.equal(nb.seen.length, 1);
    });

    it('cancels a running request on abort, and sends nothing when already aborted', async () => {
      nb.script = () => undefined;
      const c = client(V2, { timeoutMs: 5000 });
      const ac = new AbortController();
      setTimeout(() => ac.abort(), 50);
      const started = Date.now();
      assert.equal((await failure(c.list('/api/dcim/sites/', {}, ac.signal))).category, 'cancelled');
      assert.ok(Date.now() - started < 2000);
      const seen = nb.seen.length;
      assert.equal((await failure(c.create('/api/dcim/sites/', [{ name: 'a' }], ac.signal))).category, 'cancelled');
      assert.equal(nb.seen.length, seen);
    });

    it('stops an answer larger than the size cap, without retrying it', async () => {
      nb.script = (_req, res) => send(res, 200, { 'netbox-version': '4.6.8', plugins: Object.fromEntries(Array.from({ length: 200 }, (_, i) => [`p${i}`, '1.0'])) });
      const c = client(V2, { maxResponseBytes: 1000 });
      const e = await failure(c.status());
      assert.equal(e.code, 'RESPONSE_TOO_LARGE');
      assert.equal(nb.seen.length, 1);
    });
  });

  describe('more limits', () => {
    it('stops a streamed answer (no Content-Length) once it passes the size cap', async () => {
      nb.script = (_req, res) => {
        res.writeHead(200, { 'content-type': 'application/json', 'api-version': '4.6' });
        res.write(`{"netbox-version":"4.6.8","plugins":{"a":"${'x'.repeat(800)}`);
        setTimeout(() => res.end(`${'y'.repeat(800)}"}}`), 20);
      };
      const e = await failure(client(V2, { maxResponseBytes: 1000 }).status());
      assert.equal(e.code, 'RESPONSE_TOO_LARGE');
      assert.equal(nb.seen.length, 1);
    });

    it('cancels a read waiting to be retried', async () => {
      nb.script = (_req, res) => send(res, 503, { detail: 'down' });
      const ac = new AbortController();
      const c = client(V2, { retries: 5, retryBaseMs: 2000 });
      setTimeout(() => ac.abort(), 100);
      const started = Date.now();
      assert.equal((await failure(c.status(ac.signal))).category, 'cancelled');
      assert.ok(Date.now() - started < 1500);
      assert.equal(nb.seen.length, 1);
    });

    it('names at most five refused items and counts the rest', async () => {
      const items = Array.from({ length: 8 }, (_, i) => ({ name: `vm${i}` }));
      nb.script = (_req, res) => send(res, 400, items.map(() => ({ status: ['Select a valid choice.'] })));
      const e = await failure(client().create('/api/virtualization/virtual-machines/', items));
      assert.match(e.message, /item 5 \(name "vm4"\): status: Select a valid choice\.; and 3 more$/);
      assert.equal(e.itemErrors?.length, 8);
    });
  });

  describe('large batches', () => {
    it('keeps the item errors of a 2000-item batch aligned (a body of over 100 KB still parses)', async () => {
      const items = Array.from({ length: 2000 }, (_, i) => ({ name: `vm${i}` }));
      const errors = items.map((_, i) => (i === 1234 ? { memory: ['Ensure this value is greater than or equal to 0.'] } : { name: ['Virtual machine with this name already exists in this cluster.'] }));
      nb.script = (_req, res) => send(res, 400, errors);
      const e = await failure(client().create('/api/virtualization/virtual-machines/', items));
      assert.equal(e.itemErrors?.length, 2000);
      assert.deepEqual(e.itemErrors?.[1234], { memory: ['Ensure this value is greater than or equal to 0.'] });
      assert.ok(e.message.length < 4000, 'the message stays readable');
    });
  });

  describe('TLS', () => {
    it('accepts the pinned fingerprint in lower case and without colons', async () => {
      nb.script = (_req, res) => send(res, 200, { 'netbox-version': '4.6.8', plugins: {} });
      assert.equal((await client(V2, {}, fingerprintA.toLowerCase()).status()).version, '4.6.8');
      assert.equal((await client(V2, {}, fingerprintA.replace(/:/g, '').toLowerCase()).status()).version, '4.6.8');
    });

    it('refuses another certificate than the pinned one before any request is sent', async () => {
      const e = await failure(client(V2, { retries: 2 }, fingerprintB).status());
      assert.equal(e.code, 'CERT_CHANGED');
      assert.equal(e.expectedFingerprint, fingerprintB.toUpperCase());
      assert.equal(e.actualFingerprint, fingerprintA.toUpperCase());
      assert.equal(nb.seen.length, 0);
    });

    it('refuses a self-signed certificate without a pin, saying how to pin it', async () => {
      const e = await failure(client(V2, { retries: 0 }, null).status());
      assert.equal(e.category, 'connection');
      assert.match(e.code ?? '', /^TLS_/);
      assert.match(e.suggestion, /fingerprint/);
      assert.equal(nb.seen.length, 0);
    });
  });

  describe('the token never leaks', () => {
    it('is masked in every error text and log line, even when NetBox or a proxy echoes it', async () => {
      const lines: string[] = [];
      for (const token of [V2, V1]) {
        const c = client(token, { retries: 1, log: (_l, m) => lines.push(m) });
        const echoes: [number, unknown][] = [
          [403, { detail: `Invalid v2 token ${token}` }],
          [400, [{ name: [`bad ${token}`] }]],
          [500, { error: 'boom', exception: `Authorization: Bearer ${token}` }],
          [502, `<html>bad gateway ${token}</html>`],
        ];
        for (const [status, body] of echoes) {
          nb.script = (_req, res) => send(res, status, body);
          for (const e of [await failure(c.list('/api/dcim/sites/', { q: 'x' })), await failure(c.create('/api/dcim/sites/', [{ name: 'x' }]))]) {
            assert.ok(!allText(e).includes(token), `${status}: ${allText(e)}`);
          }
        }
        nb.script = () => undefined;
        const slow = client(token, { timeoutMs: 100, retries: 0, log: (_l, m) => lines.push(m) });
        assert.ok(!allText(await failure(slow.status())).includes(token));
      }
      assert.ok(lines.length > 0);
      assert.ok(lines.every((l) => !l.includes(V2) && !l.includes(V1)));
    });
  });

  describe('bad targets', () => {
    it('refuses plain http to a remote host, a malformed pin, and a path without its final slash', async () => {
      assert.throws(() => new NetBoxClient({ url: 'http://netbox.example.com' }, V2, fast), /does not use https/);
      assert.throws(() => new NetBoxClient({ url: nb.url, fingerprint: 'AB:CD' }, V2, fast), /fingerprint .* malformed/);
      await assert.rejects(client().list('/api/dcim/sites'), /final slash/);
    });

    it('keeps a base path (NetBox under /netbox/) for every request', async () => {
      nb.script = (_req, res) => send(res, 200, { 'netbox-version': '4.6.8', plugins: {} });
      const c = new NetBoxClient({ url: `${nb.url}/netbox/`, fingerprint: fingerprintA }, V2, fast);
      clients.push(c);
      await c.status();
      assert.equal(nb.seen[0].url, '/netbox/api/status/');
    });
  });
});

describe('NetBox links', () => {
  it('finds a VM, a device and a backup routine by our custom fields, URL-encoded, under any base path', () => {
    assert.equal(
      vmLink('https://nb.example.com/', 'lab cluster&1', 101),
      'https://nb.example.com/virtualization/virtual-machines/?cf_proxbox_endpoint=lab+cluster%261&cf_proxbox_vmid=101',
    );
    assert.equal(
      nodeLink('https://nb.example.com/netbox/api/', 'pve-1', 'nœud/#1'),
      'https://nb.example.com/netbox/dcim/devices/?cf_proxbox_endpoint=pve-1&cf_proxbox_node=n%C5%93ud%2F%231',
    );
    assert.equal(routineLink('https://nb.example.com', 'backup-9a1b?x=1'), 'https://nb.example.com/plugins/proxbox/backup-routines/?job_id=backup-9a1b%3Fx%3D1');
    const u = new URL(vmLink('https://nb.example.com', 'a=b c', 7));
    assert.equal(u.searchParams.get('cf_proxbox_endpoint'), 'a=b c');
  });
});
