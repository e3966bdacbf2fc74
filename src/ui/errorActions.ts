// What the user can do about a failure, by its category: the one table behind the error items in the tree, the
// failure notification of a sync and the command wrapper's toast, so the same failure offers the same fix everywhere.
import * as vscode from 'vscode';
import type { ExplainedError } from '../core/errors/explain';
import { notificationText } from './format/markdown';
import type { ProxboxLog } from './output';

export interface FixAction { title: string; command: string; args: unknown[] }

/** The one action that fixes a failure of this category for this endpoint (Show Log when nothing better is known). */
export function fixFor(category: string | undefined, endpointId: string | undefined, stage?: string): FixAction {
  // A failure of the netbox step is fixed where the NetBox target is set (its token, its address, its certificate).
  if (endpointId && stage === 'netbox' && category && ['authentication', 'permission', 'connection', 'timeout'].includes(category)) {
    return { title: 'Send Endpoint to NetBox...', command: 'proxbox.endpoint.sendToNetBox', args: [endpointId] };
  }
  // validation is left out on purpose: it also covers a refused job request, a bad schedule and an answer this
  // version cannot read, none of which editing the endpoint fixes.
  if (endpointId && (category === 'authentication' || category === 'permission')) {
    return { title: 'Edit Endpoint', command: 'proxbox.endpoint.edit', args: [endpointId] };
  }
  if (endpointId && (category === 'connection' || category === 'timeout')) {
    return { title: 'Test Connection', command: 'proxbox.endpoint.testConnection', args: [endpointId] };
  }
  return { title: 'Show Log', command: 'proxbox.log.show', args: [] };
}

/** "what happened — what to do next" on one line. */
export function errorText(x: Pick<ExplainedError, 'message'> & { suggestion?: string }): string {
  return `${x.message}${x.suggestion ? ` — ${x.suggestion}` : ''}`;
}

/**
 * Logs a failure and shows it as a notification with its fix (and Show Log), e.g.
 * "Proxbox: sync of lab failed: 401 … — Check the API token …  [Edit Endpoint] [Show Log]".
 */
export function reportError(log: ProxboxLog, what: string, x: ExplainedError, endpointId?: string): void {
  log.error(`${what}: ${x.category} error: ${errorText(x)}`);
  const fix = fixFor(x.category, endpointId);
  const actions = fix.command === 'proxbox.log.show' ? ['Show Log'] : [fix.title, 'Show Log'];
  void vscode.window.showErrorMessage(notificationText(log.redact(`Proxbox: ${what}: ${errorText(x)}`)), ...actions).then((a) => {
    if (a === 'Show Log') log.show();
    else if (a === fix.title) void vscode.commands.executeCommand(fix.command, ...fix.args);
  });
}
