import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { PassThrough } from 'node:stream';
import { sim, parseSimArgs } from '../../../src/cli/commands/sim';
import { UsageError } from '../../../src/cli/io';
import { cliPath } from '../../helpers/paths';
import { api } from './http';

interface Ready { url: string; httpUrl: string; tokenId: string; tokenSecret: string; fingerprint: string }

describe('proxbox sim', () => {
  it('parses every flag, including repeated faults', () => {
    const opts = parseSimArgs(['--seed', '4', '--nodes=5', '--guests', '50', '--jobs', '3', '--port', '0', '--latency-ms', '10',
      '--fault', '/cluster/backup*:500:1', '--fault=/nodes/pve3/*:offline-node', '--certificate', 'b', '--pve-version', '8.4']);
    assert.deepEqual(opts, { seed: 4, nodes: 5, guests: 50, jobs: 3, port: 0, latencyMs: 10, certificate: 'b', pveVersion: '8.4',
      faults: ['/cluster/backup*:500:1', '/nodes/pve3/*:offline-node'] });
  });

  it('refuses bad flags with the reason and the next step', () => {
    assert.throws(() => parseSimArgs(['--nodes', 'many']), (e: Error) => e instanceof UsageError && /--nodes needs an integer/.test(e.message) && /--help/.test(e.message));
    assert.throws(() => parseSimArgs(['--fault', '/x:explode']), (e: Error) => e instanceof UsageError && /unknown kind 'explode'/.test(e.message));
    assert.throws(() => parseSimArgs(['--bogus']), (e: Error) => e instanceof UsageError && /unknown option/.test(e.message));
    assert.throws(() => parseSimArgs(['--certificate', 'c']), UsageError);
  });

  it('prints one JSON line when ready, serves, and stops on the stop signal', async () => {
    const stop = new AbortController();
    const out: string[] = [];
    let ready!: (line: string) => void;
    const firstLine = new Promise<string>((r) => (ready = r));
    const done = sim(['--seed', '2', '--guests', '6'], {
      stdout: (t) => { out.push(t); ready(t); },
      stderr: () => undefined,
      stdin: new PassThrough(),
      env: {},
      stopSignal: stop.signal,
    });
    const info = JSON.parse(await firstLine) as Ready;
    assert.deepEqual(Object.keys(info).slice(0, 5), ['url', 'httpUrl', 'tokenId', 'tokenSecret', 'fingerprint']);
    const res = await api(info, '/cluster/resources?type=vm');
    assert.equal((res.json as { data: unknown[] }).data.length, 6);
    stop.abort();
    assert.equal(await done, 0);
    assert.equal(out.length, 1, 'exactly one line of output');
  });

  it('runs as a process and exits cleanly on SIGTERM', async function () {
    this.timeout(20_000);
    const child = spawn(process.execPath, [cliPath, 'sim', '--guests', '4', '--http-port', '0'], { stdio: ['ignore', 'pipe', 'pipe'] });
    const line = await new Promise<string>((resolve, reject) => {
      createInterface({ input: child.stdout! }).once('line', resolve);
      child.once('exit', (code) => reject(new Error(`exited early with ${code}`)));
    });
    const info = JSON.parse(line) as Ready;
    assert.equal((await api({ ...info, url: info.httpUrl }, '/version')).status, 200);
    const exited = new Promise<number | null>((r) => child.once('exit', (code) => r(code)));
    child.kill('SIGTERM');
    assert.equal(await exited, 0);
  });
});
