// `proxbox sync --netbox-url …`: the NetBox flags of the headless command, against the simulator and the fake NetBox.
import { strict as assert } from 'node:assert';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { main } from '../../../src/cli/main';
import { startSimulator, type RunningSimulator } from '../../../src/sim';
import { captureIo } from '../../helpers/cliIo';
import { startFakeNetBox, type FakeNetBox } from '../../helpers/netbox/server';

describe('proxbox sync --netbox-url', function () {
  this.timeout(60_000);
  let sim: RunningSimulator;
  let nb: FakeNetBox;
  let dir: string;
  before(async () => { sim = await startSimulator({ seed: 5, nodes: 2, guests: 6, jobs: 2 }); });
  after(async () => sim.close());
  beforeEach(async () => { dir = mkdtempSync(join(tmpdir(), 'proxbox-nbcli-')); nb = await startFakeNetBox({ version: '4.6' }); });
  afterEach(async () => { rmSync(dir, { recursive: true, force: true }); await nb.close(); });

  const args = (...extra: string[]): string[] => [
    'sync', '--url', sim.url, '--token-id', sim.tokenId, '--fingerprint', sim.fingerprint, '--store', dir, '--endpoint-id', 'lab',
    '--netbox-url', nb.url, '--netbox-fingerprint', nb.fingerprint.toLowerCase(), '--netbox-site', 'CLI site', ...extra,
  ];
  const env = (): NodeJS.ProcessEnv => ({ PROXBOX_TOKEN_SECRET: sim.tokenSecret, NETBOX_TOKEN: nb.token });
  const writes = () => nb.requests.filter((r) => r.method !== 'GET');

  it('writes to NetBox after the stages and prints a netbox row with a line per kind of object; a re-run writes nothing', async () => {
    const t = captureIo(env());
    assert.equal(await main(args(), t), 0, t.err + t.out);
    assert.match(t.out, /✓ netbox /);
    assert.match(t.out, /· netbox virtual machines\s+6\s+\+6/);
    assert.equal(nb.all('/api/virtualization/virtual-machines/').length, 6);
    assert.ok(!t.out.includes(nb.token) && !t.out.includes(sim.tokenSecret));
    nb.requests.length = 0;
    const again = captureIo(env());
    assert.equal(await main(args(), again), 0, again.err);
    assert.equal(writes().length, 0);
    assert.match(again.out, /· netbox virtual machines\s+6\s+no change/);
    assert.deepEqual(nb.violations, []);
  });

  it('--netbox-dry-run prints the planned writes as JSON lines and sends none; the token may come from a file', async () => {
    const tokenFile = join(dir, 'nbtoken');
    writeFileSync(tokenFile, `${nb.token}\n`);
    const t = captureIo({ PROXBOX_TOKEN_SECRET: sim.tokenSecret });
    assert.equal(await main(args('--netbox-token-file', tokenFile, '--netbox-dry-run', '--json'), t), 0, t.err);
    const lines = t.out.trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
    const planned = lines.filter((l) => l.dry_run === true) as Array<{ method: string; path: string; body: unknown[] }>;
    assert.ok(planned.some((w) => w.method === 'POST' && w.path === '/api/virtualization/virtual-machines/' && w.body.length === 6), JSON.stringify(planned.map((w) => [w.method, w.path])));
    assert.ok(lines.some((l) => l.event === 'complete'));
    assert.equal(writes().length, 0);
  });

  it('usage errors name the flag and what to do, and send nothing', async () => {
    const cases: Array<[string[], NodeJS.ProcessEnv, RegExp]> = [
      [args().filter((a) => a !== '--netbox-url' && a !== nb.url), env(), /--netbox-fingerprint needs --netbox-url/],
      [args(), { PROXBOX_TOKEN_SECRET: sim.tokenSecret }, /NETBOX_TOKEN or pass --netbox-token-file/],
      [[...args().map((a) => (a === nb.url ? 'http://netbox.example.com' : a))], env(), /must start with https:\/\//],
      [args('--netbox-token', 'nbt_abc.def'), env(), /never taken as an argument.*NETBOX_TOKEN/],
    ];
    for (const [argv, e, message] of cases) {
      const t = captureIo(e);
      assert.equal(await main(argv, t), 2, `${argv.join(' ')}: ${t.out}${t.err}`);
      assert.match(t.err, message);
    }
    assert.equal(nb.requests.length, 0);
  });

  it('netbox-sweep lists the objects of an endpoint that is gone from the store (a dry run), and deletes only those with --apply', async () => {
    assert.equal(await main(args(), captureIo(env())), 0);
    const otherStore = mkdtempSync(join(tmpdir(), 'proxbox-nbcli-gone-'));
    try {
      const gone = args().map((a) => (a === dir ? otherStore : a === 'lab' ? 'gone' : a));
      const t = captureIo(env());
      assert.equal(await main(gone, t), 0, t.out + t.err);
    } finally {
      rmSync(otherStore, { recursive: true, force: true });
    }
    const vms = () => nb.all('/api/virtualization/virtual-machines/') as Array<{ custom_fields: Record<string, unknown> }>;
    assert.equal(vms().length, 12);
    const sweep = ['netbox-sweep', '--netbox-url', nb.url, '--netbox-fingerprint', nb.fingerprint, '--store', dir];
    nb.requests.length = 0;
    const dry = captureIo(env());
    assert.equal(await main([...sweep, '--json'], dry), 0, dry.err);
    const listed = JSON.parse(dry.out) as { keep: string[]; orphans: Array<{ type: string; endpoint: string }>; applied: boolean };
    assert.deepEqual(listed.keep, ['lab']);
    assert.equal(listed.applied, false);
    assert.ok(listed.orphans.length > 0 && listed.orphans.every((o) => o.endpoint === 'gone'));
    assert.equal(listed.orphans.filter((o) => o.type === 'virtual machines').length, 6);
    assert.equal(writes().length, 0);
    const apply = captureIo(env());
    assert.equal(await main([...sweep, '--apply'], apply), 0, apply.err + apply.out);
    assert.match(apply.out, new RegExp(`${listed.orphans.length} of ${listed.orphans.length} object\\(s\\) deleted`));
    assert.deepEqual(vms().map((v) => v.custom_fields.proxbox_endpoint), Array(6).fill('lab'));
    const after = captureIo(env());
    assert.equal(await main(sweep, after), 0);
    assert.match(after.out, /No orphaned objects/);
    assert.deepEqual(nb.violations, []);
  });
});
