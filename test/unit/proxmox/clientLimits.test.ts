// The client's bounds on what a server sends: a per-request response size limit counted while the body streams in
// (the transfer is stopped there, so memory stays bounded), and server text capped in error messages.
import { strict as assert } from 'node:assert';
import type { ServerResponse } from 'node:http';
import {
  DEFAULT_MAX_RESPONSE_BYTES, formatByteSize, ProxmoxClient, type ClientOptions, type EndpointConfig,
} from '../../../src/core/proxmox';
import { DEFAULT_OPTIONS, resolveOptions } from '../../../src/core/pipeline';
import { fingerprintOf, json, startTestServer, type Handler, type TestServer } from './testServer';
import { rejection } from './rejection';

const SECRET = '5f0b1c2d-aaaa-bbbb-cccc-0123456789ab';
const KiB = 1024;
const MiB = 1024 * KiB;


/**
 * Streams `{"data":{"version":"9.0.4","release":"9.0","repoid":"x","pad":"    …"}}` of about `total` bytes, chunked
 * (no Content-Length), honouring back-pressure; `sent.bytes` says how much left the server before it stopped.
 */
function streamVersion(total: number, sent: { bytes: number; closedEarly: boolean }): Handler {
  return (_req, res: ServerResponse) => {
    res.writeHead(200, 'OK', { 'content-type': 'application/json;charset=UTF-8' });
    const head = '{"data":{"version":"9.0.4","release":"9.0","repoid":"x","pad":"';
    const tail = '"}}';
    const chunk = ' '.repeat(64 * KiB);
    let left = Math.max(0, total - head.length - tail.length);
    res.on('close', () => {
      if (!res.writableFinished) sent.closedEarly = true;
    });
    const write = (text: string): boolean => {
      sent.bytes += text.length;
      return res.write(text);
    };
    write(head);
    const pump = (): void => {
      while (left > 0 && !res.destroyed) {
        const part = left >= chunk.length ? chunk : chunk.slice(0, left);
        left -= part.length;
        if (!write(part)) {
          res.once('drain', pump);
          return;
        }
      }
      if (!res.destroyed) {
        sent.bytes += tail.length;
        res.end(tail);
      }
    };
    pump();
  };
}

