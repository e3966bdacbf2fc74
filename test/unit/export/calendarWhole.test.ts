// `proxbox calendar` over a store that holds a PVE cluster and the PBS its `pbs` storage points at: PBS jobs and the
// policy file's custom entries are in the calendar, and the runs that write to the same datastore within the window
// are listed as overlaps in --json (the same list the calendar view shows under the month).
import { strict as assert } from 'node:assert';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { main } from '../../../src/cli/main';
import type { CalendarData } from '../../../src/core/calendar';
import { runSync } from '../../../src/core/pipeline';
import { startSimulator, type RunningSimulatorWithPbs } from '../../../src/sim';
import { captureIo } from '../../helpers/cliIo';

const NOW = 1_790_000_000;

describe('export: proxbox calendar over PVE + PBS, with custom entries and overlaps', function () {
  this.timeout(60_000);
  let sim: RunningSimulatorWithPbs;
  let dir: string;
  let store: string;
  before(async () => {
    sim = await startSimulator({ scenario: 'health', pbs: true, now: NOW });
    dir = mkdtempSync(join(tmpdir(), 'proxbox-cal-whole-'));
    store = join(dir, 'store');
    const pve = await runSync({ endpoint: { id: 'pve', name: 'pve', url: sim.url, tokenId: sim.tokenId, fingerprint: sim.fingerprint }, secret: sim.tokenSecret, store, now: () => NOW * 1000 });
    const pbs = await runSync({
      endpoint: { id: 'pbs', name: 'pbs', url: sim.pbs.url, tokenId: sim.pbs.tokenId, fingerprint: sim.pbs.fingerprint, kind: 'pbs' },
      secret: sim.pbs.tokenSecret, store, now: () => NOW * 1000,
    });
    assert.ok(pve.ok && pbs.ok, `${pve.message} / ${pbs.message}`);
  });
  after(async () => {
    await sim.close();
    rmSync(dir, { recursive: true, force: true });
  });

  async function calendarJson(extra: string[]): Promise<CalendarData> {
    const io = captureIo();
    const code = await main(['calendar', '--store', store, '--from', String(NOW - 3 * 86_400), '--to', String(NOW + 4 * 86_400), '--now', String(NOW), '--zone', 'UTC', '--format', 'json', ...extra], io);
    assert.equal(code, 0, io.err);
    return JSON.parse(io.out) as CalendarData;
  }

  it('holds the PBS jobs beside the backup jobs, and a custom entry of the policy file that overlaps the PBS backup job', async () => {
    const plain = await calendarJson([]);
    const kinds = new Set(plain.routines.map((r) => r.kind));
    for (const k of ['backup', 'prune', 'gc', 'verify', 'sync']) assert.ok(kinds.has(k as never), `a ${k} source`);
    const pbsJob = plain.routines.find((r) => r.kind === 'backup' && r.routineId === 'backup-pbs');
    assert.ok(pbsJob, 'the backup job on the pbs storage');

    // A database dump that writes to the same storage at the same time as the PBS backup job.
    const policy = join(dir, 'proxbox.policy.json');
    writeFileSync(policy, JSON.stringify({ calendar: { entries: [{ name: 'db dump', schedule: pbsJob.schedule, timeZone: pbsJob.timezone, target: 'pbs1', color: '#e07000' }] } }));
    const data = await calendarJson(['--policy', policy]);
    const custom = data.routines.find((r) => r.kind === 'custom');
    assert.ok(custom && custom.label.includes('db dump') && custom.runs > 0, JSON.stringify(custom));
    const pair = data.overlaps.filter((o) => [o.first.routine, o.second.routine].includes(custom.key) && [o.first.routine, o.second.routine].includes(pbsJob.key));
    assert.ok(pair.length > 0, 'the dump and the backup job overlap');
    assert.ok(pair.every((o) => o.apartSeconds <= 1800));
    // Both runs carry the mark in the day lists.
    const marked = data.days.flatMap((d) => d.entries).filter((e) => e.overlap && (e.routine === custom.key || e.routine === pbsJob.key));
    assert.ok(marked.some((e) => e.routine === custom.key) && marked.some((e) => e.routine === pbsJob.key));

    // Moved an hour later, the dump is outside a 30-minute window and inside a 90-minute one.
    const [hh, mm] = /^(\d{1,2}):(\d{2})$/.exec(pbsJob.schedule)!.slice(1).map(Number) as [number, number];
    const later = `${String((hh + 1) % 24).padStart(2, '0')}:${String(mm).padStart(2, '0')}`;
    writeFileSync(policy, JSON.stringify({ calendar: { entries: [{ name: 'db dump', schedule: later, timeZone: pbsJob.timezone, target: 'pbs1' }] } }));
    const apart = await calendarJson(['--policy', policy]);
    const keyOf = apart.routines.find((r) => r.kind === 'custom')!.key;
    const involves = (d: CalendarData): boolean => d.overlaps.some((o) => [o.first.routine, o.second.routine].includes(keyOf) && [o.first.routine, o.second.routine].includes(pbsJob.key));
    assert.equal(involves(apart), false);
    assert.equal(involves(await calendarJson(['--policy', policy, '--overlap-window', '90'])), true);
  });

  it('refuses a bad --overlap-window and names a broken policy file\'s problem', async () => {
    const io = captureIo();
    assert.equal(await main(['calendar', '--store', store, '--from', String(NOW), '--to', String(NOW + 86_400), '--overlap-window', 'soon'], io), 2);
    assert.match(io.err, /--overlap-window needs whole minutes/);
    const policy = join(dir, 'bad.policy.json');
    writeFileSync(policy, JSON.stringify({ calendar: { entries: [{ name: 'restic', schedule: 'every tuesday-ish' }] } }));
    const io2 = captureIo();
    assert.equal(await main(['calendar', '--store', store, '--from', String(NOW), '--to', String(NOW + 86_400), '--policy', policy], io2), 2);
    assert.match(io2.err, /restic/);
  });
});
