// The calendar's sources from hand-built inventories: replications, each PBS job kind, custom entries from the setting
// and the policy file, a bad custom entry, and the overlaps between them.
import { strict as assert } from 'node:assert';
import {
  buildCalendar, calendarSources, CUSTOM_ENDPOINT_ID, entryStart, fastCronBetween, PBS_ZONE_WORDS, readCustomEntries, routineKey, type CalendarInventory,
  type CustomEntry,
} from '../../src/core/calendar';
import { parsePolicy } from '../../src/core/health/policy';
import type { PbsJobKind, PbsJobRecord, ReplicationRecord, StorageRecord } from '../../src/core/inventory/model';
import { parseSchedule } from '../../src/core/schedule';
import { storage } from './health/fixtures';
import { job } from './webviewFixtures';

const parse = (text: string) => parseSchedule(text, 'calendar');
const parseCron = (text: string) => parseSchedule(text, 'cron');
const FROM = Date.UTC(2026, 10, 2) / 1000; // Monday 2 Nov 2026
const TO = FROM + 7 * 86_400;
const LIFE = { status: 'active' as const, firstSeen: '2026-11-01T00:00:00Z', lastSeen: '2026-11-01T00:00:00Z', staleSince: null };

function pbsJob(kind: PbsJobKind, over: Partial<PbsJobRecord> = {}): PbsJobRecord {
  return {
    ...LIFE, kind, jobId: `${kind}-1`, store: 'store1', ns: null, schedule: 'daily', enabled: true, comment: null, remote: null, remoteStore: null,
    direction: null, retention: null, outdatedAfterDays: null, ignoreVerified: null, lastRunState: 'ok', lastRunUpid: null, lastRunEndtime: null,
    nextRun: null, raw: {}, ...over,
  };
}

function replication(over: Partial<ReplicationRecord> = {}): ReplicationRecord {
  return { ...LIFE, jobId: '100-0', guest: 100, target: 'pve-b', source: 'pve-a', jobType: 'local', schedule: '*/30', rate: null, comment: null, enabled: true, removeJob: null, raw: {}, ...over };
}

function pbsStorage(id: string, over: Partial<StorageRecord> = {}): StorageRecord {
  return { ...storage(id, 'pbs'), server: 'pbs.example', datastore: 'store1', port: 8007, namespace: '', ...over };
}

function pve(over: Partial<CalendarInventory> = {}): CalendarInventory {
  return {
    endpoint: { id: 'pve1', name: 'Lab', kind: 'pve', url: 'https://pve.example:8006' },
    nodes: [{ name: 'pve-a', timezone: 'Europe/Berlin' }, { name: 'pve-b', timezone: 'Europe/Berlin' }],
    guests: [{ vmid: 100, name: 'web', node: 'pve-a' }],
    backupRoutines: [], storages: [], disks: [], replications: [], ...over,
  };
}

function pbs(jobs: PbsJobRecord[]): CalendarInventory {
  return {
    endpoint: { id: 'pbs1', name: 'Backup server', kind: 'pbs', url: 'https://pbs.example:8007' },
    backupRoutines: [], pbsJobs: jobs,
    datastores: [{ store: 'store1', comment: null, maintenance: null, totalBytes: null, usedBytes: null, availBytes: null, estimatedFullDate: null, usageError: null }],
  };
}

const custom = (over: Partial<CustomEntry> = {}): CustomEntry => ({
  name: 'db dump', schedule: '15 2 * * *', scheduleKind: 'cron', timeZone: 'Europe/Vienna', color: '#e07000', note: 'pg_dump', target: undefined, origin: 'setting', ...over,
});

