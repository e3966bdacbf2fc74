// The webviews' "Export .ics" and "Export CSV" on the host side (the controllers, without vscode): the file they
// hand to the save dialog holds the same runs the calendar shows and the same guests the health view shows.
import { strict as assert } from 'node:assert';
import ICAL from 'ical.js';
import { parse as parseCsv } from 'csv-parse/sync';
import { CalendarController } from '../../../src/ui/webviews/calendarController';
import { HealthController } from '../../../src/ui/webviews/healthController';
import type { WebviewServices } from '../../../src/ui/webviews/services';
import { healthAt, readInventories } from '../../../src/core/export/snapshot';
import { loadInventory } from '../../../src/core/inventory/inventory';
import type { HealthReport } from '../../../src/core/health/types';
import { parseSchedule } from '../../../src/core/schedule';
import { exportFixture, type ExportFixture } from './fixture';

describe('export: the webviews\' Export .ics and Export CSV', function () {
  this.timeout(60_000);
  let f: ExportFixture;
  let report: HealthReport;
  const saved: { name: string; content: string; filters: Record<string, string[]> }[] = [];
  const saveExport = async (name: string, content: string, filters: Record<string, string[]>) => {
    saved.push({ name, content, filters });
    return `/exports/${name}`;
  };
  before(async () => {
    f = await exportFixture();
    report = healthAt(await readInventories(f.store, f.now), f.now);
  });
  after(async () => f.close());

  const services = (): WebviewServices => ({
    listEndpoints: () => [{ id: 'lab', name: 'Lab' }],
    loadInventory: (id) => loadInventory(f.store, id, f.now),
    onDidChangeInventory: () => ({ dispose: () => undefined }),
    routineRuns: (endpointId, routineId) => report.routines.find((r) => r.endpoint === endpointId && r.jobId === routineId)?.runs,
    parseSchedule: (text) => parseSchedule(text, 'calendar'),
    now: () => f.now,
    log: () => undefined,
  });

  it('Export .ics saves the visible range\'s runs, one event each, as the view shows them', async () => {
    const c = new CalendarController(services(), { openRoutine: async () => undefined, saveExport });
    const params = { from: f.now - 3 * 86_400, to: f.now + 3 * 86_400, timeZone: 'UTC', endpointId: null };
    const shown = await c.handlers.occurrences(params);
    const result = await c.handlers.exportIcs(params);
    const file = saved.at(-1)!;
    assert.equal(result.saved, `/exports/${file.name}`);
    assert.match(file.name, /\.ics$/);
    assert.deepEqual(file.filters, { iCalendar: ['ics'] });
    const starts = new ICAL.Component(ICAL.parse(file.content)).getAllSubcomponents('vevent')
      .map((v) => (v.getFirstPropertyValue('dtstart') as ICAL.Time).toUnixTime());
    // The runs that will happen: a disabled or stale job's runs are shown (greyed) but not exported.
    const runs = new Set(shown.routines.filter((r) => r.enabled && r.status === 'active').map((r) => r.key));
    assert.ok(shown.routines.length > runs.size, 'the fixture has a job that will not run');
    const entries = shown.days.flatMap((d) => d.entries.filter((e) => runs.has(e.routine)).map((e) => (e.kind === 'run' ? e.at : e.start)));
    assert.deepEqual(starts, entries);
  });

  it('Export CSV saves one row per guest of the endpoint filter', async () => {
    const source = { reports: () => [{ endpointId: 'lab', endpointName: 'Lab', report, routineNames: {} }], onDidChange: () => ({ dispose: () => undefined }) };
    const h = new HealthController(source, { openRoutine: async () => undefined, syncAll: async () => undefined, saveExport }, () => f.now);
    await h.handlers.exportCsv({ endpointId: 'lab' });
    const rows = parseCsv(saved.at(-1)!.content, { columns: true }) as Record<string, string>[];
    assert.deepEqual(rows.map((r) => [r.vmid, r.name, r.status]), report.guests.map((g) => [String(g.vmid), g.name, g.status]));
    await h.handlers.exportCsv({ endpointId: 'elsewhere' });
    assert.equal((parseCsv(saved.at(-1)!.content, { columns: true }) as unknown[]).length, 0, 'another endpoint\'s filter: only the header');
  });

  it('says so when saving is not available (no save action)', async () => {
    const c = new CalendarController(services(), { openRoutine: async () => undefined });
    await assert.rejects(c.handlers.exportIcs({ from: f.now, to: f.now + 86_400, timeZone: 'UTC', endpointId: null }), /saving files is not available/);
  });
});
