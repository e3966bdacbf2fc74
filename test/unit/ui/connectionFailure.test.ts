// How the Add/Edit Endpoint flow decides what a failed connection offers (issue 11, items 3 and 9): "Save Anyway"
// only for a host that cannot be reached right now, never for a rejected token, a refused permission or a certificate.
import { strict as assert } from 'node:assert';
import { connectionFailureChoice, failureCode, isUnreachable, type ConnectionFailure } from '../../../src/ui/endpoints/connectionFailure';
import { errorFromHttp } from '../../../src/core/proxmox/errors';
import { errorFromTransport } from '../../../src/core/proxmox/transportErrors';
import { explainError } from '../../../src/core/errors/explain';

/** A failure as the flow builds it from what the client throws. */
function failureOf(err: unknown): ConnectionFailure {
  const x = explainError(err);
  const code = failureCode(err);
  return { category: x.category, message: x.message, suggestion: x.suggestion, ...(code ? { code } : {}) };
}
const socket = (code: string) => Object.assign(new TypeError('fetch failed'), { cause: Object.assign(new Error(code), { code }) });
const ctx = { path: '/version', endpointName: 'lab', origin: 'https://pve.example:8006', pinned: false };

describe('ui: what a failed endpoint test offers', () => {
  for (const code of ['ENOTFOUND', 'ECONNREFUSED', 'EHOSTUNREACH', 'UND_ERR_CONNECT_TIMEOUT', 'ETIMEDOUT']) {
    it(`an unreachable host (${code}) may be saved anyway`, () => {
      const f = failureOf(errorFromTransport(socket(code), ctx));
      assert.ok(isUnreachable(f), JSON.stringify(f));
      const c = connectionFailureChoice('lab', f, 'test');
      assert.deepEqual(c.actions, ['Edit Again', 'Save Anyway']);
      assert.ok(c.message.includes(f.message), c.message);
      assert.match(c.detail, /down right now/);
    });
  }

  it('a host whose certificate cannot even be read (DNS) says it could not reach it, and may be saved anyway', () => {
    const f = failureOf(socket('ENOTFOUND'));
    assert.equal(f.code, 'ENOTFOUND');
    const c = connectionFailureChoice('lab', f, 'certificate');
    assert.match(c.message, /^Proxbox could not reach lab: /);
    assert.deepEqual(c.actions, ['Edit Again', 'Save Anyway']);
    assert.ok(c.detail.startsWith(f.suggestion!), 'the next step comes first');
  });

  for (const [status, pve, category] of [[401, 'Authentication failed!', 'authentication'], [403, 'Permission check failed (/, Sys.Audit)', 'permission']] as const) {
    it(`the ${category} error (HTTP ${status}) only offers Edit Again and says so once`, () => {
      const f = failureOf(errorFromHttp({ status, path: '/version', statusText: pve, endpointName: 'lab' }));
      assert.equal(f.category, category);
      const c = connectionFailureChoice('lab', f, 'test');
      assert.deepEqual(c.actions, ['Edit Again']);
      assert.match(c.detail, /was not saved/);
      assert.ok(!`${c.message}\n${c.detail}`.includes('Authentication failed!'), c.message);
    });
  }

  it('an untrusted or changed certificate is an answer, not an outage: no Save Anyway', () => {
    const tls = failureOf(errorFromTransport(socket('DEPTH_ZERO_SELF_SIGNED_CERT'), ctx));
    assert.equal(tls.category, 'connection');
    assert.equal(tls.code, 'TLS_DEPTH_ZERO_SELF_SIGNED_CERT');
    assert.deepEqual(connectionFailureChoice('lab', tls, 'test').actions, ['Edit Again']);
    assert.equal(isUnreachable({ category: 'connection', code: 'CERT_CHANGED' }), false);
  });

  it('an answer that is not Proxmox\'s (HTTP 404 on /version) cannot be saved anyway', () => {
    const f = failureOf(errorFromHttp({ status: 404, path: '/version', endpointName: 'lab' }));
    assert.deepEqual(connectionFailureChoice('lab', f, 'test').actions, ['Edit Again']);
  });
});
