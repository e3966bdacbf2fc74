import { strict as assert } from 'node:assert';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { main } from '../../src/cli/main';
import { startSimulator, RunningSimulator } from '../../src/sim';
import { captureIo } from '../helpers/cliIo';

const io = captureIo;

describe('proxbox sync / routines / guests', function () {
  this.timeout(60_000);
  let sim: RunningSimulator;
  let dir: string;
  before(async () => { sim = await startSimulator({ seed: 3, nodes: 2, guests: 10, jobs: 4 }); });
  after(async () => sim.close());
  beforeEach(() => { dir = mkdtempSync(join(tmpdir(), 'proxbox-cli-')); sim.setFaults([]); });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  const args = (): string[] => ['sync', '--url', sim.url, '--token-id', sim.tokenId, '--fingerprint', sim.fingerprint, '--store', dir, '--endpoint-id', 'lab', '--timeout-ms', '3000'];

  it('syncs with the secret from the environment and prints one line per stage and a summary', async () => {
    const t = io({ PROXBOX_TOKEN_SECRET: sim.tokenSecret });
    assert.equal(await main(args(), t), 0, t.err + t.out);
    assert.match(t.out, /✓ devices/);
    assert.match(t.out, /✓ backup-routines/);
    assert.match(t.out, /✓ Sync of .* completed/);
    assert.ok(!t.out.includes(sim.tokenSecret));
  });

  it('--json prints one event per line, ending with complete', async () => {
    const t = io({});
    const secretFile = join(dir, 'secret');
    writeFileSync(secretFile, sim.tokenSecret + '\n');
    assert.equal(await main([...args(), '--token-secret-file', secretFile, '--json', '--stages', 'backup-routines'], t), 0, t.err);
    const events = t.out.trim().split('\n').map((l) => JSON.parse(l) as { event: string; data: Record<string, unknown> });
    assert.equal(events.at(-1)?.event, 'complete');
    assert.equal(events.at(-1)?.data.ok, true);
    const steps = events.filter((e) => e.event === 'step' && e.data.status === 'completed').map((e) => e.data.step);
    // devices and storage depend on nothing and run at the same time; backup-routines needs both.
    assert.deepEqual([...steps].sort(), ['backup-routines', 'devices', 'storage']);
    assert.equal(steps.at(-1), 'backup-routines');
    const first = events.find((e) => e.event === 'step' && e.data.step === 'devices' && e.data.status === 'completed')!;
    assert.equal(typeof first.data.duration_seconds, 'number');
    assert.equal(typeof (first.data.result as { count: number }).count, 'number');
  });

  it('exits 1 when the run fails and names the stage', async () => {
    sim.setFaults(['/cluster/backup:500']);
    const t = io({ PROXBOX_TOKEN_SECRET: sim.tokenSecret });
    assert.equal(await main([...args(), '--stages', 'backup-routines'], t), 1);
    assert.match(t.out, /failed in stage backup-routines/);
  });

  it('exits 2 for usage errors, and never takes the secret as an argument', async () => {
    let t = io({ PROXBOX_TOKEN_SECRET: 'x' });
    assert.equal(await main(['sync', '--url', sim.url], t), 2);
    assert.match(t.err, /--token-id is required/);
    t = io({});
    assert.equal(await main([...args(), '--token-secret', 'abc'], t), 2);
    assert.match(t.err, /never taken as an argument/);
    t = io({});
    assert.equal(await main(args(), t), 2);
    assert.match(t.err, /PROXBOX_TOKEN_SECRET/);
    t = io({ PROXBOX_TOKEN_SECRET: 'x' });
    assert.equal(await main([...args(), '--stages', 'disks'], t), 2);
    assert.match(t.err, /unknown stage 'disks'/);
  });

  it('routines and guests list what a sync stored, as text and JSON', async () => {
    await main(args(), io({ PROXBOX_TOKEN_SECRET: sim.tokenSecret }));
    let t = io();
    assert.equal(await main(['routines', '--store', dir], t), 0, t.err);
    for (const j of sim.cluster.jobs) assert.ok(t.out.includes(j.id), j.id);
    t = io();
    assert.equal(await main(['routines', '--store', dir, '--json'], t), 0);
    const routines = JSON.parse(t.out) as { jobId: string; endpoint: string; status: string; nextRun: number | null; enabled: boolean }[];
    assert.equal(routines.length, sim.cluster.jobs.length);
    assert.ok(routines.every((r) => r.endpoint === 'lab' && r.status === 'active'));
    assert.ok(routines.filter((r) => r.enabled).every((r) => typeof r.nextRun === 'number' && r.nextRun > Date.now() / 1000));
    t = io();
    assert.equal(await main(['guests', '--store', dir, '--json'], t), 0);
    const guests = JSON.parse(t.out) as { vmid: number; coverage: { state: string } }[];
    assert.equal(guests.length, sim.cluster.guests.length);
    t = io();
    assert.equal(await main(['guests', '--store', join(dir, 'nope')], t), 2);
    assert.match(t.err, /does not exist/);
  });
});
