// `proxbox calendar --store DIR --from T --to T [--format ics|json]`: the backup calendar of a range from the stored
// inventories, past runs with the outcomes backup health recorded (as the calendar webview shows them), as
// iCalendar for a calendar app or as the webview's CalendarData JSON. Exit 0, or 2 for a usage error or a store
// that cannot be read.
import { CalendarRangeError } from '../../core/calendar';
import { calendarToIcs, icsRange } from '../../core/export/ics';
import { calendarOf, healthAt, readInventories } from '../../core/export/snapshot';
import type { Inventory } from '../../core/inventory/model';
import { isValidTimeZone, localTimeZone, parseInstant } from '../../core/schedule';
import { UsageError, Verb } from '../io';
import { defaultStore, parse } from './syncArgs';
import { readPolicy } from './health';

const HELP = `Usage: proxbox calendar --from T --to T [--store DIR] [--format ics|json] [--endpoint ID] [--zone TZ] [--now T]
                        [--policy FILE] [--overlap-window MINUTES]

The backup calendar of [from, to): every run of every backup job in the store (PVE backup and replication jobs, PBS
prune, garbage collection, verify and sync jobs), past runs with their outcome, and the custom entries of the
policy file's "calendar" section (--policy FILE, e.g. the workspace's proxbox.policy.json).
T is an ISO date or time (2026-12-01, 2026-12-01T08:00, 2026-12-01T08:00Z) or epoch seconds; without an offset it
is read in --zone (default: this computer's zone), which is also the zone days are grouped in. At most 63 days.
--format ics (default) prints an iCalendar file (RFC 5545) that calendar apps import: one event per run with a
stable UID (a re-import updates, it does not duplicate), a band of dense runs as one event spanning it.
--format json prints the calendar data as the VS Code calendar view receives it, with "overlaps": runs that write
to the same storage or datastore within --overlap-window minutes of each other (default 30).
Exit code: 0 ok, 2 for a usage error or a store that cannot be read.
`;

/** The zone of --zone, checked, or this computer's. */
export function zoneArg(raw: string | boolean | undefined): string {
  if (raw === undefined) return localTimeZone();
  if (typeof raw !== 'string' || !isValidTimeZone(raw)) {
    throw new UsageError(`--zone '${String(raw)}' is not a known time zone; use an IANA name such as Europe/Berlin or UTC.`);
  }
  return raw;
}

export function instantArg(raw: string | boolean | undefined, flag: string, zone: string): number {
  if (typeof raw !== 'string') throw new UsageError(`${flag} is required: an ISO date or time such as 2026-12-01, or epoch seconds.`);
  try {
    return parseInstant(raw, zone);
  } catch (err) {
    throw new UsageError(`${flag}: ${(err as Error).message}`);
  }
}

/** Every inventory of the store; a missing, empty or unreadable store is a usage error naming the next step. */
export async function storeInventories(store: string, now: number, endpointId?: string): Promise<Inventory[]> {
  let invs: Inventory[];
  try {
    invs = await readInventories(store, now);
  } catch (err) {
    throw new UsageError(`cannot read the store ${store}: ${(err as Error).message}. Check --store, or run 'proxbox sync --store ${store} …' first.`);
  }
  if (invs.length === 0) throw new UsageError(`the store ${store} holds no synced endpoint. Check --store, or run 'proxbox sync --store ${store} …' first.`);
  if (endpointId !== undefined && !invs.some((i) => i.endpoint.id === endpointId)) {
    throw new UsageError(`no endpoint '${endpointId}' in ${store}; it holds: ${invs.map((i) => i.endpoint.id).join(', ')}.`);
  }
  return invs;
}

export const calendar: Verb = async (argv, io) => {
  const v = parse(argv, {
    store: { type: 'string' }, from: { type: 'string' }, to: { type: 'string' }, format: { type: 'string' },
    endpoint: { type: 'string' }, zone: { type: 'string' }, now: { type: 'string' }, policy: { type: 'string' },
    'overlap-window': { type: 'string' }, help: { type: 'boolean', short: 'h' },
  }, 'calendar');
  if (v.help) {
    io.stdout(HELP);
    return 0;
  }
  const format = (v.format as string | undefined) ?? 'ics';
  if (format !== 'ics' && format !== 'json') throw new UsageError(`--format must be ics or json, got '${format}'.`);
  const zone = zoneArg(v.zone);
  const now = v.now === undefined ? Math.floor(Date.now() / 1000) : instantArg(v.now, '--now', zone);
  const from = instantArg(v.from, '--from', zone);
  const to = instantArg(v.to, '--to', zone);
  const store = (v.store as string | undefined) ?? defaultStore(io.env);
  const endpointId = v.endpoint as string | undefined;
  const custom = typeof v.policy === 'string' ? readPolicy(v.policy).calendar?.entries ?? [] : [];
  const windowRaw = v['overlap-window'];
  let overlapWindowSeconds: number | undefined;
  if (windowRaw !== undefined) {
    const minutes = Number(windowRaw);
    if (typeof windowRaw !== 'string' || !/^\d+$/.test(windowRaw.trim()) || minutes > 1440) {
      throw new UsageError(`--overlap-window needs whole minutes from 0 to 1440, got '${String(windowRaw)}'.`);
    }
    overlapWindowSeconds = minutes * 60;
  }
  const invs = await storeInventories(store, now, endpointId);
  let data;
  try {
    // iCalendar: whole local days, so that a band's UID (its day and place) does not depend on where --from falls.
    const range = format === 'ics' ? icsRange(from, to, zone) : { from, to };
    data = calendarOf(invs, healthAt(invs, now), { ...range, timeZone: zone, now, endpointId, custom, overlapWindowSeconds });
  } catch (err) {
    if (err instanceof CalendarRangeError) throw new UsageError(err.message);
    throw err;
  }
  io.stdout(format === 'json' ? JSON.stringify(data, null, 2) + '\n' : calendarToIcs(data, { now, range: { from, to } }));
  return 0;
};
