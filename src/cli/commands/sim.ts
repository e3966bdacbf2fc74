// `proxbox sim`: serves a simulated Proxmox VE cluster until SIGINT/SIGTERM. Prints one JSON line when ready, so a
// script or test can read the URL, token and certificate fingerprint from the first line of output.
import { UsageError, Verb } from '../io';
import { DEFAULTS, FaultSyntaxError, parseFault, SCENARIOS, startSimulator, type ScenarioName, SimOptions } from '../../sim';

const HELP = `Usage: proxbox sim [options]

Serves a seeded, simulated Proxmox VE cluster on 127.0.0.1 over HTTPS and HTTP, and prints one JSON line when ready:
  {"url":…, "httpUrl":…, "tokenId":…, "tokenSecret":…, "fingerprint":…, "limitedTokenId":…, "limitedTokenSecret":…}
With --pbs the line also has "pbs": {"url", "tokenId", "tokenSecret", "fingerprint"} (the fingerprint in lower case,
as PBS prints it). Stops on SIGINT or SIGTERM. GET /_sim/stats answers request counts.

Options:
  --seed N              cluster seed (default ${DEFAULTS.seed}); the same seed gives the same cluster
  --nodes N             number of nodes (default ${DEFAULTS.nodes})
  --guests N            number of guests, qemu and lxc mixed (default ${DEFAULTS.guests})
  --jobs N              number of backup jobs (default ${DEFAULTS.jobs}); fewer jobs keep the first ones identical
  --port N              HTTPS port (default 0: any free port)
  --http-port N         plain HTTP port (default 0: any free port)
  --latency-ms N        delay every request by N ms
  --fault SPEC          '<path glob under /api2/json>:<kind>[=<size>][:<rate>]', repeatable; kinds: 500, 596,
                        timeout, reset, badjson, 401, offline-node, and hostile answers: huge[=MiB] (a streamed
                        answer of that size), long-number[=digits] (a guest's maxmem), long-schedule[=spaces] (a
                        job's schedule); rate 0..1 (default 1), e.g. --fault '/cluster/backup*:500'
  --certificate a|b     which of the two built-in test certificates to serve (default a)
  --pve-version V       8.4 or 9.1 response shapes (default 9.1)
  --now EPOCH           fix the clock (epoch seconds) for reproducible output
  --scenario NAME       a hand-laid cluster instead of a generated one (--nodes/--guests/--jobs do not apply):
                          health  3 nodes, 16 guests, 6 jobs where every backup-health problem happens once: a run
                                  missed while its node was offline, a full storage (newest run fails per guest), a
                                  storage offline (newest run fails before any guest), a guest in a failed and an OK
                                  job, PBS verification ok / failed / none, a guest added after its job's last run,
                                  guests in no job, a guest only in a disabled job, a newer backup from another job;
                                  what was planted is listed in the cluster's 'scenario' descriptor (tests read cluster.scenario)
  --pbs                 also serve a Proxmox Backup Server on its own HTTPS port (own certificate and token):
                        datastores (one over 90 % used and full within a month, one healthy, one without an
                        estimate), namespaces, the PVE backups of the cluster's pbs storage as its snapshots (with
                        verification ok / failed / none, protected and encrypted ones), PBS-only groups, and prune,
                        GC, verify (one failed) and sync jobs; the cluster's pbs storage then points at it
  --auth-delay-ms N     delay 401 answers (PVE waits 3000 ms)
  -h, --help            show this help
`;

function intFlag(name: string, raw: string | undefined, min: number): number {
  if (raw === undefined || !/^-?\d+$/.test(raw) || Number(raw) < min) {
    throw new UsageError(`${name} needs an integer of at least ${min}, got '${raw ?? ''}'. Run 'proxbox sim --help' for the options.`);
  }
  return Number(raw);
}

