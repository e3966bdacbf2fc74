// Test Connection for both products (src/core/http/connectionTest.ts and its two callers), against a real HTTPS
// server that answers exact bodies: the empty listing and its hint, singular and plural, the release left out when
// absent, and no retry (the user waits for the answer). The simulator always lists nodes and datastores.
import { strict as assert } from 'node:assert';
import type { IncomingMessage } from 'node:http';
import { testConnection } from '../../../src/core/proxmox/testConnection';
import { testPbsConnection } from '../../../src/core/pbs/testConnection';
import { ProxmoxError } from '../../../src/core/proxmox/errors';
import { fingerprintOf, json, startTestServer, type TestServer } from '../proxmox/testServer';

const SECRET = '5f0b1c2d-aaaa-bbbb-cccc-0123456789ab';
const pathOf = (req: IncomingMessage): string => (req.url ?? '').split('?')[0];

describe('core/http/connectionTest: Test Connection for PVE and PBS', () => {
  let server: TestServer | undefined;
  afterEach(async () => {
    await server?.close();
    server = undefined;
  });

  /** A server answering the version and one listing; any other path is a 404. */
  async function serve(version: Record<string, string>, listingPath: string, rows: unknown[] | 'fail'): Promise<TestServer> {
    server = await startTestServer('a', (req, res) => {
      const path = pathOf(req);
      if (path === '/api2/json/version') json(res, 200, { data: version });
      else if (path === listingPath && rows === 'fail') json(res, 500, { data: null }, 'Internal Server Error');
      else if (path === listingPath) json(res, 200, { data: rows });
      else json(res, 404, { data: null }, 'Not Found');
    });
    return server;
  }
  const pve = (s: TestServer) => testConnection({ id: 't', name: 't', url: s.url, tokenId: 'proxbox@pve!test', fingerprint: fingerprintOf('a') }, SECRET, { timeoutMs: 3000 });
  const pbs = (s: TestServer) => testPbsConnection({ id: 'b', name: 'b', url: s.url, tokenId: 'proxbox@pbs!test', fingerprint: fingerprintOf('a') }, SECRET, { timeoutMs: 3000 });
  const node = (name: string) => ({ node: name, status: 'online' });

  it('PVE: a token that sees no node is told which role to give, after the version', async () => {
    const s = await serve({ version: '8.2.4', release: '8.2' }, '/api2/json/nodes', []);
    assert.equal((await pve(s)).version, '8.2.4 (8.2), no node visible: give the token the PVEAuditor role on / (with "Propagate")');
    assert.deepEqual(s.requests.map(pathOf), ['/api2/json/version', '/api2/json/nodes']);
  });

  it('PVE: counts the nodes, one without a plural', async () => {
    let s = await serve({ version: '9.0.3', release: '9.0' }, '/api2/json/nodes', [node('pve1')]);
    assert.equal((await pve(s)).version, '9.0.3 (9.0), 1 node visible');
    await s.close();
    s = await serve({ version: '9.0.3', release: '9.0' }, '/api2/json/nodes', [node('pve1'), node('pve2'), node('pve3')]);
    assert.equal((await pve(s)).version, '9.0.3 (9.0), 3 nodes visible');
  });

  it('PBS: a token that sees no datastore is told which roles to give; a version without release has no brackets', async () => {
    let s = await serve({ version: '3.4.1' }, '/api2/json/admin/datastore', []);
    assert.equal((await pbs(s)).version, '3.4.1, no datastore visible: give the token and its user the DatastoreAudit role on /datastore (and Audit on /)');
    await s.close();
    s = await serve({ version: '4.1.0', release: '4.1' }, '/api2/json/admin/datastore', [{ store: 'store1' }]);
    assert.equal((await pbs(s)).version, '4.1.0 (4.1), 1 datastore visible');
  });

  it('a failed listing fails the test at once: no retry, the error of the client', async () => {
    for (const [run, path] of [[pve, '/api2/json/nodes'], [pbs, '/api2/json/admin/datastore']] as const) {
      const s = await serve({ version: '1.0', release: '1' }, path, 'fail');
      const err = await run(s).then(() => undefined, (e: unknown) => e);
      assert.ok(err instanceof ProxmoxError, path);
      assert.equal(err.status, 500, path);
      assert.deepEqual(s.requests.map(pathOf), ['/api2/json/version', path], path);
      await s.close();
    }
  });
});
