import { strict as assert } from 'node:assert';
import { normalizeNetBoxUrl, validateNetBoxToken, validateSiteName } from '../../../src/ui/input/netboxInput';

const value = <T>(r: { ok: true; value: T } | { ok: false; message: string }): T => {
  assert.ok(r.ok, JSON.stringify(r));
  return (r as { value: T }).value;
};
const message = (r: { ok: boolean; message?: string }): string => {
  assert.equal(r.ok, false);
  return r.message!;
};

describe('NetBox target input', () => {
  it('normalises a NetBox address to https://host[:port][/prefix] without /api', () => {
    assert.equal(value(normalizeNetBoxUrl('netbox.example.com')), 'https://netbox.example.com');
    assert.equal(value(normalizeNetBoxUrl('https://netbox.example.com/api/')), 'https://netbox.example.com');
    assert.equal(value(normalizeNetBoxUrl(' https://10.0.0.9:8443/netbox/ ')), 'https://10.0.0.9:8443/netbox');
  });

  it('refuses http (the token would travel in clear), other schemes, credentials and queries, saying what to type', () => {
    assert.match(message(normalizeNetBoxUrl('http://netbox')), /https/);
    assert.match(message(normalizeNetBoxUrl('ftp://netbox')), /Unsupported scheme/);
    assert.match(message(normalizeNetBoxUrl('https://admin:pw@netbox')), /user or password/);
    assert.match(message(normalizeNetBoxUrl('https://netbox/?q=1')), /query/);
    assert.match(message(normalizeNetBoxUrl('')), /address of your NetBox/);
  });

  it('accepts v2 and v1 tokens and strips a pasted header keyword', () => {
    assert.equal(value(validateNetBoxToken('nbt_abc123.def456')), 'nbt_abc123.def456');
    assert.equal(value(validateNetBoxToken('Bearer nbt_abc123.def456')), 'nbt_abc123.def456');
    assert.equal(value(validateNetBoxToken('Token 0123456789abcdef0123456789abcdef01234567')), '0123456789abcdef0123456789abcdef01234567');
    assert.match(message(validateNetBoxToken('nbt_abc123')), /nbt_<key>\.<token>/);
    assert.match(message(validateNetBoxToken('short')), /5 characters/);
    assert.match(message(validateNetBoxToken('')), /API Tokens/);
  });

  it('takes a site name of at most 100 characters', () => {
    assert.equal(value(validateSiteName('  Lab ')), 'Lab');
    assert.match(message(validateSiteName('x'.repeat(101))), /100 characters/);
  });
});
