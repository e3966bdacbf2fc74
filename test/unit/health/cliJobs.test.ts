// `proxbox health` over a store that holds a PVE cluster and a PBS endpoint: the `jobs` array, the identity of a
// backup across both, the text lines of job problems and the exit code.
import { strict as assert } from 'node:assert';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { main } from '../../../src/cli/main';
import { saveInventory } from '../../../src/core/inventory/inventory';
import { COLLECTIONS, type Inventory, type PbsJobRecord } from '../../../src/core/inventory/model';
import { captureIo } from '../../helpers/cliIo';
import * as f from './fixtures';
import { pbsInventory, pbsJob, pbsStorage, pbsUpid, snapshot } from './pbsFixtures';

const NOW = f.utc('2026-11-30T12:00:00Z');
const RUN = f.utc('2026-11-30T02:30:00Z');
const ENDED = f.utc('2026-11-30T00:05:00Z');
const NEXT = f.utc('2026-12-01T00:00:00Z');

interface JobJson { endpoint: string; kind: string; id: string; store: string; status: string | null; problem: boolean; reason: string; lastRun: number | null; nextRun: number | null }
interface HealthJson { guests: { vmid: number; status: string; backupCount: number; lastBackup: number | null; verification: string | null }[]; jobs: JobJson[] }

/** A PVE cluster whose job backed guest 100 up to pbs1 at 02:30; only PBS lists that backup (PVE's listing is empty). */
function pve(): Inventory {
  return f.inventory({
    guests: [f.guest(100)], storages: [pbsStorage('pbs1')], backupRoutines: [f.routine('backup-pbs', { storage: 'pbs1' })],
    tasks: [f.task('pve1', RUN, { endTime: RUN + 300 })], backups: [], syncedAt: '2026-11-30T11:00:00Z',
  });
}

const ran = (state: string): Partial<PbsJobRecord> => ({ lastRunState: state, lastRunUpid: pbsUpid(ENDED - 60), lastRunEndtime: ENDED, nextRun: NEXT });

describe('proxbox health with a PBS endpoint', () => {
  let dir: string;
  beforeEach(() => { dir = mkdtempSync(join(tmpdir(), 'proxbox-health-pbs-')); });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  async function store(...invs: Inventory[]): Promise<void> {
    for (const inv of invs) await saveInventory(dir, inv, COLLECTIONS, true);
  }
  async function run(...extra: string[]): Promise<{ code: number; out: string; err: string }> {
    const t = captureIo();
    const code = await main(['health', '--store', dir, '--now', String(NOW), ...extra], t);
    return { code, out: t.out, err: t.err };
  }

  it('--json: jobs beside guests, the guest backed up through PBS, exit 0 while no job is a problem', async () => {
    await store(pve(), pbsInventory({
      pbsSnapshots: [snapshot('100', RUN, { verification: { state: 'ok', upid: pbsUpid(RUN + 600) } })],
      pbsJobs: [pbsJob('prune', 'p1', ran('OK')), pbsJob('sync', 's1', ran('WARNINGS: 1'))],
    }));
    const r = await run('--json');
    assert.equal(r.err, '');
    const body = JSON.parse(r.out) as HealthJson;
    assert.deepEqual(body.guests.map((g) => [g.vmid, g.status, g.backupCount, g.lastBackup, g.verification]), [[100, 'ok', 1, RUN, 'ok']]);
    assert.deepEqual(body.jobs.map((j) => [j.endpoint, j.kind, j.id, j.store, j.status, j.problem]), [
      ['pbs', 'sync', 's1', 'store1', 'warnings', false], ['pbs', 'prune', 'p1', 'store1', 'ok', false],
    ]);
    for (const k of ['schedule', 'reason', 'lastRun', 'lastRunUpid', 'nextRun', 'enabled', 'lifecycle']) assert.ok(k in body.jobs[0], k);
    assert.equal(r.code, 0, 'a warning is not a problem');
  });

  it('a failed or missed PBS job makes the exit code 3 though every guest is ok, and is listed after the guests', async () => {
    await store(pve(), pbsInventory({
      pbsSnapshots: [snapshot('100', RUN)],
      pbsJobs: [pbsJob('verify', 'v-bad', ran('verification failed on 1 snapshot')), pbsJob('gc', 'store1', { ...ran('OK'), nextRun: NOW - 2 * 86400 }), pbsJob('prune', 'p1', ran('OK'))],
    }));
    const json = await run('--json');
    const body = JSON.parse(json.out) as HealthJson;
    assert.equal(body.guests[0].status, 'ok');
    assert.deepEqual(body.jobs.filter((j) => j.problem).map((j) => [j.id, j.status]), [['v-bad', 'failed'], ['store1', 'missed']]);
    assert.equal(json.code, 3);
    const text = await run();
    assert.equal(text.code, 3);
    const guestRow = text.out.indexOf('vm100 (100)');
    const failed = text.out.indexOf('! PBS verify job v-bad on store1 on pbs: failed: the last run failed: verification failed on 1 snapshot');
    const missed = text.out.indexOf('! PBS garbage collection of store1 on pbs: missed:');
    assert.ok(guestRow >= 0 && failed > guestRow && missed > guestRow, text.out);
    assert.match(text.out, /PBS jobs: 1 failed, 1 missed, 1 ok/);
    assert.ok(!text.out.includes('p1 on store1 on pbs'), 'an ok job is counted, not listed');
  });

  it('a store with only a PBS endpoint: its jobs in the text and an exit code from them', async () => {
    await store(pbsInventory({ pbsJobs: [pbsJob('verify', 'v-bad', ran('verification failed'))] }));
    const bad = await run();
    assert.equal(bad.code, 3);
    assert.match(bad.out, /! PBS verify job v-bad on store1 on pbs: failed/);
    assert.ok(!bad.out.includes('No guests in this store'), bad.out);
    await store(pbsInventory({ pbsJobs: [pbsJob('verify', 'v-bad', ran('OK'))] }));
    const good = await run('--json');
    assert.equal(good.code, 0);
    assert.equal((JSON.parse(good.out) as HealthJson).jobs[0].status, 'ok');
  });
});
