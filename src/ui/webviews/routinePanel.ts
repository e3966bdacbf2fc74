// The routine detail panel: one per (endpoint, routine), reused when opened again.
import * as vscode from 'vscode';
import type {
  RoutinePersistedState, RoutineRequests, RoutineToWebview, RoutineViewState,
} from '../../webview/routine/protocol';
import { syncOutcome } from './commandArgs';
import { buildRoutineDetail } from './routineDetail';
import { scheduleParser, type WebviewServices } from './services';
import { WebviewHost } from './webviewHost';

export const ROUTINE_VIEW_TYPE = 'proxbox.routine';

export class RoutinePanel {
  private static readonly open = new Map<string, RoutinePanel>();
  private readonly host: WebviewHost<RoutineToWebview, RoutineRequests>;
  private state: RoutineViewState;
  private readonly disposables: vscode.Disposable[] = [];

  static get panels(): readonly RoutinePanel[] {
    return [...RoutinePanel.open.values()];
  }

  static show(extensionUri: vscode.Uri, services: WebviewServices, endpointId: string, routineId: string): RoutinePanel {
    const existing = RoutinePanel.open.get(key(endpointId, routineId));
    if (existing) {
      existing.host.panel.reveal();
      void existing.refresh();
      return existing;
    }
    const panel = vscode.window.createWebviewPanel(ROUTINE_VIEW_TYPE, title(routineId), vscode.ViewColumn.Active, {
      enableScripts: true,
      localResourceRoots: [vscode.Uri.joinPath(extensionUri, 'media')],
    });
    return new RoutinePanel(panel, extensionUri, services, endpointId, routineId);
  }

  /** Called by the serializer after a window reload, with what the view stored through setState. */
  static restore(panel: vscode.WebviewPanel, extensionUri: vscode.Uri, services: WebviewServices, saved: unknown): RoutinePanel | undefined {
    const s = saved as Partial<RoutinePersistedState> | undefined;
    if (!s || typeof s.endpointId !== 'string' || typeof s.routineId !== 'string') {
      panel.dispose();
      return undefined;
    }
    return new RoutinePanel(panel, extensionUri, services, s.endpointId, s.routineId);
  }

  private constructor(
    panel: vscode.WebviewPanel,
    extensionUri: vscode.Uri,
    private readonly services: WebviewServices,
    readonly endpointId: string,
    readonly routineId: string,
  ) {
    this.state = { status: 'loading', endpointId, routineId, error: null, detail: null };
    this.host = new WebviewHost(panel, extensionUri, {
      view: 'routine',
      title: title(routineId),
      log: services.log,
      onReady: () => this.host.post({ type: 'state', state: this.state }),
      handlers: {
        syncNow: async ({ endpointId: id }) => syncOutcome(await vscode.commands.executeCommand('proxbox.sync.endpoint', id)),
        openCalendar: async ({ endpointId: id }) => {
          await vscode.commands.executeCommand('proxbox.calendar.open', id);
          return null;
        },
      },
    });
    RoutinePanel.open.set(key(endpointId, routineId), this);
    const changed = services.onDidChangeInventory?.((id) => {
      if (id === this.endpointId) void this.refresh();
    });
    if (changed) this.disposables.push(changed);
    this.disposables.push(this.host, panel.onDidDispose(() => this.dispose()));
    void this.refresh();
  }

  get panel(): vscode.WebviewPanel {
    return this.host.panel;
  }

  get snapshot(): string | undefined {
    return this.host.lastSnapshot;
  }

  get onDidRender(): vscode.Event<string> {
    return this.host.onDidRender;
  }

  async refresh(): Promise<void> {
    this.state = await this.load();
    if (this.state.detail) this.host.panel.title = title(this.routineId, this.state.detail.status, this.state.detail.enabled);
    this.host.post({ type: 'state', state: this.state });
  }

  private async load(): Promise<RoutineViewState> {
    const base = { endpointId: this.endpointId, routineId: this.routineId };
    try {
      const endpoint = this.services.listEndpoints().find((e) => e.id === this.endpointId);
      if (!endpoint) {
        return { ...base, status: 'error', detail: null, error: `The endpoint '${this.endpointId}' is no longer configured. Add it again (Proxbox: Add Endpoint) or close this panel.` };
      }
      const inventory = await this.services.loadInventory(this.endpointId);
      if (!inventory) {
        return { ...base, status: 'error', detail: null, error: `${endpoint.name} has not been synced yet. Use "Sync now" to read its backup jobs.` };
      }
      const routine = inventory.backupRoutines.find((r) => r.jobId === this.routineId);
      if (!routine) {
        return { ...base, status: 'error', detail: null, error: `The backup job '${this.routineId}' is not in the inventory of ${endpoint.name}. It may have been deleted in Proxmox; sync the endpoint to update the list.` };
      }
      const now = this.services.now?.() ?? Math.floor(Date.now() / 1000);
      const detail = buildRoutineDetail(inventory, routine, scheduleParser(this.services), now);
      return { ...base, status: 'ready', error: null, detail };
    } catch (e) {
      return { ...base, status: 'error', detail: null, error: `Could not read the inventory: ${e instanceof Error ? e.message : String(e)}. Sync the endpoint again; if this persists, see the Proxbox log.` };
    }
  }

  dispose(): void {
    if (RoutinePanel.open.get(key(this.endpointId, this.routineId)) === this) RoutinePanel.open.delete(key(this.endpointId, this.routineId));
    for (const d of this.disposables.splice(0)) d.dispose();
  }
}

function key(endpointId: string, routineId: string): string {
  return `${endpointId}/${routineId}`;
}

function title(routineId: string, status?: 'active' | 'stale', enabled?: boolean): string {
  const flag = status === 'stale' ? ' (stale)' : enabled === false ? ' (disabled)' : '';
  return `Backup job ${routineId}${flag}`;
}
