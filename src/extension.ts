// activate(): builds the services once and hands them to the UI; nothing else lives here.
import * as vscode from 'vscode';
import { registerEndpointsView } from './ui/endpointsView';

export function activate(context: vscode.ExtensionContext): void {
  registerEndpointsView(context);
}

export function deactivate(): void {
  // Nothing to release yet: every disposable is registered on the context.
}
