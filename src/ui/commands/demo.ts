// "Try with a Simulated Cluster": start the shipped simulator, add it as an endpoint, show the view and sync it.
import * as vscode from 'vscode';
import type { CommandDeps } from './deps';
import type { CommandTable } from './register';
import { syncNow } from './sync';

export function demoCommands(deps: CommandDeps): CommandTable {
  return {
    'proxbox.demo.start': async () => {
      const endpoint = await vscode.window.withProgress(
        { location: vscode.ProgressLocation.Notification, title: 'Proxbox: starting a simulated Proxmox VE cluster' },
        () => deps.demo.ensure());
      void vscode.commands.executeCommand('workbench.view.extension.proxbox');
      return syncNow(deps, endpoint.id, { interactive: true });
    },
  };
}
