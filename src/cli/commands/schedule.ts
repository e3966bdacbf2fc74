// `proxbox schedule next|show`: next runs of a Proxmox calendar event or cron expression, like PVE's
// Schedule Simulator (GET /cluster/jobs/schedule-analyze), but computed locally and without its 100-run cap.
import { createInterface } from 'node:readline';
import { CliIO, UsageError, Verb } from '../io';
import { terminalSafe } from '../../core/text/terminal';
import {
  isRepeatedWallTime,
  isValidTimeZone,
  localTimeZone,
  parseInstant,
  parseSchedule,
  proxmoxGivesUp,
  Schedule,
  ScheduleError,
  ScheduleKind,
  zoneOffsetAt,
} from '../../core/schedule';

const USAGE = `usage:
  proxbox schedule next <expr> [--from T] [--count N] [--tz ZONE] [--cron]
  proxbox schedule next --batch        JSON lines {"expr","from","count","tz","cron"} on stdin
  proxbox schedule show <expr> [--from T] [--count N] [--tz ZONE] [--cron] [--json]

<expr>     a Proxmox calendar event ('mon..fri 02:30', 'sat *-1..7 15:00', 'daily', '*/15'),
           or with --cron a cron expression of 5 or 6 fields ('30 2 * * 1-5')
--from T   start after this instant: epoch seconds or ISO-8601 (default: now); runs are strictly after it
--count N  how many runs, each the next after the previous (default 10, like PVE's simulator; at most ${100_000})
--tz ZONE  the IANA zone of the Proxmox node (default: this machine's zone); the 'UTC' suffix overrides it

'next' prints {"expr":…,"tz":…,"next":[epoch seconds…]}; fewer entries when the schedule never fires again.
Exit code 2 for an invalid schedule, zone, time or option.`;

const DEFAULT_COUNT = 10;
const MAX_COUNT = 100_000;
const OUTPUT_CHUNK = 512;

interface Options {
  expr: string;
  /** False when no schedule argument was given at all (an explicit '' is an invalid schedule, not a missing one). */
  hasExpr: boolean;
  from: number;
  count: number;
  tz: string;
  kind: ScheduleKind;
  json: boolean;
}

function checkZone(tz: string): string {
  if (!isValidTimeZone(tz)) {
    throw new UsageError(`unknown time zone '${tz}': use an IANA zone name such as 'Europe/Vienna', 'America/New_York' or 'UTC'`);
  }
  return tz;
}

function parseCount(text: string | undefined): number {
  if (text === undefined) return DEFAULT_COUNT;
  if (!/^\d+$/.test(text) || Number(text) < 1 || Number(text) > MAX_COUNT) {
    throw new UsageError(`invalid --count '${text}': use a whole number from 1 to ${MAX_COUNT}`);
  }
  return Number(text);
}

const VALUE_OPTIONS = new Set(['from', 'count', 'tz']);
const FLAG_OPTIONS = new Set(['cron', 'batch', 'json']);

/**
 * A small hand parser rather than util.parseArgs: a schedule may itself start with '-' ('-1' must reach the schedule
 * parser and be reported as an invalid schedule), and negative epochs must work as `--from -5`.
 */
function splitArgs(argv: string[]): { values: Record<string, string | boolean | undefined>; positionals: string[] } {
  const values: Record<string, string | boolean | undefined> = {};
  const positionals: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--') {
      positionals.push(...argv.slice(i + 1));
      break;
    }
    const m = /^--([a-z]+)(?:=(.*))?$/s.exec(arg);
    if (!m) {
      positionals.push(arg);
      continue;
    }
    const [, name, inline] = m;
    if (VALUE_OPTIONS.has(name)) {
      const value = inline ?? argv[++i];
      if (value === undefined) throw new UsageError(`--${name} needs a value\n${USAGE}`);
      values[name] = value;
    } else if (FLAG_OPTIONS.has(name) && inline === undefined) {
      values[name] = true;
    } else {
      throw new UsageError(`unknown option '${arg}'\n${USAGE}`);
    }
  }
  return { values, positionals };
}

