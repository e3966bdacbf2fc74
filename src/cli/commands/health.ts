// `proxbox health --store DIR`: backup health of every guest and routine in a store, and of every PBS job, as a table
// or JSON, with an exit code a pipeline can fail on (0 every guest ok or excluded and no PBS job failed or missed,
// 3 otherwise, 2 usage, 1 the store unreadable).
import { existsSync, readFileSync } from 'node:fs';
import { UsageError, Verb } from '../io';
import { evaluateHealth, DEFAULT_GRACE_SECONDS, DEFAULT_HISTORY_DAYS } from '../../core/health/report';
import { jobTitle } from '../../core/health/jobHealth';
import { parsePolicy } from '../../core/health/policy';
import { isHealthy, type BackupPolicy, type HealthReport } from '../../core/health/types';
import type { Inventory } from '../../core/inventory/model';
import { formatRelative } from '../../core/text/time';
import { terminalSafe } from '../../core/text/terminal';
import { defaultStore, parse, positiveInt } from './syncArgs';
import { formatTime, loadAll, table } from './inventoryView';
import { reportCsv } from '../../core/export/csv';

const HELP = `Usage: proxbox health [--store DIR] [--json | --format text|json|csv] [--now EPOCH] [--grace-minutes N] [--days N] [--policy FILE]

Backup health of every guest in the store, judged from each backup job's own schedule: failed (with Proxmox's own
words), overdue, never backed up, not covered by an enabled job, verification failed, excluded by the policy, or ok.
--now evaluates at another instant (epoch seconds); --grace-minutes is how long a run may take before its backup is
expected (default 360); --days is the run history shown per job (default 14); --policy FILE applies a backup policy.
PBS endpoints in the store add their jobs (prune, garbage collection, verify, sync): failed (PBS's own words), missed
their schedule, warnings, running or ok; a PVE storage of type pbs that is one of their datastores counts each backup
once, with PBS's verification.
--format csv prints one row per guest (RFC 4180, header row); --format json is --json; text is the default.
Exit code: 0 when every guest is ok or excluded and no PBS job failed or missed a run, 3 otherwise, 2 for a usage
error, 1 when the store cannot be read.
`;

export function readPolicy(file: string): BackupPolicy {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    throw new UsageError(`cannot read the policy file ${file}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}.`);
  }
  const { policy, problems } = parsePolicy(text);
  if (problems.length) {
    // Positions as editors show them: 1-based line and column.
    const list = problems.map((p) => `  ${file}:${p.range.startLine + 1}:${p.range.startCharacter + 1}: ${p.message}`).join('\n');
    throw new UsageError(`the policy file has ${problems.length} problem${problems.length === 1 ? '' : 's'}:\n${list}`);
  }
  return policy;
}

/** The report as the JSON contract of `proxbox health --json` (the report's own field names, plus the policy's violations). */
export function jsonOf(report: HealthReport): unknown {
  return {
    now: report.now,
    graceSeconds: report.graceSeconds,
    historyDays: report.historyDays,
    summary: report.summary,
    guests: report.guests,
    routines: report.routines,
    jobs: report.jobs,
    violations: report.violations,
  };
}

export function healthTable(report: HealthReport, invs: readonly Inventory[]): string {
  const rows = [['ENDPOINT', 'STATUS', 'GUEST', 'NODE', 'LAST BACKUP', 'NEXT BACKUP', 'REASON']];
  const zoneOf = new Map<string, string | null>();
  for (const inv of invs) for (const n of inv.nodes) zoneOf.set(`${inv.endpoint.id}/${n.name}`, n.timezone);
  for (const g of report.guests) {
    rows.push([
      g.endpoint, g.status.toUpperCase(), `${g.name} (${g.vmid})`, g.node,
      g.lastBackup === null ? 'never' : formatRelative(g.lastBackup, report.now),
      formatTime(g.nextBackup, zoneOf.get(`${g.endpoint}/${g.node}`) ?? null, report.now),
      g.reason || '—',
    ]);
  }
  const s = report.summary;
  const counts = (Object.keys(s) as (keyof typeof s)[]).filter((k) => s[k] > 0).map((k) => `${s[k]} ${k}`).join(', ') || 'no guests';
  const violations = report.violations.map((v) => terminalSafe(`! policy rule ${v.rule + 1}: ${v.name} (${v.vmid}) on ${v.endpoint}: ${v.message}`));
  // A job Proxmox will never run again, or whose schedule it cannot read, is a problem before any guest shows it.
  const jobProblems = report.routines.flatMap((r) => r.problems.filter((p) => p.kind === 'schedule-stops' || p.kind === 'schedule-error')
    .map((p) => terminalSafe(`! backup job ${r.jobId} on ${r.endpoint}: ${p.message}`)));
  const notes = [...jobProblems, ...violations];
  const guestPart = report.guests.length ? table(rows, true) + `\n${counts}\n` + (notes.length ? `${notes.join('\n')}\n` : '') : '';
  return guestPart + pbsJobLines(report);
}

