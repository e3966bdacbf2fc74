// The pieces every tree node is built from: a keyed tree item, a themed icon, markdown that treats foreign text as
// text, and the generic rows (an error with its fix, a neutral line, "Show N more").
import * as vscode from 'vscode';
import { errorTooltip } from '../format/tooltips';
import type { TreeNode } from './context';

export const icon = (id: string, color?: string) => new vscode.ThemeIcon(id, color ? new vscode.ThemeColor(color) : undefined);

export function item(label: string, collapsible: vscode.TreeItemCollapsibleState, key: string): vscode.TreeItem {
  const t = new vscode.TreeItem(label, collapsible);
  t.id = key;
  return t;
}

/**
 * A tooltip in markdown we wrote, with every text from elsewhere escaped (format/markdown.ts): no command links, no
 * HTML, whatever VS Code's defaults become.
 */
export function untrustedMarkdown(value: string): vscode.MarkdownString {
  const md = new vscode.MarkdownString(value);
  md.isTrusted = false;
  md.supportHtml = false;
  md.supportThemeIcons = false;
  return md;
}

export function adopt<T extends TreeNode>(parent: TreeNode, nodes: T[]): T[] {
  for (const n of nodes) n.parent = parent;
  return nodes;
}

/** A problem shown in place of what could not be built: the cause, and a click that fixes it. */
export class ErrorNode implements TreeNode {
  constructor(
    readonly key: string,
    readonly message: string,
    readonly fix: { title: string; command: string; args?: unknown[] },
    readonly suggestion?: string,
    /** A short label when the message is too long for a row; the whole message is then in the tooltip. */
    readonly label?: string,
  ) {}
  treeItem(): vscode.TreeItem {
    const t = item(this.label ?? this.message, vscode.TreeItemCollapsibleState.None, this.key);
    t.iconPath = icon('error', 'list.errorForeground');
    t.description = `${this.fix.title}…`;
    t.tooltip = untrustedMarkdown(errorTooltip(this.message, this.fix.title, this.suggestion));
    t.contextValue = 'proxbox.error';
    t.command = { title: this.fix.title, command: this.fix.command, arguments: this.fix.args };
    return t;
  }
}

/** A neutral line: "Not synced yet", "No backup jobs", with an optional click. */
export class InfoNode implements TreeNode {
  constructor(readonly key: string, readonly label: string, readonly iconId = 'info',
    readonly command?: vscode.Command, readonly description?: string) {}
  treeItem(): vscode.TreeItem {
    const t = item(this.label, vscode.TreeItemCollapsibleState.None, this.key);
    t.iconPath = icon(this.iconId);
    t.contextValue = 'proxbox.info';
    if (this.description) t.description = this.description;
    if (this.command) t.command = this.command;
    return t;
  }
}

export class ShowMoreNode implements TreeNode {
  constructor(readonly key: string, readonly groupKey: string, readonly next: number, readonly remaining: number) {}
  treeItem(): vscode.TreeItem {
    const t = item(`Show ${this.next} more`, vscode.TreeItemCollapsibleState.None, this.key);
    t.description = `${this.remaining} not shown`;
    t.iconPath = icon('ellipsis');
    t.contextValue = 'proxbox.showMore';
    t.command = { title: 'Show More', command: 'proxbox.tree.showMore', arguments: [this.groupKey, this.next] };
    return t;
  }
}

