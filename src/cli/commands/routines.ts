// `proxbox routines --store DIR [--json]`: the backup routines of every endpoint in a store, with status and next run.
import { Verb } from '../io';
import { coverageOf } from '../../core/health/coverage';
import { defaultStore, parse } from './syncArgs';
import { loadAll, routinesTable } from './inventoryView';

const HELP = `Usage: proxbox routines [--store DIR] [--endpoint ID] [--json]

Lists the backup routines (vzdump jobs) kept in an inventory store: status (active, disabled, stale), schedule,
next run in the node's time zone (* = computed by Proxbox when Proxmox did not send one; ! = the zone is assumed,
the reason is printed under the table), storage, selection and retention. --json prints one JSON array of routines, each with its endpoint id and the guests it covers.
`;

export const routines: Verb = async (argv, io) => {
  const v = parse(argv, { store: { type: 'string' }, endpoint: { type: 'string' }, json: { type: 'boolean' }, help: { type: 'boolean', short: 'h' } }, 'routines');
  if (v.help) {
    io.stdout(HELP);
    return 0;
  }
  const invs = await loadAll((v.store as string | undefined) ?? defaultStore(io.env), v.endpoint as string | undefined);
  const now = Math.floor(Date.now() / 1000);
  if (v.json) {
    const out = invs.flatMap((inv) => {
      const cov = coverageOf(inv);
      return inv.backupRoutines.map((r) => ({
        endpoint: inv.endpoint.id, ...r,
        coveredGuests: inv.guests.filter((g) => cov.get(g.vmid)?.routines.includes(r.jobId)).map((g) => g.vmid),
      }));
    });
    io.stdout(JSON.stringify(out, null, 2) + '\n');
    return 0;
  }
  if (invs.every((i) => i.backupRoutines.length === 0)) {
    io.stdout('No backup routines in this store. Sync an endpoint first: proxbox sync --url … --token-id … --store DIR\n');
    return 0;
  }
  io.stdout(routinesTable(invs, now));
  return 0;
};
