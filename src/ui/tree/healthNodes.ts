// "Backup Health" under each endpoint: one group per status with its count, each guest with its reason. The report
// comes from the health service (the core's rules); these nodes only present it.
import * as vscode from 'vscode';
import { STATUS_LABELS, problemCount } from '../../core/health/labels';
import type { GuestHealth, GuestHealthStatus } from '../../core/health/types';
import { pageOf } from '../format/guestGroups';
import { groupByStatus, guestHealthDescription, guestHealthLabel, guestHealthTooltip, STATUS_ICONS } from '../format/healthView';
import type { EndpointHealth } from '../health/healthService';
import { problemsOf } from '../health/healthService';
import type { TreeContext, TreeNode } from './context';
import { adopt, icon, item, ShowMoreNode, untrustedMarkdown } from './items';

export class BackupHealthNode implements TreeNode {
  readonly key: string;
  constructor(private readonly ctx: TreeContext, readonly endpointId: string, private readonly health: EndpointHealth) {
    this.key = `ep:${endpointId}/health`;
  }
  treeItem(): vscode.TreeItem {
    const r = this.health.report;
    const problems = problemsOf(r);
    const t = item('Backup Health', vscode.TreeItemCollapsibleState.Collapsed, this.key);
    t.description = problems ? `${problemCount(problems)} · ${r.summary.ok} ok` : `all ${r.guests.length - r.summary.excluded} ok`;
    t.iconPath = problems ? icon('warning', 'list.warningForeground') : icon('pass', 'testing.iconPassed');
    t.tooltip = 'Did every backup run? Status of each guest from its backup jobs\' own schedules, the vzdump tasks and the backups found. Click for the Backup Health view.';
    t.contextValue = 'proxbox.health';
    t.command = { title: 'Open Backup Health', command: 'proxbox.health.open', arguments: [this.endpointId] };
    return t;
  }
  children(): TreeNode[] {
    return adopt(this, groupByStatus(this.health.report).map((g) =>
      new HealthStatusNode(this.ctx, this.endpointId, g.status, g.guests, this.health)));
  }
}

export class HealthStatusNode implements TreeNode {
  readonly key: string;
  constructor(private readonly ctx: TreeContext, readonly endpointId: string, readonly status: GuestHealthStatus,
    private readonly guests: readonly GuestHealth[], private readonly health: EndpointHealth) {
    this.key = `ep:${endpointId}/health/${status}`;
  }
  treeItem(): vscode.TreeItem {
    const empty = this.guests.length === 0;
    // Problems open by themselves; the long OK list and empty groups stay closed.
    const state = empty ? vscode.TreeItemCollapsibleState.None
      : this.status === 'ok' || this.status === 'excluded' ? vscode.TreeItemCollapsibleState.Collapsed : vscode.TreeItemCollapsibleState.Expanded;
    const t = item(STATUS_LABELS[this.status], state, this.key);
    t.description = String(this.guests.length);
    const i = STATUS_ICONS[this.status];
    t.iconPath = empty ? icon(i.id, 'disabledForeground') : icon(i.id, i.color);
    t.contextValue = `proxbox.health.${this.status}`;
    return t;
  }
  children(): TreeNode[] {
    const size = this.ctx.pageSize();
    const page = pageOf(this.guests, this.ctx.shown.get(this.key) ?? size);
    const out: TreeNode[] = page.items.map((g) => new HealthGuestNode(this.ctx, g, this.health));
    if (page.remaining > 0) out.push(new ShowMoreNode(`${this.key}/more`, this.key, Math.min(size, page.remaining), page.remaining));
    return adopt(this, out);
  }
}

export class HealthGuestNode implements TreeNode {
  readonly key: string;
  constructor(private readonly ctx: TreeContext, readonly guest: GuestHealth, private readonly health: EndpointHealth) {
    this.key = `ep:${guest.endpoint}/health/${guest.status}/${guest.vmid}`;
  }
  treeItem(): vscode.TreeItem {
    const g = this.guest;
    const now = this.ctx.now();
    const t = item(guestHealthLabel(g), vscode.TreeItemCollapsibleState.None, this.key);
    t.description = guestHealthDescription(g, now);
    const i = STATUS_ICONS[g.status];
    t.iconPath = icon(i.id, i.color);
    t.tooltip = untrustedMarkdown(guestHealthTooltip(g, now, (id) => this.health.routineNames[id] ?? id));
    t.contextValue = `proxbox.healthGuest.${g.status}`;
    t.command = { title: 'Open Backup Health', command: 'proxbox.health.open', arguments: [g.endpoint] };
    return t;
  }
}