function parseOptions(argv: string[], allowJson: boolean): Options & { batch: boolean } {
  const parsed = splitArgs(argv);
  const v = parsed.values as { from?: string; count?: string; tz?: string; cron?: boolean; batch?: boolean; json?: boolean };
  if (v.json && !allowJson) throw new UsageError(`--json is only for 'show' ('next' always prints JSON)`);
  const tz = checkZone(v.tz ?? localTimeZone());
  let from: number;
  try {
    from = v.from === undefined ? Math.floor(Date.now() / 1000) : parseInstant(v.from, tz);
  } catch (err) {
    throw new UsageError(`invalid --from: ${err instanceof Error ? err.message : String(err)}`);
  }
  return {
    // An unquoted `mon..fri 02:30` arrives as two words; it is still one schedule.
    expr: parsed.positionals.join(' '),
    hasExpr: parsed.positionals.length > 0,
    from,
    count: parseCount(v.count),
    tz,
    kind: v.cron ? 'cron' : 'calendar',
    json: Boolean(v.json),
    batch: Boolean(v.batch),
  };
}

/** Parses or returns the one-line complaint that starts with `invalid schedule:`. */
function load(expr: string, kind: ScheduleKind): Schedule | string {
  try {
    return parseSchedule(expr, kind);
  } catch (err) {
    if (err instanceof ScheduleError) return `invalid schedule: ${err.message}`;
    throw err;
  }
}

async function next(argv: string[], io: CliIO): Promise<number> {
  if (argv.includes('--batch')) return batch(argv, io);
  const o = parseOptions(argv, false);
  if (!o.hasExpr) throw new UsageError(`missing the schedule, e.g. proxbox schedule next 'mon..fri 02:30'\n${USAGE}`);
  const schedule = load(o.expr, o.kind);
  if (typeof schedule === 'string') {
    io.stderr(`${terminalSafe(schedule)}\n`);
    return 2;
  }
  io.stdout(`${JSON.stringify({ expr: schedule.source, tz: o.tz, next: schedule.take(o.from, o.count, o.tz) })}\n`);
  return 0;
}

interface BatchLine {
  expr?: unknown;
  from?: unknown;
  count?: unknown;
  tz?: unknown;
  cron?: unknown;
}

/** One input line to one output object; never throws, a bad line gets an error object. */
export function answerBatchLine(line: string, defaultTz: string, now: () => number): { next: number[] } | { error: string } {
  let input: BatchLine;
  try {
    input = JSON.parse(line);
  } catch (err) {
    return { error: `malformed JSON line (${err instanceof Error ? err.message : String(err)}): send one object per line like {"expr":"daily","from":0,"count":3,"tz":"UTC"}` };
  }
  if (input === null || typeof input !== 'object' || Array.isArray(input)) {
    return { error: 'each line must be a JSON object like {"expr":"daily","from":0,"count":3,"tz":"UTC"}' };
  }
  if (typeof input.expr !== 'string') return { error: '"expr" is missing or not a string' };
  const tz = input.tz === undefined || input.tz === null ? defaultTz : input.tz;
  if (typeof tz !== 'string' || !isValidTimeZone(tz)) {
    return { error: `unknown time zone ${JSON.stringify(tz)}: use an IANA zone name such as 'Europe/Vienna' or 'UTC'` };
  }
  let count = DEFAULT_COUNT;
  if (input.count !== undefined && input.count !== null) {
    if (typeof input.count !== 'number' || !Number.isInteger(input.count) || input.count < 0 || input.count > MAX_COUNT) {
      return { error: `"count" must be a whole number from 0 to ${MAX_COUNT}` };
    }
    count = input.count;
  }
  if (input.cron !== undefined && typeof input.cron !== 'boolean') return { error: '"cron" must be true or false' };
  let from: number;
  try {
    from = input.from === undefined || input.from === null ? now() : parseInstant(input.from, tz);
  } catch (err) {
    return { error: `invalid "from": ${err instanceof Error ? err.message : String(err)}` };
  }
  const schedule = load(input.expr, input.cron ? 'cron' : 'calendar');
  if (typeof schedule === 'string') return { error: schedule };
  try {
    return { next: schedule.take(from, count, tz) };
  } catch (err) {
    return { error: `could not compute the runs: ${err instanceof Error ? err.message : String(err)}` };
  }
}

async function batch(argv: string[], io: CliIO): Promise<number> {
  const rest = argv.filter((a) => a !== '--batch');
  const o = parseOptions(rest, false);
  if (o.hasExpr) throw new UsageError('--batch reads the schedules from stdin; give no schedule argument');
  const now = (): number => Math.floor(Date.now() / 1000);
  const lines = createInterface({ input: io.stdin, crlfDelay: Infinity });
  let pending: string[] = [];
  for await (const line of lines) {
    if (io.stopSignal.aborted) break;
    if (line.trim() === '') continue;
    pending.push(JSON.stringify(answerBatchLine(line, o.tz, now)));
    if (pending.length >= OUTPUT_CHUNK) {
      io.stdout(`${pending.join('\n')}\n`);
      pending = [];
    }
  }
  if (pending.length > 0) io.stdout(`${pending.join('\n')}\n`);
  return 0;
}

