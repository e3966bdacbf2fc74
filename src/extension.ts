// activate(): builds the services once and hands them to the UI; nothing else lives here.
import * as vscode from 'vscode';
import { parseSchedule } from './core/schedule';
import { createCoreServices } from './ui/coreServices';
import { activateUi, type UiTestApi } from './ui';
import { registerWebviews, type WebviewsTestApi } from './ui/webviews';

/**
 * What activate() returns. `testing` is there only when VS Code runs the extension for tests or development
 * (never in a normal install, so other extensions cannot reach internals). Integration tests read it through
 * `vscode.extensions.getExtension('proxbox.proxbox-vscode').exports`.
 */
export interface ProxboxExports {
  testing?: UiTestApi & {
    /** Milliseconds spent inside activate() itself. */
    activationMs: number;
    webviews: WebviewsTestApi;
  };
}

let shutdown: (() => Promise<void>) | undefined;

export function activate(context: vscode.ExtensionContext): ProxboxExports {
  const started = performance.now();
  const services = createCoreServices(context.globalStorageUri.fsPath);
  const ui = activateUi(context, services);
  shutdown = ui.shutdown;
  const webviews = registerWebviews(context, {
    listEndpoints: () => ui.endpoints.list(),
    loadInventory: (id) => services.loadFullInventory(id),
    onDidChangeInventory: (listener) => ui.onDidChangeInventory(listener),
    parseSchedule: (text) => parseSchedule(text, 'calendar'),
    log: (message) => ui.log.write('debug', message),
  });
  if (context.extensionMode === vscode.ExtensionMode.Production) return {};
  return { testing: { ...ui.testing, webviews, activationMs: performance.now() - started } };
}

/** Awaited by VS Code: a sync still running is recorded as failed and the schedule's lease is released. */
export async function deactivate(): Promise<void> {
  await shutdown?.();
}
