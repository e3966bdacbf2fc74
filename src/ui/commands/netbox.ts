// NetBox commands: send an endpoint's inventory to NetBox after each sync (or stop), and open an object in NetBox.
import * as vscode from 'vscode';
import { clusterLink, nodeLink, vmLink } from '../../core/netbox/netboxLinks';
import { netboxWizard, stopSendingToNetBox } from '../endpoints/netboxFlow';
import type { CommandDeps } from './deps';
import { pickEndpoint } from './pick';
import type { CommandTable } from './register';

/** The NetBox page of what a tree row (or a `{endpointId, vmid | node}` argument) stands for: a guest, a node, the cluster. */
export function netboxPageOf(netboxUrl: string, endpointId: string, arg: unknown): string {
  const a = (arg && typeof arg === 'object' ? arg : {}) as { guest?: { vmid?: unknown }; vmid?: unknown; node?: unknown };
  const vmid = typeof a.vmid === 'number' ? a.vmid : typeof a.guest?.vmid === 'number' ? a.guest.vmid : undefined;
  if (vmid !== undefined) return vmLink(netboxUrl, endpointId, vmid);
  if (typeof a.node === 'string' && a.node) return nodeLink(netboxUrl, endpointId, a.node);
  return clusterLink(netboxUrl, endpointId);
}

export function netboxCommands(deps: CommandDeps): CommandTable {
  return {
    'proxbox.endpoint.sendToNetBox': async (arg) => {
      const e = await pickEndpoint(deps, arg, 'Endpoint to send to NetBox');
      if (!e) return undefined;
      const target = await netboxWizard(deps, e);
      if (target) deps.tree.invalidate(e.id, `${e.name} is sent to NetBox`);
      return target;
    },
    'proxbox.endpoint.stopNetBox': async (arg) => {
      const e = await pickEndpoint(deps, arg, 'Endpoint to stop sending to NetBox');
      if (!e) return false;
      if (!e.netbox) {
        void vscode.window.showInformationMessage(`Proxbox: ${e.name} is not sent to NetBox.`);
        return false;
      }
      const stopped = await stopSendingToNetBox(deps, e);
      if (stopped) deps.tree.invalidate(e.id, `${e.name} is no longer sent to NetBox`);
      return stopped;
    },
    /** Opens the NetBox page and returns its address. */
    'proxbox.openInNetBox': async (arg) => {
      const e = await pickEndpoint(deps, arg, 'Endpoint to open in NetBox');
      if (!e) return undefined;
      if (!e.netbox) {
        const a = await vscode.window.showInformationMessage(`Proxbox: ${e.name} is not sent to NetBox yet.`, 'Send Endpoint to NetBox');
        if (a) void vscode.commands.executeCommand('proxbox.endpoint.sendToNetBox', e.id);
        return undefined;
      }
      const page = netboxPageOf(e.netbox.url, e.id, arg);
      deps.log.info(`Opening ${page}`);
      await vscode.env.openExternal(vscode.Uri.parse(page, true));
      return page;
    },
  };
}
