// `proxbox sync --remote`: the verb run in-process against the real SSE backend, output and exit codes.
import { strict as assert } from 'node:assert';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createParser } from 'eventsource-parser';
import { main } from '../../../src/cli/main';
import { STAGES } from '../../../src/core/pipeline';
import { frame, fullFailure, fullHead, fullRun, stageFrames, startSseBackend, type SseBackend } from '../../helpers/sseBackend';
import { captureIo } from '../../helpers/cliIo';

describe('remote mode: proxbox sync --remote', function () {
  this.timeout(20_000);
  let backend: SseBackend;
  let dir: string;
  before(async () => {
    backend = await startSseBackend({
      'full-update/stream': fullRun(),
      'failing/full-update/stream': { writes: [...fullHead(), ...stageFrames('devices', 2), frame('step', { step: 'storage', status: 'started', message: 's' }), ...fullFailure('storage exploded')], end: 'end' },
      'dropping/full-update/stream': { writes: [...fullHead(), frame('step', { step: 'devices', status: 'started', message: 'd' })], end: 'drop' },
    });
    dir = mkdtempSync(join(tmpdir(), 'proxbox-remote-'));
  });
  after(async () => {
    await backend.close();
    rmSync(dir, { recursive: true, force: true });
  });
  const env = () => ({ PROXBOX_API_KEY: backend.apiKey });

  it('--json prints our events one per line, ending with complete ok, and exits 0', async () => {
    const t = captureIo(env());
    assert.equal(await main(['sync', '--remote', backend.url, '--json', '--timeout-ms', '5000', '-v'], t), 0, t.err);
    // -v: the frames we have no event for go to stderr as debug lines, so stdout stays JSON.
    assert.match(t.err, /· bootstrap_done: /);
    const events = t.out.trim().split('\n').map((l) => JSON.parse(l) as { event: string; data: Record<string, unknown> });
    assert.equal(events.filter((e) => e.event === 'complete').length, 1);
    assert.equal(events.at(-1)?.event, 'complete');
    assert.equal(events.at(-1)?.data.ok, true);
    assert.deepEqual(events.filter((e) => e.event === 'step' && e.data.status === 'completed').map((e) => e.data.step), [...STAGES]);
    assert.ok(!t.out.includes(backend.apiKey) && !t.err.includes(backend.apiKey));

    // Our JSON lines carry SSE frames' names and data: written back as frames, the same npm parser reads them again.
    const back: { event: string; data: unknown }[] = [];
    const parser = createParser({ onEvent: (m) => back.push({ event: m.event ?? 'message', data: JSON.parse(m.data) }) });
    for (const e of events) parser.feed(`event: ${e.event}\ndata: ${JSON.stringify(e.data)}\n\n`);
    assert.deepEqual(back, events);
  });

  it('prints the same table as a local sync, with the key from --api-key-file', async () => {
    const keyFile = join(dir, 'key');
    writeFileSync(keyFile, backend.apiKey + '\n');
    const t = captureIo({});
    assert.equal(await main(['sync', '--remote', backend.url, '--api-key-file', keyFile], t), 0, t.err);
    assert.match(t.out, /✓ devices\s+2\s+\+1 ~1/);
    assert.match(t.out, /✓ backup-routines/);
    assert.match(t.out, /Sync of 127\.0\.0\.1 through proxbox-api completed/);
  });

  it('exits 1 on a failed run and says the backend reported it failed', async () => {
    const t = captureIo(env());
    assert.equal(await main(['sync', '--remote', `${backend.url}/failing`], t), 1);
    assert.match(t.out, /✗ storage\s+failed/);
    assert.match(t.out, /storage exploded/);
    assert.match(t.err, /the sync through proxbox-api failed: storage exploded/);
    assert.doesNotMatch(t.err, /without a complete/);
  });

  it('exits 1 on a stream that ended without complete and says so', async () => {
    const t = captureIo(env());
    assert.equal(await main(['sync', '--remote', `${backend.url}/dropping`, '--json'], t), 1);
    assert.match(t.err, /ended without a complete event/);
    assert.doesNotMatch(t.err, /the sync through proxbox-api failed/);
    const last = JSON.parse(t.out.trim().split('\n').at(-1)!) as { event: string; data: { ok: boolean; errors: { category: string }[] } };
    assert.equal(last.event, 'complete');
    assert.equal(last.data.errors[0].category, 'connection');
  });

  it('exits 2 for usage errors: local flags with --remote, no key, a key as argument, an unknown stage', async () => {
    const cases: [string[], Record<string, string>, RegExp][] = [
      [['--remote', backend.url, '--url', 'https://pve:8006'], env(), /cannot be combined with --url/],
      [['--remote', backend.url, '--token-id', 'root@pam!x'], env(), /cannot be combined with --token-id/],
      [['--remote', backend.url], {}, /no API key: set PROXBOX_API_KEY/],
      [['--remote', backend.url, '--api-key', 'abcdef'], {}, /never taken as an argument/],
      [['--remote', backend.url, '--stages', 'devices,vms'], env(), /unknown stage 'vms'/],
      [['--remote', 'ftp://x'], env(), /must start with https:\/\//],
    ];
    const before = backend.requests.length;
    for (const [args, e, msg] of cases) {
      const t = captureIo(e);
      assert.equal(await main(['sync', ...args], t), 2, args.join(' '));
      assert.match(t.err, msg);
      assert.equal(t.out, '');
    }
    // Refused before any request reached the backend.
    assert.equal(backend.requests.length, before);
  });

  it('sync --help lists the remote flags', async () => {
    const t = captureIo({});
    assert.equal(await main(['sync', '--help'], t), 0);
    assert.match(t.out, /--remote URL/);
    assert.match(t.out, /PROXBOX_API_KEY/);
  });
});
