import { strict as assert } from 'node:assert';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { main } from '../../../src/cli/main';
import { endpointKindFlag, syncTarget } from '../../../src/cli/commands/syncArgs';
import { UsageError } from '../../../src/cli/io';
import { PBS_STAGES } from '../../../src/core/pipeline';
import { captureIo } from '../../helpers/cliIo';

const SECRET = '0123456789abcdef-pbs-secret';

describe('proxbox sync --kind', function () {
  this.timeout(30_000);
  let dir: string;
  beforeEach(() => { dir = mkdtempSync(join(tmpdir(), 'proxbox-pbs-cli-')); });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));
  const base = (url = 'https://127.0.0.1:8007'): string[] => ['sync', '--url', url, '--token-id', 'audit@pbs!proxbox', '--store', dir];

  it('parses --kind: pve by default, pbs on request (its default port is 8007), anything else refused', () => {
    assert.equal(endpointKindFlag(undefined), 'pve');
    assert.equal(endpointKindFlag('pbs'), 'pbs');
    assert.throws(() => endpointKindFlag('PBS'), (e: unknown) => e instanceof UsageError && /--kind must be 'pve'.*or 'pbs'/.test(e.message));
    const env = { PROXBOX_TOKEN_SECRET: SECRET };
    const pbs = syncTarget({ kind: 'pbs', url: 'https://backup.example', 'token-id': 'audit@pbs!proxbox', stages: 'pbs-jobs' }, 'sync', env);
    assert.equal(pbs.endpoint.kind, 'pbs');
    assert.equal(pbs.endpoint.id, 'backup.example-8007');
    assert.deepEqual(pbs.stages, ['pbs-jobs']);
    const pve = syncTarget({ url: 'https://pve.example', 'token-id': 'root@pam!proxbox' }, 'sync', env);
    assert.equal(pve.endpoint.kind, undefined);
    assert.equal(pve.endpoint.id, 'pve.example-8006');
  });

  it('exits 2 for a bad kind, a stage of the other kind, and --netbox-* with --kind pbs', async () => {
    let t = captureIo({ PROXBOX_TOKEN_SECRET: SECRET });
    assert.equal(await main([...base(), '--kind', 'backup'], t), 2);
    assert.match(t.err, /--kind must be 'pve'/);
    t = captureIo({ PROXBOX_TOKEN_SECRET: SECRET });
    assert.equal(await main([...base(), '--kind', 'pbs', '--stages', 'backups'], t), 2);
    assert.match(t.err, /'backups' is a stage of a Proxmox VE cluster/);
    t = captureIo({ PROXBOX_TOKEN_SECRET: SECRET });
    assert.equal(await main([...base('https://127.0.0.1:8006'), '--stages', 'pbs-jobs'], t), 2);
    assert.match(t.err, /'pbs-jobs' is a stage of a Proxmox Backup Server/);
    t = captureIo({ PROXBOX_TOKEN_SECRET: SECRET });
    assert.equal(await main([...base(), '--kind', 'pbs', '--netbox-url', 'https://netbox.example'], t), 2);
    assert.match(t.err, /--netbox-url cannot be used with --kind pbs/);
    // Still never the secret as an argument, whatever the kind.
    t = captureIo({});
    assert.equal(await main([...base(), '--kind', 'pbs', '--token-secret', SECRET], t), 2);
  });

  it('the help names --kind and the PBS stages', async () => {
    const t = captureIo({});
    assert.equal(await main(['sync', '--help'], t), 0);
    assert.match(t.out, /--kind pve\|pbs/);
    assert.ok(t.out.includes(PBS_STAGES.join(', ')));
  });

  it('a PBS that cannot be read exits 1 with --json events of the PBS stages, ending in one complete', async () => {
    // A port that accepts and closes at once: the sync fails the same way whatever the PBS client makes of it.
    const server: Server = createServer((s) => s.destroy());
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const port = (server.address() as { port: number }).port;
    try {
      const t = captureIo({ PROXBOX_TOKEN_SECRET: SECRET });
      const code = await main([...base(`https://127.0.0.1:${port}`), '--kind', 'pbs', '--json', '--timeout-ms', '2000'], t);
      assert.equal(code, 1, t.err);
      const events = t.out.trim().split('\n').map((l) => JSON.parse(l) as { event: string; data: Record<string, unknown> });
      assert.equal(events.filter((e) => e.event === 'complete').length, 1);
      const complete = events.at(-1)!;
      assert.equal(complete.event, 'complete');
      assert.equal(complete.data.ok, false);
      assert.deepEqual((complete.data.stages as { step: string }[]).map((s) => s.step), [...PBS_STAGES]);
      const started = events.find((e) => e.event === 'step' && e.data.step === 'sync')!;
      assert.equal((started.data.metadata as { kind: string }).kind, 'pbs');
      assert.ok(!t.out.includes(SECRET));
    } finally {
      await new Promise<void>((r) => server.close(() => r()));
    }
  });
});
