// `proxbox schedule-sync` against the simulator over real HTTPS: a 2-second interval for a few cycles, a clean
// stop on SIGTERM in the middle of a run, and the usage errors.
import { strict as assert } from 'node:assert';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { main } from '../../../src/cli/main';
import type { CliIO } from '../../../src/cli/io';
import { startSimulator, RunningSimulator } from '../../../src/sim';
import { DocumentStore } from '../../../src/core/inventory/store';
import { loadInventory } from '../../../src/core/inventory/inventory';
import type { Job } from '../../../src/core/jobs';

interface TestIO extends CliIO { out: string; err: string; stop: AbortController }

function io(env: NodeJS.ProcessEnv = {}): TestIO {
  const stop = new AbortController();
  const r: TestIO = {
    out: '', err: '', stop,
    stdout: (t: string) => { r.out += t; },
    stderr: (t: string) => { r.err += t; },
    stdin: process.stdin, env, stopSignal: stop.signal,
  };
  return r;
}

async function until(what: string, test: () => boolean, timeoutMs = 20_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!test()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

async function jobsIn(dir: string): Promise<Job[]> {
  return (await new DocumentStore(dir).read<{ jobs: Job[] }>('jobs/index.json', 'proxbox.jobs', 1))?.jobs ?? [];
}

describe('proxbox schedule-sync', function () {
  this.timeout(60_000);
  let sim: RunningSimulator;
  let dir: string;
  before(async () => { sim = await startSimulator({ seed: 5, nodes: 2, guests: 8, jobs: 3 }); });
  after(async () => sim.close());
  beforeEach(() => { dir = mkdtempSync(join(tmpdir(), 'proxbox-schedsync-')); sim.setFaults([]); });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  const args = (mode: string): string[] => ['schedule-sync', '--mode', mode, '--url', sim.url, '--token-id', sim.tokenId,
    '--fingerprint', sim.fingerprint, '--store', dir, '--endpoint-id', 'lab', '--timeout-ms', '3000'];

  it('runs a 2-second interval against the simulator for a few cycles and stops cleanly', async () => {
    const t = io({ PROXBOX_TOKEN_SECRET: sim.tokenSecret });
    const running = main(args('interval=2'), t);
    await until('three completed syncs', () => (t.out.match(/Sync completed in/g) ?? []).length >= 3);
    t.stop.abort(new Error('SIGTERM'));
    assert.equal(await running, 0, t.err + t.out);
    assert.match(t.out, /schedule-sync: lab every 2 seconds/);
    assert.match(t.out, /Starting sync: all on lab\./);
    assert.match(t.out, /\[lab\] Backup jobs: completed/);
    assert.match(t.out, /schedule-sync: stopped \(SIGTERM\)/);
    assert.ok(!t.out.includes(sim.tokenSecret), 'secret printed');
    const jobs = await jobsIn(dir);
    const done = jobs.filter((j) => j.status === 'completed').sort((a, b) => (a.startedAt ?? 0) - (b.startedAt ?? 0));
    assert.ok(done.length >= 3, `${done.length} completed`);
    assert.ok(done.every((j) => j.key === 'schedule-sync:lab' && j.result?.stages.some((s) => s.stage === 'backup-routines')));
    for (let i = 1; i < done.length; i++) {
      // Measured from each trigger: scheduled 2 s apart (a start delayed by a busy machine does not move the next
      // trigger), and never started before the previous run ended.
      const gap = done[i].scheduledAt - done[i - 1].scheduledAt;
      assert.ok(gap >= 2000, `runs ${i - 1} and ${i} were scheduled ${gap} ms apart`);
      assert.ok((done[i].startedAt ?? 0) >= (done[i - 1].completedAt ?? 0), 'runs overlap');
    }
    assert.equal(new Set(jobs.map((j) => j.chainId)).size, 1);
    const inv = await loadInventory(dir, 'lab');
    assert.equal(inv?.guests.length, 8);
    assert.ok(!JSON.stringify(jobs).includes(sim.tokenSecret), 'secret stored in a job');
  });

  it('a SIGTERM during a run records it as failed with the reason, and a restart keeps the same schedule', async () => {
    const slow = await startSimulator({ seed: 5, nodes: 2, guests: 8, jobs: 3, latencyMs: 150 });
    try {
      const a = ['schedule-sync', '--mode', 'continuous', '--url', slow.url, '--token-id', slow.tokenId, '--fingerprint', slow.fingerprint,
        '--store', dir, '--endpoint-id', 'lab', '--json'];
      const t = io({ PROXBOX_TOKEN_SECRET: slow.tokenSecret });
      const running = main(a, t);
      await until('a started stage', () => t.out.includes('"step":"devices"'));
      t.stop.abort(new Error('SIGTERM'));
      assert.equal(await running, 0, t.err);
      const lines = t.out.trim().split('\n').map((l) => JSON.parse(l) as { event: string; data: Job });
      assert.ok(lines.some((l) => l.event === 'job' && l.data.status === 'running'));
      const jobs = await jobsIn(dir);
      const stopped = jobs.find((j) => j.status === 'failed') as Job;
      assert.match(stopped.error ?? '', /Stopped: proxbox schedule-sync received SIGTERM before the sync finished/);
      const next = jobs.find((j) => j.status === 'scheduled') as Job;
      assert.ok(next, 'the schedule continues when the command starts again');
      // Started again with the same mode: the stored chain is kept, not doubled.
      const t2 = io({ PROXBOX_TOKEN_SECRET: slow.tokenSecret });
      const again = main(a.filter((x) => x !== '--json'), t2);
      await until('the restart', () => t2.out.includes('schedule-sync: lab'));
      t2.stop.abort(new Error('SIGTERM'));
      assert.equal(await again, 0, t2.err);
      assert.match(t2.out, /existing schedule kept/);
    } finally {
      await slow.close();
    }
  });

  it('mode off exits at once; bad modes and a secret on the command line are usage errors', async () => {
    const off = io({});
    assert.equal(await main(['schedule-sync', '--mode', 'off'], off), 0);
    assert.match(off.out, /mode off/);
    const env = io({ PROXBOX_MODE: 'off' });
    assert.equal(await main(['schedule-sync'], env), 0);
    for (const [mode, re] of [['interval=0', /at least 1/], ['hourly', /use off, interval=<seconds>, continuous or cron=/], ['cron=61 * * * *', /minute/]] as const) {
      const t = io({ PROXBOX_TOKEN_SECRET: 'x' });
      assert.equal(await main(args(mode), t), 2, mode);
      assert.match(t.err, re);
    }
    const tz = io({ PROXBOX_TOKEN_SECRET: 'x' });
    assert.equal(await main([...args('cron=0 2 * * *'), '--tz', 'Moon/Base'], tz), 2);
    assert.match(tz.err, /unknown time zone 'Moon\/Base'/);
    const secret = io({});
    assert.equal(await main([...args('continuous'), '--token-secret', 'abc'], secret), 2);
    assert.match(secret.err, /never taken as an argument/);
    const noSecret = io({});
    assert.equal(await main(args('continuous'), noSecret), 2);
    assert.match(noSecret.err, /PROXBOX_TOKEN_SECRET/);
  });
});
