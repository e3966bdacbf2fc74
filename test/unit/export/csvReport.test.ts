// `proxbox health --format csv` read back by csv-parse and compared with `proxbox health --json` guest by guest, and
// the static report of `proxbox report`: self-contained (no script, no remote resource) and every hostile text escaped.
import { strict as assert } from 'node:assert';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse as parseCsv } from 'csv-parse/sync';
import { main } from '../../../src/cli/main';
import { csvField, csvRecords } from '../../../src/core/export/csv';
import { esc } from '../../../src/core/export/reportHtml';
import type { GuestHealth, RoutineHealth } from '../../../src/core/health/types';
import { captureIo } from '../../helpers/cliIo';
import { exportFixture, HOSTILE_GUEST, HOSTILE_GUEST_2, HOSTILE_LABEL, type ExportFixture } from './fixture';

const isoOrEmpty = (t: number | null): string => (t === null ? '' : new Date(t * 1000).toISOString().replace('.000Z', 'Z'));

describe('export: health CSV and the static report', function () {
  this.timeout(60_000);
  let f: ExportFixture;
  before(async () => { f = await exportFixture(); });
  after(async () => f.close());

  async function health(args: string[]): Promise<string> {
    const io = captureIo({});
    const code = await main(['health', '--store', f.store, '--now', String(f.now), ...args], io);
    assert.equal(code, 3, `the scenario has problems, so exit 3; stderr: ${io.err}`);
    return io.out;
  }

  it('--format csv has a header and one row per guest, equal to the report\'s guests, hostile names intact', async () => {
    const guests = (JSON.parse(await health(['--json'])) as { guests: GuestHealth[] }).guests;
    const text = await health(['--format', 'csv']);
    assert.ok(text.startsWith('endpoint,vmid,name,type,node,status,reason,last_backup,backup_count,next_backup,routines,verification\r\n'), 'header row, CRLF');
    assert.ok(text.endsWith('\r\n'), 'the last record ends in CRLF too');
    const records = parseCsv(text, { columns: true, relax_quotes: false }) as Record<string, string>[];
    assert.equal(records.length, guests.length);
    assert.ok(guests.some((g) => g.name === HOSTILE_GUEST) && guests.some((g) => g.name === HOSTILE_GUEST_2), 'the hostile names reached the report');
    records.forEach((r, i) => {
      const g = guests[i];
      assert.deepEqual(r, {
        endpoint: g.endpoint, vmid: String(g.vmid), name: g.name, type: g.type, node: g.node, status: g.status, reason: g.reason,
        last_backup: isoOrEmpty(g.lastBackup), backup_count: String(g.backupCount), next_backup: isoOrEmpty(g.nextBackup),
        routines: g.routines.join(' '), verification: g.verification ?? '',
      });
    });
  });

  it('--format json is --json; a wrong or contradicting format is a usage error', async () => {
    assert.deepEqual(JSON.parse(await health(['--format', 'json'])), JSON.parse(await health(['--json'])));
    let io = captureIo({});
    assert.equal(await main(['health', '--store', f.store, '--format', 'yaml'], io), 2);
    assert.match(io.err, /--format must be text, json or csv/);
    io = captureIo({});
    assert.equal(await main(['health', '--store', f.store, '--format', 'csv', '--json'], io), 2);
  });

  it('quotes per RFC 4180 so that csv-parse reads back commas, quotes and line breaks', () => {
    const rows = [['plain', 'a,b', 'say "hi"', 'two\r\nlines', 'lf\nonly', '', ' spaced ']];
    assert.equal(csvField('say "hi"'), '"say ""hi"""');
    assert.equal(csvField('plain'), 'plain');
    assert.deepEqual(parseCsv(csvRecords(rows)), rows);
  });

  it('proxbox report writes one self-contained page with every hostile text escaped', async () => {
    const out = join(f.store, 'report.html');
    const io = captureIo({});
    assert.equal(await main(['report', '--store', f.store, '--out', out, '--now', String(f.now), '--zone', 'UTC'], io), 0, io.err);
    assert.deepEqual(readdirSync(f.store).filter((n) => n.includes('report')), ['report.html'], 'no temporary file left beside it');
    const html = readFileSync(out, 'utf8');
    assert.doesNotMatch(html, /<script/i);
    assert.doesNotMatch(html, /https?:\/\//i, 'no remote resource');
    assert.doesNotMatch(html, /<link|@import|<img|<iframe/i);
    assert.match(html, /@media print/);
    for (const hostile of [HOSTILE_LABEL, HOSTILE_GUEST, HOSTILE_GUEST_2, 'Lab <cluster>']) {
      assert.ok(!html.includes(hostile), `raw: ${hostile}`);
    }
    assert.ok(html.includes(esc(HOSTILE_LABEL)), 'the job\'s label is shown, escaped');
    assert.ok(html.includes(esc(HOSTILE_GUEST)), 'the not-covered guest is in the problem list, escaped');
    assert.ok(html.includes(esc('Lab <cluster>')));
  });

  it('the report\'s strips show each job\'s recorded outcomes of the last 14 days', async () => {
    const out = join(f.store, 'strips.html');
    assert.equal(await main(['report', '--store', f.store, '--out', out, '--now', String(f.now), '--zone', 'UTC'], captureIo({})), 0);
    const html = readFileSync(out, 'utf8');
    const routines = (JSON.parse(await health(['--json'])) as { routines: RoutineHealth[] }).routines;
    const strips = html.slice(html.indexOf('class="strips"'), html.indexOf('</table>', html.indexOf('class="strips"')));
    const rows = strips.split('<tr>').slice(2);
    assert.equal(rows.length, routines.length);
    rows.forEach((row, i) => {
      assert.equal((row.match(/<td><span/g) ?? []).length, 14, 'fourteen day cells');
      const failedDays = new Set(routines[i].runs.filter((r) => r.status === 'failed' && r.scheduled > f.now - 14 * 86_400)
        .map((r) => new Date(r.scheduled * 1000).toISOString().slice(0, 10)));
      for (const day of failedDays) assert.match(row, new RegExp(`class="o-failed" title="${day}: Failed"`), `${routines[i].jobId} failed on ${day}`);
    });
    assert.ok(routines.some((r) => r.runs.some((x) => x.status === 'failed')), 'the scenario has a failed run to show');
  });

  it('report refuses a missing --out and an unknown zone', async () => {
    let io = captureIo({});
    assert.equal(await main(['report', '--store', f.store], io), 2);
    assert.match(io.err, /--out FILE.html is required/);
    io = captureIo({});
    assert.equal(await main(['report', '--store', f.store, '--out', join(f.store, 'x.html'), '--zone', 'Mars/Olympus'], io), 2);
    assert.match(io.err, /not a known time zone/);
  });
});