describe('calendar sources', () => {
  it('keeps backup jobs keyed as before and adds replications in the source node\'s zone', () => {
    const sources = calendarSources([pve({ backupRoutines: [job({ jobId: 'backup-daily', storage: null })], replications: [replication()] })]);
    assert.deepEqual(sources.map((s) => [s.routineId, s.kind]), [['backup-daily', 'backup'], ['replication:100-0', 'replication']]);
    const rep = sources[1];
    assert.equal(rep.timezone, 'Europe/Berlin');
    assert.equal(rep.scheduleText, '*/30');
    const data = buildCalendar(sources, { from: FROM, to: TO, timeZone: 'UTC', parse });
    assert.equal(data.routines.find((r) => r.kind === 'replication')!.runs, 7 * 48, 'every 30 minutes for a week');
    assert.equal(data.routines.find((r) => r.kind === 'backup')!.key, routineKey('pve1', 'backup-daily'));
  });

  it('places every PBS job kind in UTC, says so, and takes the last run\'s outcome from PBS', () => {
    const failedEnd = FROM + 2 * 86_400 + 600; // Wed 00:10 UTC: the verify of Wed 00:00 failed
    const kinds: PbsJobKind[] = ['prune', 'gc', 'verify', 'sync'];
    const jobs = kinds.map((k) => pbsJob(k, k === 'verify' ? { lastRunState: 'verification failed: 2 snapshots', lastRunEndtime: failedEnd } : {}));
    jobs.push(pbsJob('prune', { jobId: 'manual', schedule: null }));
    const sources = calendarSources([pbs(jobs)]);
    assert.deepEqual(sources.map((s) => s.kind), kinds, 'a job without a schedule has nothing to place');
    const data = buildCalendar(sources, { from: FROM, to: TO, timeZone: 'UTC', parse, now: FROM + 3 * 86_400 });
    for (const r of data.routines) {
      assert.equal(r.timezone, 'UTC');
      assert.match(r.description ?? '', /UTC assumed: PBS runs jobs in the server's local time/);
      assert.equal(r.target, 'datastore store1');
    }
    const verify = data.routines.find((r) => r.kind === 'verify')!;
    assert.equal(verify.lastRunState, 'verification failed: 2 snapshots');
    const runs = data.days.flatMap((d) => d.entries).filter((e) => e.routine === verify.key && e.kind === 'run');
    const outcomes = runs.map((e) => (e.kind === 'run' ? e.outcome : undefined));
    assert.deepEqual(outcomes, ['unknown', 'unknown', 'failed', undefined, undefined, undefined, undefined], 'the run before the reported end failed; older ones unknown; future planned');
  });

  it('places PBS jobs in the server\'s zone once a sync read it: a daily GC at 00:00 Vienna time', () => {
    const inv = { ...pbs([pbsJob('gc', { jobId: 'store1' })]), nodes: [{ name: 'localhost', timezone: 'Europe/Vienna' }] };
    const [source] = calendarSources([inv]);
    assert.equal(source.timezone, 'Europe/Vienna');
    assert.equal(source.zoneWords, undefined, 'no UTC assumption to state');
    const data = buildCalendar([source], { from: FROM, to: TO, timeZone: 'UTC', parse });
    const [gc] = data.routines;
    assert.equal(gc.timezoneAssumed, false);
    assert.doesNotMatch(gc.description ?? '', /UTC assumed/);
    const starts = data.days.flatMap((d) => d.entries).filter((e) => e.kind === 'run').map(entryStart);
    // Midnight in Vienna (CET, UTC+1 in November) is 23:00 UTC the day before.
    assert.equal(starts[0], Date.UTC(2026, 10, 2, 23, 0) / 1000);
    assert.equal(starts.length, 7);
    // A zone Intl does not know counts as unknown: UTC, and said so.
    const [odd] = calendarSources([{ ...inv, nodes: [{ name: 'localhost', timezone: 'Mars/Olympus_Mons' }] }]);
    assert.equal(odd.timezone, 'UTC');
    assert.equal(odd.zoneWords, PBS_ZONE_WORDS);
  });

  it('takes custom entries from the setting and from the policy file, each with its colour, note and cron zone', () => {
    const setting = readCustomEntries([{ name: 'db dump', schedule: { cron: '15 2 * * *', timeZone: 'Europe/Vienna' }, color: '#e07000', note: 'pg_dump' }], 'setting', 'proxbox.calendar.customEntries');
    assert.deepEqual(setting.errors, []);
    const policy = parsePolicy(JSON.stringify({ calendar: { entries: [{ name: 'restic', schedule: 'sat 04:00', timeZone: 'UTC', target: 'nfs-backup' }] } }));
    assert.deepEqual(policy.problems, [], 'a file with only calendar entries needs no rules');
    const entries = [...setting.entries, ...policy.policy.calendar!.entries];
    const data = buildCalendar(calendarSources([], entries), { from: FROM, to: TO, timeZone: 'UTC', parse, parseCron });
    assert.deepEqual(data.routines.map((r) => [r.endpointId, r.routineId, r.kind, r.customColor, r.note]), [
      [CUSTOM_ENDPOINT_ID, 'policy:restic', 'custom', null, null],
      [CUSTOM_ENDPOINT_ID, 'setting:db dump', 'custom', '#e07000', 'pg_dump'],
    ]);
    const dump = data.days.flatMap((d) => d.entries).filter((e) => e.routine === `${CUSTOM_ENDPOINT_ID}/setting:db dump`);
    assert.equal(dump.length, 7);
    // 02:15 in Vienna (CET, UTC+1) is 01:15 UTC.
    assert.ok(dump.every((e) => e.kind === 'run' && new Date(e.at * 1000).toISOString().endsWith('T01:15:00.000Z')));
  });

  it('names a bad custom entry and its fix, and still shows the good ones', () => {
    const read = readCustomEntries([
      { name: 'ok', schedule: '03:00' },
      { name: 'broken', schedule: { cron: '61 2 * * *' }, color: 'orange' },
      { schedule: '03:00' },
    ], 'setting', 'proxbox.calendar.customEntries');
    assert.deepEqual(read.entries.map((e) => e.name), ['ok']);
    assert.equal(read.errors.length, 3);
    assert.match(read.errors[0], /^Entry 2 of proxbox\.calendar\.customEntries \("broken"\): the cron expression "61 2 \* \* \*" cannot be read .*minute 61/);
    assert.match(read.errors[1], /"broken"\): "color" must be "#rgb" or "#rrggbb"/);
    assert.match(read.errors[2], /^Entry 3 .*"name" must be a non-empty text/);
    const policy = parsePolicy('{\n  "calendar": { "entries": [\n    { "name": "x", "schedule": "not a time" },\n    { "name": "y", "schedule": "daily" }\n  ] }\n}');
    assert.equal(policy.problems.length, 1);
    assert.equal(policy.problems[0].range.startLine, 2, 'on the entry\'s line, in the Problems panel');
    assert.match(policy.problems[0].message, /Calendar entry 1 \("x"\): the calendar event "not a time" cannot be read/);
    assert.deepEqual(policy.policy.calendar!.entries.map((e) => e.name), ['y']);
  });

  it('steps numeric cron by day with the same runs as the cron engine, across a DST change', () => {
    const from = Date.UTC(2026, 9, 20) / 1000; // 20 Oct to 1 Dec: Europe leaves summer time on 25 Oct
    const to = Date.UTC(2026, 11, 1) / 1000;
    for (const text of ['15 2 * * *', '*/20 1-3 * * 1-5', '0 0 1,15 * *', '30 4 * * 0', '0 3 13 * 5', '30 2 * 10-11 *']) {
      for (const tz of ['Europe/Vienna', 'America/New_York', 'UTC']) {
        assert.deepEqual(fastCronBetween(text, from, to, tz, 10_000), parseCron(text).between(from, to, tz), `${text} in ${tz}`);
      }
    }
    assert.equal(fastCronBetween('0 0 L * *', from, to, 'UTC', 100), undefined, 'L needs the engine');
  });
});

