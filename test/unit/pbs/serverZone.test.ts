// The PBS server's time zone, end to end: the decoder of GET /nodes/localhost/time, the simulated PBS (Europe/Vienna)
// read over HTTPS by the real PbsClient, a sync that records the zone in the inventory's localhost node, a refused or
// odd read that keeps the sync going with a warning, and the calendar's runs of every simulated job against the
// simulator's own next-run (computed in the server's zone, as PBS does).
import { strict as assert } from 'node:assert';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildCalendar, calendarSources, entryStart, PBS_ZONE_WORDS, routineKey } from '../../../src/core/calendar';
import { loadInventory } from '../../../src/core/inventory/inventory';
import type { EndpointRef, Inventory } from '../../../src/core/inventory/model';
import { PbsClient } from '../../../src/core/pbs/client';
import { decodePbsTime, decodePbsVersion } from '../../../src/core/pbs/decoders';
import { runSync, type CompleteData } from '../../../src/core/pipeline';
import { DecodeError } from '../../../src/core/proxmox/decoders/primitives';
import { parseSchedule, zoneOffsetAt } from '../../../src/core/schedule';
import { startSimulator, type RunningSimulatorWithPbs, type SimPbs } from '../../../src/sim';
import { FakePbs, PBS_ENDPOINT, PBS_NOW, pbsError } from '../pipeline/pbsFixture';

const NOW = 1_790_000_000; // Tue 22 Sep 2026, 14:13 UTC: Vienna is on summer time (UTC+2)
const DAY = 86_400;
const parse = (text: string) => parseSchedule(text, 'calendar');

