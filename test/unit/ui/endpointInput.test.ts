import { strict as assert } from 'node:assert';
import { makeEndpointId, normalizeEndpointUrl, validateEndpointName, validateTokenId, validateTokenSecret } from '../../../src/ui/input/endpointInput';

const ok = <T>(r: { ok: true; value: T } | { ok: false; message: string }): T => {
  if (!r.ok) assert.fail(r.message);
  return r.value;
};
const fails = (r: { ok: boolean; message?: string }, pattern: RegExp) => {
  assert.equal(r.ok, false);
  assert.match(r.message ?? '', pattern);
};

describe('ui: endpoint input', () => {
  it('defaults to https and port 8006', () => {
    assert.equal(ok(normalizeEndpointUrl('pve1.example.com')), 'https://pve1.example.com:8006');
    assert.equal(ok(normalizeEndpointUrl(' 10.0.0.5 ')), 'https://10.0.0.5:8006');
    assert.equal(ok(normalizeEndpointUrl('https://pve1/')), 'https://pve1:8006');
  });

  it('keeps an explicit port, including 443, and strips /api2/json', () => {
    assert.equal(ok(normalizeEndpointUrl('pve1:8443')), 'https://pve1:8443');
    assert.equal(ok(normalizeEndpointUrl('https://pve.example.com:443/api2/json/')), 'https://pve.example.com:443');
    assert.equal(ok(normalizeEndpointUrl('[::1]:8006')), 'https://[::1]:8006');
  });

  it('refuses http, other paths, credentials and bad ports with a next step', () => {
    fails(normalizeEndpointUrl('http://pve1:8006'), /HTTPS only/);
    fails(normalizeEndpointUrl('https://pve1:8006/pve'), /only the host and port/);
    fails(normalizeEndpointUrl('https://root:pw@pve1'), /token is asked for separately/);
    fails(normalizeEndpointUrl('pve1:70000'), /./);
    fails(normalizeEndpointUrl(''), /e\.g\./);
  });

  it('checks token ids as user@realm!name', () => {
    assert.equal(ok(validateTokenId('root@pam!proxbox')), 'root@pam!proxbox');
    fails(validateTokenId('root@pam'), /no token name/);
    fails(validateTokenId('root@pam!tok=abc'), /only the token id/);
    fails(validateTokenId('root!tok'), /user@realm!name/);
  });

  it('reduces a pasted "id=secret" to the secret', () => {
    assert.equal(ok(validateTokenSecret('root@pam!tok=1234-abcd')), '1234-abcd');
    assert.equal(ok(validateTokenSecret('PVEAPIToken=root@pam!tok=1234-abcd')), '1234-abcd');
    fails(validateTokenSecret('  '), /secret/);
    fails(validateTokenSecret('a b'), /spaces/);
  });

  it('refuses a secret too short to be a Proxmox secret (and too short to be masked in logs)', () => {
    fails(validateTokenSecret('abc'), /only 3 characters.*UUID/);
    fails(validateTokenSecret('root@pam!tok=x'), /only 1 character:/);
    assert.equal(ok(validateTokenSecret('abcd')), 'abcd');
  });

  it('names are unique and ids are stable slugs', () => {
    fails(validateEndpointName('Lab', ['lab']), /exists already/);
    assert.equal(makeEndpointId('Lab Cluster', []), 'lab-cluster');
    assert.equal(makeEndpointId('Lab Cluster', ['lab-cluster', 'lab-cluster-2']), 'lab-cluster-3');
    assert.equal(makeEndpointId('!!!', []), 'endpoint');
  });
});
