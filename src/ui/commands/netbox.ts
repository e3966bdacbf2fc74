// NetBox commands: send an endpoint's inventory to NetBox after each sync (or stop), and open an object in NetBox.
import * as vscode from 'vscode';
import { netboxPage } from '../../core/netbox/netboxLinks';
import { netboxObjectOf } from './args';
import { cleanUpNetBox, netboxWizard, stopSendingToNetBox } from '../endpoints/netboxFlow';
import type { CommandDeps } from './deps';
import { pickEndpoint, refuseNetBoxFor } from './pick';
import type { CommandTable } from './register';

export function netboxCommands(deps: CommandDeps): CommandTable {
  return {
    'proxbox.endpoint.sendToNetBox': async (arg) => {
      const e = await pickEndpoint(deps, arg, 'Endpoint to send to NetBox', refuseNetBoxFor);
      if (!e) return undefined;
      if (e.backend) {
        void vscode.window.showInformationMessage(`Proxbox: ${e.name} is a proxbox-api backend: it writes NetBox itself.`);
        return undefined;
      }
      const target = await netboxWizard(deps, e);
      if (target) deps.tree.invalidate(e.id, `${e.name} is sent to NetBox`);
      return target;
    },
    'proxbox.endpoint.stopNetBox': async (arg) => {
      const e = await pickEndpoint(deps, arg, 'Endpoint to stop sending to NetBox', refuseNetBoxFor);
      if (!e) return false;
      if (!e.netbox) {
        void vscode.window.showInformationMessage(`Proxbox: ${e.name} is not sent to NetBox.`);
        return false;
      }
      const stopped = await stopSendingToNetBox(deps, e);
      if (stopped) deps.tree.invalidate(e.id, `${e.name} is no longer sent to NetBox`);
      return stopped;
    },
    'proxbox.netbox.cleanUp': async (arg) => {
      const withTarget = deps.store.list().filter((e) => e.netbox);
      // From the palette: only endpoints that have a NetBox to clean up are offered.
      const e = arg !== undefined ? await pickEndpoint(deps, arg, 'Endpoint whose NetBox to clean up')
        : withTarget.length === 1 ? withTarget[0]
          : (await vscode.window.showQuickPick(withTarget.map((x) => ({ label: x.name, description: x.netbox!.url, endpoint: x })), { placeHolder: 'Which NetBox to clean up' }))?.endpoint;
      if (!e) return 0;
      if (!e.netbox) {
        void vscode.window.showInformationMessage(`Proxbox: ${e.name} is not sent to NetBox.`);
        return 0;
      }
      return cleanUpNetBox(deps, e);
    },
    /** Opens the NetBox page and returns its address. */
    'proxbox.netbox.open': async (arg) => {
      const e = await pickEndpoint(deps, arg, 'Endpoint to open in NetBox', refuseNetBoxFor);
      if (!e) return undefined;
      if (!e.netbox) {
        const a = await vscode.window.showInformationMessage(`Proxbox: ${e.name} is not sent to NetBox yet.`, 'Send Endpoint to NetBox');
        if (a) void vscode.commands.executeCommand('proxbox.endpoint.sendToNetBox', e.id);
        return undefined;
      }
      const page = netboxPage(e.netbox.url, e.id, netboxObjectOf(arg));
      deps.log.info(`Opening ${page}`);
      await vscode.env.openExternal(vscode.Uri.parse(page, true));
      return page;
    },
  };
}
