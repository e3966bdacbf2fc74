// The routine detail panel: one per (endpoint, routine), reused when opened again. A WebviewPanel around the
// routine's controller; it pushes the new state when the routine's inventory changes.
import * as vscode from 'vscode';
import type { RoutineTarget } from '../../webview/routine/persist';
import type { RoutinePush, RoutineRequests } from '../../webview/routine/protocol';
import { restoredRoutineController, routineTitle, RoutineController, type RoutineActions } from './routineController';
import type { WebviewServices } from './services';
import { WebviewHost } from './webviewHost';

export const ROUTINE_VIEW_TYPE = 'proxbox.routine';

export class RoutinePanel {
  private static readonly open = new Map<string, RoutinePanel>();
  /** What tests read: the last snapshot the view posted, its render counts, the render event. */
  readonly host: WebviewHost<RoutinePush, RoutineRequests>;
  private readonly disposables: vscode.Disposable[] = [];
  private controller!: RoutineController;

  static get panels(): readonly RoutinePanel[] {
    return [...RoutinePanel.open.values()];
  }

  static find(endpointId: string, routineId: string): RoutinePanel | undefined {
    return RoutinePanel.open.get(key({ endpointId, routineId }));
  }

  static show(extensionUri: vscode.Uri, services: WebviewServices, actions: RoutineActions, target: RoutineTarget): RoutinePanel {
    const existing = RoutinePanel.open.get(key(target));
    if (existing) {
      existing.host.panel.reveal();
      void existing.refresh();
      return existing;
    }
    const panel = vscode.window.createWebviewPanel(ROUTINE_VIEW_TYPE, routineTitle(null, target), vscode.ViewColumn.Active, {
      enableScripts: true,
      localResourceRoots: [vscode.Uri.joinPath(extensionUri, 'media')],
    });
    return new RoutinePanel(panel, extensionUri, services, (onRetarget) => new RoutineController(services, target, actions, null, onRetarget));
  }

  /** Called by the serializer after a window reload, with what the view saved through setState. A state that does
   * not say which routine it showed gives a panel that offers to choose one, not a blank or closed one. */
  static restore(panel: vscode.WebviewPanel, extensionUri: vscode.Uri, services: WebviewServices, actions: RoutineActions, saved: unknown): RoutinePanel {
    return new RoutinePanel(panel, extensionUri, services, (onRetarget) => restoredRoutineController(services, saved, actions, onRetarget));
  }

  private constructor(
    panel: vscode.WebviewPanel,
    extensionUri: vscode.Uri,
    services: WebviewServices,
    makeController: (onRetarget: (target: RoutineTarget) => void) => RoutineController,
  ) {
    this.controller = makeController((target) => this.retarget(target));
    const target = this.controller.target;
    this.host = new WebviewHost<RoutinePush, RoutineRequests>(panel, extensionUri, {
      view: 'routine', title: routineTitle(null, target), log: services.log,
      handlers: {
        ...this.controller.handlers,
        load: async () => {
          const state = await this.controller.load();
          this.host.panel.title = routineTitle(state, this.controller.target);
          return state;
        },
      },
    });
    panel.title = routineTitle(null, target);
    if (target) this.register(target);
    const changed = services.onDidChangeInventory((id) => {
      if (this.controller.showsEndpoint(id)) void this.refresh();
    });
    if (changed) this.disposables.push(changed);
    // The zone times are shown in is the host's to read: reload when it changes.
    this.disposables.push(vscode.workspace.onDidChangeConfiguration((e) => {
      if (e.affectsConfiguration('proxbox.times.zone')) void this.refresh();
    }));
    this.disposables.push(this.host, panel.onDidDispose(() => this.dispose()));
  }

  get panel(): vscode.WebviewPanel {
    return this.host.panel;
  }

  get endpointId(): string | undefined {
    return this.controller.target?.endpointId;
  }

  get routineId(): string | undefined {
    return this.controller.target?.routineId;
  }

  /** Loads the routine again and pushes it to the view. */
  async refresh(): Promise<void> {
    const state = await this.controller.load();
    this.host.panel.title = routineTitle(state, this.controller.target);
    this.host.post({ type: 'state', state });
  }

  /** A panel that did not know its routine was given one: show it here, unless another panel already does. */
  private retarget(target: RoutineTarget): void {
    const other = RoutinePanel.open.get(key(target));
    if (other && other !== this) {
      other.host.panel.reveal();
      this.host.panel.dispose();
      return;
    }
    this.register(target);
    void this.refresh();
  }

  private register(target: RoutineTarget): void {
    for (const [k, p] of RoutinePanel.open) if (p === this) RoutinePanel.open.delete(k);
    RoutinePanel.open.set(key(target), this);
  }

  dispose(): void {
    for (const [k, p] of RoutinePanel.open) if (p === this) RoutinePanel.open.delete(k);
    for (const d of this.disposables.splice(0)) d.dispose();
  }
}

function key(t: RoutineTarget): string {
  return `${t.endpointId}/${t.routineId}`;
}