describe('calendar overlaps', () => {
  const matchedPve = (routines: ReturnType<typeof job>[]) => pve({ backupRoutines: routines, storages: [pbsStorage('pbs-store')] });

  it('marks a backup job and the GC of the datastore its pbs storage points at, both ways, with how far apart', () => {
    const inv = [matchedPve([job({ jobId: 'nightly', schedule: '02:00', timezone: 'UTC', storage: 'pbs-store' })]), pbs([pbsJob('gc', { schedule: '02:20' })])];
    const data = buildCalendar(calendarSources(inv), { from: FROM, to: FROM + 86_400, timeZone: 'UTC', parse });
    assert.equal(data.overlaps.length, 1);
    const o = data.overlaps[0];
    assert.equal(o.resource, 'pbs:pbs1/store1');
    assert.equal(o.resourceLabel, 'datastore store1 on Backup server');
    assert.deepEqual([o.first.routine, o.second.routine, o.apartSeconds], ['pve1/nightly', 'pbs1/gc:gc-1', 1200]);
    assert.ok(data.days[0].entries.every((e) => e.overlap === true), 'both runs are marked');
    assert.equal(data.routines.find((r) => r.routineId === 'nightly')!.target, 'storage pbs-store (datastore store1 on Backup server)');
  });

  it('counts the window edge exactly at the setting, and nothing one second beyond it', () => {
    const at = (window: number) => buildCalendar(calendarSources([matchedPve([job({ jobId: 'nightly', schedule: '02:00', timezone: 'UTC', storage: 'pbs-store' })]), pbs([pbsJob('verify', { schedule: '02:30' })])]),
      { from: FROM, to: FROM + 86_400, timeZone: 'UTC', parse, overlapWindowSeconds: window });
    assert.equal(at(1800).overlaps.length, 1, '30 minutes apart with a 30-minute window');
    assert.equal(at(1799).overlaps.length, 0);
    assert.ok(at(1799).days[0].entries.every((e) => !e.overlap));
  });

  it('finds two jobs of two clusters on one NFS share (same server and export), not on another export', () => {
    const nfs = (id: string, exp: string): StorageRecord => ({ ...storage(id, 'nfs'), server: 'NAS.example', export: exp });
    const a = pve({ backupRoutines: [job({ jobId: 'a', schedule: '01:00', timezone: 'UTC', storage: 'nas' })], storages: [nfs('nas', '/export/backup')] });
    const b = pve({ endpoint: { id: 'pve2', name: 'Site B' }, backupRoutines: [job({ jobId: 'b', schedule: '01:10', timezone: 'UTC', storage: 'share' })], storages: [nfs('share', '/export/backup/')] });
    const c = pve({ endpoint: { id: 'pve3', name: 'Site C' }, backupRoutines: [job({ jobId: 'c', schedule: '01:05', timezone: 'UTC', storage: 'other' })], storages: [nfs('other', '/export/other')] });
    const data = buildCalendar(calendarSources([a, b, c]), { from: FROM, to: FROM + 86_400, timeZone: 'UTC', parse });
    assert.deepEqual(data.overlaps.map((o) => [o.resource, o.first.routine, o.second.routine, o.apartSeconds]), [['nfs:nas.example:/export/backup', 'pve1/a', 'pve2/b', 600]]);
  });

  it('counts a band that spans the other run, and a custom entry with the same target by name', () => {
    const shared = { ...storage('tank', 'dir'), shared: true };
    const inv = pve({
      backupRoutines: [job({ jobId: 'often', schedule: '*/10', timezone: 'UTC', storage: 'tank' })], storages: [shared],
      replications: [],
    });
    const data = buildCalendar(calendarSources([inv], [custom({ name: 'restic', schedule: '0 3 * * *', timeZone: 'UTC', target: 'tank' })]),
      { from: FROM, to: FROM + 86_400, timeZone: 'UTC', parse, parseCron });
    const band = data.days[0].entries.find((e) => e.kind === 'band' && e.routine === 'pve1/often');
    assert.ok(band && band.overlap, 'the band of */10 runs overlaps');
    const o = data.overlaps.find((x) => x.second.routine.endsWith('restic') || x.first.routine.endsWith('restic'));
    assert.ok(o, 'the custom entry writing to tank overlaps the band');
    assert.equal(o.apartSeconds, 0, 'inside the band: at the same time');
    assert.equal(o.resource, 'name:tank');
  });

  it('does not pair two clusters\' same-named local storages', () => {
    const local = { ...storage('local', 'dir'), shared: false };
    const a = pve({ backupRoutines: [job({ jobId: 'a', schedule: '01:00', timezone: 'UTC', storage: 'local', node: 'pve-a' })], storages: [local] });
    const b = pve({ endpoint: { id: 'pve2', name: 'B' }, backupRoutines: [job({ jobId: 'b', schedule: '01:00', timezone: 'UTC', storage: 'local', node: 'pve-a' })], storages: [local] });
    assert.equal(buildCalendar(calendarSources([a, b]), { from: FROM, to: FROM + 86_400, timeZone: 'UTC', parse }).overlaps.length, 0);
  });
});
