// Which guests a backup job selects: the core's one rule (src/core/health/selection.ts) against the simulator's own
// oracle (src/sim/coverage.ts) on every combination of pool, vmid list, all, exclude and node, with the routines
// read the way the pipeline stores them (the simulator's /cluster/backup, decoded and reconciled by a real sync).
import { strict as assert } from 'node:assert';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startSimulator, type RunningSimulator, type SimBackupJob, type SimGuest } from '../../src/sim';
import { guestCoveredBy, guestsOfJob } from '../../src/sim/coverage';
import { runSync } from '../../src/core/pipeline';
import { loadInventory } from '../../src/core/inventory/inventory';
import type { BackupRoutine, GuestRecord, Inventory } from '../../src/core/inventory/model';
import { effectiveExclude, routineIncludes, selectedGuests, selectionOf, unknownVmids } from '../../src/core/health/selection';
import { coverageOf } from '../../src/core/health/coverage';
import { decodeBackupJob } from '../../src/core/proxmox';

/** A vmid no guest has: vzdump tries it and fails, it never counts as a selected guest. */
const GHOST_VMID = 99_999;

describe('backup job selection (vzdump semantics)', function () {
  this.timeout(60_000);
  let sim: RunningSimulator;
  let store: string;
  let inventory: Inventory;
  let jobs: SimBackupJob[];
  let guests: SimGuest[];

  before(async () => {
    sim = await startSimulator({ seed: 11, nodes: 2, guests: 24, jobs: 0 });
    store = mkdtempSync(join(tmpdir(), 'proxbox-selection-'));
    const [n1, n2] = sim.cluster.nodes.map((n) => n.name);
    // 24 guests: pool P, Q or none × in the vmid list or not × in the exclude list or not × on n1 or n2.
    guests = sim.cluster.guests.slice(0, 24);
    assert.equal(guests.length, 24);
    // Guest i is the mixed-radix number (pool: 3) (node: 2) (listed: 2) (excluded: 2), so each combination occurs once.
    const digit = (i: number, below: number, base: number): number => Math.floor(i / below) % base;
    guests.forEach((g, i) => {
      g.pool = ['P', 'Q', undefined][digit(i, 1, 3)];
      g.node = digit(i, 3, 2) === 0 ? n1 : n2;
    });
    sim.cluster.pools = [{ poolid: 'P' }, { poolid: 'Q' }];
    const inList = guests.filter((_, i) => digit(i, 6, 2) === 0).map((g) => g.vmid);
    const inExclude = guests.filter((_, i) => digit(i, 12, 2) === 0).map((g) => g.vmid);
    const vmidText = [...inList, GHOST_VMID].join(',');
    jobs = [];
    for (const pool of [undefined, 'P'])
      for (const vmid of [undefined, vmidText])
        for (const all of [undefined, 0, 1] as const)
          for (const exclude of [undefined, inExclude.join(','), ''])
            for (const node of [undefined, n1, n2, 'ghost-node']) {
              const job: SimBackupJob = { id: `backup-${jobs.length}`, type: 'vzdump', schedule: 'daily', enabled: 1 };
              if (pool !== undefined) job.pool = pool;
              if (vmid !== undefined) job.vmid = vmid;
              if (all !== undefined) job.all = all;
              if (exclude !== undefined) job.exclude = exclude;
              if (node !== undefined) job.node = node;
              jobs.push(job);
            }
    sim.cluster.jobs = jobs;
    const complete = await runSync({
      endpoint: { id: 'sel', name: 'Selection', url: sim.url, tokenId: sim.tokenId, fingerprint: sim.fingerprint },
      secret: sim.tokenSecret, store, stages: ['virtual-machines', 'backup-routines'], options: { timeoutMs: 5000, retries: 0 },
    });
    assert.equal(complete.ok, true, JSON.stringify(complete.errors));
    inventory = (await loadInventory(store, 'sel'))!;
  });
  after(async () => {
    await sim.close();
    rmSync(store, { recursive: true, force: true });
  });

  const routineOf = (id: string): BackupRoutine => inventory.backupRoutines.find((r) => r.jobId === id)!;
  const guestOf = (vmid: number): GuestRecord => inventory.guests.find((g) => g.vmid === vmid)!;

  it('agrees with the simulator\'s oracle for every job and every guest', () => {
    assert.equal(inventory.backupRoutines.length, 2 * 2 * 3 * 3 * 4);
    let compared = 0;
    let selected = 0;
    const disagreements: string[] = [];
    for (const job of jobs) {
      const r = routineOf(job.id);
      for (const sg of guests) {
        const g = guestOf(sg.vmid);
        assert.equal(g.pool, sg.pool ?? null, 'the inventory holds the pool the simulator reports');
        const expected = guestCoveredBy(job, sg);
        if (routineIncludes(r, g) !== expected) disagreements.push(`${JSON.stringify(job)} × guest ${g.vmid} (pool ${g.pool}, node ${g.node}): oracle says ${expected}`);
        compared++;
        if (expected) selected++;
      }
      const fromOracle = guestsOfJob(job, sim.cluster).filter((g) => guests.includes(g)).map((g) => g.vmid).sort((a, b) => a - b);
      const fromCore = selectedGuests(r, inventory.guests.filter((g) => guests.some((s) => s.vmid === g.vmid))).map((g) => g.vmid).sort((a, b) => a - b);
      assert.deepEqual(fromCore, fromOracle, job.id);
    }
    assert.deepEqual(disagreements.slice(0, 5), [], `${disagreements.length} disagreement(s)`);
    assert.equal(compared, 144 * 24);
    // The combinations are not vacuous: plenty of pairs on both sides of the answer.
    assert.ok(selected > 400 && compared - selected > 400, `${selected} of ${compared} selected`);
  });

  it('decodes the precedence at parse time: pool over vmid over all; a bare exclude means all', () => {
    const find = (p: Partial<SimBackupJob>): BackupRoutine => {
      const keys = ['pool', 'vmid', 'all', 'exclude', 'node'] as const;
      const job = jobs.find((j) => keys.every((k) => j[k] === p[k]))!;
      return routineOf(job.id);
    };
    const list = jobs.find((j) => j.vmid)!.vmid!;
    const exclude = jobs.find((j) => j.exclude)!.exclude!;
    assert.equal(find({ pool: 'P', vmid: list, all: 1, exclude }).selection.mode, 'pool');
    assert.equal(find({ vmid: list, all: 1, exclude }).selection.mode, 'vmids');
    assert.equal(find({ all: 1 }).selection.mode, 'all');
    assert.equal(find({ exclude }).selection.mode, 'all', 'verify_vzdump_parameters makes an exclude-only job "all"');
    assert.equal(find({ exclude: '' }).selection.mode, 'all', 'an empty exclude is still defined');
    assert.deepEqual(find({ all: 0 }).selection, { mode: 'vmids', vmids: [], pool: null, exclude: [] }, 'nothing selected');
    assert.deepEqual(selectedGuests(find({ all: 0 }), inventory.guests), []);
  });

  it('applies exclude only to "all" jobs and a node binding to every mode', () => {
    const list = jobs.find((j) => j.vmid)!.vmid!;
    const exclude = jobs.find((j) => j.exclude)!.exclude!;
    const excluded = exclude.split(',').map(Number);
    const [n1] = sim.cluster.nodes.map((n) => n.name);
    const byId = (p: Partial<SimBackupJob>): BackupRoutine => routineOf(jobs.find((j) => (['pool', 'vmid', 'all', 'exclude', 'node'] as const).every((k) => j[k] === p[k]))!.id);

    const allBut = byId({ all: 1, exclude });
    assert.deepEqual(effectiveExclude(allBut.selection), excluded);
    assert.deepEqual(selectedGuests(allBut, inventory.guests).map((g) => g.vmid), inventory.guests.map((g) => g.vmid).filter((v) => !excluded.includes(v)));

    const listWithExclude = byId({ vmid: list, exclude });
    assert.deepEqual(effectiveExclude(listWithExclude.selection), []);
    const listed = list.split(',').map(Number).filter((v) => v !== GHOST_VMID);
    assert.deepEqual(selectedGuests(listWithExclude, inventory.guests).map((g) => g.vmid), listed, 'exclude does not thin a vmid list');
    assert.deepEqual(unknownVmids(listWithExclude, inventory.guests), [GHOST_VMID]);

    const onNode = byId({ pool: 'P', node: n1 });
    assert.ok(selectedGuests(onNode, inventory.guests).length > 0);
    assert.ok(selectedGuests(onNode, inventory.guests).every((g) => g.node === n1 && g.pool === 'P'));
    assert.deepEqual(selectedGuests(byId({ all: 1, node: 'ghost-node' }), inventory.guests), [], 'a node outside the cluster runs nothing');
  });

  it('counts a guest as covered only through jobs that select it (vmid list: not through exclude)', () => {
    const cov = coverageOf(inventory);
    for (const g of inventory.guests) {
      const c = cov.get(g.vmid)!;
      const expected = jobs.filter((j) => guestCoveredBy(j, guests.find((s) => s.vmid === g.vmid)!)).map((j) => j.id).sort();
      assert.deepEqual([...c.routines].sort(), expected, `guest ${g.vmid}`);
    }
  });

  it('selectionOf keeps exclude as written (for the view to say it is ignored) and sorts and dedupes lists', () => {
    const job = decodeBackupJob({ id: 'j', type: 'vzdump', pool: 'web', vmid: '102,100,102', exclude: '7,3,3' }, 'data');
    assert.deepEqual(selectionOf(job), { mode: 'pool', vmids: [], pool: 'web', exclude: [3, 7] });
    assert.deepEqual(selectionOf(decodeBackupJob({ id: 'j', vmid: '102,100,102', all: 1 }, 'data')),
      { mode: 'vmids', vmids: [100, 102], pool: null, exclude: [] });
  });
});
