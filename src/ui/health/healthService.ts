// Backup health as the window sees it: one report per endpoint, evaluated by the core's rules from the stored
// inventory, the settings and the workspace's backup policy, and re-evaluated when any of them changes (and every
// few minutes, because a run becomes overdue by time alone). The tree, the status bar, the Backup Health view, the
// calendar and the Problems panel all read these reports; nothing here decides a status.
import * as vscode from 'vscode';
import type { Inventory } from '../../core/inventory/model';
import type { BackupPolicy, GuestHealth, HealthOptions, HealthReport, PolicyViolation } from '../../core/health/types';
import type { EndpointDefinition } from '../endpoints/endpoint';
import type { HealthSettings } from '../settings';
import { tallyProblems } from './backupProblems';

/** The workspace's policy file, as src/ui/health/policyFile.ts watches it. */
export interface PolicySource {
  current(): { policy: BackupPolicy } | null;
  readonly onDidChange: vscode.Event<void>;
  publish(violations: PolicyViolation[], endpointName: (id: string) => string): void;
}

export interface HealthServiceDeps {
  endpoints: { list(): EndpointDefinition[]; get(id: string): EndpointDefinition | undefined };
  loadInventory(id: string): Promise<Inventory | undefined>;
  evaluate(inventories: Inventory[], options: HealthOptions): HealthReport;
  settings(): HealthSettings;
  policy: PolicySource;
  /** Epoch seconds. */
  now(): number;
  log(message: string): void;
  /** Where a failed evaluation is reported: a user must hear that health could not be judged, not just a debug line. */
  warn(message: string): void;
  /** How often reports are re-evaluated while nothing else changes (ms). */
  reevaluateEveryMs?: number;
}

export interface EndpointHealth {
  endpointId: string;
  endpointName: string;
  report: HealthReport;
  /** Display name of each routine: its comment, or its job id. */
  routineNames: Record<string, string>;
  /** The inventory the report was evaluated from (judged again when only time, policy or settings changed). */
  inventory: Inventory;
  /** The report's guests by vmid, built once per evaluation for the tree's guest rows. */
  byVmid: ReadonlyMap<number, GuestHealth>;
}

export interface HealthChange {
  endpointId: string;
  /** True when the change follows a sync of that endpoint (notifications are only for those). */
  afterSync: boolean;
  before: HealthReport | undefined;
  after: HealthReport | undefined;
}

export class HealthService implements vscode.Disposable {
  private readonly byEndpoint = new Map<string, EndpointHealth>();
  private readonly changed = new vscode.EventEmitter<HealthChange>();
  /** One event per evaluation of an endpoint, with the report before and after. */
  readonly onDidChangeReport = this.changed.event;
  private readonly subs: vscode.Disposable[] = [];
  private readonly timer: ReturnType<typeof setInterval>;
  /** Serialises evaluations so an older inventory read never overwrites a newer report. */
  private queue: Promise<void> = Promise.resolve();

  constructor(private readonly deps: HealthServiceDeps) {
    this.subs.push(deps.policy.onDidChange(() => this.refreshAll('policy changed')));
    // Time alone makes runs due; the store is read again too, as a sync in another window changes it unannounced.
    this.timer = setInterval(() => this.refreshAll('time passed', true), deps.reevaluateEveryMs ?? 5 * 60_000);
  }

  get(endpointId: string): EndpointHealth | undefined {
    return this.byEndpoint.get(endpointId);
  }

  all(): EndpointHealth[] {
    const order = this.deps.endpoints.list().map((e) => e.id);
    return order.map((id) => this.byEndpoint.get(id)).filter((h): h is EndpointHealth => h !== undefined);
  }

  /** Guests that are neither ok nor excluded, and PBS jobs that failed or missed a run, over every endpoint. */
  problemCount(): number {
    let n = 0;
    for (const h of this.byEndpoint.values()) n += problemsOf(h.report);
    return n;
  }

  /** Re-evaluates one endpoint (after its sync, or when it was added or removed). */
  refresh(endpointId: string, reason: string, afterSync = false): Promise<void> {
    const done = this.enqueue(endpointId, reason, afterSync, true);
    const endpoint = this.deps.endpoints.get(endpointId);
    if (endpoint?.kind !== 'pbs') return done;
    // The PVE endpoints whose `pbs` storages point at this PBS count its snapshots and take its verification: judge
    // them again with the new PBS inventory (their own inventories did not change).
    const pve = this.deps.endpoints.list().filter((e) => e.kind !== 'pbs' && !e.backend);
    return Promise.all([done, ...pve.map((e) => this.enqueue(e.id, `${endpoint.name} synced`, false, false))]).then(() => undefined);
  }

