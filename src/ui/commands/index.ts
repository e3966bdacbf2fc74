// Every command of the sidebar, the palette and the status bar, by area, registered through the one wrapper.
// (The webviews' own commands are registered with their panels in ui/webviews/, through the same wrapper.)
import type * as vscode from 'vscode';
import { demoCommands } from './demo';
import type { CommandDeps } from './deps';
import { endpointCommands } from './endpoints';
import { jobCommands } from './jobs';
import { registerCommands } from './register';
import { syncCommands } from './sync';
import { viewCommands } from './views';

export function registerAllCommands(context: vscode.ExtensionContext, deps: CommandDeps): void {
  registerCommands(context, deps.log, {
    ...endpointCommands(deps), ...syncCommands(deps), ...jobCommands(deps), ...viewCommands(deps), ...demoCommands(deps),
  });
}
