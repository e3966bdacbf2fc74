import * as vscode from 'vscode';

/** The sidebar tree. Empty for now, so VS Code shows the welcome view with its buttons. */
class EndpointsProvider implements vscode.TreeDataProvider<vscode.TreeItem> {
  getTreeItem(item: vscode.TreeItem): vscode.TreeItem {
    return item;
  }
  getChildren(): vscode.TreeItem[] {
    return [];
  }
}

export function registerEndpointsView(context: vscode.ExtensionContext): void {
  context.subscriptions.push(
    vscode.window.createTreeView('proxbox.endpoints', { treeDataProvider: new EndpointsProvider(), showCollapseAll: true }),
    vscode.commands.registerCommand('proxbox.endpoint.add', () =>
      vscode.window.showInformationMessage('Proxbox: adding an endpoint is not available yet.')),
    vscode.commands.registerCommand('proxbox.demo.start', () =>
      vscode.window.showInformationMessage('Proxbox: the simulated cluster is not available yet.')),
  );
}
