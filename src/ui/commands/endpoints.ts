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
/**
 * Before an endpoint is removed: every job that syncs only it is deleted, schedule, runs and logs (a running one is
 * stopped first), so nothing of it comes back when an endpoint of the same name is added again; a job that syncs other
 * endpoints too keeps its schedule and history, and only its running sync is stopped.
 */
export async function forgetSyncsOf(deps: Pick<CommandDeps, 'jobs'>, endpointId: string): Promise<void> {
  for (const j of deps.jobs.list().filter((x) => x.endpoints.includes(endpointId))) {
    if (j.endpoints.length === 1) {
      await deps.jobs.delete(j.id).catch(() => undefined);
      if (j.status === 'running') await waitForJob(deps.jobs, j.id);
    } else if (j.status === 'running') {
      await deps.jobs.cancel(j.id).catch(() => undefined);
      await waitForJob(deps.jobs, j.id);
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
      const removed = await removeEndpoint(deps, e, { beforeRemove: () => forgetSyncsOf(deps, e.id) });
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
