// The sidebar's data provider. Refreshes are throttled (at most one per ~500 ms) except when a sync starts or ends, which show at
// once; while the view is hidden nothing is rebuilt, the view is refreshed when it becomes visible again. Each refresh
// is logged at debug level with its reason.
import * as vscode from 'vscode';
import type { Inventory } from '../../core/inventory/model';
import { Throttle } from '../throttle';
import type { ProxboxLog } from '../output';
import type { TreeContext, TreeNode } from './context';
import { EndpointNode } from './nodes';

export interface TreeSnapshotNode {
  label: string;
  description?: string;
  contextValue?: string;
  icon?: string;
  tooltip?: string;
  children?: TreeSnapshotNode[];
}

export class ProxboxTreeProvider implements vscode.TreeDataProvider<TreeNode>, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<TreeNode | undefined>();
  readonly onDidChangeTreeData = this.changed.event;
  private readonly inventories = new Map<string, Promise<Inventory | undefined>>();
  private readonly nodes = new Map<string, TreeNode>();
  private readonly pending = new Set<TreeNode | undefined>();
  private readonly throttle: Throttle;
  private visible = true;
  private dirtyWhileHidden = false;
  readonly ctx: TreeContext;

  constructor(
    base: Omit<TreeContext, 'inventory' | 'cached' | 'refresh' | 'shown'>,
    private readonly loadInventory: (endpointId: string) => Promise<Inventory | undefined>,
    private readonly log: ProxboxLog,
    delayMs = 500,
  ) {
    this.throttle = new Throttle(delayMs, (reason) => this.fire(reason));
    const shown = new Map<string, number>();
    this.ctx = {
      ...base,
      shown,
      inventory: (id) => {
        let p = this.inventories.get(id);
        if (!p) {
          p = this.loadInventory(id);
          this.inventories.set(id, p);
          // A failed read is not cached: the next expand tries again.
          p.catch(() => this.inventories.delete(id));
        }
        return p;
      },
      cached: <T extends TreeNode>(key: string, make: () => T): T => {
        let n = this.nodes.get(key) as T | undefined;
        if (!n) { n = make(); this.nodes.set(key, n); }
        return n;
      },
      refresh: (node, reason) => this.refresh(node, reason ?? 'requested'),
    };
  }

  /** Drops the cached inventory of one endpoint (after a sync) or of all, then refreshes. */
  invalidate(endpointId?: string, reason = 'inventory changed'): void {
    if (endpointId) this.inventories.delete(endpointId); else this.inventories.clear();
    this.refresh(undefined, reason, true);
  }

  /** `immediate` is for the start and end of a run; everything else waits for the throttle. */
  refresh(node: TreeNode | undefined, reason: string, immediate = false): void {
    if (!this.visible) { this.dirtyWhileHidden = true; return; }
    this.pending.add(node);
    if (immediate) this.throttle.flush(reason); else this.throttle.schedule(reason);
  }

  /** Refreshes the cached nodes under these keys (those the view has shown); unknown keys are skipped. */
  refreshKeys(keys: string[], reason: string): void {
    for (const k of keys) {
      const n = this.nodes.get(k);
      if (n) this.refresh(n, reason);
    }
  }

  setVisible(visible: boolean): void {
    this.visible = visible;
    if (visible && this.dirtyWhileHidden) {
      this.dirtyWhileHidden = false;
      this.refresh(undefined, 'view became visible', true);
    }
  }

  private fire(reason: string): void {
    const targets = [...this.pending];
    this.pending.clear();
    const all = targets.includes(undefined) || !targets.length;
    this.log.write('debug', `tree refresh (${all ? 'all' : `${targets.length} node(s)`}): ${reason}`);
    if (all) {
      this.nodes.clear();
      this.changed.fire(undefined);
    } else {
      for (const t of targets) this.changed.fire(t);
    }
  }

  getTreeItem(node: TreeNode): vscode.TreeItem | Promise<vscode.TreeItem> {
    return node.treeItem();
  }

  async getChildren(node?: TreeNode): Promise<TreeNode[]> {
    if (!node) {
      return this.ctx.endpoints.list().map((e) => this.ctx.cached(`ep:${e.id}`, () => new EndpointNode(this.ctx, e)));
    }
    return node.children ? await node.children() : [];
  }

  getParent(node: TreeNode): TreeNode | undefined {
    return node.parent;
  }

  /** The whole tree as plain data (for the test API): every node expanded except paging rows, to `maxDepth`. */
  async snapshot(maxDepth = 6): Promise<TreeSnapshotNode[]> {
    const walk = async (parent: TreeNode | undefined, depth: number): Promise<TreeSnapshotNode[]> => {
      const kids = await this.getChildren(parent);
      const out: TreeSnapshotNode[] = [];
      for (const k of kids) {
        const t = await k.treeItem();
        const label = typeof t.label === 'string' ? t.label : t.label?.label ?? '';
        const s: TreeSnapshotNode = { label };
        if (typeof t.description === 'string') s.description = t.description;
        if (t.contextValue) s.contextValue = t.contextValue;
        if (t.iconPath instanceof vscode.ThemeIcon) s.icon = t.iconPath.id;
        if (typeof t.tooltip === 'string') s.tooltip = t.tooltip;
        else if (t.tooltip instanceof vscode.MarkdownString) s.tooltip = t.tooltip.value;
        if (k.children && depth < maxDepth && t.collapsibleState !== vscode.TreeItemCollapsibleState.None) {
          s.children = await walk(k, depth + 1);
        }
        out.push(s);
      }
      return out;
    };
    return walk(undefined, 0);
  }

  dispose(): void {
    this.throttle.dispose();
    this.changed.dispose();
  }
}
