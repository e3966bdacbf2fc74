// Endpoint commands: add, edit, remove (its secret, its inventory and its running sync with it), test the connection.
import { endpointWizard, removeEndpoint, testEndpoint } from '../endpoints/endpointFlows';
import type { CommandDeps } from './deps';
import { waitForJob } from './sync';
import { pickEndpoint } from './pick';
import type { CommandTable } from './register';

/**
 * Before an endpoint goes: its running sync is cancelled and waited for (its last save would bring the inventory
 * back), and schedules that sync only this endpoint end. A job of several endpoints keeps its schedule; its run
 * says the missing endpoint was removed.
 */
export async function stopSyncsOf(deps: Pick<CommandDeps, 'jobs'>, endpointId: string): Promise<void> {
  for (const j of deps.jobs.list().filter((x) => x.endpoints.includes(endpointId))) {
    if (j.status === 'running') {
      await deps.jobs.cancel(j.id).catch(() => undefined);
      await waitForJob(deps.jobs, j.id);
    } else if ((j.status === 'scheduled' || j.status === 'pending') && j.endpoints.length === 1) {
      await deps.jobs.delete(j.id).catch(() => undefined);
    }
  }
}

export function endpointCommands(deps: CommandDeps): CommandTable {
  return {
    'proxbox.endpoint.add': () => endpointWizard(deps),
    'proxbox.endpoint.edit': async (arg) => {
      const e = await pickEndpoint(deps, arg, 'Endpoint to edit');
      return e && endpointWizard(deps, e);
    },
    'proxbox.endpoint.remove': async (arg) => {
      const e = await pickEndpoint(deps, arg, 'Endpoint to remove');
      if (!e) return false;
      const removed = await removeEndpoint(deps, e, { beforeRemove: () => stopSyncsOf(deps, e.id) });
      if (!removed) return false;
      if (e.demo) await deps.demo.stop();
      deps.tree.invalidate(e.id, `endpoint ${e.name} removed`);
      return true;
    },
    'proxbox.endpoint.testConnection': async (arg) => {
      const e = await pickEndpoint(deps, arg, 'Endpoint to test');
      if (!e) return false;
      const ready = await deps.demo.prepare(e);
      return testEndpoint(deps, deps.store.get(ready.id) ?? ready);
    },
  };
}
