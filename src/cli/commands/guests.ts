// `proxbox guests --store DIR [--json]`: the guests of every endpoint in a store, with their backup coverage.
import { Verb } from '../io';
import { coverageOf } from '../../core/health/coverage';
import { defaultStore, parse } from './syncArgs';
import { guestsTable, loadAll } from './inventoryView';

const HELP = `Usage: proxbox guests [--store DIR] [--endpoint ID] [--json]

Lists the guests (VMs and containers) kept in an inventory store, with their backup coverage: covered by an
active, enabled routine; NOT COVERED because the only routines that include it are disabled or stale; or NOT
COVERED at all. --json prints one JSON array of guests, each with its endpoint id and coverage.
`;

export const guests: Verb = async (argv, io) => {
  const v = parse(argv, { store: { type: 'string' }, endpoint: { type: 'string' }, json: { type: 'boolean' }, help: { type: 'boolean', short: 'h' } }, 'guests');
  if (v.help) {
    io.stdout(HELP);
    return 0;
  }
  const invs = await loadAll((v.store as string | undefined) ?? defaultStore(io.env), v.endpoint as string | undefined);
  if (v.json) {
    const out = invs.flatMap((inv) => {
      const cov = coverageOf(inv);
      return inv.guests.map((g) => ({ endpoint: inv.endpoint.id, ...g, coverage: cov.get(g.vmid) }));
    });
    io.stdout(JSON.stringify(out, null, 2) + '\n');
    return 0;
  }
  if (invs.every((i) => i.guests.length === 0)) {
    io.stdout('No guests in this store. Sync an endpoint first: proxbox sync --url … --token-id … --store DIR\n');
    return 0;
  }
  io.stdout(guestsTable(invs, Math.floor(Date.now() / 1000)));
  return 0;
};
