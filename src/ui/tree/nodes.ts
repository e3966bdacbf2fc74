// The tree's node kinds. Each builds its own tree item and children; a child that fails to build becomes an error
// item with the cause and a way to fix it, never a hole or a blank tree.
import * as vscode from 'vscode';
import { groupGuestsByNode, guestDescription, guestIcon, guestLabel, pageOf, type GuestLike } from '../format/guestGroups';
import { presentRoutine, routineState, type RoutineLike } from '../format/routineView';
import { explainError } from '../../core/errors/explain';
import type { Inventory } from '../../core/inventory/model';
import { isFinishedSync, isTerminal, type Job } from '../../core/jobs/types';
import { progressMessage, type StageProgress, type StageStatus } from '../../core/pipeline/reducer';
import { stageLabel } from '../../core/pipeline/stageLabels';
import { formatDuration, formatRelative } from '../../core/text/time';
import type { EndpointDefinition } from '../endpoints/endpoint';
import { fixFor } from '../errorActions';
import { presentJob } from '../format/jobView';
import { endpointTooltip } from '../format/tooltips';
import type { RunRecord } from '../sync/syncRuns';
import type { TreeContext, TreeNode } from './context';
import { adopt, ErrorNode, icon, InfoNode, item, ShowMoreNode, untrustedMarkdown } from './items';
import { BackupHealthNode } from './healthNodes';
import { endpointPhase, endpointStateText, holdsSyncedData, lastErrorLabel, type SyncErrorLike } from './endpointState';
import { problemCount } from '../../core/health/labels';
import type { GuestHealth, RoutineHealth } from '../../core/health/types';
import { guestHealthDescription, lastRunText, runLine, STATUS_ICONS } from '../format/healthView';
import { escapeMarkdown } from '../format/markdown';
import { tallyProblems } from '../health/backupProblems';
import { endpointKind } from '../../core/inventory/model';
import { pbsTreeData } from './pbsTree';
import { pbsGroupNodes } from './pbsNodes';

export class EndpointNode implements TreeNode {
  readonly key: string;
  constructor(private readonly ctx: TreeContext, readonly endpoint: EndpointDefinition) {
    this.key = `ep:${endpoint.id}`;
  }
  get endpointId(): string { return this.endpoint.id; }

  /**
   * The endpoint's running job and its last sync that really ran (a cancelled or never-run job says nothing about the
   * cluster), with this endpoint's part of it: a job may sync several endpoints, each with its own outcome. `error`
   * leaves out a cancelled run; `everRan` and `anySuccess` look at every finished sync the history keeps.
   */
  private state(): { running: boolean; last?: Job; error?: SyncErrorLike; everRan: boolean; anySuccess: boolean; hasJobs: boolean } {
    const id = this.endpoint.id;
    const jobs = this.ctx.jobs.list().filter((j) => j.endpoints.includes(id));
    const finished = jobs.filter(isFinishedSync);
    const okFor = (j: Job) => { const mine = j.result?.endpoints.find((e) => e.endpoint === id); return mine ? mine.ok : j.status === 'completed'; };
    const last = finished[0];
    const mine = last?.result?.endpoints.find((e) => e.endpoint === id);
    const failed = last !== undefined && !okFor(last);
    const raw: SyncErrorLike | undefined = failed ? this.ctx.runs.get(last.id, id)?.error ?? { message: mine?.message ?? last.error ?? 'unknown error' } : undefined;
    const error = raw && raw.category !== 'cancelled' ? raw : undefined;
    return { running: jobs.some((j) => j.status === 'running'), last, error, everRan: finished.length > 0, anySuccess: finished.some(okFor), hasJobs: jobs.length > 0 };
  }

  /** The stored inventory when it holds a sync's result; undefined before the first sync that brought anything back. */
  private async syncedInventory(anySuccess: boolean): Promise<Inventory | undefined> {
    const inv = await this.ctx.inventory(this.endpoint.id).catch(() => undefined);
    return holdsSyncedData(inv, anySuccess) ? inv : undefined;
  }

