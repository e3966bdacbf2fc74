// The one loopback rule (src/core/http/loopback.ts), and the places that allow plain http or no token only on this
// machine, asked through their own entry points so that none can drift from the rule again: four here, `serve
// --bind` in test/unit/export/serve.test.ts. The fifth, the proxbox-api backend wizard's address check, lives in a
// module that needs VS Code and is not reached by a test.
import { strict as assert } from 'node:assert';
import { isLoopbackHost } from '../../../src/core/http/loopback';
import { endpointOrigin } from '../../../src/core/proxmox/client';
import { netboxBase } from '../../../src/core/netbox/client';
import { netboxFlags } from '../../../src/cli/commands/netboxArgs';
import { loopbackHost } from '../../../src/cli/commands/serve';

const LOOPBACK = [
  'localhost', 'LOCALHOST', 'LocalHost',
  '127.0.0.1', '127.1.2.3', '127.255.255.255',
  '::1', '[::1]', '0:0:0:0:0:0:0:1', '[0:0:0:0:0:0:0:1]', '::1%lo',
  '::ffff:127.0.0.1', '[::ffff:127.0.0.1]', '::FFFF:127.0.0.1', '[::ffff:7f00:1]', '::ffff:127.9.8.7',
];

const NOT_LOOPBACK = [
  '', 'localhost.', 'localhost.example.com', 'mylocalhost', '127.0.0.1.example.com', '127.evil.com',
  '0.0.0.0', '::', '[::]', '128.0.0.1', '126.255.255.255', '10.0.0.1', '192.168.1.1',
  '::2', '::ffff:10.0.0.1', '[::ffff:a00:1]', 'fe80::1%eth0', '127.1', '127.0.0.256', '[::1', '::1]', '[127.0.0.1]x',
  'pve1.example.com',
];

describe('core/http/loopback: isLoopbackHost', () => {
  it('names localhost in any case, 127.0.0.0/8 and the IPv6 loopback in every spelling, bracketed or not', () => {
    for (const h of LOOPBACK) assert.equal(isLoopbackHost(h), true, h);
  });

  it('refuses names that only look local, the any-address, other addresses and half-bracketed text', () => {
    for (const h of NOT_LOOPBACK) assert.equal(isLoopbackHost(h), false, h);
  });

  it('agrees with the hostname a URL gives for the spellings a user types', () => {
    // The callers pass URL.hostname, which lowercases, compresses IPv6 and completes IPv4 shorthand first.
    const cases: [string, boolean][] = [
      ['http://LOCALHOST:8006', true], ['http://127.1:8006', true], ['http://[0:0::1]:8006', true],
      ['http://[::ffff:127.0.0.1]:8006', true], ['http://0x7f.1/', true], ['http://localhost.:8006', false],
      ['http://127.0.0.1.example.com:8006', false], ['http://0.0.0.0:8006', false],
    ];
    for (const [url, want] of cases) assert.equal(isLoopbackHost(new URL(url).hostname), want, url);
  });
});

describe('core/http/loopback: the places that allow http or no token only on this machine', () => {
  const httpOk = ['http://localhost:8006', 'http://127.1.2.3:8006', 'http://[::1]:8006', 'http://[::ffff:127.0.0.1]:8006'];
  const httpRefused = ['http://localhost.:8006', 'http://127.0.0.1.example.com:8006', 'http://0.0.0.0:8006', 'http://10.0.0.1:8006'];

  it('the Proxmox endpoint URL: http to the loopback only', () => {
    for (const url of httpOk) assert.equal(endpointOrigin(url).protocol, 'http:', url);
    for (const url of httpRefused) assert.throws(() => endpointOrigin(url), /does not use https/, url);
    assert.equal(endpointOrigin('https://10.0.0.1:8006').protocol, 'https:');
  });

  it('the NetBox URL: http to the loopback only', () => {
    for (const url of httpOk) assert.match(netboxBase(url).origin, /^http:\/\//, url);
    for (const url of httpRefused) assert.throws(() => netboxBase(url), /does not use https/, url);
  });

  it('--netbox-url: http to the loopback only, with a usage error that says why', () => {
    const env = { NETBOX_TOKEN: 'nbt_abc.def' };
    for (const url of httpOk) assert.equal(netboxFlags({ 'netbox-url': url }, env)?.target.url, url, url);
    for (const url of httpRefused) assert.throws(() => netboxFlags({ 'netbox-url': url }, env), /must start with https:\/\/ \(the token would travel unencrypted\)/, url);
  });

  it("proxbox serve's Host check: the loopback at any port, nothing else", () => {
    for (const host of ['localhost:8099', '127.0.0.1:8099', '127.1.2.3', '[::1]:8099', '[::1]', 'LOCALHOST']) assert.equal(loopbackHost(host), true, host);
    for (const host of [undefined, '', 'localhost.:8099', 'attacker.example.com:8099', '127.0.0.1.example.com:8099', '0.0.0.0:8099', '::1']) {
      assert.equal(loopbackHost(host), false, String(host));
    }
  });
});
