// activate(): builds the services once and hands them to the UI; nothing else lives here.
import * as vscode from 'vscode';
import { parseSchedule } from './core/schedule';
import { createCoreServices } from './ui/coreServices';
import { activateUi, type UiTestApi } from './ui';
import { registerWebviews, type WebviewsTestApi } from './ui/webviews';

export interface ProxboxExports {
  /** For the integration tests that run inside VS Code; not a public API. */
  testing: UiTestApi & { webviews: WebviewsTestApi };
}

export function activate(context: vscode.ExtensionContext): ProxboxExports {
  const services = createCoreServices(context.globalStorageUri.fsPath);
  const ui = activateUi(context, services);
  const webviews = registerWebviews(context, {
    listEndpoints: () => ui.endpoints.list(),
    loadInventory: (id) => services.loadFullInventory(id),
    onDidChangeInventory: (listener) => ui.onDidChangeInventory(listener),
    parseSchedule: (text) => parseSchedule(text, 'calendar'),
    log: (message) => ui.log.write('debug', message),
  });
  return { testing: { ...ui.testing, webviews } };
}

export function deactivate(): void {
  // Everything (the demo simulator, running syncs, the status bar) is disposed through context.subscriptions.
}
