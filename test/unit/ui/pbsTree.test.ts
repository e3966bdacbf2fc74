// The tree of a Proxmox Backup Server endpoint as data, from hand-built PBS inventories: the usage bar, the datastore
// warning thresholds (90 % used, full within 30 days), job rows with PBS's words and health's verdict, and backup
// groups by namespace with the root first.
import { strict as assert } from 'node:assert';
import MarkdownIt from 'markdown-it';
import {
  emptyInventory, type BackupGroupRecord, type DatastoreRecord, type Inventory, type PbsJobRecord, type PbsSnapshotRecord,
} from '../../../src/core/inventory/model';
import type { JobHealth } from '../../../src/core/health/types';
import { holdsSyncedData } from '../../../src/ui/tree/endpointState';
import { datastoreRow, datastoreWarnings, formatBytes, jobRow, namespaceGroups, pbsTreeData, usageBar } from '../../../src/ui/tree/pbsTree';

// Tooltips are markdown with PBS text escaped: read back with a real CommonMark parser, as the text a user sees.
const md = new MarkdownIt({ html: true, linkify: true });
function shown(markdown: string): { text: string; live: string[] } {
  const text: string[] = [];
  const live: string[] = [];
  for (const block of md.parse(markdown, {})) {
    if (block.type === 'html_block') live.push(block.type);
    for (const t of block.children ?? []) {
      if (t.type === 'text' || t.type === 'code_inline') text.push(t.content);
      else if (t.type === 'softbreak' || t.type === 'hardbreak') text.push('\n');
      else if (['link_open', 'image', 'html_inline'].includes(t.type)) live.push(t.type);
    }
    if (block.type === 'paragraph_close') text.push('\n');
  }
  return { text: text.join(''), live };
}
const tip = (row: { tooltip: string }) => shown(row.tooltip).text;

const NOW = 1_790_000_000;
const DAY = 86_400;
const TIB = 1024 ** 4;

function store(over: Partial<DatastoreRecord> = {}): DatastoreRecord {
  return {
    store: 'main', comment: null, maintenance: null, totalBytes: 10 * TIB, usedBytes: 5.2 * TIB, availBytes: 4.8 * TIB,
    estimatedFullDate: null, usageError: null, ...over,
  };
}

function job(over: Partial<PbsJobRecord> = {}): PbsJobRecord {
  return {
    kind: 'prune', jobId: 'daily-prune', store: 'main', ns: null, schedule: 'daily', enabled: true, comment: null, remote: null,
    remoteStore: null, direction: null, retention: null, outdatedAfterDays: null, ignoreVerified: null, lastRunState: 'OK',
    lastRunUpid: 'UPID:pbs:1', lastRunEndtime: NOW - 3600, nextRun: NOW + 5 * 3600, raw: {},
    status: 'active', firstSeen: '2026-01-01T00:00:00Z', lastSeen: '2026-01-02T00:00:00Z', staleSince: null, ...over,
  };
}

function health(j: PbsJobRecord, over: Partial<JobHealth>): JobHealth {
  return {
    endpoint: 'pbs', kind: j.kind, id: j.jobId, store: j.store, schedule: j.schedule, status: 'ok', problem: false, reason: '',
    lastRun: j.lastRunEndtime, lastRunUpid: j.lastRunUpid, nextRun: j.nextRun, enabled: j.enabled, lifecycle: j.status, ...over,
  };
}

function group(ns: string, backupId: string, over: Partial<BackupGroupRecord> = {}): BackupGroupRecord {
  return { store: 'main', ns, backupType: 'vm', backupId, lastBackup: null, backupCount: 0, owner: 'root@pam', comment: null, ...over };
}

function snap(ns: string, backupId: string, backupTime: number, state: string | null): PbsSnapshotRecord {
  return {
    store: 'main', ns, backupType: 'vm', backupId, backupTime, sizeBytes: 1, owner: null, protected: false, comment: null,
    verification: state === null ? null : { state, upid: null }, encrypted: false,
  };
}

function pbsInventory(parts: Partial<Inventory>): Inventory {
  return { ...emptyInventory({ id: 'pbs', name: 'PBS', url: 'https://pbs:8007', tokenId: 'a@pbs!t', kind: 'pbs' }), ...parts };
}

