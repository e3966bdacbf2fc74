import assert from 'node:assert/strict';
import { request } from 'node:https';
import type { PeerCertificate } from 'node:tls';
import { startSimulator } from '../../../src/sim';
import { certificates } from '../../../src/sim/certs';

/**
 * A client that trusts exactly one leaf fingerprint, as PVE's own clients pin self-signed certificates: CA
 * validation is off, and the connection is dropped unless the leaf's SHA-256 matches.
 */
function pinnedGet(url: string, fingerprint: string): Promise<number> {
  return new Promise<number>((resolve, reject) => {
    const req = request(url, { agent: false, rejectUnauthorized: false }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? 0));
    });
    req.on('socket', (socket) => {
      socket.once('secureConnect', () => {
        const cert = (socket as unknown as { getPeerCertificate(): PeerCertificate }).getPeerCertificate();
        if (cert.fingerprint256.toUpperCase() !== fingerprint.toUpperCase()) {
          req.destroy(new Error(`certificate fingerprint ${cert.fingerprint256} does not match the pinned ${fingerprint}`));
        }
      });
    });
    req.on('error', reject);
    req.end();
  });
}

describe('simulator: certificates', () => {
  it('ships two distinct certificates for 127.0.0.1 and reports the served one', async () => {
    assert.notEqual(certificates.a.cert, certificates.b.cert);
    const a = await startSimulator({ certificate: 'a' });
    const b = await startSimulator({ certificate: 'b' });
    try {
      assert.notEqual(a.fingerprint, b.fingerprint);
      assert.equal(await pinnedGet(`${a.url}/api2/json/version`, a.fingerprint), 401, 'reaches the server (and is asked for a token)');
    } finally {
      await Promise.all([a.close(), b.close()]);
    }
  });

  it('restarts on the same port with the other certificate, which a client pinned to the first refuses', async () => {
    const first = await startSimulator({ certificate: 'a' });
    const port = Number(new URL(first.url).port);
    const pinned = first.fingerprint;
    await first.close();
    const second = await startSimulator({ certificate: 'b', port });
    try {
      assert.equal(second.url, first.url, 'same address');
      await assert.rejects(pinnedGet(`${second.url}/api2/json/version`, pinned), /does not match the pinned/);
      assert.equal(await pinnedGet(`${second.url}/api2/json/version`, second.fingerprint), 401);
    } finally {
      await second.close();
    }
  });
});
