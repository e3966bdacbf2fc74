// The headless `proxbox` command: picks a verb and hands it the rest of the arguments.
import { explainError } from '../core/errors/explain';
import { redactSecrets } from '../core/secrets/redact';
import { terminalSafeLines } from '../core/text/terminal';
import { CliIO, UsageError, Verb } from './io';
import { verbs } from './verbs';

const USAGE = `usage: proxbox <command> [options]

commands:
  schedule next <expr> [--from T] [--count N] [--tz ZONE] [--cron]   next runs of a schedule, as JSON
  schedule next --batch                                             JSON lines in, JSON lines out
  schedule show <expr> [--tz ZONE]                                  normalized form, description, next 10 runs
  sim [--nodes N] [--guests N] [--jobs N] [--seed S] [--port P] ...  serve a simulated Proxmox VE cluster
  sync --url URL --token-id ID [--fingerprint FP] [--store DIR] [--stages a,b] [--json]
  sync --remote URL [--stages a,b] [--json]                         a sync run by a proxbox-api backend (key: PROXBOX_API_KEY)
  sync ... --netbox-url URL [--netbox-dry-run]                      also write the differences to NetBox (token: NETBOX_TOKEN)
  netbox-sweep --netbox-url URL [--store DIR] [--apply]             list (or delete) NetBox objects of endpoints that are gone
  routines --store DIR [--json]                                     backup routines in a store
  guests --store DIR [--json]                                       guests in a store
  health --store DIR [--json] [--now T] [--policy FILE]             backup health; exit 3 when a guest needs attention
  health --store DIR --format csv                                   backup health, one CSV row per guest
  calendar --store DIR --from T --to T [--format ics|json]          the backup calendar as iCalendar or JSON
  report --store DIR --out FILE.html                                a static backup report page
  serve --store DIR [--bind ADDR] [--port N] [--token-file F]       read-only HTTP feed (health, .ics, report, Glance)
  schedule-sync --mode MODE ...                                     run scheduled syncs in the foreground
  demo                                                              sync the built-in simulated cluster

The token secret comes from PROXBOX_TOKEN_SECRET or --token-secret-file, never from an argument.
Run 'proxbox <command> --help' for a command's options.`;

export async function main(argv: string[], io: CliIO): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    (name ? io.stdout : io.stderr)(USAGE + '\n');
    return name ? 0 : 2;
  }
  const verb: Verb | undefined = verbs[name];
  if (!verb) {
    io.stderr(`proxbox: unknown command '${name}'. Run 'proxbox --help' for the list.\n`);
    return 2;
  }
  try {
    return await verb(rest, io);
  } catch (err) {
    if (err instanceof UsageError) {
      io.stderr(`proxbox ${name}: ${terminalSafeLines(err.message)}\n`);
      return 2;
    }
    // The same explanation the extension gives: what happened and what to do next.
    const x = explainError(err);
    const secret = io.env.PROXBOX_TOKEN_SECRET;
    // The explanation quotes the server (its error words): made safe for the terminal, our own line breaks kept.
    io.stderr(redactSecrets(`proxbox ${name}: ${terminalSafeLines(x.message)}${x.suggestion ? `\n  → ${terminalSafeLines(x.suggestion)}` : ''}\n`, secret ? [secret] : []));
    return 1;
  }
}

if (require.main === module) {
  const stop = new AbortController();
  for (const sig of ['SIGINT', 'SIGTERM'] as const) process.once(sig, () => stop.abort(new Error(sig)));
  const io: CliIO = {
    stdout: (t) => void process.stdout.write(t),
    stderr: (t) => void process.stderr.write(t),
    stdin: process.stdin,
    env: process.env,
    stopSignal: stop.signal,
  };
  main(process.argv.slice(2), io).then(
    (code) => { process.exitCode = code; },
    (err) => { process.stderr.write(`proxbox: ${String(err)}\n`); process.exitCode = 1; },
  );
}
