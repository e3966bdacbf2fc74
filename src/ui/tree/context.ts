// What every tree node may read: the endpoints, the jobs and this window's runs, cached inventories and paging state.
import type * as vscode from 'vscode';
import type { Inventory } from '../../core/inventory/model';
import type { JobService } from '../../core/jobs/jobService';
import type { EndpointStore } from '../endpoints/endpointStore';
import type { SyncRuns } from '../sync/syncRuns';
import type { EndpointHealth } from '../health/healthService';

export interface TreeContext {
  readonly endpoints: EndpointStore;
  readonly jobs: JobService;
  /** Runs of this window: live progress and the explained error of a job this window ran. */
  readonly runs: SyncRuns;
  inventory(endpointId: string): Promise<Inventory | undefined>;
  /** The endpoint's latest backup health report; undefined before its first successful sync. */
  health(endpointId: string): EndpointHealth | undefined;
  pageSize(): number;
  /** Guests shown so far per node group (raised by "Show N more"). */
  readonly shown: Map<string, number>;
  /** Returns the node cached under `key` or caches the one `make` builds, so refreshes can target it. */
  cached<T extends TreeNode>(key: string, make: () => T): T;
  refresh(node?: TreeNode, reason?: string): void;
  /** Epoch seconds. */
  now(): number;
}

export interface TreeNode {
  readonly key: string;
  parent?: TreeNode;
  treeItem(): vscode.TreeItem | Promise<vscode.TreeItem>;
  children?(): TreeNode[] | Promise<TreeNode[]>;
}
