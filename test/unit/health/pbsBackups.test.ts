// Backup health over PVE and PBS inventories together: one backup, one identity (src/core/health/pbsBackups.ts).
import { strict as assert } from 'node:assert';
import { evaluateHealth } from '../../../src/core/health/report';
import { verifiedAt } from '../../../src/core/health/status';
import type { BackupPolicy, GuestHealth, HealthReport } from '../../../src/core/health/types';
import type { Inventory } from '../../../src/core/inventory/model';
import * as f from './fixtures';
import { pbsInventory, pbsStorage, pbsUpid, pveListed, snapshot } from './pbsFixtures';

const NOW = f.utc('2026-11-30T12:00:00Z');
const RUN = f.utc('2026-11-30T02:30:00Z');
const DAY = 86400;

/** A PVE cluster whose daily 02:30 job backs guest 100 up to its pbs storage `pbs1`, synced at `syncedAt`. */
function pve(parts: Partial<Inventory> = {}, id = 'lab', syncedAt = '2026-11-30T11:00:00Z'): Inventory {
  return f.inventory({
    guests: [f.guest(100)], storages: [pbsStorage('pbs1')],
    backupRoutines: [f.routine('backup-pbs', { storage: 'pbs1' })],
    tasks: [f.task('pve1', RUN, { endTime: RUN + 300 })],
    syncedAt, ...parts,
  }, id);
}

function guestOf(report: HealthReport, vmid = 100, endpoint = 'lab'): GuestHealth {
  const g = report.guests.find((x) => x.vmid === vmid && x.endpoint === endpoint);
  assert.ok(g, `guest ${vmid} of ${endpoint} in ${JSON.stringify(report.guests)}`);
  return g;
}