describe('proxmox client: bounded responses and capped messages', function () {
  this.timeout(30_000);
  let server: TestServer | undefined;
  let client: ProxmoxClient | undefined;
  const logs: string[] = [];

  afterEach(async () => {
    await client?.close();
    await server?.close();
    client = undefined;
    server = undefined;
    logs.length = 0;
  });

  async function setup(handler: Handler, opts: ClientOptions = {}): Promise<ProxmoxClient> {
    server = await startTestServer('a', handler);
    const endpoint: EndpointConfig = { id: 'ep1', name: 'test-cluster', url: server.url, tokenId: 'proxbox@pve!sync', fingerprint: fingerprintOf('a') };
    client = new ProxmoxClient(endpoint, SECRET, { retryBaseMs: 1, timeoutMs: 5000, log: (l, m) => logs.push(`${l} ${m}`), ...opts });
    return client;
  }

  describe('response size limit', () => {
    it('stops an answer past the limit while it streams: a typed error naming the path and the limit, not retried', async () => {
      const sent = { bytes: 0, closedEarly: false };
      const c = await setup(streamVersion(20 * MiB, sent), { maxResponseBytes: 256 * KiB, retries: 3 });
      const e = await rejection(c.version());
      assert.equal(e.category, 'validation');
      assert.equal(e.code, 'RESPONSE_TOO_LARGE');
      assert.equal(e.path, '/version');
      assert.match(e.message, /GET \/version from test-cluster is larger than the limit of 256 KiB per response/);
      assert.match(e.suggestion, /proxbox\.maxResponseMegabytes/);
      assert.match(e.suggestion, /proxy/);
      assert.equal(server!.requests.length, 1, 'a too-large answer is not asked for again');
      // The transfer was cut: the server could not send the 20 MiB (socket buffers hold a few MiB at most).
      for (let i = 0; i < 50 && !sent.closedEarly; i++) await new Promise((r) => setTimeout(r, 20));
      assert.ok(sent.closedEarly, `the connection was closed before the server finished (sent ${sent.bytes})`);
      assert.ok(sent.bytes < 10 * MiB, `the server sent only ${formatByteSize(sent.bytes)} of 20 MiB`);
    });

    it('fails at once on a declared Content-Length over the limit, before reading the body', async () => {
      const c = await setup((_req, res) => {
        res.writeHead(200, 'OK', { 'content-type': 'application/json', 'content-length': 5 * MiB });
        res.write('{"data":');
        // The rest never comes: only the header can have decided.
      }, { maxResponseBytes: MiB, timeoutMs: 3000 });
      const t0 = performance.now();
      const e = await rejection(c.version());
      assert.equal(e.code, 'RESPONSE_TOO_LARGE');
      assert.match(e.message, /limit of 1 MiB per response \(5 MiB announced\)/);
      assert.ok(performance.now() - t0 < 2000, 'decided on the header, not by the timeout');
    });

    it('accepts an answer of exactly the limit, and one byte more fails', async () => {
      const body = JSON.stringify({ data: { version: '9.0.4', release: '9.0', repoid: 'x', pad: ' '.repeat(1000) } });
      const size = Buffer.byteLength(body);
      let c = await setup(streamVersion(size, { bytes: 0, closedEarly: false }), { maxResponseBytes: size });
      assert.equal((await c.version()).version, '9.0.4');
      await client!.close();
      await server!.close();
      c = await setup(streamVersion(size, { bytes: 0, closedEarly: false }), { maxResponseBytes: size - 1 });
      assert.equal((await rejection(c.version())).code, 'RESPONSE_TOO_LARGE');
    });

    it('defaults to 64 MiB: a 65 MiB answer is refused, with memory bounded by the limit', async () => {
      assert.equal(DEFAULT_MAX_RESPONSE_BYTES, 64 * MiB);
      const sent = { bytes: 0, closedEarly: false };
      const c = await setup(streamVersion(65 * MiB, sent));
      const e = await rejection(c.version());
      assert.equal(e.code, 'RESPONSE_TOO_LARGE');
      assert.match(e.message, /limit of 64 MiB per response \(more than 64 MiB sent\)/);
      // Under the default a large but real answer passes.
      await client!.close();
      await server!.close();
      const ok = await setup(streamVersion(8 * MiB, { bytes: 0, closedEarly: false }));
      assert.equal((await ok.version()).release, '9.0');
    });

    it('an invalid limit falls back to the default instead of refusing everything', async () => {
      const c = await setup(streamVersion(2 * MiB, { bytes: 0, closedEarly: false }), { maxResponseBytes: Number.NaN });
      assert.equal((await c.version()).version, '9.0.4');
      await client!.close();
      await server!.close();
      const z = await setup(streamVersion(2 * MiB, { bytes: 0, closedEarly: false }), { maxResponseBytes: 0 });
      assert.equal((await z.version()).version, '9.0.4');
    });

    it('the pipeline option: default 64 MiB, at most 1 GiB, a whole number', () => {
      assert.equal(DEFAULT_OPTIONS.maxResponseBytes, 64 * MiB);
      assert.equal(resolveOptions().maxResponseBytes, 64 * MiB);
      assert.equal(resolveOptions({ maxResponseBytes: 200 * MiB }).maxResponseBytes, 200 * MiB);
      assert.throws(() => resolveOptions({ maxResponseBytes: 2048 * MiB }), /maxResponseBytes must be a whole number from 1 to 1073741824/);
      assert.throws(() => resolveOptions({ maxResponseBytes: 0 }), RangeError);
    });

    it('formats sizes for the message', () => {
      assert.equal(formatByteSize(64 * MiB), '64 MiB');
      assert.equal(formatByteSize(1.5 * MiB), '1.5 MiB');
      assert.equal(formatByteSize(512 * KiB), '512 KiB');
      assert.equal(formatByteSize(1024 * MiB), '1 GiB');
      assert.equal(formatByteSize(100), '100 bytes');
    });
  });

  describe('capped server text in errors', () => {
    it("caps PVE's message at 2,000 characters with a marker saying how much was cut", async () => {
      const message = 'm'.repeat(100_000); // and PVE's "\n": 100,001 characters
      const c = await setup((_req, res) => json(res, 500, { data: null, message: `${message}\n` }), { retries: 0 });
      const e = await rejection(c.version());
      assert.equal(e.category, 'internal');
      assert.equal(e.pveMessage, `${'m'.repeat(2000)}… (98,001 more characters)`);
      assert.ok(e.message.length < 2200, `message of ${e.message.length} characters`);
      assert.ok(e.message.endsWith('… (98,001 more characters)'));
      assert.ok(JSON.stringify(e.toDetail()).length < 5000);
    });

    it('reads only the start of a large error body, and caps a plain-text one', async () => {
      const sent = { bytes: 0, closedEarly: false };
      const c = await setup((_req, res) => {
        res.writeHead(502, 'Bad Gateway', { 'content-type': 'text/plain' });
        const chunk = 'proxy says no '.repeat(4096);
        let left = 20 * MiB;
        res.on('close', () => {
          if (!res.writableFinished) sent.closedEarly = true;
        });
        const pump = (): void => {
          while (left > 0 && !res.destroyed) {
            left -= chunk.length;
            sent.bytes += chunk.length;
            if (!res.write(chunk)) {
              res.once('drain', pump);
              return;
            }
          }
          if (!res.destroyed) res.end();
        };
        pump();
      }, { retries: 0 });
      const e = await rejection(c.version());
      assert.equal(e.status, 502);
      assert.ok(e.pveMessage?.startsWith('proxy says no'));
      // 1 MiB was read and 2,000 characters of it kept.
      assert.match(e.pveMessage ?? '', /… \(1,046,576 more characters\)$/);
      for (let i = 0; i < 50 && !sent.closedEarly; i++) await new Promise((r) => setTimeout(r, 20));
      assert.ok(sent.closedEarly && sent.bytes < 10 * MiB, `the server sent ${formatByteSize(sent.bytes)}`);
    });

    it('caps each parameter error of a 400', async () => {
      const c = await setup((_req, res) => json(res, 400, { data: null, message: 'Parameter verification failed.\n', errors: { vmid: 'v'.repeat(50_000) } }));
      const e = await rejection(c.version());
      assert.equal(e.category, 'validation');
      assert.ok(e.message.includes('… (48,000 more characters)'), e.message.slice(-80));
      assert.ok(e.message.length < 2500);
    });

    it('a secret at the cut is redacted whole, never left half-shown', async () => {
      const c = await setup((_req, res) => json(res, 500, { data: null, message: `${'a'.repeat(1990)}${SECRET} and more` }), { retries: 0 });
      const e = await rejection(c.version());
      const all = [e.message, e.pveMessage ?? '', ...logs].join('\n');
      assert.ok(!all.includes(SECRET.slice(0, 10)), 'no part of the secret survives the cut');
      assert.ok((e.pveMessage ?? '').includes('***'));
    });
  });
});
