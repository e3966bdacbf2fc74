// `proxbox sync`: one sync of one endpoint into a store, headless. Readable lines by default, one JSON event per
// line with --json. Exit 0 when the run completed, 1 when it failed, 2 for a wrong invocation.
import type { Verb } from '../io';
import { runSync, eventToJsonLine, PBS_STAGES, STAGES } from '../../core/pipeline';
import { UsageError } from '../io';
import { formatEvent } from '../eventTable';
import { parse, SYNC_TARGET_OPTIONS, syncTarget } from './syncArgs';
import { NETBOX_HELP, NETBOX_OPTIONS, netboxFlags } from './netboxArgs';
import { netboxSinkFor } from '../../core/netbox';
import { SETTING_RANGES as R } from '../../core/settings/ranges';
import { REMOTE_HELP_LINES, syncRemote } from './syncRemote';

const HELP = `Usage: proxbox sync [--kind pve|pbs] --url URL --token-id ID [options]

Reads a Proxmox VE cluster through the 12-stage pipeline, or with --kind pbs a Proxmox Backup Server through
its ${PBS_STAGES.length} stages, into an inventory store.
The token secret comes from PROXBOX_TOKEN_SECRET or --token-secret-file, never from an argument.

Options:
  --kind pve|pbs            what the endpoint is: pve = a Proxmox VE cluster (default),
                            pbs = a Proxmox Backup Server (a read-only token with DatastoreAudit + Audit on / is enough)
  --url URL                 https://HOST:8006 (PVE) or https://HOST:8007 (PBS)
  --token-id ID             user@realm!tokenname
  --token-secret-file FILE  read the secret from FILE
  --fingerprint FP          pin the server's SHA-256 certificate fingerprint (self-signed clusters)
  --store DIR               inventory folder (default $PROXBOX_STORE or ~/.local/share/proxbox)
  --endpoint-id ID          the endpoint's id in the store (default: host-port of the URL)
  --name NAME               a display name (default: the host)
  --stages a,b              only these stages, plus what they depend on. Stages of a PVE cluster:
                            ${STAGES.join(', ')}
                            of a PBS: ${PBS_STAGES.join(', ')}
  --concurrency N           Proxmox requests in flight (${R['concurrency.fetch'].min}-${R['concurrency.fetch'].max}, default ${R['concurrency.fetch'].default})
  --vm-concurrency N        guests processed at once (${R['concurrency.vm'].min}-${R['concurrency.vm'].max}, default ${R['concurrency.vm'].default})
  --backup-batch N          backup storage (PBS: namespace) listings at once (${R['concurrency.backupBatch'].min}-${R['concurrency.backupBatch'].max}, default ${R['concurrency.backupBatch'].default})
  --timeout-ms N            per-request timeout (${R.requestTimeoutSeconds.min * 1000}-${R.requestTimeoutSeconds.max * 1000}, default ${R.requestTimeoutSeconds.default * 1000})
  --json                    one JSON event per line: {"event": …, "data": …}
  -v, --verbose             also show discovery and progress lines
  -h, --help                show this help

${NETBOX_HELP}  (The --netbox-* flags are for PVE clusters only: a Proxmox Backup Server has no devices or guests for NetBox.)

Exit status: 0 when the sync completed (possibly with warnings), 1 when it failed, 2 for usage errors.
${REMOTE_HELP_LINES}`;

export const sync: Verb = async (argv, io) => {
  // Remote mode (a proxbox-api backend runs the sync) has its own flags: syncRemote.ts.
  if (argv.some((a) => a === '--remote' || a.startsWith('--remote='))) return syncRemote(argv, io);
  const v = parse(argv, {
    ...SYNC_TARGET_OPTIONS, kind: { type: 'string' }, ...NETBOX_OPTIONS, verbose: { type: 'boolean', short: 'v' }, help: { type: 'boolean', short: 'h' },
  }, 'sync');
  if (v.help) {
    io.stdout(HELP);
    return 0;
  }
  const { endpoint, secret, store, stages, options, json } = syncTarget(v, 'sync', io.env);
  const netboxFlag = Object.keys(NETBOX_OPTIONS).find((k) => v[k] !== undefined);
  if (endpoint.kind === 'pbs' && netboxFlag) {
    throw new UsageError(`--${netboxFlag} cannot be used with --kind pbs: NetBox receives a Proxmox VE cluster's devices, guests and interfaces, which a Proxmox Backup Server does not have. Drop the --netbox-* flags, or sync the PVE cluster that backs up to this server with them.`);
  }
  const netbox = netboxFlags(v, io.env);
  const verbose = v.verbose === true;
  const sinks = netbox ? [netboxSinkFor(endpoint, netbox.target, netbox.token, {
    timeoutMs: options.timeoutMs ?? R.requestTimeoutSeconds.default * 1000, retries: R.retries.default, maxResponseBytes: R.maxResponseMegabytes.default * 1024 * 1024,
  }, netbox.dryRun ? (w) => io.stdout(JSON.stringify({ dry_run: true, ...w }) + '\n') : undefined)] : [];

  const complete = await runSync({
    endpoint,
    secret,
    store,
    stages,
    signal: io.stopSignal,
    options,
    sinks,
    redact: netbox ? [netbox.token] : [],
    onEvent: (e) => {
      if (json) io.stdout(eventToJsonLine(e) + '\n');
      else {
        const line = formatEvent(e, { verbose });
        if (line !== undefined) io.stdout(line + '\n');
      }
    },
  });
  return complete.ok ? 0 : 1;
};
