// activate(): builds the services once and hands them to the UI; nothing else lives here.
import * as vscode from 'vscode';
import { createCoreServices } from './ui/coreServices';
import { activateUi, type UiTestApi } from './ui';

export interface ProxboxExports {
  /** For the integration tests that run inside VS Code; not a public API. */
  testing: UiTestApi;
}

export function activate(context: vscode.ExtensionContext): ProxboxExports {
  const services = createCoreServices(context.globalStorageUri.fsPath);
  const ui = activateUi(context, services);
  return { testing: ui.testing };
}

export function deactivate(): void {
  // Everything (the demo simulator, running syncs, the status bar) is disposed through context.subscriptions.
}
