// The one way a command is registered: every handler runs inside a wrapper that catches what it throws, explains it
// (what happened, what to do next), logs it and offers the fix. No command can end in VS Code's generic
// "command failed" toast, and none can fail silently.
import * as vscode from 'vscode';
import { explainError } from '../../core/errors/explain';
import { reportError } from '../errorActions';
import type { ProxboxLog } from '../output';
import { endpointIdOf } from './args';

export type CommandHandler = (...args: unknown[]) => unknown;
export type CommandTable = Readonly<Record<string, CommandHandler>>;

/** The titles VS Code shows for our commands (package.json), so a failure names the command as the user saw it. */
function titles(context: vscode.ExtensionContext): Map<string, string> {
  const commands = (context.extension?.packageJSON as { contributes?: { commands?: { command: string; title: string }[] } } | undefined)
    ?.contributes?.commands ?? [];
  return new Map(commands.map((c) => [c.command, c.title]));
}

/** `isEndpoint` tells a command's first argument that names a configured endpoint (its failure's fix is about it). */
export function registerCommands(context: vscode.ExtensionContext, log: ProxboxLog, table: CommandTable, isEndpoint: (id: string) => boolean): void {
  const names = titles(context);
  for (const [id, handler] of Object.entries(table)) {
    context.subscriptions.push(vscode.commands.registerCommand(id, async (...args: unknown[]) => {
      try {
        return await handler(...args);
      } catch (err) {
        const x = explainError(err);
        const endpointId = endpointIdOf(args[0]);
        reportError(log, `"${names.get(id) ?? id}" did not complete`, x, endpointId && isEndpoint(endpointId) ? endpointId : undefined);
        return undefined;
      }
    }));
  }
}
