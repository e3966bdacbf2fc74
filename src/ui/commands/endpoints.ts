// Endpoint commands: add, edit, remove (its secret, its inventory and its running sync with it), test the connection.
import { endpointWizard, removeEndpoint, testEndpoint } from '../endpoints/endpointFlows';
import { backendWizard } from '../endpoints/backendFlow';
import * as vscode from 'vscode';
import type { CommandDeps } from './deps';
import { waitForJob } from './sync';
import { pickEndpoint } from './pick';
import type { CommandTable } from './register';

/**
 * Before an endpoint is removed: every job that syncs only it is deleted, schedules, runs and logs (a running one is
 * stopped and waited for: its last save would bring the inventory back), so nothing of it comes back when an endpoint
 * of the same name is added again; a job that syncs other endpoints too goes on without it. This window's run records
 * of it go as well, so the status bar and the tree forget it (issue 11, item 2).
 */
export async function forgetSyncsOf(deps: Pick<CommandDeps, 'jobs' | 'runs'>, endpointId: string): Promise<void> {
  const running = deps.jobs.list().filter((j) => j.status === 'running' && j.endpoints.includes(endpointId));
  await deps.jobs.forgetEndpoint(endpointId);
  for (const j of running) await waitForJob(deps.jobs, j.id);
  deps.runs.forgetEndpoint(endpointId);
}

export function endpointCommands(deps: CommandDeps): CommandTable {
  return {
    'proxbox.endpoint.add': () => endpointWizard(deps),
    'proxbox.endpoint.addBackend': () => backendWizard(deps),
    'proxbox.endpoint.edit': async (arg) => {
      const e = await pickEndpoint(deps, arg, 'Endpoint to edit');
      return e && (e.backend ? backendWizard(deps, e) : endpointWizard(deps, e));
    },
    'proxbox.endpoint.remove': async (arg) => {
      const e = await pickEndpoint(deps, arg, 'Endpoint to remove');
      if (!e) return false;
      const removed = await removeEndpoint(deps, e, { beforeRemove: () => forgetSyncsOf(deps, e.id) });
      if (!removed) return false;
      if (e.demo) await deps.demo.stop();
      deps.tree.invalidate(e.id, `endpoint ${e.name} removed`);
      return true;
    },
    'proxbox.endpoint.testConnection': async (arg) => {
      const e = await pickEndpoint(deps, arg, 'Endpoint to test');
      if (!e) return false;
      if (e.backend) {
        // Every call that proves a proxbox-api key starts a sync there: a sync is its test.
        const a = await vscode.window.showInformationMessage(`Proxbox: ${e.name} is a proxbox-api backend; a sync tests its address and key.`, 'Sync Now');
        if (a) void vscode.commands.executeCommand('proxbox.sync.endpoint', e.id);
        return false;
      }
      const ready = await deps.demo.prepare(e);
      return testEndpoint(deps, deps.store.get(ready.id) ?? ready);
    },
  };
}