describe('health: one backup seen through PVE and PBS', () => {
  it('counts a snapshot listed by both once, and takes its verification from PBS', () => {
    const inv = pve({ backups: [pveListed('pbs1', 100, RUN), pveListed('pbs1', 100, RUN - DAY)] });
    const pbs = pbsInventory({ pbsSnapshots: [
      snapshot('100', RUN, { verification: { state: 'ok', upid: pbsUpid(RUN + 3600) } }),
      snapshot('100', RUN - DAY),
    ] });
    const alone = guestOf(evaluateHealth([inv], f.options(NOW)));
    assert.equal(alone.backupCount, 2);
    assert.equal(alone.verification, null, 'PVE listed no verification');
    const both = guestOf(evaluateHealth([inv, pbs], f.options(NOW)));
    assert.equal(both.backupCount, 2, 'two snapshots, each seen twice');
    assert.equal(both.lastBackup, RUN);
    assert.equal(both.verification, 'ok');
    assert.equal(both.status, 'ok');
  });

  it('counts a snapshot only PBS lists on a matched storage (newer than PVE\'s listing)', () => {
    const inv = pve({ backups: [pveListed('pbs1', 100, RUN - DAY)] }, 'lab', '2026-11-30T01:00:00Z');
    const pbs = pbsInventory({ pbsSnapshots: [snapshot('100', RUN - DAY), snapshot('100', RUN)] });
    const alone = guestOf(evaluateHealth([inv], f.options(NOW)));
    assert.equal(alone.status, 'overdue', 'PVE alone has no backup from the 02:30 run');
    const g = guestOf(evaluateHealth([inv, pbs], f.options(NOW)));
    assert.equal(g.backupCount, 2);
    assert.equal(g.lastBackup, RUN);
    assert.equal(g.status, 'ok', 'the backup PBS lists is on the routine\'s storage pbs1');
  });

  it('takes verify-failed from PBS\'s own verification of the newest backup', () => {
    const inv = pve({ backups: [pveListed('pbs1', 100, RUN)] });
    const pbs = pbsInventory({ pbsSnapshots: [snapshot('100', RUN, { verification: { state: 'failed', upid: pbsUpid(RUN + 600) } })] });
    const g = guestOf(evaluateHealth([inv, pbs], f.options(NOW)));
    assert.equal(g.status, 'verify-failed');
    assert.equal(g.verification, 'failed');
    assert.match(g.reason, /failed verification/);
  });

  it('leaves a storage that matches no PBS endpoint exactly as PVE listed it', () => {
    const inv = pve({ storages: [pbsStorage('pbs1', { server: 'other-pbs.example.test', fingerprint: null })], backups: [pveListed('pbs1', 100, RUN - DAY)] });
    const pbs = pbsInventory({ pbsSnapshots: [snapshot('100', RUN - DAY, { verification: { state: 'failed', upid: null } }), snapshot('100', RUN)] });
    const alone = evaluateHealth([inv], f.options(NOW));
    const withPbs = evaluateHealth([inv, pbs], f.options(NOW));
    assert.deepEqual(withPbs.guests, alone.guests);
    assert.equal(guestOf(withPbs).backupCount, 1);
  });

  it('does not count a PBS snapshot of another type with the same id (ct/100 is not VM 100)', () => {
    const inv = pve({ backups: [] });
    const pbs = pbsInventory({ pbsSnapshots: [snapshot('100', RUN, { backupType: 'ct' })] });
    const g = guestOf(evaluateHealth([inv, pbs], f.options(NOW)));
    assert.equal(g.backupCount, 0);
    assert.equal(g.status, 'never');
  });

  it('counts a snapshot once when two storages of one cluster point at the same datastore', () => {
    const inv = pve({
      storages: [pbsStorage('pbs1'), pbsStorage('pbs1-again')],
      backups: [pveListed('pbs1', 100, RUN), pveListed('pbs1-again', 100, RUN)],
    });
    const pbs = pbsInventory({ pbsSnapshots: [snapshot('100', RUN), snapshot('100', RUN - DAY)] });
    assert.equal(guestOf(evaluateHealth([inv], f.options(NOW))).backupCount, 2, 'PVE alone sees it twice');
    assert.equal(guestOf(evaluateHealth([inv, pbs], f.options(NOW))).backupCount, 2, 'once, plus the PBS-only one');
  });

  it('reads only the given namespace of the datastore', () => {
    const inv = pve({ storages: [pbsStorage('pbs1', { namespace: 'lab' })], backups: [] });
    const pbs = pbsInventory({ pbsSnapshots: [snapshot('100', RUN, { ns: '' }), snapshot('100', RUN - DAY, { ns: 'lab' })] });
    const g = guestOf(evaluateHealth([inv, pbs], f.options(NOW)));
    assert.equal(g.backupCount, 1);
    assert.equal(g.lastBackup, RUN - DAY);
  });

  it('two clusters in one datastore + namespace: neither gains PBS-only snapshots, each keeps its own listing', () => {
    // PBS's group vm/100 holds both clusters' guest 100: it cannot say which snapshot is whose.
    const a = pve({ backups: [pveListed('pbs1', 100, RUN - DAY)] }, 'a');
    const b = pve({ backups: [] }, 'b');
    const pbs = pbsInventory({ pbsSnapshots: [snapshot('100', RUN - DAY, { verification: { state: 'ok', upid: null } }), snapshot('100', RUN)] });
    const report = evaluateHealth([a, b, pbs], f.options(NOW));
    const ga = guestOf(report, 100, 'a');
    assert.equal(ga.backupCount, 1, 'only what cluster a\'s own storage listed');
    assert.equal(ga.verification, 'ok', 'with PBS\'s verification of it');
    assert.equal(guestOf(report, 100, 'b').status, 'never', 'cluster b is not credited with a\'s backups');
    // With its own namespace, each cluster is unambiguous again.
    const b2 = pve({ storages: [pbsStorage('pbs1', { namespace: 'b' })], backups: [] }, 'b');
    const pbs2 = pbsInventory({ pbsSnapshots: [...pbs.pbsSnapshots, snapshot('100', RUN, { ns: 'b' })] });
    const report2 = evaluateHealth([a, b2, pbs2], f.options(NOW));
    assert.equal(guestOf(report2, 100, 'a').backupCount, 2);
    assert.equal(guestOf(report2, 100, 'b').backupCount, 1);
  });

  it('a PBS inventory older than the PVE one: what PVE no longer lists is not counted, what PBS does not know yet is', () => {
    // PVE synced at 11:00 lists the 02:30 backup and the one of two days ago; PBS synced at 01:00 still has one of
    // three days ago (pruned since, so PVE's newer listing lacks it) and has not seen the 02:30 one.
    const inv = pve({ backups: [pveListed('pbs1', 100, RUN, { verification: { state: 'ok', upid: pbsUpid(RUN + 600) } }), pveListed('pbs1', 100, RUN - 2 * DAY)] });
    const pbs = pbsInventory({
      syncedAt: '2026-11-30T01:00:00Z',
      pbsSnapshots: [snapshot('100', RUN - 3 * DAY), snapshot('100', RUN - 2 * DAY, { verification: { state: 'failed', upid: null } })],
    });
    const g = guestOf(evaluateHealth([inv, pbs], f.options(NOW)));
    assert.equal(g.backupCount, 2);
    assert.equal(g.lastBackup, RUN);
    assert.equal(g.verification, 'ok', 'the newest backup\'s verification as the newer (PVE) listing has it');
    // The same PBS inventory synced after PVE: its extra snapshot is real, and its verification wins.
    const newer = guestOf(evaluateHealth([inv, { ...pbs, syncedAt: '2026-11-30T11:30:00Z' }], f.options(NOW)));
    assert.equal(newer.backupCount, 3);
  });

  it('a newer PVE sync whose listing of the storage failed does not drop what PBS lists since (it kept the older listing)', () => {
    // PVE synced at 11:00 (other records changed), but its listing of pbs1 failed: it kept yesterday's listing. PBS,
    // synced at 06:00, lists today's 02:30 backup. PVE's listing holds nothing newer than that backup, so nothing
    // proves PVE looked after it was made: it is counted, and the guest is not overdue.
    const inv = pve({ backups: [pveListed('pbs1', 100, RUN - DAY), pveListed('pbs1', 100, RUN - 2 * DAY)] });
    const pbs = pbsInventory({ syncedAt: '2026-11-30T06:00:00Z', pbsSnapshots: [snapshot('100', RUN), snapshot('100', RUN - DAY), snapshot('100', RUN - 3 * DAY)] });
    const g = guestOf(evaluateHealth([inv, pbs], f.options(NOW)));
    assert.equal(g.lastBackup, RUN);
    assert.equal(g.status, 'ok');
    // The one of three days ago is older than the newest PVE's listing holds (yesterday's) and absent from it: pruned.
    assert.equal(g.backupCount, 3);
    // Once PVE's listing holds a newer snapshot (another guest's, same datastore), today's absent one counts as pruned.
    const other = pve({ guests: [f.guest(100), f.guest(101)], backups: [pveListed('pbs1', 100, RUN - DAY), pveListed('pbs1', 101, RUN + 600)] });
    const pruned = guestOf(evaluateHealth([other, pbs], f.options(NOW)));
    assert.equal(pruned.lastBackup, RUN - DAY, 'PVE listed after 02:30 and no longer has the 02:30 snapshot');
    // The same proof from a row without a ctime: the time in its volid.
    const noCtime = pve({ guests: [f.guest(100), f.guest(101)], backups: [pveListed('pbs1', 100, RUN - DAY), pveListed('pbs1', 101, RUN + 600, { ctime: null })] });
    assert.equal(guestOf(evaluateHealth([noCtime, pbs], f.options(NOW))).lastBackup, RUN - DAY);
  });

  it('evaluates PBS inventories given as context only for matching: no jobs of theirs, the same guests', () => {
    const inv = pve({ backups: [] });
    const pbs = pbsInventory({ pbsSnapshots: [snapshot('100', RUN)], pbsJobs: [] });
    const together = evaluateHealth([inv, pbs], f.options(NOW));
    const context = evaluateHealth([inv], f.options(NOW, { context: [pbs] }));
    assert.deepEqual(context.guests, together.guests);
    assert.equal(guestOf(context).backupCount, 1);
  });
});

