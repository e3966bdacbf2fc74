// Registers the two webviews: their commands, and the serializers that bring the panels back after a window reload.
// src/extension.ts calls registerWebviews(context, services) once and may expose the returned test API.
import * as vscode from 'vscode';
import { CALENDAR_VIEW_TYPE, CalendarPanel } from './calendarPanel';
import { ROUTINE_VIEW_TYPE, RoutinePanel } from './routinePanel';
import { endpointTarget, routineTarget, type RoutineTarget } from './commandArgs';
import type { WebviewServices } from './services';

export type { WebviewServices } from './services';
export type { InventoryInput, RoutineInput, GuestInput } from './viewInputs';

/** Read by the integration tests (through the extension's exports): what each panel last rendered, as text. */
export interface WebviewsTestApi {
  routineSnapshot(endpointId: string, routineId: string): string | undefined;
  calendarSnapshot(): string | undefined;
  /** Resolves with the first snapshot (current or coming) that satisfies `until`; rejects after timeoutMs. */
  waitForRoutineRender(endpointId: string, routineId: string, until?: (text: string) => boolean, timeoutMs?: number): Promise<string>;
  waitForCalendarRender(until?: (text: string) => boolean, timeoutMs?: number): Promise<string>;
}

async function pickRoutine(services: WebviewServices): Promise<RoutineTarget | undefined> {
  const items: (vscode.QuickPickItem & { target: RoutineTarget })[] = [];
  for (const endpoint of services.listEndpoints()) {
    const inventory = await services.loadInventory(endpoint.id);
    for (const r of inventory?.backupRoutines ?? []) {
      items.push({
        label: r.jobId,
        description: `${endpoint.name} · ${r.schedule}${r.enabled ? '' : ' · disabled'}${r.status === 'stale' ? ' · stale' : ''}`,
        detail: r.comment ?? undefined,
        target: { endpointId: endpoint.id, routineId: r.jobId },
      });
    }
  }
  if (items.length === 0) {
    void vscode.window.showInformationMessage('Proxbox: no backup jobs are known yet. Add an endpoint and sync it, then open a job.');
    return undefined;
  }
  return (await vscode.window.showQuickPick(items, { title: 'Open Backup Job', matchOnDescription: true, matchOnDetail: true }))?.target;
}

function waitFor(
  current: () => string | undefined,
  event: () => vscode.Event<string> | undefined,
  until: (text: string) => boolean,
  timeoutMs: number,
  what: string,
): Promise<string> {
  return new Promise((resolve, reject) => {
    const now = current();
    if (now !== undefined && until(now)) return resolve(now);
    let sub: vscode.Disposable | undefined;
    const timer = setTimeout(() => {
      clearInterval(poll);
      sub?.dispose();
      reject(new Error(`${what} did not render the expected content within ${timeoutMs} ms; last snapshot: ${JSON.stringify(current()?.slice(0, 500))}`));
    }, timeoutMs);
    // The panel may not exist yet when the wait starts: look for it until it does, then follow its renders.
    const attach = () => {
      if (sub) return;
      const e = event();
      if (!e) return;
      sub = e((text) => {
        if (!until(text)) return;
        clearTimeout(timer);
        clearInterval(poll);
        sub?.dispose();
        resolve(text);
      });
      const latest = current();
      if (latest !== undefined && until(latest)) {
        clearTimeout(timer);
        clearInterval(poll);
        sub.dispose();
        resolve(latest);
      }
    };
    const poll = setInterval(attach, 50);
    attach();
  });
}

export function registerWebviews(context: vscode.ExtensionContext, services: WebviewServices): WebviewsTestApi {
  const uri = context.extensionUri;
  const findRoutine = (e: string, r: string) => RoutinePanel.panels.find((p) => p.endpointId === e && p.routineId === r);
  context.subscriptions.push(
    vscode.commands.registerCommand('proxbox.routine.open', async (...args: unknown[]) => {
      const target = routineTarget(args) ?? await pickRoutine(services);
      if (target) RoutinePanel.show(uri, services, target.endpointId, target.routineId);
    }),
    vscode.commands.registerCommand('proxbox.calendar.open', (arg?: unknown) => {
      CalendarPanel.show(uri, services, endpointTarget(arg));
    }),
    vscode.window.registerWebviewPanelSerializer(ROUTINE_VIEW_TYPE, {
      deserializeWebviewPanel: async (panel, state) => {
        RoutinePanel.restore(panel, uri, services, state);
      },
    }),
    vscode.window.registerWebviewPanelSerializer(CALENDAR_VIEW_TYPE, {
      deserializeWebviewPanel: async (panel) => {
        CalendarPanel.restore(panel, uri, services);
      },
    }),
    { dispose: () => { for (const p of RoutinePanel.panels) p.panel.dispose(); CalendarPanel.instance?.panel.dispose(); } },
  );
  return {
    routineSnapshot: (e, r) => findRoutine(e, r)?.snapshot,
    calendarSnapshot: () => CalendarPanel.instance?.snapshot,
    waitForRoutineRender: (e, r, until = () => true, timeoutMs = 10_000) => waitFor(
      () => findRoutine(e, r)?.snapshot, () => findRoutine(e, r)?.onDidRender, until, timeoutMs, `The routine panel ${e}/${r}`),
    waitForCalendarRender: (until = () => true, timeoutMs = 10_000) => waitFor(
      () => CalendarPanel.instance?.snapshot, () => CalendarPanel.instance?.onDidRender, until, timeoutMs, 'The calendar panel'),
  };
}
