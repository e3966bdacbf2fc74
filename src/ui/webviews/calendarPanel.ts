// The backup calendar panel (one per window): a WebviewPanel around the calendar's controller. The view asks for the
// context and the runs of the range it shows; this panel pushes a new context when an inventory changes and the
// endpoint filter when the calendar is opened for one endpoint.
import * as vscode from 'vscode';
import type { CalendarPush, CalendarRequests } from '../../webview/calendar/protocol';
import { CalendarController, noteRestoredCalendar, type CalendarActions } from './calendarController';
import { timesZone } from '../settings';
import type { WebviewServices } from './services';
import { WebviewHost } from './webviewHost';

export const CALENDAR_VIEW_TYPE = 'proxbox.calendar';
const TITLE = 'Backup Calendar';

export class CalendarPanel {
  private static current: CalendarPanel | undefined;
  /** What tests read: the last snapshot the view posted, its render counts, the render event. */
  readonly host: WebviewHost<CalendarPush, CalendarRequests>;
  private readonly disposables: vscode.Disposable[] = [];

  static get instance(): CalendarPanel | undefined {
    return CalendarPanel.current;
  }

  static show(extensionUri: vscode.Uri, services: WebviewServices, actions: CalendarActions, endpointId?: string): CalendarPanel {
    let calendar = CalendarPanel.current;
    if (calendar) {
      calendar.host.panel.reveal();
    } else {
      const panel = vscode.window.createWebviewPanel(CALENDAR_VIEW_TYPE, TITLE, vscode.ViewColumn.Active, {
        enableScripts: true,
        localResourceRoots: [vscode.Uri.joinPath(extensionUri, 'media')],
      });
      calendar = new CalendarPanel(panel, extensionUri, services, actions);
    }
    if (endpointId !== undefined) calendar.host.post({ type: 'filter', endpointId });
    return calendar;
  }

  /** Called by the serializer after a window reload. The view restores its own navigation from the same saved state. */
  static restore(panel: vscode.WebviewPanel, extensionUri: vscode.Uri, services: WebviewServices, actions: CalendarActions, saved: unknown): CalendarPanel {
    noteRestoredCalendar(services, saved);
    CalendarPanel.current?.panel.dispose();
    return new CalendarPanel(panel, extensionUri, services, actions);
  }

  private constructor(panel: vscode.WebviewPanel, extensionUri: vscode.Uri, services: WebviewServices, actions: CalendarActions) {
    const controller = new CalendarController(services, actions, timesZone);
    this.host = new WebviewHost(panel, extensionUri, { view: 'calendar', title: TITLE, log: services.log, handlers: controller.handlers });
    CalendarPanel.current = this;
    const changed = services.onDidChangeInventory((id) => {
      void controller.context().then(
        (context) => this.host.post({ type: 'inventoryChanged', context, reason: `the inventory of ${id} changed` }),
        (e: unknown) => services.log(`webview calendar: could not refresh after a change of ${id}: ${e instanceof Error ? e.message : String(e)}`));
    });
    if (changed) this.disposables.push(changed);
    // proxbox.times.zone decides the zone the calendar shows in: a change re-sends the context, as a sync does.
    this.disposables.push(vscode.workspace.onDidChangeConfiguration((e) => {
      // proxbox.calendar.*: custom entries and the overlap window change the runs, as a sync does.
      const setting = ['proxbox.times.zone', 'proxbox.calendar'].find((s) => e.affectsConfiguration(s));
      if (!setting) return;
      void controller.context().then((context) => this.host.post({ type: 'inventoryChanged', context, reason: `the setting ${setting} changed` }));
    }));
    const sources = services.onDidChangeCalendarSources?.(() => {
      void controller.context().then((context) => this.host.post({ type: 'inventoryChanged', context, reason: 'the policy file\'s calendar entries changed' }));
    });
    if (sources) this.disposables.push(sources);
    this.disposables.push(this.host, panel.onDidDispose(() => this.dispose()));
  }

  get panel(): vscode.WebviewPanel {
    return this.host.panel;
  }

  dispose(): void {
    if (CalendarPanel.current === this) CalendarPanel.current = undefined;
    for (const d of this.disposables.splice(0)) d.dispose();
  }
}
