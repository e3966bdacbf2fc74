// What every tree node may read: the endpoints, the services, the running syncs, cached inventories and paging state.
import type * as vscode from 'vscode';
import type { EndpointStore } from '../endpoints/endpointStore';
import type { JobsPort } from '../jobs/jobsPort';
import type { InventoryView, ProxboxServices } from '../services';
import type { SyncController } from '../syncController';

export interface TreeContext {
  readonly endpoints: EndpointStore;
  readonly services: ProxboxServices;
  readonly syncs: SyncController;
  /** The jobs service, once created (absent: runs of this window only). */
  jobs(): JobsPort | undefined;
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
