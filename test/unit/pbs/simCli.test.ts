// `proxbox sim --pbs` as a process: its one ready line gains a `pbs` object, and what it names is a working PBS.
import { strict as assert } from 'node:assert';
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { PbsClient } from '../../../src/core/pbs/client';
import { parseSimArgs } from '../../../src/cli/commands/sim';
import { cliPath } from '../../helpers/paths';

interface Ready { url: string; tokenId: string; pbs?: { url: string; tokenId: string; tokenSecret: string; fingerprint: string } }

describe('proxbox sim --pbs', () => {
  it('parses --pbs', () => {
    assert.deepEqual(parseSimArgs(['--pbs', '--seed', '3']), { pbs: true, seed: 3 });
    assert.equal((parseSimArgs([]) as { pbs?: boolean }).pbs, undefined);
  });

  it('prints the PBS url, token and lower-case fingerprint in its ready line, and the PBS answers with them', async function () {
    this.timeout(20_000);
    const child = spawn(process.execPath, [cliPath, 'sim', '--pbs', '--guests', '4'], { stdio: ['ignore', 'pipe', 'pipe'] });
    try {
      const line = await new Promise<string>((resolve, reject) => {
        createInterface({ input: child.stdout! }).once('line', resolve);
        child.once('exit', (code) => reject(new Error(`exited early with ${code}`)));
      });
      const info = JSON.parse(line) as Ready;
      assert.ok(info.pbs, line);
      assert.deepEqual(Object.keys(info.pbs), ['url', 'tokenId', 'tokenSecret', 'fingerprint']);
      assert.match(info.pbs.url, /^https:\/\/127\.0\.0\.1:\d+$/);
      assert.notEqual(info.pbs.url, info.url);
      assert.match(info.pbs.fingerprint, /^([0-9a-f]{2}:){31}[0-9a-f]{2}$/);
      assert.match(info.pbs.tokenId, /^[^@]+@[^!]+![^:]+$/);
      const c = new PbsClient({ id: 'pbs', name: 'pbs', url: info.pbs.url, tokenId: info.pbs.tokenId, fingerprint: info.pbs.fingerprint }, info.pbs.tokenSecret);
      try {
        assert.ok((await c.datastores()).length >= 2);
      } finally {
        await c.close();
      }
    } finally {
      const exited = new Promise<number | null>((r) => child.once('exit', (code) => r(code)));
      child.kill('SIGTERM');
      assert.equal(await exited, 0);
    }
  });

  it('without --pbs the ready line has no pbs object', async function () {
    this.timeout(20_000);
    const child = spawn(process.execPath, [cliPath, 'sim', '--guests', '2'], { stdio: ['ignore', 'pipe', 'pipe'] });
    const line = await new Promise<string>((resolve) => createInterface({ input: child.stdout! }).once('line', resolve));
    const exited = new Promise<number | null>((r) => child.once('exit', (code) => r(code)));
    child.kill('SIGTERM');
    await exited;
    assert.equal((JSON.parse(line) as Ready).pbs, undefined);
  });
});