  async treeItem(): Promise<vscode.TreeItem> {
    const e = this.endpoint;
    const t = item(e.name, vscode.TreeItemCollapsibleState.Collapsed, this.key);
    const { running, last, error, everRan, anySuccess } = this.state();
    const hasData = (await this.syncedInventory(anySuccess)) !== undefined;
    const pbs = endpointKind(e) === 'pbs';
    const host = e.demo ? (pbs ? 'simulated backup server' : 'simulated cluster') : e.backend ? `proxbox-api · ${e.url.replace(/^https?:\/\//, '')}` : e.url.replace(/^https:\/\//, '');
    const ago = last?.completedAt && !error ? formatRelative(last.completedAt / 1000, this.ctx.now()) : undefined;
    const stateText = endpointStateText({ running, everRan, lastError: error, hasData }, ago);
    t.description = stateText ? `${host} · ${stateText}` : host;
    t.iconPath = running ? icon('sync~spin') : error ? icon('server-environment', 'list.errorForeground') : icon('server-environment');
    const health = hasData ? this.ctx.health(e.id) : undefined;
    // Guests with backup problems and, on a PBS, its failed or missed jobs (backupProblems.ts says what counts).
    const problems = health ? tallyProblems([health.report]).total : 0;
    if (problems && !running) {
      t.description = `${t.description as string} · ${problemCount(problems)}`;
      if (!error) t.iconPath = icon('server-environment', 'list.warningForeground');
    }
    t.tooltip = untrustedMarkdown(endpointTooltip(e));
    // `.pbs` last: menus that suit a PVE cluster only (NetBox, a single stage) match up to `$` and so leave PBS out.
    t.contextValue = `proxbox.endpoint${running ? '.running' : ''}${e.demo ? '.demo' : ''}${e.backend ? '.backend' : ''}${e.netbox && !e.backend && !pbs ? '.netbox' : ''}${pbs ? '.pbs' : ''}`;
    return t;
  }

  /**
   * Until a sync has brought something back the endpoint shows its state (never synced, or the last failure with its
   * fix) and no inventory groups, which would read as an empty, healthy cluster. After a failure that follows a
   * success the last good inventory stays, under the error row.
   */
  async children(): Promise<TreeNode[]> {
    const e = this.endpoint;
    const out: TreeNode[] = [];
    if (!(await this.ctx.endpoints.getSecret(e.id))) {
      out.push(new ErrorNode(`${this.key}/no-secret`, e.backend ? 'No API key stored for this backend' : 'No token secret stored for this endpoint',
        { title: 'Enter Secret', command: 'proxbox.endpoint.edit', args: [e.id] },
        'The secret lives in VS Code\'s SecretStorage only; it is missing after a profile reset or on another machine.'));
    }
    const { running, error, everRan, anySuccess, hasJobs } = this.state();
    if (error && !running) {
      out.push(new ErrorNode(`${this.key}/last-error`, `Last sync failed: ${error.message}`, fixFor(error.category, e.id, error.stage), error.suggestion,
        lastErrorLabel(error)));
    }
    if (e.backend) {
      // Remote mode: the backend writes NetBox and keeps no inventory here; its syncs and their logs are what we show.
      out.push(new InfoNode(`${this.key}/backend`, 'Syncs run in proxbox-api', 'remote',
        { title: 'Sync Now', command: 'proxbox.sync.endpoint', arguments: [e.id] }, everRan ? 'results are in NetBox' : 'never synced · click to sync now'));
      if (hasJobs) out.push(this.ctx.cached(`${this.key}/jobs`, () => new SyncJobsNode(this.ctx, e.id)));
      return adopt(this, out);
    }
    let inv: Inventory | undefined;
    let readFailed = false;
    try {
      inv = await this.ctx.inventory(e.id);
    } catch (err) {
      readFailed = true;
      const x = explainError(err);
      out.push(new ErrorNode(`${this.key}/inventory-error`, `Could not read the stored inventory: ${x.message}`,
        { title: 'Sync Again', command: 'proxbox.sync.endpoint', args: [e.id] }, x.suggestion));
    }
    const phase = endpointPhase({ everRan, hasData: holdsSyncedData(inv, anySuccess) });
    if (phase === 'synced' && inv && endpointKind(e) === 'pbs') {
      // A backup server: its datastores, jobs and backup groups; it has no guests or vzdump jobs of its own.
      const jobs = this.ctx.health(e.id)?.report.jobs?.filter((j) => j.endpoint === e.id);
      out.push(...pbsGroupNodes(e.id, pbsTreeData(inv, jobs, this.ctx.now())));
    } else if (phase === 'synced' && inv) {
      const health = this.ctx.health(e.id);
      if (health) out.push(new BackupHealthNode(this.ctx, e.id, health));
      out.push(new RoutinesGroupNode(this.ctx, e.id, inv.backupRoutines), new GuestsGroupNode(this.ctx, e.id, inv.guests));
    } else if (phase === 'never-synced' && !readFailed && !running) {
      out.push(new InfoNode(`${this.key}/not-synced`, 'Not synced yet', 'cloud-download',
        { title: 'Sync Now', command: 'proxbox.sync.endpoint', arguments: [e.id] }, 'never synced · click to sync now'));
    }
    // A failed run is always listed; an endpoint with no job at all has no "none yet" group to read as a state.
    if (hasJobs || phase === 'synced') out.push(this.ctx.cached(`${this.key}/jobs`, () => new SyncJobsNode(this.ctx, e.id)));
    return adopt(this, out);
  }
}

const STATE_ORDER = { active: 0, disabled: 1, stale: 2 } as const;

export class RoutinesGroupNode implements TreeNode {
  readonly key: string;
  constructor(private readonly ctx: TreeContext, readonly endpointId: string, private readonly routines: readonly RoutineLike[]) {
    this.key = `ep:${endpointId}/routines`;
  }
  treeItem(): vscode.TreeItem {
    const t = item('Backup Jobs', vscode.TreeItemCollapsibleState.Expanded, this.key);
    const n = { active: 0, disabled: 0, stale: 0 };
    for (const r of this.routines) n[routineState(r)]++;
    t.description = [`${n.active} active`, n.disabled ? `${n.disabled} disabled` : '', n.stale ? `${n.stale} stale` : ''].filter(Boolean).join(' · ');
    t.iconPath = icon('history');
    t.contextValue = 'proxbox.routines';
    t.tooltip = 'vzdump backup jobs of this cluster (Datacenter → Backup). Stale: no longer listed by Proxmox, kept for the record.';
    return t;
  }
  children(): TreeNode[] {
    if (!this.routines.length) {
      return adopt(this, [new InfoNode(`${this.key}/none`, 'No backup jobs in this cluster', 'info', undefined, 'Datacenter → Backup in Proxmox')]);
    }
    const sorted = [...this.routines].sort((a, b) => STATE_ORDER[routineState(a)] - STATE_ORDER[routineState(b)] ||
      (a.nextRun ?? Infinity) - (b.nextRun ?? Infinity) || a.jobId.localeCompare(b.jobId));
    return adopt(this, sorted.map((r) => new RoutineNode(this.ctx, this.endpointId, r)));
  }
}

export class RoutineNode implements TreeNode {
  readonly key: string;
  constructor(private readonly ctx: TreeContext, readonly endpointId: string, readonly routine: RoutineLike) {
    this.key = `ep:${endpointId}/routines/${routine.jobId}`;
  }
  get routineId(): string { return this.routine.jobId; }
  treeItem(): vscode.TreeItem {
    const now = this.ctx.now();
    const p = presentRoutine(this.routine, now);
    const t = item(p.label, vscode.TreeItemCollapsibleState.None, this.key);
    const health = this.ctx.health(this.endpointId)?.report.routines.find((r) => r.jobId === this.routine.jobId);
    t.description = health && p.state === 'active' ? `${lastRunText(health.lastRun, now)} · ${p.description}` : p.description;
    t.iconPath = icon(p.icon.id, p.icon.color);
    if (health?.lastRun?.status === 'failed' || health?.lastRun?.status === 'missed') t.iconPath = icon('calendar', 'testing.iconFailed');
    t.tooltip = untrustedMarkdown(health ? `${p.tooltip}\n${routineHealthTooltip(health)}` : p.tooltip);
    t.contextValue = `proxbox.routine.${p.state}${this.ctx.endpoints.get(this.endpointId)?.netbox ? '.netbox' : ''}`;
    t.command = { title: 'Open Backup Job Details', command: 'proxbox.routine.open', arguments: [{ endpointId: this.endpointId, routineId: this.routine.jobId }] };
    return t;
  }
}

/** The routine's problems and recent runs, for its tooltip (markdown, Proxmox text escaped). */
function routineHealthTooltip(h: RoutineHealth): string {
  const lines: string[] = [];
  for (const p of h.problems) lines.push(`⚠ ${escapeMarkdown(p.message)}  `);
  const recent = h.runs.slice(-5).reverse();
  if (recent.length) lines.push('', '**Recent runs**  ', ...recent.map((r) => `${escapeMarkdown(runLine(r))}  `));
  return lines.join('\n');
}

export class GuestsGroupNode implements TreeNode {
  readonly key: string;
  constructor(private readonly ctx: TreeContext, readonly endpointId: string, private readonly guests: readonly GuestLike[]) {
    this.key = `ep:${endpointId}/guests`;
  }
  treeItem(): vscode.TreeItem {
    const t = item('Guests', vscode.TreeItemCollapsibleState.Collapsed, this.key);
    const running = this.guests.filter((g) => g.status === 'running').length;
    t.description = `${this.guests.length} (${running} running)`;
    t.iconPath = icon('vm');
    t.contextValue = 'proxbox.guests';
    return t;
  }
  children(): TreeNode[] {
    if (!this.guests.length) return adopt(this, [new InfoNode(`${this.key}/none`, 'No guests in this cluster')]);
    return adopt(this, groupGuestsByNode(this.guests).map((g) => new GuestNodeGroupNode(this.ctx, this.endpointId, g.node, g.guests)));
  }
}

export class GuestNodeGroupNode implements TreeNode {
  readonly key: string;
  constructor(private readonly ctx: TreeContext, readonly endpointId: string, readonly node: string, private readonly guests: readonly GuestLike[]) {
    this.key = `ep:${endpointId}/guests/${node}`;
  }
  treeItem(): vscode.TreeItem {
    const t = item(this.node, vscode.TreeItemCollapsibleState.Collapsed, this.key);
    t.description = `${this.guests.length} guest${this.guests.length === 1 ? '' : 's'}`;
    t.iconPath = icon('server');
    t.contextValue = `proxbox.node${this.ctx.endpoints.get(this.endpointId)?.netbox ? '.netbox' : ''}`;
    return t;
  }
  children(): TreeNode[] {
    const size = this.ctx.pageSize();
    const page = pageOf(this.guests, this.ctx.shown.get(this.key) ?? size);
    const byVmid = this.ctx.health(this.endpointId)?.byVmid;
    const netbox = this.ctx.endpoints.get(this.endpointId)?.netbox !== undefined;
    const out: TreeNode[] = page.items.map((g) => new GuestNode(this.endpointId, g, byVmid?.get(g.vmid), this.ctx.now(), netbox));
    if (page.remaining > 0) out.push(new ShowMoreNode(`${this.key}/more`, this.key, Math.min(size, page.remaining), page.remaining));
    return adopt(this, out);
  }
}

export class GuestNode implements TreeNode {
  readonly key: string;
  /** `health` is the guest's backup status when the endpoint has a report; it then decides the icon. */
  constructor(readonly endpointId: string, readonly guest: GuestLike, readonly health?: GuestHealth, private readonly now = 0, private readonly netbox = false) {
    this.key = `ep:${endpointId}/guest/${guest.vmid}`;
  }
  treeItem(): vscode.TreeItem {
    const g = this.guest;
    const t = item(guestLabel(g), vscode.TreeItemCollapsibleState.None, this.key);
    t.description = guestDescription(g);
    const i = this.health ? STATUS_ICONS[this.health.status] : guestIcon(g);
    t.iconPath = icon(i.id, i.color);
    t.tooltip = `${g.type === 'lxc' ? 'Container' : 'VM'} ${g.vmid}${g.name ? ` (${g.name})` : ''} on ${g.node}${g.status ? `, ${g.status}` : ''}` +
      (this.health ? `\nBackup: ${guestHealthDescription(this.health, this.now)}` : '');
    t.contextValue = `proxbox.guest.${g.type}${this.netbox ? '.netbox' : ''}`;
    return t;
  }
}

export class SyncJobsNode implements TreeNode {
  readonly key: string;
  constructor(private readonly ctx: TreeContext, readonly endpointId: string) {
    this.key = `ep:${endpointId}/jobs`;
  }
  private jobs(): Job[] {
    return this.ctx.jobs.list().filter((j) => j.endpoints.includes(this.endpointId));
  }
  treeItem(): vscode.TreeItem {
    const t = item('Syncs', vscode.TreeItemCollapsibleState.Collapsed, this.key);
    const jobs = this.jobs();
    const running = jobs.filter((j) => j.status === 'running').length;
    const scheduled = jobs.filter((j) => j.status === 'scheduled' || j.status === 'pending').length;
    const recent = jobs.filter((j) => isTerminal(j.status)).length;
    t.description = [running ? `${running} running` : '', scheduled ? `${scheduled} scheduled` : '', recent ? `${recent} recent` : '']
      .filter(Boolean).join(' · ') || 'none yet';
    t.iconPath = icon(running ? 'sync~spin' : 'tasklist');
    t.contextValue = 'proxbox.jobs';
    t.tooltip = 'Running, scheduled and recent syncs of this endpoint. Right-click the endpoint to schedule one.';
    return t;
  }
  children(): TreeNode[] {
    const out: TreeNode[] = this.jobs().map((j) => this.ctx.cached(`job:${j.id}`, () => new JobNode(this.ctx, j.id)));
    if (!out.length) {
      out.push(new InfoNode(`${this.key}/none`, 'No sync yet', 'info',
        { title: 'Sync Now', command: 'proxbox.sync.endpoint', arguments: [this.endpointId] }, 'click to sync now'));
    }
    return adopt(this, out);
  }
}

/**
 * One job: scheduled, queued, running or finished. A run of this window shows its live stages (spinner, then pass or
 * fail with its duration); a run of another window shows the stages its job record keeps.
 */
export class JobNode implements TreeNode {
  readonly key: string;
  constructor(private readonly ctx: TreeContext, readonly jobId: string) {
    this.key = `job:${jobId}`;
  }
  private get job(): Job | undefined { return this.ctx.jobs.get(this.jobId); }
  /** This window's runs of the job, one per endpoint. */
  private get records(): RunRecord[] { return this.ctx.runs.ofJob(this.jobId); }