/** After the guests: a count of the PBS jobs by status, then one line per job that failed or missed a run. */
function pbsJobLines(report: HealthReport): string {
  if (report.jobs.length === 0) return '';
  const by = new Map<string, number>();
  for (const j of report.jobs) by.set(j.status ?? 'not judged', (by.get(j.status ?? 'not judged') ?? 0) + 1);
  const counts = [...by].map(([k, n]) => `${n} ${k}`).join(', ');
  const problems = report.jobs.filter((j) => j.problem)
    .map((j) => terminalSafe(`! PBS ${jobTitle(j)} on ${j.endpoint}: ${j.status}: ${j.reason}`));
  return `PBS jobs: ${counts}\n` + (problems.length ? `${problems.join('\n')}\n` : '');
}

/** Exit code 3 when a guest is neither ok nor excluded, or a PBS job failed or missed a run (a warning is not). */
export function healthExitCode(report: HealthReport): 0 | 3 {
  return report.guests.every((g) => isHealthy(g.status)) && !report.jobs.some((j) => j.problem) ? 0 : 3;
}

/** --format text|json|csv; --json is --format json (and contradicts any other format). */
function formatArg(raw: string | boolean | undefined, json: boolean): 'text' | 'json' | 'csv' {
  if (raw === undefined) return json ? 'json' : 'text';
  if (raw !== 'text' && raw !== 'json' && raw !== 'csv') throw new UsageError(`--format must be text, json or csv, got '${String(raw)}'.`);
  if (json && raw !== 'json') throw new UsageError(`--json and --format ${raw} contradict each other; give one of them.`);
  return raw;
}

export const health: Verb = async (argv, io) => {
  const v = parse(argv, {
    store: { type: 'string' }, json: { type: 'boolean' }, now: { type: 'string' }, 'grace-minutes': { type: 'string' },
    days: { type: 'string' }, policy: { type: 'string' }, format: { type: 'string' }, help: { type: 'boolean', short: 'h' },
  }, 'health');
  const format = formatArg(v.format, v.json === true);
  if (v.help) {
    io.stdout(HELP);
    return 0;
  }
  const now = positiveInt(v.now, '--now', 2 ** 40) ?? Math.floor(Date.now() / 1000);
  const graceMinutes = positiveInt(v['grace-minutes'], '--grace-minutes', 60 * 24 * 365, 0) ?? DEFAULT_GRACE_SECONDS / 60;
  const historyDays = positiveInt(v.days, '--days', 366) ?? DEFAULT_HISTORY_DAYS;
  const policy = typeof v.policy === 'string' ? readPolicy(v.policy) : null;
  const store = (v.store as string | undefined) ?? defaultStore(io.env);
  let invs: Inventory[];
  try {
    if (!existsSync(store)) throw new Error(`the store folder ${store} does not exist. Run 'proxbox sync --store ${store} …' first.`);
    invs = await loadAll(store);
    // A wrong --store must not pass a CI check by having nothing to check.
    if (invs.length === 0) throw new Error(`the store ${store} holds no synced endpoint. Check --store, or run 'proxbox sync --store ${store} …' first.`);
  } catch (err) {
    io.stderr(`proxbox health: cannot read the store: ${terminalSafe((err as Error).message)}\n`);
    return 1;
  }
  const report = evaluateHealth(invs, { now, graceSeconds: graceMinutes * 60, historyDays, policy });
  if (format === 'json') io.stdout(JSON.stringify(jsonOf(report), null, 2) + '\n');
  else if (format === 'csv') io.stdout(reportCsv(report));
  else io.stdout(report.guests.length || report.jobs.length ? healthTable(report, invs) : 'No guests in this store. Sync an endpoint first: proxbox sync --url … --token-id … --store DIR\n');
  return healthExitCode(report);
};