describe('health: the verification time of a PBS verify task', () => {
  it('reads the start time of a PBS UPID (after its task-id field), not the task id', () => {
    const at = f.utc('2026-11-20T03:00:00Z');
    assert.equal(verifiedAt(f.backup(100, at - DAY, { verification: { state: 'ok', upid: pbsUpid(at) } })), at);
    // A UPID that does not parse falls back to the backup's own time.
    assert.equal(verifiedAt(f.backup(100, at - DAY, { verification: { state: 'ok', upid: 'UPID:broken' } })), at - DAY);
  });

  it('judges the policy\'s maxVerifyAgeDays by PBS\'s verification time', () => {
    const policy: BackupPolicy = { rules: [{ index: 0, match: {}, maxVerifyAgeDays: 7, range: { startLine: 0, startCharacter: 0, endLine: 0, endCharacter: 1 } }] };
    const at = (verified: number) => {
      const inv = pve({ backups: [pveListed('pbs1', 100, RUN)] });
      const pbs = pbsInventory({ pbsSnapshots: [snapshot('100', RUN, { verification: { state: 'ok', upid: pbsUpid(verified) } })] });
      return evaluateHealth([inv, pbs], f.options(NOW, { policy }));
    };
    // The snapshot is from today and verified "in the past" on purpose: the age can only come from the UPID's start time.
    const fresh = at(NOW - 2 * DAY);
    assert.equal(guestOf(fresh).status, 'ok', JSON.stringify(fresh.violations));
    const old = at(NOW - 10 * DAY);
    assert.equal(guestOf(old).status, 'verify-failed');
    assert.match(old.violations[0].message, /newest verification is 10 d old; the policy allows 7 d/);
  });
});
