// Commands of the sidebar and the log: show the log, refresh, page the guests, run an error item's fix.
import * as vscode from 'vscode';
import type { CommandDeps } from './deps';
import type { CommandTable } from './register';

export function viewCommands(deps: CommandDeps): CommandTable {
  const { tree, log } = deps;
  return {
    'proxbox.log.show': () => log.show(),
    'proxbox.refresh': () => tree.invalidate(undefined, 'refresh command'),
    'proxbox.tree.showMore': (groupKey, count) => {
      if (typeof groupKey !== 'string') return;
      const size = typeof count === 'number' ? count : tree.ctx.pageSize();
      tree.ctx.shown.set(groupKey, (tree.ctx.shown.get(groupKey) ?? tree.ctx.pageSize()) + size);
      tree.refresh(undefined, `show ${size} more in ${groupKey}`, true);
    },
    'proxbox.error.fix': (node) => {
      const fix = (node as { fix?: { command: string; args?: unknown[] } } | undefined)?.fix;
      return fix ? vscode.commands.executeCommand(fix.command, ...(fix.args ?? [])) : undefined;
    },
  };
}
