// `proxbox demo`: the whole product in one command, with no cluster needed. Starts the simulator in-process,
// syncs it into a temporary store, shows the run, the backup routines with their next runs and the guests'
// backup coverage; then deletes one backup job "in Proxmox", syncs again and shows it marked stale; and ends with
// the backup health of every guest.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Verb } from '../io';
import { runSync, PipelineEvent } from '../../core/pipeline';
import { formatEvent } from '../eventTable';
import { loadInventory } from '../../core/inventory/inventory';
import { coverageOf } from '../../core/health/coverage';
import { startSimulator } from '../../sim';
import { terminalSafe } from '../../core/text/terminal';
import { parse, positiveInt } from './syncArgs';
import { guestsTable, routinesTable, table } from './inventoryView';
import { evaluateHealth, DEFAULT_GRACE_SECONDS, DEFAULT_HISTORY_DAYS } from '../../core/health/report';
import { healthTable } from './health';

const HELP = `Usage: proxbox demo [--nodes N] [--guests N] [--jobs N] [--seed S] [--store DIR] [-v]

Runs a simulated Proxmox VE cluster on 127.0.0.1, syncs it into a store (a temporary folder unless --store is
given, removed afterwards), and prints the run, the backup routines with their next runs, the guests and their
backup coverage. It then deletes one backup job in the simulated cluster and syncs again: the routine is kept,
marked stale. It ends with the backup health of every guest. Nothing leaves this machine.

Without --nodes, --guests or --jobs the cluster is the simulator's health scenario (proxbox sim --scenario health):
3 nodes, 16 guests, 6 jobs, with a failed backup, a missed run, an offline storage and guests in no job. With any of
them, a generated cluster of that size.
`;

export const demo: Verb = async (argv, io) => {
  const v = parse(argv, {
    nodes: { type: 'string' }, guests: { type: 'string' }, jobs: { type: 'string' }, seed: { type: 'string' }, store: { type: 'string' },
    verbose: { type: 'boolean', short: 'v' }, help: { type: 'boolean', short: 'h' },
  }, 'demo');
  if (v.help) {
    io.stdout(HELP);
    return 0;
  }
  const sized = v.nodes !== undefined || v.guests !== undefined || v.jobs !== undefined;
  const nodes = positiveInt(v.nodes, '--nodes', 64) ?? 3;
  const guests = positiveInt(v.guests, '--guests', 100_000) ?? 18;
  const jobs = positiveInt(v.jobs, '--jobs', 1000) ?? 6;
  const seed = v.seed === undefined ? 4 : positiveInt(v.seed, '--seed', 2 ** 31)!;
  const keep = typeof v.store === 'string';
  const store = keep ? (v.store as string) : mkdtempSync(join(tmpdir(), 'proxbox-demo-'));
  const out = io.stdout;
  const sim = await startSimulator(sized ? { seed, nodes, guests, jobs } : { seed, scenario: 'health' });
  try {
    const endpoint = { id: 'demo', name: 'Simulated cluster', url: sim.url, tokenId: sim.tokenId, fingerprint: sim.fingerprint };
    const print = (e: PipelineEvent): void => {
      const line = formatEvent(e, { verbose: v.verbose === true });
      if (line !== undefined) out(line + '\n');
    };
    const c = sim.cluster;
    out(`Proxbox demo: a simulated Proxmox VE cluster (${c.nodes.length} nodes, ${c.guests.length} guests, ${c.jobs.length} backup jobs${sized ? '' : ', the health scenario'}) at ${sim.url}\n`);
    out(`Certificate pinned: ${sim.fingerprint.slice(0, 23)}…   Store: ${store}\n\n`);
    out('1. First sync\n');
    const first = await runSync({ endpoint, secret: sim.tokenSecret, store, signal: io.stopSignal, onEvent: print });
    if (!first.ok) return 1;

    const now = Math.floor(Date.now() / 1000);
    const inv = (await loadInventory(store, 'demo', now))!;
    out('\n2. Backup routines (next run in the node\'s time zone; * = computed by Proxbox, otherwise Proxmox\'s own next-run)\n');
    out(routinesTable([inv], now));
    const cov = coverageOf(inv);
    const counts = { covered: 0, 'disabled-only': 0, 'not-covered': 0 };
    for (const c of cov.values()) counts[c.state]++;
    out(`\n3. Guests: ${inv.guests.length} (${counts.covered} covered, ${counts['disabled-only']} only by a disabled job, ${counts['not-covered']} not covered at all)\n`);
    out(guestsTable([inv], now));

    const gone = sim.cluster.jobs.pop();
    if (gone) {
      out(`\n4. Backup job '${terminalSafe(gone.id)}' is deleted in Proxmox; sync again\n`);
      const second = await runSync({ endpoint, secret: sim.tokenSecret, store, signal: io.stopSignal, onEvent: print });
      if (!second.ok) return 1;
      const after = (await loadInventory(store, 'demo', now))!;
      const stale = after.backupRoutines.filter((r) => r.status === 'stale');
      out(`\nStale routines (kept, never deleted, so a job removed by mistake is noticed):\n`);
      out(table([['JOB', 'SCHEDULE', 'FIRST SEEN', 'GONE SINCE'], ...stale.map((r) => [r.jobId, r.schedule, r.firstSeen.slice(0, 19), r.staleSince?.slice(0, 19) ?? '—'])]));
      const covAfter = coverageOf(after);
      const lost = after.guests.filter((g) => cov.get(g.vmid)?.state === 'covered' && covAfter.get(g.vmid)?.state !== 'covered');
      out(lost.length
        ? `Guests no longer covered by any active backup job: ${lost.map((g) => `${terminalSafe(g.name)} (${g.vmid})`).join(', ')}\n`
        : 'Every guest it covered is still covered by another job.\n');
      out(`\nA third sync with nothing changed writes nothing:\n`);
      const third = await runSync({ endpoint, secret: sim.tokenSecret, store, signal: io.stopSignal, onEvent: (e) => { if (e.event === 'complete') print(e); } });
      if (!third.ok) return 1;
    }
    // The end of the tour is the question the product answers: is every guest really backed up?
    const final = (await loadInventory(store, 'demo', now))!;
    const report = evaluateHealth([final], { now, graceSeconds: DEFAULT_GRACE_SECONDS, historyDays: DEFAULT_HISTORY_DAYS, policy: null });
    out(`\n${gone ? 5 : 4}. Backup health (each job's own schedule, its runs and the backups found; proxbox health --store DIR)\n`);
    out(healthTable(report, [final]));
    out(`\nTry it on your cluster: PROXBOX_TOKEN_SECRET=… proxbox sync --url https://HOST:8006 --token-id user@realm!token --store DIR\n`);
    return 0;
  } finally {
    await sim.close();
    if (!keep) rmSync(store, { recursive: true, force: true });
  }
};
