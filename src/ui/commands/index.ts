// Every command, by area, registered through the one wrapper; the webviews hand in theirs (open a routine, the calendar).
import type * as vscode from 'vscode';
import { demoCommands } from './demo';
import type { CommandDeps } from './deps';
import { endpointCommands } from './endpoints';
import { jobCommands } from './jobs';
import { netboxCommands } from './netbox';
import { registerCommands, type CommandTable } from './register';
import { syncCommands } from './sync';
import { viewCommands } from './views';

export function registerAllCommands(context: vscode.ExtensionContext, deps: CommandDeps, webviewCommands: CommandTable): void {
  registerCommands(context, deps.log, {
    ...endpointCommands(deps), ...netboxCommands(deps), ...syncCommands(deps), ...jobCommands(deps), ...viewCommands(deps), ...demoCommands(deps), ...webviewCommands,
  }, (id) => deps.store.get(id) !== undefined);
}
