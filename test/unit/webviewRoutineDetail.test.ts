import { strict as assert } from 'node:assert';
import { buildRoutineDetail, NEXT_RUNS_SHOWN } from '../../src/ui/webviews/routineDetail';
import { calendarRoutines } from '../../src/ui/webviews/calendarInputs';
import type { InventoryInput } from '../../src/ui/webviews/viewInputs';
import { inventory, job, NOW, parse, XSS } from './webviewFixtures';

describe('routine detail view model', () => {
  it('shows the schedule as written, normalized and in words, with the next 10 runs from the engine', () => {
    const d = buildRoutineDetail(inventory([job()]), job(), parse, NOW);
    assert.deepEqual(d.schedule, { source: 'mon..fri 02:30', normalized: 'Mon..Fri *-*-* 02:30:00', description: 'every weekday at 02:30 (Europe/Berlin, node time)', error: null });
    assert.equal(d.nextRuns.length, NEXT_RUNS_SHOWN);
    assert.deepEqual(d.nextRuns, parse('mon..fri 02:30').take(NOW, 10, 'Europe/Berlin'));
    assert.equal(d.nextRuns[0], Date.UTC(2026, 10, 24, 1, 30) / 1000, 'Tuesday 02:30 in Berlin is 01:30 UTC');
    assert.equal(d.timezone, 'Europe/Berlin');
    assert.equal(d.timezoneAssumed, false);
    assert.equal(d.nextRunSource, 'proxmox');
  });

  it('names the selected guests and marks the ones the inventory does not know', () => {
    const d = buildRoutineDetail(inventory([job()]), job(), parse, NOW);
    assert.deepEqual(d.selection.guests, [
      { vmid: 100, name: 'web', node: 'pve-a', type: 'qemu' },
      { vmid: 101, name: 'db', node: 'pve-b', type: 'lxc' },
      { vmid: 999, name: null, node: null, type: null },
    ]);
    const pool = job({ selection: { mode: 'pool', vmids: [], pool: 'prod', exclude: [] } });
    assert.deepEqual(buildRoutineDetail(inventory([pool]), pool, parse, NOW).selection.guests.map((g) => g.name), ['web', 'db']);
    const all = job({ selection: { mode: 'all', vmids: [], pool: null, exclude: [102] } });
    const allDetail = buildRoutineDetail(inventory([all]), all, parse, NOW);
    assert.deepEqual(allDetail.selection.guests.map((g) => g.name), ['web', 'db'], '"all guests except 102" lists the others');
    assert.deepEqual(allDetail.selection.excluded.map((g) => g.name), ['scratch']);
    assert.equal(allDetail.selection.note, null);
  });

  it('lists only the guests on the job\'s node, in every mode', () => {
    const allOnA = job({ node: 'pve-a', selection: { mode: 'all', vmids: [], pool: null, exclude: [] } });
    assert.deepEqual(buildRoutineDetail(inventory([allOnA]), allOnA, parse, NOW).selection.guests.map((g) => g.vmid), [100, 102]);
    const poolOnB = job({ node: 'pve-b', selection: { mode: 'pool', vmids: [], pool: 'prod', exclude: [] } });
    assert.deepEqual(buildRoutineDetail(inventory([poolOnB]), poolOnB, parse, NOW).selection.guests.map((g) => g.vmid), [101]);
    const listOnA = job({ node: 'pve-a' });
    assert.deepEqual(buildRoutineDetail(inventory([listOnA]), listOnA, parse, NOW).selection.guests.map((g) => g.vmid), [100, 999],
      '101 runs on pve-b, so a job bound to pve-a skips it; 999 is unknown and stays listed, marked');
    const nowhere = job({ node: 'gone', selection: { mode: 'all', vmids: [], pool: null, exclude: [] } });
    assert.deepEqual(buildRoutineDetail(inventory([nowhere]), nowhere, parse, NOW).selection.guests, []);
  });

  it('says so when the job\'s exclude is ignored, and does not list those guests as excluded', () => {
    const pool = job({ selection: { mode: 'pool', vmids: [], pool: 'prod', exclude: [101] } });
    const d = buildRoutineDetail(inventory([pool]), pool, parse, NOW);
    assert.deepEqual(d.selection.guests.map((g) => g.vmid), [100, 101], 'vzdump backs 101 up all the same');
    assert.deepEqual(d.selection.excluded, []);
    assert.match(d.selection.note ?? '', /101 under exclude, but vzdump applies exclude only when backing up all guests: this pool job backs it up/);
  });

  it('fills "Next run" from the computed runs when the pipeline stored none, and says it is computed', () => {
    const none = job({ nextRun: null, nextRunSource: 'proxmox' });
    const d = buildRoutineDetail(inventory([none]), none, parse, NOW);
    assert.equal(d.nextRun, d.nextRuns[0]);
    assert.equal(d.nextRun, Date.UTC(2026, 10, 24, 1, 30) / 1000);
    assert.equal(d.nextRunSource, 'computed');
    const disabled = job({ nextRun: null, enabled: false });
    assert.deepEqual([buildRoutineDetail(inventory([disabled]), disabled, parse, NOW).nextRun, buildRoutineDetail(inventory([disabled]), disabled, parse, NOW).nextRunSource], [null, null]);
    const stale = job({ nextRun: null, status: 'stale' });
    assert.equal(buildRoutineDetail(inventory([stale]), stale, parse, NOW).nextRun, null, 'a job gone from Proxmox has no next run');
    const stored = buildRoutineDetail(inventory([job()]), job(), parse, NOW);
    assert.deepEqual([stored.nextRun, stored.nextRunSource], [job().nextRun, 'proxmox']);
  });

  it('passes on why the zone is assumed', () => {
    const note = "node 'gone' is not in the cluster, so no node runs this job (Proxmox starts a job only on the node it names); its times are shown in UTC";
    const ghost = job({ node: 'gone', timezone: 'UTC', timezoneNote: note });
    const d = buildRoutineDetail(inventory([ghost]), ghost, parse, NOW);
    assert.deepEqual([d.timezone, d.timezoneAssumed, d.timezoneNote], ['UTC', true, note]);
    const known = buildRoutineDetail(inventory([job()]), job(), parse, NOW);
    assert.deepEqual([known.timezoneAssumed, known.timezoneNote], [false, null]);
  });

  it('lists retention, advanced options, notes template and the raw config; passes Proxmox text through untouched', () => {
    const d = buildRoutineDetail(inventory([job()]), job(), parse, NOW);
    assert.deepEqual(d.retention, [{ label: 'Keep last', value: '3' }, { label: 'Keep daily', value: '7' }, { label: 'Keep weekly', value: '4' }]);
    assert.deepEqual(d.advanced.map((a) => a.label), ['Mode', 'Compression', 'Bandwidth limit', 'Zstd threads', 'Fleecing', 'Fleecing storage', 'Repeat missed', 'PBS change detection']);
    assert.equal(d.advanced.find((a) => a.label === 'Bandwidth limit')?.value, '51200 KiB/s');
    assert.equal(d.comment, XSS, 'the view inserts it as text; the model must not alter it');
    assert.equal(d.notesTemplate, '{{guestname}} on {{node}}');
    assert.deepEqual(JSON.parse(d.rawConfig), job().raw);
    assert.equal(d.firstSeen, Date.UTC(2026, 10, 1, 10) / 1000);
    assert.equal(d.syncedAt, Date.UTC(2026, 10, 23, 11) / 1000);
  });

  it('says where retention comes from when the storage supplies it, and shows nothing invented', () => {
    const fromStorage = job({ keepLast: null, keepDaily: 14, keepWeekly: null, retentionSource: 'storage' });
    assert.deepEqual(buildRoutineDetail(inventory([fromStorage]), fromStorage, parse, NOW).retention,
      [{ label: 'Keep daily', value: '14' }, { label: 'From', value: "the storage's settings (pbs)" }]);
    const bare = job({ keepLast: null, keepDaily: null, keepWeekly: null, bwlimit: null, zstd: null, fleecing: null, fleecingStorage: null, repeatMissed: null, pbsChangeDetectionMode: null, mode: null, compress: null });
    const d = buildRoutineDetail(inventory([bare]), bare, parse, NOW);
    assert.deepEqual(d.retention, []);
    assert.deepEqual(d.advanced, []);
  });

  it('reports an unreadable schedule instead of inventing runs, and assumes UTC visibly when the zone is unknown', () => {
    const broken = job({ schedule: 'mon..frx 02:30', nextRun: null, timezone: null });
    const d = buildRoutineDetail(inventory([broken]), broken, parse, NOW);
    assert.deepEqual(d.nextRuns, []);
    assert.match(d.schedule.error ?? '', /frx.*Fix the job's schedule in Proxmox/);
    assert.equal(d.nextRunSource, null);
    assert.equal(d.timezone, 'UTC');
    assert.equal(d.timezoneAssumed, true);
  });

  it('feeds the calendar every routine of the chosen endpoints, labelled by the first line of its comment', () => {
    const a = inventory([job({ comment: 'Nightly\nsecond line' }), job({ jobId: 'no-comment', comment: null, enabled: false, status: 'stale', timezone: null })]);
    const b: InventoryInput = { ...inventory([job({ jobId: 'other' })]), endpoint: { id: 'pve2', name: 'Prod' } };
    const all = calendarRoutines([a, b], null);
    assert.deepEqual(all.map((r) => [r.endpointId, r.routineId, r.label, r.enabled, r.status, r.timezone]), [
      ['pve1', 'backup-daily', 'Nightly', true, 'active', 'Europe/Berlin'],
      ['pve1', 'no-comment', 'no-comment', false, 'stale', undefined],
      ['pve2', 'other', XSS, true, 'active', 'Europe/Berlin'],
    ]);
    assert.deepEqual(calendarRoutines([a, b], 'pve2').map((r) => r.routineId), ['other']);
  });
});

describe('routine detail: where Proxmox stops scheduling', () => {
  it('warns a Dublin job ahead of the March change where Proxmox\'s engine gives up, and says nothing elsewhere', () => {
    // glibc resolves 01:15 on 2027-03-28 (in Dublin's gap) backwards, so Proxmox's last run is Saturday's.
    const dublin = job({ schedule: '01:15', timezone: 'Europe/Dublin' });
    const d = buildRoutineDetail(inventory([dublin]), dublin, parse, NOW);
    assert.equal(d.scheduleStop, 'Proxmox will not schedule this job after Sat 2027-03-27 01:15 GMT: ' +
      'its calendar engine gives up at the daylight-saving change in Europe/Dublin');
    assert.equal(buildRoutineDetail(inventory([job()]), job(), parse, NOW).scheduleStop, null);
    const berlin = job({ schedule: '01:15' });
    assert.equal(buildRoutineDetail(inventory([berlin]), berlin, parse, NOW).scheduleStop, null);
    const broken = job({ schedule: 'mon..frx', timezone: 'Europe/Dublin' });
    assert.equal(buildRoutineDetail(inventory([broken]), broken, parse, NOW).scheduleStop, null);
  });
});
