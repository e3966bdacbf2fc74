// `proxbox sync`: one sync of one endpoint into a store, headless. Readable lines by default, one JSON event per
// line with --json. Exit 0 when the run completed, 1 when it failed, 2 for a wrong invocation.
import { UsageError, Verb } from '../io';
import { runSync, eventToJsonLine, resolveStages, StageSelectionError, STAGES } from '../../core/pipeline';
import { formatEvent } from '../../core/pipeline/format';
import { defaultStore, endpointIdFromUrl, parse, positiveInt, readSecret } from './syncArgs';

const HELP = `Usage: proxbox sync --url URL --token-id ID [options]

Reads a Proxmox VE cluster through the 12-stage pipeline into an inventory store.
The token secret comes from PROXBOX_TOKEN_SECRET or --token-secret-file, never from an argument.

Options:
  --url URL                 https://HOST:8006
  --token-id ID             user@realm!tokenname
  --token-secret-file FILE  read the secret from FILE
  --fingerprint FP          pin the server's SHA-256 certificate fingerprint (self-signed clusters)
  --store DIR               inventory folder (default $PROXBOX_STORE or ~/.local/share/proxbox)
  --endpoint-id ID          the endpoint's id in the store (default: host-port of the URL)
  --name NAME               a display name (default: the host)
  --stages a,b              only these stages, plus what they depend on. Stages:
                            ${STAGES.join(', ')}
  --concurrency N           Proxmox requests in flight (default 8)
  --vm-concurrency N        guests processed at once (default 8)
  --backup-batch N          backup storage listings at once (default 5)
  --timeout-ms N            per-request timeout (default 15000)
  --json                    one JSON event per line: {"event": …, "data": …}
  -v, --verbose             also show discovery and progress lines
  -h, --help                show this help

Exit status: 0 when the sync completed (possibly with warnings), 1 when it failed, 2 for usage errors.
`;

export const sync: Verb = async (argv, io) => {
  const v = parse(argv, {
    url: { type: 'string' }, 'token-id': { type: 'string' }, 'token-secret-file': { type: 'string' }, fingerprint: { type: 'string' },
    store: { type: 'string' }, 'endpoint-id': { type: 'string' }, name: { type: 'string' }, stages: { type: 'string' },
    concurrency: { type: 'string' }, 'vm-concurrency': { type: 'string' }, 'backup-batch': { type: 'string' }, 'timeout-ms': { type: 'string' },
    json: { type: 'boolean' }, verbose: { type: 'boolean', short: 'v' }, help: { type: 'boolean', short: 'h' },
  }, 'sync');
  if (v.help) {
    io.stdout(HELP);
    return 0;
  }
  const url = v.url as string | undefined;
  const tokenId = v['token-id'] as string | undefined;
  if (!url) throw new UsageError("--url is required (https://HOST:8006). Run 'proxbox sync --help'.");
  if (!tokenId) throw new UsageError("--token-id is required (user@realm!tokenname). Run 'proxbox sync --help'.");
  if (!/^[^\s@!]+@[^\s@!]+![A-Za-z][A-Za-z0-9._-]*$/.test(tokenId)) {
    throw new UsageError(`--token-id '${tokenId}' is not of the form user@realm!tokenname (e.g. root@pam!proxbox).`);
  }
  const id = (v['endpoint-id'] as string | undefined) ?? endpointIdFromUrl(url);
  let stages: string[] | undefined;
  if (v.stages) {
    stages = String(v.stages).split(',').map((s) => s.trim()).filter(Boolean);
    try {
      resolveStages(stages);
    } catch (err) {
      if (err instanceof StageSelectionError) throw new UsageError(err.message);
      throw err;
    }
  }
  const options = {
    concurrency: {
      fetch: positiveInt(v.concurrency, '--concurrency'),
      vm: positiveInt(v['vm-concurrency'], '--vm-concurrency'),
      backupBatch: positiveInt(v['backup-batch'], '--backup-batch'),
    },
    timeoutMs: positiveInt(v['timeout-ms'], '--timeout-ms', 600_000),
  };
  const secret = readSecret(v['token-secret-file'] as string | undefined, io.env);
  const store = (v.store as string | undefined) ?? defaultStore(io.env);
  const json = v.json === true;
  const verbose = v.verbose === true;
  const name = (v.name as string | undefined) ?? new URL(url).hostname;

  const complete = await runSync({
    endpoint: { id, name, url, tokenId, ...(v.fingerprint ? { fingerprint: String(v.fingerprint) } : {}) },
    secret,
    store,
    stages,
    signal: io.stopSignal,
    options,
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
