// The backup calendar panel (one per window). The view asks for the runs of the range it shows; the extension
// computes them from the stored inventories with the schedule engine.
import * as vscode from 'vscode';
import type { CalendarContext, CalendarRequests, CalendarToWebview } from '../../webview/calendar/protocol';
import { buildCalendar } from '../../core/calendar';
import { calendarRoutines } from './calendarInputs';
import { scheduleParser, type WebviewServices } from './services';
import { isoToEpoch, type InventoryInput } from './viewInputs';
import { WebviewHost } from './webviewHost';

export const CALENDAR_VIEW_TYPE = 'proxbox.calendar';
const TITLE = 'Backup Calendar';

export class CalendarPanel {
  private static current: CalendarPanel | undefined;
  private readonly host: WebviewHost<CalendarToWebview, CalendarRequests>;
  private readonly disposables: vscode.Disposable[] = [];

  static get instance(): CalendarPanel | undefined {
    return CalendarPanel.current;
  }

  static show(extensionUri: vscode.Uri, services: WebviewServices, endpointId?: string): CalendarPanel {
    let calendar = CalendarPanel.current;
    if (calendar) {
      calendar.host.panel.reveal();
    } else {
      const panel = vscode.window.createWebviewPanel(CALENDAR_VIEW_TYPE, TITLE, vscode.ViewColumn.Active, {
        enableScripts: true,
        localResourceRoots: [vscode.Uri.joinPath(extensionUri, 'media')],
      });
      calendar = new CalendarPanel(panel, extensionUri, services);
    }
    if (endpointId !== undefined) calendar.host.post({ type: 'filter', endpointId });
    return calendar;
  }

  static restore(panel: vscode.WebviewPanel, extensionUri: vscode.Uri, services: WebviewServices): CalendarPanel {
    CalendarPanel.current?.panel.dispose();
    return new CalendarPanel(panel, extensionUri, services);
  }

  private constructor(panel: vscode.WebviewPanel, extensionUri: vscode.Uri, private readonly services: WebviewServices) {
    this.host = new WebviewHost(panel, extensionUri, {
      view: 'calendar',
      title: TITLE,
      log: services.log,
      onReady: () => void this.postContext(),
      handlers: {
        occurrences: async ({ from, to, timeZone, endpointId }) => {
          const inventories = await this.inventories(endpointId);
          return buildCalendar(calendarRoutines(inventories, endpointId), {
            from, to, timeZone, parse: scheduleParser(services),
          });
        },
        openRoutine: async ({ endpointId, routineId }) => {
          await vscode.commands.executeCommand('proxbox.routine.open', endpointId, routineId);
          return null;
        },
      },
    });
    CalendarPanel.current = this;
    const changed = services.onDidChangeInventory?.((id) => {
      void this.postContext().then(() => this.host.post({ type: 'invalidate', reason: `the inventory of ${id} changed` }));
    });
    if (changed) this.disposables.push(changed);
    this.disposables.push(this.host, panel.onDidDispose(() => this.dispose()));
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

  private async postContext(): Promise<void> {
    const endpoints = await Promise.all(this.services.listEndpoints().map(async (e) => {
      const inventory = await this.services.loadInventory(e.id).catch(() => undefined);
      return { id: e.id, name: e.name, syncedAt: isoToEpoch(inventory?.syncedAt) };
    }));
    const context: CalendarContext = { endpoints, now: this.services.now?.() ?? Math.floor(Date.now() / 1000) };
    this.host.post({ type: 'context', context });
  }

  private async inventories(endpointId: string | null): Promise<InventoryInput[]> {
    const endpoints = this.services.listEndpoints().filter((e) => endpointId === null || e.id === endpointId);
    if (endpointId !== null && endpoints.length === 0) {
      throw new Error(`The endpoint '${endpointId}' is no longer configured; choose "All endpoints" in the filter.`);
    }
    const loaded = await Promise.all(endpoints.map((e) => this.services.loadInventory(e.id)));
    return loaded.filter((i): i is InventoryInput => i !== undefined);
  }

  dispose(): void {
    if (CalendarPanel.current === this) CalendarPanel.current = undefined;
    for (const d of this.disposables.splice(0)) d.dispose();
  }
}
