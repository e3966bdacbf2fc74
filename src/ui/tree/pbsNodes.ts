// The tree nodes of a Proxmox Backup Server endpoint: three groups (Datastores, Jobs, Backup Groups by namespace)
// whose rows come ready-made from pbsTree.ts; here they only become tree items.
import * as vscode from 'vscode';
import type { TreeNode } from './context';
import { adopt, icon, InfoNode, item, untrustedMarkdown } from './items';
import { countText, type NamespaceGroup, type PbsRow, type PbsTreeData } from './pbsTree';

/** One row: a datastore, a job or a backup group. */
export class PbsRowNode implements TreeNode {
  readonly key: string;
  constructor(endpointId: string, readonly row: PbsRow, private readonly contextValue: string) {
    this.key = `ep:${endpointId}/pbs/${row.key}`;
  }
  treeItem(): vscode.TreeItem {
    const r = this.row;
    const t = item(r.label, vscode.TreeItemCollapsibleState.None, this.key);
    t.description = r.description;
    t.iconPath = icon(r.icon.id, r.icon.color);
    t.tooltip = untrustedMarkdown(r.tooltip);
    t.contextValue = `${this.contextValue}${r.problem ? '.problem' : r.warning ? '.warning' : ''}`;
    return t;
  }
}

/** A group of rows under a PBS endpoint, with what the rows hold in its description and an empty-state line. */
export class PbsGroupNode implements TreeNode {
  readonly key: string;
  constructor(private readonly endpointId: string, private readonly spec: {
    id: string; label: string; iconId: string; noun: string; rows: PbsRow[]; rowContext: string; empty: string; tooltip: string;
  }) {
    this.key = `ep:${endpointId}/pbs/${spec.id}`;
  }
  treeItem(): vscode.TreeItem {
    const s = this.spec;
    const t = item(s.label, vscode.TreeItemCollapsibleState.Expanded, this.key);
    t.description = countText(s.rows, s.noun);
    const bad = s.rows.some((r) => r.problem);
    const warn = s.rows.some((r) => r.warning);
    t.iconPath = bad ? icon(s.iconId, 'list.errorForeground') : warn ? icon(s.iconId, 'list.warningForeground') : icon(s.iconId);
    t.tooltip = s.tooltip;
    t.contextValue = `proxbox.pbs.${s.id}`;
    return t;
  }
  children(): TreeNode[] {
    const s = this.spec;
    if (!s.rows.length) return adopt(this, [new InfoNode(`${this.key}/none`, s.empty)]);
    return adopt(this, s.rows.map((r) => new PbsRowNode(this.endpointId, r, s.rowContext)));
  }
}

/** A namespace of a datastore with its backup groups. */
export class PbsNamespaceNode implements TreeNode {
  readonly key: string;
  constructor(private readonly endpointId: string, readonly ns: NamespaceGroup) {
    this.key = `ep:${endpointId}/pbs/${ns.key}`;
  }
  treeItem(): vscode.TreeItem {
    const n = this.ns;
    const t = item(n.label, n.groups.length ? vscode.TreeItemCollapsibleState.Collapsed : vscode.TreeItemCollapsibleState.None, this.key);
    t.description = n.description;
    t.iconPath = n.groups.some((g) => g.problem) ? icon('folder', 'list.errorForeground') : icon(n.ns ? 'folder' : 'root-folder');
    t.tooltip = `Datastore ${n.store}, ${n.ns ? `namespace ${n.ns}` : 'root namespace'}`;
    t.contextValue = 'proxbox.pbs.namespace';
    return t;
  }
  children(): TreeNode[] {
    return adopt(this, this.ns.groups.map((g) => new PbsRowNode(this.endpointId, g, 'proxbox.pbs.group')));
  }
}

export class PbsBackupGroupsNode implements TreeNode {
  readonly key: string;
  constructor(private readonly endpointId: string, private readonly namespaces: NamespaceGroup[]) {
    this.key = `ep:${endpointId}/pbs/groups`;
  }
  treeItem(): vscode.TreeItem {
    const t = item('Backup Groups', vscode.TreeItemCollapsibleState.Collapsed, this.key);
    const groups = this.namespaces.reduce((n, s) => n + s.groups.length, 0);
    const failed = this.namespaces.reduce((n, s) => n + s.groups.filter((g) => g.problem).length, 0);
    t.description = [`${groups} group${groups === 1 ? '' : 's'} in ${this.namespaces.length} namespace${this.namespaces.length === 1 ? '' : 's'}`,
      failed ? `${failed} verify failed` : ''].filter(Boolean).join(' · ');
    t.iconPath = failed ? icon('archive', 'list.errorForeground') : icon('archive');
    t.tooltip = 'Backup groups (a guest or host and its snapshots) by datastore and namespace, the root namespace first.';
    t.contextValue = 'proxbox.pbs.groups';
    return t;
  }
  children(): TreeNode[] {
    if (!this.namespaces.length) return adopt(this, [new InfoNode(`${this.key}/none`, 'No backup groups on this server')]);
    return adopt(this, this.namespaces.map((n) => new PbsNamespaceNode(this.endpointId, n)));
  }
}

/** The three groups of a synced PBS endpoint. */
export function pbsGroupNodes(endpointId: string, data: PbsTreeData): TreeNode[] {
  return [
    new PbsGroupNode(endpointId, {
      id: 'datastores', label: 'Datastores', iconId: 'database', noun: 'datastore', rows: data.datastores, rowContext: 'proxbox.pbs.datastore',
      empty: 'No datastores visible to this token (it needs DatastoreAudit on /datastore)',
      tooltip: 'Datastores and their usage. A warning: 90 % used or more, or PBS estimates it full within 30 days.',
    }),
    new PbsGroupNode(endpointId, {
      id: 'jobs', label: 'Jobs', iconId: 'history', noun: 'job', rows: data.jobs, rowContext: 'proxbox.pbs.job',
      empty: 'No prune, garbage collection, verify or sync jobs',
      tooltip: 'Prune, garbage collection, verify and sync jobs with their last result (PBS\'s words) and next run. Failed or missed runs are problems.',
    }),
    new PbsBackupGroupsNode(endpointId, data.namespaces),
  ];
}
