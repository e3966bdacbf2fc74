// What every tree node may read: the endpoints, the services, the running syncs, cached inventories and paging state.
import type * as vscode from 'vscode';
import type { EndpointStore } from '../endpoints/endpointStore';
import type { InventoryView, ProxboxServices } from '../services';
import type { SyncController } from '../syncController';

export interface JobsView {
  /** Scheduled (future) jobs for an endpoint, as the jobs service lists them. */
  scheduledFor(endpointId: string): ScheduledJobView[];
}
export interface ScheduledJobView {
  id: string;
  label: string;
  description: string;
  tooltip: string;
  nextRunSeconds?: number;
}

export interface TreeContext {
  readonly endpoints: EndpointStore;
  readonly services: ProxboxServices;
  readonly syncs: SyncController;
  readonly jobs?: JobsView;
  inventory(endpointId: string): Promise<InventoryView | undefined>;
  pageSize(): number;
  /** Guests shown so far per node group (raised by "Show N more"). */
  readonly shown: Map<string, number>;
  /** Returns the node cached under `key` or caches the one `make` builds, so refreshes can target it. */
  cached<T extends TreeNode>(key: string, make: () => T): T;
  refresh(node?: TreeNode, reason?: string): void;
  now(): number;
}

export interface TreeNode {
  readonly key: string;
  parent?: TreeNode;
  treeItem(): vscode.TreeItem | Promise<vscode.TreeItem>;
  children?(): TreeNode[] | Promise<TreeNode[]>;
}