  treeItem(): vscode.TreeItem {
    const job = this.job;
    if (!job) return item('(removed from the history)', vscode.TreeItemCollapsibleState.None, this.key);
    const records = this.records;
    const live = records.find((r) => !r.progress.done);
    const p = presentJob(job, this.ctx.now() * 1000, {
      running: live ? `${records.length > 1 ? `${live.endpointName}: ` : ''}${progressMessage(live.progress)}` : undefined,
      nameOf: (id) => this.ctx.endpoints.get(id)?.name,
    });
    const hasChildren = records.length > 0 || !!job.result?.stages.length || !!job.error;
    const t = item(p.label, hasChildren ? vscode.TreeItemCollapsibleState.Collapsed : vscode.TreeItemCollapsibleState.None, this.key);
    t.description = p.description;
    t.iconPath = icon(p.icon.id, p.icon.color);
    const advice = records.map((r) => r.error?.suggestion).filter(Boolean);
    t.tooltip = [p.tooltip, ...advice].join('\n');
    t.contextValue = p.contextValue;
    t.command = { title: 'Show Sync Log', command: 'proxbox.job.showLog', arguments: [this.jobId] };
    return t;
  }

  children(): TreeNode[] {
    const job = this.job;
    const records = this.records;
    const several = (job?.endpoints.length ?? records.length) > 1;
    const out: TreeNode[] = [];
    if (records.length) {
      for (const r of records) {
        for (const s of r.progress.stages) out.push(new StageNode(`${this.key}/${r.endpointId}/${s.name}`, s, several ? r.endpointName : undefined));
        if (r.error && r.error.category !== 'cancelled') {
          out.push(new ErrorNode(`${this.key}/${r.endpointId}/error`, `${several ? `${r.endpointName}: ` : ''}${r.error.category}: ${r.error.message}`,
            fixFor(r.error.category, r.endpointId, r.error.stage), r.error.suggestion));
        }
      }
    } else {
      for (const s of job?.result?.stages ?? []) {
        out.push(new StageNode(`${this.key}/${s.endpoint}/${s.stage}`, { name: s.stage, status: s.status, count: s.count, durationSeconds: s.durationSeconds },
          several ? this.ctx.endpoints.get(s.endpoint)?.name ?? s.endpoint : undefined));
      }
      // A run of another window: its record keeps what happened, not how to fix it, so the fix is the log.
      if (job?.error && !job.interrupted) out.push(new ErrorNode(`${this.key}/error`, job.error, fixFor(undefined, undefined)));
    }
    out.push(new InfoNode(`${this.key}/log`, 'Show log of this run', 'output', { title: 'Show Sync Log', command: 'proxbox.job.showLog', arguments: [this.jobId] }));
    return adopt(this, out);
  }
}

const STAGE_ICONS: Record<StageStatus, [string, string?]> = {
  pending: ['circle-large-outline', 'disabledForeground'],
  running: ['sync~spin'],
  completed: ['pass', 'testing.iconPassed'],
  failed: ['error', 'testing.iconFailed'],
  skipped: ['debug-step-over', 'list.warningForeground'],
};

export class StageNode implements TreeNode {
  /** `endpointName` prefixes the label in a job that syncs several endpoints. */
  constructor(readonly key: string, readonly stage: Pick<StageProgress, 'name' | 'status' | 'count' | 'durationSeconds' | 'message' | 'item'>,
    readonly endpointName?: string) {}
  treeItem(): vscode.TreeItem {
    const s = this.stage;
    const t = item(`${this.endpointName ? `${this.endpointName}: ` : ''}${stageLabel(s.name)}`, vscode.TreeItemCollapsibleState.None, this.key);
    const [id, color] = STAGE_ICONS[s.status];
    t.iconPath = icon(id, color);
    const parts: string[] = [s.status];
    if (s.count !== undefined) parts.push(`${s.count} item${s.count === 1 ? '' : 's'}`);
    if (s.durationSeconds !== undefined) parts.push(formatDuration(s.durationSeconds));
    if (s.status === 'running' && s.item) parts.push(`${s.item.current}/${s.item.total}`);
    t.description = parts.join(' · ');
    if (s.message) t.tooltip = s.message;
    t.contextValue = `proxbox.stage.${s.status}`;
    return t;
  }
}
