// `proxbox sync --remote URL`: a sync run by an existing proxbox-api backend, printed exactly like a local sync
// (the same event table, the same JSON lines) and ending the same way: 0 when it completed, 1 when it failed or the
// stream ended without `complete` (stderr says which), 2 for a wrong invocation.
import { readFileSync } from 'node:fs';
import { UsageError, type Verb } from '../io';
import { eventToJsonLine, STAGES } from '../../core/pipeline';
import { closedEarly, runRemoteSync, remoteStages, parseBackendUrl, RemoteSetupError, DEFAULT_REMOTE_TIMEOUT_MS } from '../../core/remote';
import { MIN_SECRET_LENGTH } from '../../core/secrets/redact';
import { terminalSafe } from '../../core/text/terminal';
import { formatEvent } from '../eventTable';
import { parse, positiveInt } from './syncArgs';

export const REMOTE_HELP_LINES = `
Remote mode (an existing proxbox-api backend runs the sync; its events are shown as ours):
  proxbox sync --remote URL [--stages a,b] [--json] [--fingerprint FP] [--api-key-file FILE]
  --remote URL              the proxbox-api base URL (it serves /full-update/stream)
  --api-key-file FILE       read the API key from FILE (default: PROXBOX_API_KEY), never from an argument
  --stages a,b              only these stages, each through its own stream, stopping at the first that fails
                            (without it: one /full-update/stream)
  --fingerprint FP          pin the backend's SHA-256 certificate fingerprint
  --timeout-ms N            wait for the answer and between frames (1000-3600000, default ${DEFAULT_REMOTE_TIMEOUT_MS})
  --endpoint-id ID          the endpoint's id in the events (default: host-port of the URL)
  --name NAME               a display name (default: the host)
  -v, --verbose             also print, on stderr, the frames we have no event for
  Exit status: 0 when the backend said the sync completed, 1 when it failed or the stream ended without
  saying so (stderr says which), 2 for usage errors.
`;

/** Flags of a local sync that mean nothing to a backend: given with --remote, they are a mistake to point out. */
const LOCAL_ONLY = ['url', 'token-id', 'token-secret-file', 'store', 'concurrency', 'vm-concurrency', 'backup-batch'];

function readApiKey(file: string | undefined, env: NodeJS.ProcessEnv): string {
  let key: string | undefined;
  if (file) {
    try {
      key = readFileSync(file, 'utf8').trim();
    } catch (err) {
      throw new UsageError(`cannot read the API key file ${file}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}. Check the path and its permissions.`);
    }
    if (!key) throw new UsageError(`the API key file ${file} is empty. Put the proxbox-api key in it.`);
  } else {
    key = env.PROXBOX_API_KEY?.trim();
    if (!key) throw new UsageError('no API key: set PROXBOX_API_KEY or pass --api-key-file FILE (the key proxbox-api expects in X-Proxbox-API-Key).');
  }
  // A key this short could not be masked in output by value.
  if (key.length < MIN_SECRET_LENGTH) throw new UsageError(`the API key from ${file ?? 'PROXBOX_API_KEY'} is ${key.length} characters long, too short for an API key. Use the whole key.`);
  return key;
}

export const syncRemote: Verb = async (argv, io) => {
  if (argv.some((a) => a === '--api-key' || a.startsWith('--api-key='))) {
    throw new UsageError('the API key is never taken as an argument (it would show in the process list and shell history). Set PROXBOX_API_KEY or pass --api-key-file FILE.');
  }
  const given = LOCAL_ONLY.filter((f) => argv.some((a) => a === `--${f}` || a.startsWith(`--${f}=`)));
  if (given.length) {
    throw new UsageError(`--remote cannot be combined with ${given.map((f) => `--${f}`).join(', ')}: the backend reaches Proxmox with its own endpoints and token. Drop ${given.length > 1 ? 'them' : 'it'}, or drop --remote for a local sync.`);
  }
  const v = parse(argv, {
    remote: { type: 'string' }, 'api-key-file': { type: 'string' }, stages: { type: 'string' }, fingerprint: { type: 'string' },
    'timeout-ms': { type: 'string' }, 'endpoint-id': { type: 'string' }, name: { type: 'string' }, json: { type: 'boolean' },
    verbose: { type: 'boolean', short: 'v' }, help: { type: 'boolean', short: 'h' },
  }, 'sync');
  if (v.help) {
    io.stdout(REMOTE_HELP_LINES.trimStart());
    return 0;
  }
  const url = typeof v.remote === 'string' ? v.remote : '';
  if (!url) throw new UsageError("--remote needs the proxbox-api base URL (https://HOST:PORT). Run 'proxbox sync --help'.");
  const stages = typeof v.stages === 'string' ? v.stages.split(',').map((s) => s.trim()).filter(Boolean) : undefined;
  if (stages && !stages.length) throw new UsageError(`--stages needs at least one stage: ${STAGES.join(', ')}.`);
  try {
    parseBackendUrl(url);
    remoteStages(stages);
  } catch (err) {
    if (err instanceof RemoteSetupError) throw new UsageError(`--remote: ${err.message}`);
    throw err;
  }
  const timeoutMs = positiveInt(v['timeout-ms'], '--timeout-ms', 3_600_000, 1000);
  const apiKey = readApiKey(v['api-key-file'] as string | undefined, io.env);
  const json = v.json === true;
  const verbose = v.verbose === true;

  const complete = await runRemoteSync({
    url, apiKey, stages, signal: io.stopSignal, timeoutMs,
    ...(typeof v.fingerprint === 'string' ? { fingerprint: v.fingerprint } : {}),
    ...(typeof v['endpoint-id'] === 'string' ? { endpointId: v['endpoint-id'] } : {}),
    ...(typeof v.name === 'string' ? { name: v.name } : {}),
    onDebug: verbose ? (line) => io.stderr(`    · ${terminalSafe(line)}\n`) : undefined,
    onEvent: (e) => {
      if (json) io.stdout(eventToJsonLine(e) + '\n');
      else {
        const line = formatEvent(e, { verbose });
        if (line !== undefined) io.stdout(line + '\n');
      }
    },
  });
  if (complete.ok) return 0;
  if (!complete.cancelled) {
    io.stderr(closedEarly(complete)
      ? 'proxbox sync: the proxbox-api stream ended without a complete event, so the run\'s outcome is unknown (see the error above).\n'
      : `proxbox sync: the sync through proxbox-api failed: ${terminalSafe(complete.errors?.[0]?.detail ?? complete.message)}\n`);
  }
  return 1;
};
