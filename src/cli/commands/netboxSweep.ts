// `proxbox netbox-sweep`: the objects our syncs left in NetBox for endpoints that are gone (not in the store, not
// kept). A dry run by default: it lists them; `--apply` deletes them. Exit 0 when the list or the deletion is
// complete, 1 when NetBox refused some, 2 for a usage error.
import { UsageError, type Verb } from '../io';
import { listInventories } from '../../core/inventory/inventory';
import { NetBoxClient } from '../../core/netbox/client';
import { deleteOrphans, findOrphans } from '../../core/netbox/sweep';
import { terminalSafe as safe } from '../../core/text/terminal';
import { defaultStore, parse } from './syncArgs';
import { NETBOX_OPTIONS, netboxFlags } from './netboxArgs';

const HELP = `Usage: proxbox netbox-sweep --netbox-url URL [--store DIR] [--keep ID,ID] [--apply] [--json]

Lists the NetBox objects Proxbox synced (tag proxbox-vscode) for endpoints that are neither in the store nor kept
with --keep: the objects a removed endpoint left behind. Nothing is deleted without --apply.
The NetBox token comes from NETBOX_TOKEN or --netbox-token-file.

Options:
  --netbox-url URL          https://NETBOX
  --netbox-token-file FILE  read the NetBox API token from FILE
  --netbox-fingerprint FP   pin NetBox's SHA-256 certificate fingerprint
  --store DIR               the endpoints whose objects stay (default $PROXBOX_STORE or ~/.local/share/proxbox)
  --keep ID,ID              more endpoint ids whose objects stay (e.g. those of another machine's store)
  --apply                   delete what is listed (dependents first)
  --json                    one JSON object: {"orphans": [{type, id, display, endpoint}], "deleted", "failures"}
  -h, --help                show this help

Exit status: 0 done, 1 NetBox refused some deletions (named), 2 usage errors.
`;

export const netboxSweep: Verb = async (argv, io) => {
  const v = parse(argv, {
    ...NETBOX_OPTIONS, store: { type: 'string' }, keep: { type: 'string' }, apply: { type: 'boolean' }, json: { type: 'boolean' },
    help: { type: 'boolean', short: 'h' },
  }, 'netbox-sweep');
  if (v.help) {
    io.stdout(HELP);
    return 0;
  }
  const netbox = netboxFlags(v, io.env);
  if (!netbox) throw new UsageError("--netbox-url is required. Run 'proxbox netbox-sweep --help'.");
  const store = (v.store as string | undefined) ?? defaultStore(io.env);
  const keep = new Set([...(await listInventories(store)).map((e) => e.id), ...String(v.keep ?? '').split(',').map((s) => s.trim()).filter(Boolean)]);
  const client = new NetBoxClient({ url: netbox.target.url, ...(netbox.target.fingerprint ? { fingerprint: netbox.target.fingerprint } : {}) }, netbox.token);
  try {
    const orphans = await findOrphans(client, keep, io.stopSignal);
    const result = v.apply === true ? await deleteOrphans(client, orphans, io.stopSignal) : undefined;
    if (v.json) {
      io.stdout(JSON.stringify({ keep: [...keep], orphans: orphans.map(({ path: _p, ...o }) => o), applied: v.apply === true, deleted: result?.deleted ?? 0, failures: result?.failures ?? [] }) + '\n');
    } else {
      io.stdout(`Keeping the objects of ${keep.size ? [...keep].map(safe).join(', ') : 'no endpoint'}.\n`);
      for (const o of orphans) io.stdout(`  ${safe(o.type.padEnd(16))} ${safe(o.display)}  (endpoint ${safe(o.endpoint)}, id ${o.id})\n`);
      if (!orphans.length) io.stdout('No orphaned objects.\n');
      else if (!result) io.stdout(`${orphans.length} object(s) would be deleted; run again with --apply to delete them.\n`);
      else {
        io.stdout(`${result.deleted} of ${orphans.length} object(s) deleted.\n`);
        for (const f of result.failures) io.stdout(`  ✗ ${safe(f.label)}: ${safe(f.reason)}\n`);
      }
    }
    return result && result.failures.length ? 1 : 0;
  } finally {
    await client.close();
  }
};