describe('ui: PBS tree data', () => {
  it('draws a usage bar of ten cells with the percentage', () => {
    assert.equal(usageBar(0.52), '▰▰▰▰▰▱▱▱▱▱ 52 %');
    assert.equal(usageBar(0), '▱▱▱▱▱▱▱▱▱▱ 0 %');
    assert.equal(usageBar(1), '▰▰▰▰▰▰▰▰▰▰ 100 %');
    // Only a full datastore fills the bar: 99.6 % rounds to 100 % in the figure but leaves a cell empty.
    assert.equal(usageBar(0.996), '▰▰▰▰▰▰▰▰▰▱ 100 %');
    assert.equal(usageBar(1.3), '▰▰▰▰▰▰▰▰▰▰ 100 %');
  });

  it('shows usage and used/total in the description, and no warning at 52 %', () => {
    const row = datastoreRow(store(), NOW);
    assert.equal(row.description, '▰▰▰▰▰▱▱▱▱▱ 52 % · 5.2 TiB of 10 TiB');
    assert.equal(row.warning, false);
    assert.equal(row.icon.id, 'database');
    assert.match(tip(row), /PBS gives no estimate/);
    assert.equal(formatBytes(512 * 1024 ** 3), '512 GiB');
  });

  it('warns from 90 % used, not below, and says why', () => {
    assert.deepEqual(datastoreWarnings(store({ usedBytes: 8.99 * TIB }), NOW), []);
    const at = datastoreRow(store({ usedBytes: 9 * TIB }), NOW);
    assert.equal(at.warning, true);
    assert.equal(at.icon.id, 'warning');
    assert.match(tip(at), /90 % used \(warning from 90 %\)/);
    assert.equal(at.problem, false, 'a full datastore is a warning, not a backup problem');
  });

  it('warns when PBS estimates the datastore full within 30 days, with the date in the tooltip', () => {
    assert.deepEqual(datastoreWarnings(store({ estimatedFullDate: NOW + 31 * DAY }), NOW), []);
    const soon = datastoreRow(store({ estimatedFullDate: NOW + 30 * DAY }), NOW, 'UTC');
    assert.equal(soon.warning, true);
    assert.match(tip(soon), /Estimated full: .*2026.*\(in 30 d\)/);
    assert.match(tip(soon), /full in 30 d \(within 30 days\)/);
    const late = datastoreRow(store({ estimatedFullDate: NOW + 200 * DAY }), NOW, 'UTC');
    assert.equal(late.warning, false);
    assert.match(tip(late), /Estimated full: /);
    assert.match(datastoreWarnings(store({ estimatedFullDate: NOW - DAY }), NOW).join(), /full already/);
  });

  it('an unreadable usage is a warning that quotes PBS, and a maintenance mode is shown', () => {
    const row = datastoreRow(store({ totalBytes: null, usedBytes: null, availBytes: null, usageError: 'ENOENT: mount point gone', maintenance: 'offline' }), NOW);
    assert.equal(row.description, 'usage unknown · maintenance: offline');
    assert.equal(row.warning, true);
    assert.match(tip(row), /ENOENT: mount point gone/);
  });

  it('a job row gives PBS\'s last result, when it ended and the next run', () => {
    const row = jobRow(job(), undefined, NOW);
    assert.equal(row.label, 'Prune daily-prune');
    assert.equal(row.description, 'main · OK 1 h ago · next in 5 h');
    assert.equal(row.problem, false);
    assert.equal(row.icon.id, 'pass');
    const gc = jobRow(job({ kind: 'gc', jobId: 'main' }), undefined, NOW);
    assert.equal(gc.label, 'Garbage collection main');
    assert.equal(gc.description, 'OK 1 h ago · next in 5 h');
  });

  it('a failed last run is a problem in PBS\'s words, also without a health report', () => {
    const failed = job({ kind: 'verify', jobId: 'v-weekly', lastRunState: 'verification failed - 2 snapshots corrupt' });
    const row = jobRow(failed, undefined, NOW);
    assert.equal(row.problem, true);
    assert.equal(row.icon.id, 'error');
    assert.match(row.description, /verification failed - 2 snapshots corrupt 1 h ago/);
    // A disabled or stale job that failed once is no current problem.
    assert.equal(jobRow({ ...failed, enabled: false }, undefined, NOW).problem, false);
    assert.equal(jobRow({ ...failed, status: 'stale', staleSince: '2026-01-03T00:00:00Z' }, undefined, NOW).description, 'main · verification failed - 2 snapshots corrupt 1 h ago · stale');
  });

  it('takes the verdict from JobHealth when there is one: a missed run is a problem PBS\'s state does not show', () => {
    const j = job({ kind: 'sync', jobId: 's1', remote: 'offsite', remoteStore: 'backup', direction: 'pull' });
    const missed = jobRow(j, health(j, { status: 'missed', problem: true, reason: 'no run since Monday 02:00' }), NOW);
    assert.equal(missed.problem, true);
    assert.match(missed.description, /missed its run/);
    assert.match(tip(missed), /Health: Missed — no run since Monday 02:00/);
    assert.match(tip(missed), /Pulls from offsite:backup/);
    // And health may judge a PBS error text as not a problem (a warning): its word wins.
    const warned = jobRow(job({ lastRunState: 'WARNINGS: 1' }), health(job(), { status: 'warnings', problem: false }), NOW);
    assert.equal(warned.problem, false);
    assert.equal(warned.icon.id, 'warning');
  });

  it('lists jobs prune, GC, verify, sync, stale ones last, and matches GC health by its datastore', () => {
    const jobs = [
      job({ kind: 'sync', jobId: 'a' }), job({ kind: 'verify', jobId: 'b' }), job({ kind: 'gc', jobId: 'main' }),
      job({ kind: 'prune', jobId: 'old', status: 'stale', staleSince: '2026-01-03T00:00:00Z' }), job({ kind: 'prune', jobId: 'p' }),
    ];
    const gcHealth = health(jobs[2]!, { status: 'failed', problem: true, reason: 'TASK ERROR: no space left' });
    const data = pbsTreeData(pbsInventory({ pbsJobs: jobs }), [gcHealth], NOW);
    assert.deepEqual(data.jobs.map((r) => r.label), ['Prune p', 'Garbage collection main', 'Verify b', 'Sync a', 'Prune old']);
    assert.deepEqual(data.jobs.map((r) => r.problem), [false, true, false, false, false]);
  });

  it('groups backup groups by namespace, root first, with count, newest and its verification', () => {
    const inv = pbsInventory({
      namespaces: [{ store: 'main', ns: 'prod', comment: null }, { store: 'main', ns: '', comment: null }, { store: 'main', ns: 'dev', comment: null },
        { store: 'main', ns: 'empty', comment: null }],
      backupGroups: [group('prod', '101'), group('', '100'), group('dev', '200'), group('prod', '20', { backupType: 'ct' }), group('', '9')],
      pbsSnapshots: [
        snap('', '100', NOW - 3 * DAY, 'ok'), snap('', '100', NOW - DAY, 'failed'), snap('', '100', NOW - 2 * DAY, 'ok'),
        snap('prod', '101', NOW - 2 * 3600, 'ok'), snap('dev', '200', NOW - 3600, null),
      ],
    });
    const spaces = namespaceGroups(inv, NOW);
    assert.deepEqual(spaces.map((s) => s.label), ['Root namespace', 'dev', 'empty', 'prod']);
    const root = spaces[0]!;
    assert.deepEqual(root.groups.map((g) => g.label), ['vm/9', 'vm/100']);
    const g100 = root.groups[1]!;
    // The newest snapshot decides the verification, whatever the order of the listing.
    assert.equal(g100.description, '3 snapshots · newest 1 d ago · verify failed');
    assert.equal(g100.problem, true);
    assert.equal(root.description, '2 groups · 1 verify failed');
    assert.equal(root.groups[0]!.description, '0 snapshots · no snapshot');
    assert.equal(spaces[1]!.groups[0]!.description, '1 snapshot · newest 1 h ago · not verified');
    assert.equal(spaces[2]!.description, '0 groups', 'a namespace without groups is listed too');
    assert.deepEqual(spaces[3]!.groups.map((g) => g.label), ['ct/20', 'vm/101']);
    assert.equal(spaces[3]!.groups[1]!.description, '1 snapshot · newest 2 h ago · verified');
  });

  it('names the datastore on namespaces only when there are several datastores', () => {
    const inv = pbsInventory({
      backupGroups: [group('', '1'), { ...group('', '2'), store: 'archive' }, { ...group('x', '3'), store: 'archive' }],
    });
    assert.deepEqual(namespaceGroups(inv, NOW).map((s) => s.label), ['archive: Root namespace', 'archive: x', 'main: Root namespace']);
  });

  it('escapes PBS text in tooltips', () => {
    const hostile = '[click](https://evil.example) <img src=x> **bold**';
    const row = datastoreRow(store({ comment: hostile, store: '<b>st</b>' }), NOW);
    const read = shown(row.tooltip);
    assert.deepEqual(read.live, [], row.tooltip);
    assert.ok(read.text.includes(hostile), read.text);
    assert.ok(read.text.includes('Datastore <b>st</b>'), read.text);
    const j = shown(jobRow(job({ jobId: '[x](command:proxbox.endpoint.remove)', lastRunState: '<script>1</script>' }), undefined, NOW).tooltip);
    assert.deepEqual(j.live, []);
    assert.match(j.text, /Last run: <script>1<\/script>/);
  });

  it('a PBS inventory synced elsewhere (no run in this window) counts as synced data', () => {
    assert.equal(holdsSyncedData(pbsInventory({}), false), false);
    assert.equal(holdsSyncedData(pbsInventory({ datastores: [store()] }), false), true);
    assert.equal(holdsSyncedData(pbsInventory({ pbsJobs: [job()] }), false), true);
  });
});