describe('PBS server time zone', () => {
  describe('decodePbsTime', () => {
    it('decodes the body proxmox-backup\'s get_time sends', () => {
      // src/api2/node/time.rs: { timezone, time, localtime }, localtime already shifted by the UTC offset.
      const body = { timezone: 'Europe/Vienna', time: NOW, localtime: NOW + 7200 };
      assert.deepEqual(decodePbsTime(body, 'data'), { timezone: 'Europe/Vienna', time: NOW, localtime: NOW + 7200 });
      assert.deepEqual(decodePbsTime({ timezone: 'UTC' }, 'data'), { timezone: 'UTC', time: undefined, localtime: undefined }, 'the clocks are optional');
    });

    it('rejects a body without a timezone as the other PBS decoders reject a missing field', () => {
      const missing = (f: () => unknown): DecodeError => {
        try {
          f();
        } catch (e) {
          assert.ok(e instanceof DecodeError, String(e));
          return e;
        }
        assert.fail('expected a DecodeError');
      };
      const time = missing(() => decodePbsTime({ time: NOW, localtime: NOW }, 'data'));
      const version = missing(() => decodePbsVersion({ release: '4.1' }, 'data'));
      assert.match(time.message, /data\.timezone/);
      assert.equal(time.message.replace('timezone', 'X'), version.message.replace('version', 'X'), 'same words as any missing field');
      missing(() => decodePbsTime({ timezone: { name: 'Europe/Vienna' }, time: NOW }, 'data'));
      missing(() => decodePbsTime([], 'data'));
    });
  });

  describe('in the pbs-jobs stage (decoded answers)', () => {
    let store: string;
    beforeEach(() => { store = mkdtempSync(join(tmpdir(), 'proxbox-pbs-zone-')); });
    afterEach(() => rmSync(store, { recursive: true, force: true }));
    const sync = (pbs: FakePbs, stages?: string[]): Promise<CompleteData> =>
      runSync({ endpoint: PBS_ENDPOINT, secret: 'pbs-secret-0123456789abcdef', store, pbsApi: pbs, now: () => PBS_NOW * 1000, stages, onEvent: () => undefined });

    it('a sync of the jobs alone brings the zone with them', async () => {
      const pbs = new FakePbs();
      pbs.data.timezone = 'Asia/Tokyo';
      const c = await sync(pbs, ['pbs-jobs']);
      assert.equal(c.ok, true, c.message);
      assert.deepEqual(c.stages.map((s) => s.step), ['pbs-jobs']);
      const inv = await loadInventory(store, PBS_ENDPOINT.id);
      assert.deepEqual(inv?.nodes.map((n) => [n.name, n.timezone]), [['localhost', 'Asia/Tokyo']]);
    });

    it('a token refused on the time read ends the run as any refused token does (it is no zone problem)', async () => {
      const pbs = new FakePbs();
      pbs.faults.set('/nodes/localhost/time', pbsError('authentication', '/nodes/localhost/time'));
      const c = await sync(pbs);
      assert.equal(c.ok, false);
      assert.equal(c.stages.find((s) => s.step === 'pbs-jobs')?.status, 'failed');
      assert.ok(!c.warnings.some((w) => /time zone/.test(w)), c.warnings.join('\n'));
    });
  });

  describe('against the simulated PBS over HTTPS', function () {
    this.timeout(60_000);
    let sim: RunningSimulatorWithPbs;
    let model: SimPbs;
    let store: string;
    let pbs: EndpointRef;

    beforeEach(async () => {
      sim = await startSimulator({ scenario: 'health', pbs: true, now: NOW });
      model = sim.cluster.pbs!;
      store = mkdtempSync(join(tmpdir(), 'proxbox-pbs-zone-'));
      pbs = { id: 'pbs', name: 'pbs', url: sim.pbs.url, tokenId: sim.pbs.tokenId, fingerprint: sim.pbs.fingerprint, kind: 'pbs' };
    });
    afterEach(async () => {
      await sim.close();
      rmSync(store, { recursive: true, force: true });
    });

    const sync = (): Promise<CompleteData> =>
      runSync({ endpoint: pbs, secret: sim.pbs.tokenSecret, store, now: () => NOW * 1000, options: { retries: 0, timeoutMs: 5000 }, onEvent: () => undefined });
    const stored = async (): Promise<Inventory> => {
      const inv = await loadInventory(store, 'pbs', NOW);
      assert.ok(inv, 'the PBS inventory was stored');
      return inv;
    };
    const zoneWarnings = (c: CompleteData): string[] => c.warnings.filter((w) => /time zone/.test(w));
    const nodeZones = (inv: Inventory): [string, string | null][] => inv.nodes.map((n) => [n.name, n.timezone]);

    it('PbsClient.time() reads the server\'s zone and both clocks', async () => {
      const c = new PbsClient({ id: 'pbs', name: 'pbs', url: sim.pbs.url, tokenId: sim.pbs.tokenId, fingerprint: sim.pbs.fingerprint }, sim.pbs.tokenSecret, { retries: 0, timeoutMs: 5000 });
      try {
        const t = await c.time();
        assert.equal(t.timezone, 'Europe/Vienna');
        assert.equal(t.time, NOW);
        assert.equal(t.localtime, NOW + 7200, 'CEST is UTC+2');
        // A body without the zone is refused by the client, naming the field.
        model.timezone = undefined as unknown as string;
        await assert.rejects(c.time(), /timezone/);
      } finally {
        await c.close();
      }
    });

    it('a sync records the zone as the localhost node, without a warning', async () => {
      const c = await sync();
      assert.equal(c.ok, true, c.message);
      assert.deepEqual(zoneWarnings(c), []);
      assert.deepEqual(nodeZones(await stored()), [['localhost', 'Europe/Vienna']]);
      // The stage's counts speak of the jobs it lists: the zone's record is not "1 created" beside them.
      const jobs = c.stages.find((s) => s.step === 'pbs-jobs')!;
      assert.equal(jobs.created, jobs.count, JSON.stringify(jobs));
      assert.equal(jobs.count, (await stored()).pbsJobs.length);
      // A zone that changes is stored, and still not counted as a change of the jobs.
      model.timezone = 'America/New_York';
      const again = (await sync()).stages.find((s) => s.step === 'pbs-jobs')!;
      assert.deepEqual([again.created, again.updated], [0, 0], JSON.stringify(again));
      assert.deepEqual(nodeZones(await stored()), [['localhost', 'America/New_York']]);
    });

    it('a 403 on the time keeps the sync going with a warning naming what may filter it, and keeps the zone synced before', async () => {
      assert.equal((await sync()).ok, true);
      model.timeRefused = true;
      model.timezone = 'America/New_York'; // a zone the refused read must not bring in
      const c = await sync();
      assert.equal(c.ok, true, c.message);
      assert.equal(c.stages.find((s) => s.step === 'pbs-jobs')?.status, 'completed');
      const [w, ...more] = zoneWarnings(c);
      assert.deepEqual(more, []);
      assert.match(w, /proxy or firewall/);
      assert.doesNotMatch(w, /Sys\.Audit/, 'PBS needs no privilege for its time: naming one would send the user the wrong way');
      assert.match(w, /\/nodes\/localhost\/time/);
      assert.match(w, /stay in Europe\/Vienna, as the last sync read it/);
      const inv = await stored();
      assert.deepEqual(nodeZones(inv), [['localhost', 'Europe/Vienna']]);
      assert.ok(inv.pbsJobs.length >= 5, 'the jobs were still synced');
    });

    it('a 403 on a first sync: the jobs are synced, no zone is stored, and the warning says UTC is assumed', async () => {
      model.timeRefused = true;
      const c = await sync();
      assert.equal(c.ok, true, c.message);
      assert.match(zoneWarnings(c).join('\n'), /stay in UTC \(assumed\)/);
      const inv = await stored();
      assert.deepEqual(inv.nodes, []);
      assert.ok(inv.pbsJobs.length >= 5);
      const sources = calendarSources([inv]);
      assert.ok(sources.length > 0 && sources.every((s) => s.timezone === 'UTC' && s.zoneWords === PBS_ZONE_WORDS));
    });

    it('a zone name Intl does not know is stored as unknown, with a warning, and the calendar assumes UTC', async () => {
      assert.equal((await sync()).ok, true);
      model.timezone = 'Mars/Olympus_Mons';
      const c = await sync();
      assert.equal(c.ok, true, c.message);
      assert.match(zoneWarnings(c).join('\n'), /'Mars\/Olympus_Mons', which is not a known IANA zone name/);
      const inv = await stored();
      assert.deepEqual(nodeZones(inv), [['localhost', null]]);
      assert.ok(calendarSources([inv]).every((s) => s.timezone === 'UTC' && s.zoneWords === PBS_ZONE_WORDS));
    });

    it('for every scheduled job of the simulated PBS, the calendar\'s first run after now is PBS\'s own next-run', async () => {
      assert.equal((await sync()).ok, true);
      const inv = await stored();
      const firstRuns = (i: Inventory): Map<string, number | undefined> => {
        const data = buildCalendar(calendarSources([i]), { from: NOW, to: NOW + 40 * DAY, timeZone: 'UTC', parse, now: NOW });
        // Runs and bands (the hourly sync is a band a day): the range starts at now, which is no job's run time.
        const entries = data.days.flatMap((d) => d.entries);
        return new Map(data.routines.map((r) => [r.key, entries.filter((e) => e.routine === r.key).map(entryStart).filter((t) => t > NOW).sort((a, b) => a - b)[0]]));
      };
      const shown = firstRuns(inv);
      const model = sim.cluster.pbs!;
      const all: [string, number | undefined][] = [
        ...model.pruneJobs.map((j): [string, number | undefined] => [`prune:${j.id}`, j.nextRun]),
        ...model.gc.map((j): [string, number | undefined] => [`gc:${j.store}`, j.nextRun]),
        ...model.verifyJobs.map((j): [string, number | undefined] => [`verify:${j.id}`, j.nextRun]),
        ...model.syncJobs.map((j): [string, number | undefined] => [`sync:${j.id}`, j.nextRun]),
      ];
      const expected = all.filter((e): e is [string, number] => e[1] !== undefined);
      assert.ok(expected.length >= 5, `the simulated PBS schedules jobs of every kind (${expected.map((e) => e[0]).join(', ')})`);
      for (const [id, next] of expected) {
        assert.equal(shown.get(routineKey('pbs', id)), next, `${id}: the calendar's first run is PBS's next-run`);
      }
      // The control: placed in UTC (the zone unknown), the daily jobs would be two hours late.
      const utc = firstRuns({ ...inv, nodes: [] });
      const gc = model.gc.find((g) => g.schedule === 'daily')!;
      assert.equal(utc.get(routineKey('pbs', `gc:${gc.store}`)), gc.nextRun! + zoneOffsetAt(gc.nextRun!, 'Europe/Vienna'));
    });
  });
});