  /**
   * Re-evaluates every endpoint. When only the policy or the settings changed, the inventories held are judged again
   * without reading the store (`reread` false; an endpoint not held yet is read).
   */
  refreshAll(reason: string, reread = false): Promise<void> {
    const ids = new Set([...this.deps.endpoints.list().map((e) => e.id), ...this.byEndpoint.keys()]);
    return Promise.all([...ids].map((id) => this.enqueue(id, reason, false, reread))).then(() => undefined);
  }

  private enqueue(endpointId: string, reason: string, afterSync: boolean, reread: boolean): Promise<void> {
    this.queue = this.queue.then(() => this.evaluate(endpointId, reason, afterSync, reread)).catch((err: unknown) => {
      this.deps.warn(`Backup health of ${this.deps.endpoints.get(endpointId)?.name ?? endpointId} could not be evaluated: ` +
        `${err instanceof Error ? err.message : String(err)}. The last report stays shown; sync again, and if it persists, report it with this log.`);
    });
    return this.queue;
  }

  /** Resolves when every evaluation asked for so far has finished. */
  settled(): Promise<void> {
    return this.queue;
  }

  private async evaluate(endpointId: string, reason: string, afterSync: boolean, reread: boolean): Promise<void> {
    const before = this.byEndpoint.get(endpointId);
    const endpoint = this.deps.endpoints.get(endpointId);
    const inventory = !endpoint ? undefined : !reread && before ? before.inventory : await this.deps.loadInventory(endpointId);
    if (!endpoint || !inventory || inventory.syncedAt === null) {
      if (!before) return;
      this.byEndpoint.delete(endpointId);
      this.changed.fire({ endpointId, afterSync, before: before.report, after: undefined });
      this.publishViolations();
      return;
    }
    const s = this.deps.settings();
    const started = performance.now();
    const report = this.deps.evaluate([inventory], {
      now: this.deps.now(), graceSeconds: s.graceMinutes * 60, historyDays: s.historyDays,
      policy: this.deps.policy.current()?.policy ?? null,
      context: endpoint.kind === 'pbs' ? [] : await this.pbsContext(),
    });
    const routineNames: Record<string, string> = {};
    for (const r of inventory.backupRoutines) routineNames[r.jobId] = r.comment?.trim() || r.jobId;
    const byVmid = new Map(report.guests.map((g) => [g.vmid, g]));
    this.byEndpoint.set(endpointId, { endpointId, endpointName: endpoint.name, report, routineNames, inventory, byVmid });
    this.deps.log(`Backup health of ${endpoint.name} (${reason}): ${problemsOf(report)} problem(s) among ${report.guests.length} guests and ${report.jobs.length} PBS jobs, ` +
      `${Math.round(performance.now() - started)} ms.`);
    this.changed.fire({ endpointId, afterSync, before: before?.report, after: report });
    this.publishViolations();
  }

  /** The synced PBS inventories, for matching a PVE endpoint's `pbs` storages (one backup, one identity). */
  private async pbsContext(): Promise<Inventory[]> {
    const out: Inventory[] = [];
    for (const e of this.deps.endpoints.list()) {
      if (e.kind !== 'pbs') continue;
      // The one held for its own report is the newest this window has judged; otherwise read the store once.
      const inv = this.byEndpoint.get(e.id)?.inventory ?? await this.deps.loadInventory(e.id).catch(() => undefined);
      if (inv && inv.syncedAt !== null) out.push(inv);
    }
    return out;
  }

  private publishViolations(): void {
    const all = [...this.byEndpoint.values()].flatMap((h) => h.report.violations);
    this.deps.policy.publish(all, (id) => this.byEndpoint.get(id)?.endpointName ?? this.deps.endpoints.get(id)?.name ?? id);
  }

  dispose(): void {
    clearInterval(this.timer);
    for (const s of this.subs) s.dispose();
    this.changed.dispose();
  }
}

export function problemsOf(report: HealthReport): number {
  return tallyProblems([report]).total;
}
