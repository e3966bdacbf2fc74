// Endpoint commands: add, edit, remove (its secret, its inventory and its running sync with it), test the connection.
import { endpointWizard, removeEndpoint, testEndpoint } from '../endpoints/endpointFlows';
import type { CommandDeps } from './deps';
import { pickEndpoint } from './pick';
import type { CommandTable } from './register';

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
      const removed = await removeEndpoint(deps, e);
      if (!removed) return false;
      // Its jobs would only fail from now on: stop the running one and end its schedules.
      for (const j of deps.jobs.list().filter((x) => x.endpoints.includes(e.id))) {
        if (j.status === 'running') await deps.jobs.cancel(j.id).catch(() => undefined);
        else if (j.status === 'scheduled' || j.status === 'pending') await deps.jobs.delete(j.id).catch(() => undefined);
      }
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