export function parseSimArgs(argv: string[]): SimOptions | 'help' {
  const opts: SimOptions = {};
  const faults: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    const eq = arg.indexOf('=');
    const flag = arg.startsWith('--') && eq > 0 ? arg.slice(0, eq) : arg;
    const value = (): string | undefined => (arg.startsWith('--') && eq > 0 ? arg.slice(eq + 1) : argv[++i]);
    switch (flag) {
      case '-h':
      case '--help':
        return 'help';
      case '--seed': opts.seed = intFlag(flag, value(), 0); break;
      case '--nodes': opts.nodes = intFlag(flag, value(), 1); break;
      case '--guests': opts.guests = intFlag(flag, value(), 0); break;
      case '--jobs': opts.jobs = intFlag(flag, value(), 0); break;
      case '--port': opts.port = intFlag(flag, value(), 0); break;
      case '--http-port': opts.httpPort = intFlag(flag, value(), 0); break;
      case '--latency-ms': opts.latencyMs = intFlag(flag, value(), 0); break;
      case '--now': opts.now = intFlag(flag, value(), 0); break;
      case '--scenario': {
        const v = value();
        if (!(SCENARIOS as readonly string[]).includes(v ?? '')) {
          throw new UsageError(`--scenario must be one of ${SCENARIOS.join(', ')}, got '${v ?? ''}'. Run 'proxbox sim --help'.`);
        }
        opts.scenario = v as ScenarioName;
        break;
      }
      case '--pbs': opts.pbs = true; break;
      case '--auth-delay-ms': opts.authFailureDelayMs = intFlag(flag, value(), 0); break;
      case '--fault': {
        const spec = value();
        if (!spec) throw new UsageError(`--fault needs a value like '/cluster/backup*:500:1'. Run 'proxbox sim --help'.`);
        try {
          parseFault(spec);
        } catch (err) {
          if (err instanceof FaultSyntaxError) throw new UsageError(err.message);
          throw err;
        }
        faults.push(spec);
        break;
      }
      case '--certificate': {
        const v = value();
        if (v !== 'a' && v !== 'b') throw new UsageError(`--certificate must be 'a' or 'b', got '${v ?? ''}'.`);
        opts.certificate = v;
        break;
      }
      case '--pve-version': {
        const v = value();
        if (v !== '8.4' && v !== '9.1') throw new UsageError(`--pve-version must be 8.4 or 9.1, got '${v ?? ''}'.`);
        opts.pveVersion = v;
        break;
      }
      default:
        throw new UsageError(`unknown option '${arg}'. Run 'proxbox sim --help' for the options.`);
    }
  }
  if (faults.length) opts.faults = faults;
  return opts;
}

export const sim: Verb = async (argv, io) => {
  const opts = parseSimArgs(argv);
  if (opts === 'help') {
    io.stdout(HELP);
    return 0;
  }
  if (opts.nodes !== undefined && opts.nodes > 64) throw new UsageError('--nodes is limited to 64.');
  if (opts.guests !== undefined && opts.guests > 100_000) throw new UsageError('--guests is limited to 100000.');
  if (io.stopSignal.aborted) return 0;
  let server;
  try {
    server = await startSimulator(opts);
  } catch (err) {
    const e = err as NodeJS.ErrnoException;
    if (e.code === 'EADDRINUSE') {
      io.stderr(`proxbox sim: port already in use (${e.message}); choose another --port/--http-port or 0 for any free port.\n`);
      return 1;
    }
    throw err;
  }
  io.stdout(`${JSON.stringify({
    url: server.url, httpUrl: server.httpUrl, tokenId: server.tokenId, tokenSecret: server.tokenSecret,
    fingerprint: server.fingerprint, limitedTokenId: server.limitedTokenId, limitedTokenSecret: server.limitedTokenSecret,
    ...(server.pbs ? { pbs: { url: server.pbs.url, tokenId: server.pbs.tokenId, tokenSecret: server.pbs.tokenSecret, fingerprint: server.pbs.fingerprint } } : {}),
  })}\n`);
  await new Promise<void>((resolve) => {
    if (io.stopSignal.aborted) resolve();
    else io.stopSignal.addEventListener('abort', () => resolve(), { once: true });
  });
  await server.close();
  return 0;
};
