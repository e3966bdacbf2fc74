// The client against a real HTTPS server on 127.0.0.1: auth header, TLS pinning, error categories, retries,
// timeouts, cancellation and the concurrency limit.
import { strict as assert } from 'node:assert';
import {
  decodeClusterStatus, decodeVersion, fetchCertificate, trustProblemText, normalizeFingerprint, ProxmoxClient, ProxmoxError, type ClientOptions,
  type DroppedRow, type EndpointConfig,
} from '../../../src/core/proxmox';
import { certPem, fingerprintOf, json, startTestServer, type Handler, type TestServer } from './testServer';
import { rejection } from './rejection';

const SECRET = '5f0b1c2d-aaaa-bbbb-cccc-0123456789ab';
const version = { data: { version: '9.0.4', release: '9.0', repoid: '39d8a4de7dfb2c40' } };


describe('proxmox client over HTTPS', function () {
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

  async function setup(handler: Handler, opts: ClientOptions & { cert?: 'a' | 'b'; pin?: 'a' | 'b' | null } = {}): Promise<ProxmoxClient> {
    server = await startTestServer(opts.cert ?? 'a', handler);
    const endpoint: EndpointConfig = {
      id: 'ep1', name: 'test-cluster', url: server.url, tokenId: 'proxbox@pve!sync',
      fingerprint: opts.pin === null ? undefined : fingerprintOf(opts.pin ?? 'a'),
    };
    client = new ProxmoxClient(endpoint, SECRET, { retryBaseMs: 1, timeoutMs: 2000, log: (l, m) => logs.push(`${l} ${m}`), ...opts });
    return client;
  }

  it('sends the API token header and decodes the envelope', async () => {
    const c = await setup((_req, res) => json(res, 200, version));
    assert.deepEqual(await c.version(), { version: '9.0.4', release: '9.0', repoid: '39d8a4de7dfb2c40', console: undefined });
    assert.equal(server!.requests[0].headers.authorization, `PVEAPIToken=proxbox@pve!sync=${SECRET}`);
    assert.equal(server!.requests[0].url, '/api2/json/version');
    assert.equal(c.requestCount, 1);
    assert.ok(logs.some((l) => l.includes('GET /version → 200')));
  });

  it('encodes path segments and query values', async () => {
    const c = await setup((_req, res) => json(res, 200, { data: [] }));
    await c.storageContent('pve 1', 'pbs/store', { content: 'backup', vmid: 100 });
    await c.clusterResources('vm');
    assert.deepEqual(server!.requests.map((r) => r.url), [
      '/api2/json/nodes/pve%201/storage/pbs%2Fstore/content?content=backup&vmid=100', '/api2/json/cluster/resources?type=vm',
    ]);
  });

  describe('TLS', () => {
    it('refuses a changed certificate before sending anything, naming both fingerprints', async () => {
      const c = await setup((_req, res) => json(res, 200, version), { cert: 'b', pin: 'a' });
      const e = await rejection(c.version());
      assert.equal(e.code, 'CERT_CHANGED');
      assert.equal(e.category, 'connection');
      assert.equal(e.expectedFingerprint, fingerprintOf('a'));
      assert.equal(e.actualFingerprint, fingerprintOf('b'));
      assert.ok(e.message.includes(fingerprintOf('a')) && e.message.includes(fingerprintOf('b')), e.message);
      assert.match(e.suggestion, /accept it again/);
      assert.equal(server!.requests.length, 0);
      assert.equal(c.requestCount, 1, 'a changed certificate is not retried');
    });

    it('accepts the pinned certificate in any spelling', async () => {
      server = await startTestServer('b', (_req, res) => json(res, 200, version));
      const lower = fingerprintOf('b').replace(/:/g, '').toLowerCase();
      client = new ProxmoxClient({ id: 'x', name: 'x', url: server.url, tokenId: 'a@pam!t', fingerprint: lower }, SECRET);
      assert.equal((await client.version()).version, '9.0.4');
    });

    it('without a pin, refuses a self-signed certificate and explains pinning', async () => {
      const c = await setup((_req, res) => json(res, 200, version), { cert: 'b', pin: null });
      const e = await rejection(c.version());
      assert.equal(e.category, 'connection');
      assert.match(e.code ?? '', /^TLS_/);
      assert.match(e.suggestion, /fingerprint/);
      assert.equal(server!.requests.length, 0);
    });

    it('without a pin, trusts a certificate signed by a known CA', async () => {
      const c = await setup((_req, res) => json(res, 200, version), { cert: 'a', pin: null, ca: certPem('ca') });
      assert.equal((await c.version()).release, '9.0');
    });

    it('fetchCertificate reads the leaf and tells whether a CA trusts it', async () => {
      server = await startTestServer('a', (_req, res) => json(res, 200, version));
      const trusted = await fetchCertificate(server.url, { ca: certPem('ca') });
      assert.equal(trusted.fingerprint, fingerprintOf('a'));
      assert.equal(trusted.trustedByCA, true);
      assert.match(trusted.subject, /CN=127\.0\.0\.1/);
      assert.match(trusted.issuer, /CN=Proxbox Test CA/);
      assert.ok(Date.parse(trusted.validTo) > Date.parse(trusted.validFrom));
      const untrusted = await fetchCertificate(server.url);
      assert.equal(untrusted.trustedByCA, false);
      assert.ok(untrusted.caError);
      // What the trust dialog shows: words first, Node's code in brackets (the test CA is unknown to this machine).
      assert.match(trustProblemText(untrusted.caError), /^it is signed by a CA this machine does not (trust|know).* \([A-Z_]+\)$/);
      assert.equal(server.requests.length, 0, 'fetchCertificate sends no request');
      const plain = await rejection(fetchCertificate('http://127.0.0.1:1'));
      assert.deepEqual([plain.category, plain.code], ['validation', 'BAD_URL']);
      const refused = await rejection(fetchCertificate('https://127.0.0.1:1'));
      assert.equal(refused.category, 'connection');
      assert.match(refused.message, /Could not connect to 127\.0\.0\.1:1 \(ECONNREFUSED\)/);
      const ac = new AbortController();
      ac.abort();
      assert.equal((await rejection(fetchCertificate(server.url, { signal: ac.signal }))).category, 'cancelled');
    });

    it('normalizes fingerprints and rejects malformed ones clearly', () => {
      const fp = fingerprintOf('a');
      assert.equal(normalizeFingerprint(fp.toLowerCase()), fp);
      assert.equal(normalizeFingerprint(fp.replace(/:/g, '')), fp);
      assert.equal(normalizeFingerprint(`sha256 Fingerprint=${fp}`), fp);
      assert.throws(() => normalizeFingerprint('AB:CD'), /not a SHA-256 certificate fingerprint/);
      assert.throws(() => normalizeFingerprint(fp.replace('3', 'G')), /not a SHA-256/);
    });
  });

  describe('errors', () => {
    it('401: authentication, with a token suggestion, never retried, secret never shown', async () => {
      const c = await setup((_req, res) => json(res, 401, undefined, 'invalid token value!'));
      const e = await rejection(c.version());
      assert.equal(e.category, 'authentication');
      assert.equal(e.status, 401);
      assert.equal(e.pveMessage, 'invalid token value!');
      assert.match(e.suggestion, /token id .* and secret/);
      assert.match(e.suggestion, /privilege separation/);
      assert.equal(server!.requests.length, 1);
      const everything = [e.message, e.suggestion, e.pveMessage, JSON.stringify(e.toDetail()), ...logs].join('\n');
      assert.ok(!everything.includes(SECRET));
    });

    it('a server echoing the secret is redacted in errors and logs', async () => {
      const c = await setup((req, res) => json(res, 500, { data: null, message: `bad header ${req.headers.authorization}\n` }), { retries: 0 });
      const e = await rejection(c.version());
      assert.ok(!e.message.includes(SECRET) && !(e.pveMessage ?? '').includes(SECRET), e.message);
      assert.ok(e.message.includes('***'));
      assert.ok(logs.length > 0 && logs.every((l) => !l.includes(SECRET)));
    });

    it('403: permission, naming the missing privilege and path', async () => {
      const c = await setup((_req, res) => json(res, 403, { data: null, message: 'Permission check failed (/vms/100, VM.Audit)\n' }));
      const e = await rejection(c.qemuConfig('pve1', 100));
      assert.equal(e.category, 'permission');
      assert.match(e.suggestion, /Grant VM\.Audit on \/vms\/100/);
      assert.equal(server!.requests.length, 1);
    });

    it('400: validation with the parameter errors, not retried; unknown job is not_found', async () => {
      const c = await setup((_req, res) => json(res, 400, { data: null, message: 'Parameter verification failed.\n', errors: { id: "No such job 'gone'" } }));
      const e = await rejection(c.clusterBackupJob('gone'));
      assert.equal(e.category, 'not_found');
      assert.match(e.message, /Backup job 'gone' does not exist/);
      assert.equal(server!.requests.length, 1);
    });

    it('5xx is retried with backoff and then succeeds', async () => {
      let n = 0;
      const c = await setup((_req, res) => (++n <= 2 ? json(res, 500, { data: null, message: 'got lock timeout\n' }) : json(res, 200, version)));
      assert.equal((await c.version()).version, '9.0.4');
      assert.equal(c.requestCount, 3);
      assert.ok(logs.some((l) => /retry 1\/3/.test(l)));
    });

    it('596 ends, after every retry, as a connection error about the node', async () => {
      const c = await setup((_req, res) => json(res, 596, undefined, 'Connection timed out'), { retries: 2 });
      const e = await rejection(c.nodeStatus('pve2'));
      assert.equal(e.category, 'connection');
      assert.equal(e.status, 596);
      assert.match(e.suggestion, /offline/);
      assert.equal(server!.requests.length, 3);
    });

    it('a config file that does not exist (500) is not_found and not retried', async () => {
      const c = await setup((_req, res) => json(res, 500, { data: null, message: "Configuration file 'nodes/pve1/qemu-server/999.conf' does not exist\n" }));
      const e = await rejection(c.qemuConfig('pve1', 999));
      assert.equal(e.category, 'not_found');
      assert.equal(server!.requests.length, 1);
    });

    it('a reset connection is retried, then a typed connection error', async () => {
      const c = await setup((req) => req.socket.destroy(), { retries: 2 });
      const e = await rejection(c.version());
      assert.equal(e.category, 'connection');
      assert.equal(server!.requests.length, 3);
    });

    it('a body that is not JSON is a validation error, not a crash', async () => {
      const c = await setup((_req, res) => {
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end('{"data": [');
      });
      const e = await rejection(c.version());
      assert.equal(e.category, 'validation');
      assert.equal(e.code, 'BAD_JSON');
    });

    it('a field of the wrong type leaves only its row out of a listing, and names it', async () => {
      const c = await setup((_req, res) => json(res, 200, { data: [{ id: 'backup-1', schedule: 'daily', enabled: 'maybe' }, { id: 'backup-2', schedule: 'daily' }] }));
      const dropped: DroppedRow[] = [];
      const jobs = await c.clusterBackup({ onDropped: (rows) => dropped.push(...rows) });
      assert.deepEqual(jobs.map((j) => j.id), ['backup-2']);
      assert.deepEqual(dropped, [{ path: '/cluster/backup', index: 0, label: 'id "backup-1"', field: 'enabled', problem: 'expected a boolean (0/1), got the string "maybe"' }]);
      // Nobody to hand them to: the client logs each one rather than dropping it silently.
      assert.deepEqual((await c.clusterBackup()).map((j) => j.id), ['backup-2']);
      assert.ok(logs.includes('warn GET /cluster/backup: row 0 (id "backup-1") left out: enabled: expected a boolean (0/1), got the string "maybe"'), logs.join('\n'));
      // A callback that throws does not fail a good answer.
      assert.equal((await c.clusterBackup({ onDropped: () => { throw new Error('bug'); } })).length, 1);
    });

    it('a body of the wrong shape is a validation error naming path and field', async () => {
      const c = await setup((_req, res) => json(res, 200, { data: { not: 'a list' } }));
      const e = await rejection(c.get('/cluster/status', decodeClusterStatus));
      assert.equal(e.category, 'validation');
      assert.equal(e.path, '/cluster/status');
      assert.match(e.message, /data: expected an array, got an object/);
      const wrong = await rejection(c.get('/version', decodeVersion));
      assert.match(wrong.message, /data\.version: required field is missing/);
    });

    it('a missing envelope is a validation error', async () => {
      const c = await setup((_req, res) => json(res, 200, { version: '9.0.4' }));
      assert.match((await rejection(c.version())).message, /envelope is missing/);
    });

    it('a per-call timeout longer than the default is honoured', async () => {
      const c = await setup((_req, res) => setTimeout(() => json(res, 200, version), 700), { timeoutMs: 300 });
      assert.equal((await c.get('/version', decodeVersion, { timeoutMs: 3000 })).version, '9.0.4');
      assert.equal((await rejection(c.version())).category, 'timeout');
    });

    it('never hangs past its timeout: a silent server gives a timeout error', async () => {
      const c = await setup(() => undefined, { timeoutMs: 300 });
      const started = Date.now();
      const e = await rejection(c.version());
      assert.equal(e.category, 'timeout');
      assert.match(e.message, /within 300 ms/);
      assert.equal(server!.requests.length, 1, 'a timeout is not retried');
      assert.ok(Date.now() - started < 300 + 1500, 'bounded by the timeout');
    });

    it('refuses bad endpoint settings with a clear message', () => {
      const ok = { id: 'x', name: 'x', url: 'https://pve:8006', tokenId: 'a@pam!t' };
      assert.throws(() => new ProxmoxClient({ ...ok, url: 'http://pve.example.com:8006' }, SECRET), /does not use https/);
      assert.throws(() => new ProxmoxClient({ ...ok, url: 'pve:8006' }, SECRET), /not a URL|does not use https/);
      assert.throws(() => new ProxmoxClient({ ...ok, tokenId: 'root@pam' }, SECRET), /user@realm!tokenname/);
      assert.throws(() => new ProxmoxClient({ ...ok, tokenId: 'root@pam!' }, SECRET), /user@realm!tokenname/);
      // LDAP users are often e-mail addresses: the user part may hold '@'.
      void new ProxmoxClient({ ...ok, tokenId: 'jane@corp.example@ad!sync' }, SECRET).close();
      assert.throws(() => new ProxmoxClient(ok, ''), /secret .* is empty/);
      assert.throws(() => new ProxmoxClient({ ...ok, fingerprint: 'nope' }, SECRET), /fingerprint of x is malformed/);
      const withApi = new ProxmoxClient({ ...ok, url: 'https://pve:8006/api2/json' }, SECRET);
      void withApi.close();
    });
  });

  describe('concurrency and cancellation', () => {
    it('never has more requests open than the limit', async () => {
      const c = await setup((_req, res) => setTimeout(() => json(res, 200, version), 15), { concurrency: 3 });
      await Promise.all(Array.from({ length: 20 }, () => c.version()));
      assert.equal(server!.requests.length, 20);
      assert.equal(server!.maxOpen, 3);
    });

    it('cancels in-flight and queued requests at once', async () => {
      const c = await setup(() => undefined, { concurrency: 2, timeoutMs: 10_000 });
      const ac = new AbortController();
      const all = Array.from({ length: 6 }, () => c.version({ signal: ac.signal }).then(() => 'ok', (e: unknown) => e));
      while (server!.requests.length < 2) await new Promise((r) => setTimeout(r, 5));
      ac.abort();
      const results = await Promise.all(all);
      for (const r of results) {
        assert.ok(r instanceof ProxmoxError, String(r));
        assert.equal(r.category, 'cancelled');
      }
      assert.equal(server!.requests.length, 2, 'queued requests were never sent');
      while (server!.abandoned < 2) await new Promise((r) => setTimeout(r, 5));
      assert.equal(c.pending, 0);
      const late = await rejection(c.version({ signal: ac.signal }));
      assert.equal(late.category, 'cancelled');
    });

    it('after close, requests fail with a clear error', async () => {
      const c = await setup((_req, res) => json(res, 200, version));
      await c.close();
      assert.match((await rejection(c.version())).message, /is closed/);
    });
  });
});

describe('client: why a certificate is not trusted, in words', () => {
  it('says "self-signed" for Proxmox\'s default certificate, keeps the code, and passes an unknown reason on as it is', () => {
    assert.equal(trustProblemText('DEPTH_ZERO_SELF_SIGNED_CERT'), 'it is self-signed (the Proxmox default) (DEPTH_ZERO_SELF_SIGNED_CERT)');
    assert.match(trustProblemText('CERT_HAS_EXPIRED'), /^it has expired/);
    assert.equal(trustProblemText('Host: pve.invalid. is not in the cert\'s altnames'), 'Host: pve.invalid. is not in the cert\'s altnames');
  });
});
