// The time zone of a Proxmox Backup Server (GET /nodes/localhost/time), read by the pbs-jobs stage because PBS
// evaluates every job schedule (prune, GC, verify, sync) in it: the calendar places the jobs' runs in this zone.
// It is kept in the inventory's `nodes` collection as the one node a PBS has, `localhost` (the name its API uses),
// where the PVE stages keep each node's zone. Reading it is never worth a sync: a refused or failed read is a
// warning and keeps the zone the last sync read; a zone name this runtime does not know is stored as unknown (UTC
// assumed, as before the zone was read) with a warning. The record stays out of the stage's counts, which speak of
// the jobs it lists.
import { explainError } from '../../../errors/explain';
import type { NodeRecord } from '../../../inventory/model';
import { isValidTimeZone } from '../../../schedule';
import type { StageRun } from '../../context';
import { CancelledError, StageFailure, isRunFatal } from '../../errors';

/** The node name PBS's API answers for: it has one node, and calls it localhost. */
export const PBS_NODE = 'localhost';

/** The `nodes` record of a PBS: only the name and the zone mean anything on a backup server. */
export function pbsNodeRecord(timezone: string | null): NodeRecord {
  return { name: PBS_NODE, status: 'online', nodeId: null, ip: null, timezone, maxCpu: null, maxMemBytes: null, level: null };
}

/** The zone the stored inventory has for the PBS, or null. */
function storedZone(run: StageRun): string | null {
  return run.get('nodes').find((n) => n.name === PBS_NODE)?.timezone ?? null;
}

/**
 * Reads the server's zone and reconciles the `localhost` node record. Only errors that end the run anyway (a
 * refused token, a cancel) propagate.
 */
export async function syncServerZone(run: StageRun): Promise<void> {
  const { ctx } = run;
  let zone: string;
  try {
    zone = (await ctx.pbs.time(run.call)).timezone.trim();
  } catch (err) {
    const c = explainError(err);
    if (ctx.signal.aborted) throw new CancelledError();
    if (isRunFatal(c)) throw new StageFailure(run.stage, c);
    const kept = storedZone(run);
    run.warnings.push(`${run.stage}: the server's time zone could not be read, so job runs stay in `
      + `${kept ? `${kept}, as the last sync read it` : 'UTC (assumed)'}. ${c.message.replace(/\.$/, '')}. ${c.suggestion}`);
    return;
  }
  const known = isValidTimeZone(zone);
  if (!known) {
    // Server text: shown cut short, as a zone name is never long.
    const shown = zone.length > 64 ? `${zone.slice(0, 64)}…` : zone;
    run.warnings.push(`${run.stage}: the server reports the time zone '${shown}', which is not a known IANA zone name, so its `
      + 'job runs are placed in UTC (assumed). Give the server a zone name such as Europe/Vienna (timedatectl set-timezone), then sync.');
  }
  run.reconcile('nodes', [pbsNodeRecord(known ? zone : null)], undefined, { counted: false });
}
