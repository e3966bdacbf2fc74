// `proxbox report --store DIR --out FILE.html`: the static backup report (health summary, problems, 14-day strips
// per backup job, this month's calendar) as one self-contained page, written atomically so a web server or a
// browser never reads half a file. Exit 0, 2 for a usage error or a store that cannot be read, 1 when the file
// cannot be written.
import { resolve } from 'node:path';
import { writeFileAtomic } from '../../core/inventory/atomic';
import { renderReportHtml } from '../../core/export/reportHtml';
import { calendarOf, healthAt, monthsRange } from '../../core/export/snapshot';
import type { Inventory } from '../../core/inventory/model';
import { UsageError, Verb } from '../io';
import { instantArg, storeInventories, zoneArg } from './calendar';
import { defaultStore, parse } from './syncArgs';

const HELP = `Usage: proxbox report --out FILE.html [--store DIR] [--zone TZ] [--now T]

Writes one static HTML page: the backup health summary, the problem list (guests and PBS jobs), each backup job's
outcomes of the last 14 days, and this month's calendar. No script and no remote resource; it prints readably.
Times are shown in --zone (default: this computer's zone). The file is replaced atomically.
Exit code: 0 written, 2 for a usage error or a store that cannot be read, 1 when the file cannot be written.
`;

/** The report page of inventories at `now`, in a zone: what `proxbox report` writes and `/report.html` serves. */
/** `report`: the health report of `invs` at `now`, when the caller has it already (serve judges once per request). */
export function reportPage(invs: readonly Inventory[], now: number, zone: string, report = healthAt(invs, now)): string {
  const { from, to } = monthsRange(now, zone, 1);
  const calendar = calendarOf(invs, report, { from, to, timeZone: zone, now });
  return renderReportHtml({ report, calendar, timeZone: zone, endpointNames: new Map(invs.map((i) => [i.endpoint.id, i.endpoint.name])) });
}

export const report: Verb = async (argv, io) => {
  const v = parse(argv, {
    store: { type: 'string' }, out: { type: 'string' }, zone: { type: 'string' }, now: { type: 'string' }, help: { type: 'boolean', short: 'h' },
  }, 'report');
  if (v.help) {
    io.stdout(HELP);
    return 0;
  }
  if (typeof v.out !== 'string' || !v.out) throw new UsageError('--out FILE.html is required: where to write the report.');
  const zone = zoneArg(v.zone);
  const now = v.now === undefined ? Math.floor(Date.now() / 1000) : instantArg(v.now, '--now', zone);
  const store = (v.store as string | undefined) ?? defaultStore(io.env);
  const invs = await storeInventories(store, now);
  const out = resolve(v.out);
  try {
    await writeFileAtomic(out, reportPage(invs, now, zone), { fsync: true });
  } catch (err) {
    io.stderr(`proxbox report: cannot write ${out}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}. Check that its folder exists and is writable.\n`);
    return 1;
  }
  io.stdout(`Report written: ${out}\n`);
  return 0;
};