function pad(n: number, width = 2): string {
  return String(Math.abs(n)).padStart(width, '0');
}

const WEEKDAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];

/** `Mon 2024-10-28 02:30:00 +01:00` for an instant in a zone. */
function formatIn(epoch: number, offset: number): string {
  const d = new Date((epoch + offset) * 1000);
  const sign = offset < 0 ? '-' : '+';
  const off = `${sign}${pad(Math.floor(Math.abs(offset) / 3600))}:${pad(Math.floor((Math.abs(offset) % 3600) / 60))}`;
  return `${WEEKDAYS[d.getUTCDay()]} ${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())} ` +
    `${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())} ${off}`;
}

async function show(argv: string[], io: CliIO): Promise<number> {
  const o = parseOptions(argv, true);
  if (!o.hasExpr) throw new UsageError(`missing the schedule, e.g. proxbox schedule show 'sat *-1..7 15:00'\n${USAGE}`);
  const schedule = load(o.expr, o.kind);
  if (typeof schedule === 'string') {
    io.stderr(`${terminalSafe(schedule)}\n`);
    return 2;
  }
  const runs = schedule.take(o.from, o.count, o.tz);
  const rows = runs.map((t) => ({
    timestamp: t,
    local: formatIn(t, zoneOffsetAt(t, o.tz)),
    utc: formatIn(t, 0).replace(/ \+00:00$/, ' UTC'),
    repeatedHour: isRepeatedWallTime(t, o.tz),
  }));
  // Where Proxmox's own engine stops scheduling the job (negative-DST zones), so the short list is explained.
  const stop = proxmoxGivesUp(schedule, o.from, o.tz);
  if (o.json) {
    io.stdout(`${JSON.stringify({
      expr: schedule.source,
      kind: schedule.kind,
      normalized: schedule.normalized,
      description: schedule.describe(),
      tz: o.tz,
      from: o.from,
      runs: rows,
      proxmoxStops: stop && { lastRun: stop.lastRun, gapAt: stop.gapAt, zone: stop.zone, message: stop.message },
    }, null, 2)}\n`);
    return 0;
  }
  const out: string[] = [
    `schedule:    ${terminalSafe(schedule.source)}`,
    `kind:        ${schedule.kind === 'cron' ? 'cron expression' : 'Proxmox calendar event'}`,
    `normalized:  ${terminalSafe(schedule.normalized)}`,
    `meaning:     ${terminalSafe(schedule.describe())}`,
    `time zone:   ${terminalSafe(o.tz)}`,
    `from:        ${formatIn(o.from, zoneOffsetAt(o.from, o.tz))} (${o.from})`,
    '',
  ];
  if (rows.length === 0) {
    out.push('It never runs after this time.');
  } else {
    out.push(`next ${rows.length} run${rows.length === 1 ? '' : 's'}:`);
    // Up to 100,000 runs: a reduce, never a spread into Math.max (a RangeError at that size).
    const localWidth = rows.reduce((w, r) => Math.max(w, r.local.length), o.tz.length);
    out.push(`   #  ${terminalSafe(o.tz).padEnd(localWidth)}   ${'UTC'.padEnd(27)}   epoch`);
    rows.forEach((r, i) => {
      out.push(`${String(i + 1).padStart(4)}  ${r.local.padEnd(localWidth)}   ${r.utc.padEnd(27)}   ${r.timestamp}${r.repeatedHour ? '  *' : ''}`);
    });
    if (rows.length < o.count) out.push('It never runs again after the last one.');
    if (rows.some((r) => r.repeatedHour)) {
      out.push('* in the hour that repeats when the clocks go back: Proxmox may run it in the other occurrence (1 h later or earlier).');
    }
  }
  if (stop) out.push(terminalSafe(stop.message));
  io.stdout(`${out.join('\n')}\n`);
  return 0;
}

export const schedule: Verb = async (argv, io) => {
  const [sub, ...rest] = argv;
  if (!sub || sub === '--help' || sub === '-h' || sub === 'help' || rest.includes('--help') || rest.includes('-h')) {
    (sub ? io.stdout : io.stderr)(`${USAGE}\n`);
    return sub ? 0 : 2;
  }
  if (sub === 'next') return next(rest, io);
  if (sub === 'show') return show(rest, io);
  throw new UsageError(`unknown subcommand '${sub}': use 'next' or 'show'\n${USAGE}`);
};
