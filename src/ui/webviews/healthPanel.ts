// The Backup Health panel (one per window): a WebviewPanel around the health controller. The view asks for the
// reports when it starts; this panel pushes new ones when the source says they changed, and the endpoint filter when
// the panel is opened for one endpoint.
import * as vscode from 'vscode';
import type { HealthPush, HealthRequests } from '../../webview/health/protocol';
import { HealthController, type HealthActions, type HealthSource } from './healthController';
import { WebviewHost } from './webviewHost';

export const HEALTH_VIEW_TYPE = 'proxbox.health';
const TITLE = 'Backup Health';

export interface HealthPanelDeps {
  source: HealthSource;
  actions: HealthActions;
  now(): number;
  log(message: string): void;
}

export class HealthPanel {
  private static current: HealthPanel | undefined;
  /** What tests read: the last snapshot the view posted, its render counts, the render event. */
  readonly host: WebviewHost<HealthPush, HealthRequests>;
  private readonly disposables: vscode.Disposable[] = [];

  static get instance(): HealthPanel | undefined {
    return HealthPanel.current;
  }

  static show(extensionUri: vscode.Uri, deps: HealthPanelDeps, endpointId?: string): HealthPanel {
    let health = HealthPanel.current;
    if (health) {
      health.host.panel.reveal();
    } else {
      const panel = vscode.window.createWebviewPanel(HEALTH_VIEW_TYPE, TITLE, vscode.ViewColumn.Active, {
        enableScripts: true,
        localResourceRoots: [vscode.Uri.joinPath(extensionUri, 'media')],
      });
      health = new HealthPanel(panel, extensionUri, deps);
    }
    if (endpointId !== undefined) health.host.post({ type: 'filter', endpointId });
    return health;
  }

  /** Called by the serializer after a window reload; the view restores its own filter and sort (getState). */
  static restore(panel: vscode.WebviewPanel, extensionUri: vscode.Uri, deps: HealthPanelDeps): HealthPanel {
    HealthPanel.current?.panel.dispose();
    return new HealthPanel(panel, extensionUri, deps);
  }

  private constructor(panel: vscode.WebviewPanel, extensionUri: vscode.Uri, deps: HealthPanelDeps) {
    const controller = new HealthController(deps.source, deps.actions, deps.now);
    this.host = new WebviewHost(panel, extensionUri, { view: 'health', title: TITLE, log: deps.log, handlers: controller.handlers });
    HealthPanel.current = this;
    const changed = deps.source.onDidChange(() => {
      void controller.data().then(
        (data) => this.host.post({ type: 'report', data, reason: 'the health reports changed' }),
        (e: unknown) => deps.log(`webview health: could not refresh the reports: ${e instanceof Error ? e.message : String(e)}`));
    });
    this.disposables.push(changed, this.host, panel.onDidDispose(() => this.dispose()));
  }

  get panel(): vscode.WebviewPanel {
    return this.host.panel;
  }

  dispose(): void {
    if (HealthPanel.current === this) HealthPanel.current = undefined;
    for (const d of this.disposables.splice(0)) d.dispose();
  }
}
