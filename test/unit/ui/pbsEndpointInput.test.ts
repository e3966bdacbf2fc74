// What a person types when adding a Proxmox Backup Server: its URL (port 8007 when none), its token id in PBS's form,
// the secret pasted in PBS's header form (a colon before the secret), and a fingerprint as PBS prints it (lower case).
import { strict as assert } from 'node:assert';
import {
  normalizeEndpointUrl, sameFingerprint, validateFingerprint, validateTokenId, validateTokenSecret,
} from '../../../src/ui/input/endpointInput';

const ok = <T>(r: { ok: true; value: T } | { ok: false; message: string }): T => {
  if (!r.ok) assert.fail(r.message);
  return r.value;
};
const fails = (r: { ok: boolean; message?: string }, pattern: RegExp) => {
  assert.equal(r.ok, false);
  assert.match(r.message ?? '', pattern);
};

const SECRET = '0d2f7c3e-8a41-4b5e-9c6d-7f1e2a3b4c5d';
const UPPER = 'AB:CD:EF:01:23:45:67:89:AB:CD:EF:01:23:45:67:89:AB:CD:EF:01:23:45:67:89:AB:CD:EF:01:23:45:67:89';

describe('ui: PBS endpoint input', () => {
  it('adds port 8007 to a PBS address without one, and keeps an explicit port', () => {
    assert.equal(ok(normalizeEndpointUrl('pbs.example.com', 'pbs')), 'https://pbs.example.com:8007');
    assert.equal(ok(normalizeEndpointUrl('https://10.0.0.9/', 'pbs')), 'https://10.0.0.9:8007');
    assert.equal(ok(normalizeEndpointUrl('pbs:8443', 'pbs')), 'https://pbs:8443');
    assert.equal(ok(normalizeEndpointUrl('https://pbs:8007/api2/json', 'pbs')), 'https://pbs:8007');
    // The PVE default is unchanged.
    assert.equal(ok(normalizeEndpointUrl('pve1')), 'https://pve1:8006');
  });

  it('names the Backup Server and its port in PBS messages', () => {
    fails(normalizeEndpointUrl('', 'pbs'), /Proxmox Backup Server, e\.g\. .*:8007/);
    fails(normalizeEndpointUrl('http://pbs:8007', 'pbs'), /Proxmox Backup Server serves its API over HTTPS only/);
    fails(normalizeEndpointUrl('ftp://pbs', 'pbs'), /https:\/\/host:8007/);
    fails(normalizeEndpointUrl('pbs:0', 'pbs'), /out of range/);
  });

  it('checks PBS token ids as user@realm!tokenname and points to where PBS makes them', () => {
    assert.equal(ok(validateTokenId(' proxbox@pbs!monitor ', 'pbs')), 'proxbox@pbs!monitor');
    fails(validateTokenId('', 'pbs'), /Configuration → Access Control → API Token/);
    fails(validateTokenId('proxbox@pbs', 'pbs'), /no token name.*proxbox@pbs!monitor/);
    // The whole header value pasted into the id field: the secret is asked for next.
    fails(validateTokenId(`proxbox@pbs!monitor:${SECRET}`, 'pbs'), /only the token id/);
    fails(validateTokenId('proxbox!monitor', 'pbs'), /user@realm!name/);
  });

  it('reduces a pasted PBS header or id:secret to the secret, as it does PVE\'s id=secret', () => {
    assert.equal(ok(validateTokenSecret(`PBSAPIToken=proxbox@pbs!monitor:${SECRET}`)), SECRET);
    assert.equal(ok(validateTokenSecret(`proxbox@pbs!monitor:${SECRET}`)), SECRET);
    assert.equal(ok(validateTokenSecret(`PVEAPIToken=root@pam!proxbox=${SECRET}`)), SECRET);
    assert.equal(ok(validateTokenSecret(SECRET)), SECRET);
    fails(validateTokenSecret('proxbox@pbs!monitor:abc'), /only 3 characters/);
  });

  it('accepts a fingerprint in PBS\'s lower case and stores one normalized form', () => {
    assert.equal(ok(validateFingerprint(UPPER.toLowerCase(), 'pbs')), UPPER);
    assert.equal(ok(validateFingerprint(UPPER.replace(/:/g, '').toLowerCase(), 'pbs')), UPPER);
    assert.equal(ok(validateFingerprint(UPPER)), UPPER);
    fails(validateFingerprint('ab:cd', 'pbs'), /not a SHA-256 certificate fingerprint.*proxmox-backup-manager cert info/);
    fails(validateFingerprint('zz'.repeat(32)), /Node → System → Certificates/);
  });

  it('compares fingerprints whatever their case and separators', () => {
    assert.ok(sameFingerprint(UPPER, UPPER.toLowerCase()));
    assert.ok(sameFingerprint(UPPER, UPPER.replace(/:/g, '')));
    assert.ok(!sameFingerprint(UPPER, UPPER.replace(/^AB/, 'AC')));
  });
});
