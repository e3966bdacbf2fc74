// What the Backup Health panel does, without vscode (healthPanel.ts adapts it to a WebviewPanel), so it is
// unit-tested: the reports the view shows (from a HealthSource the composition root provides), opening a job and
// starting a sync. The health rules live in src/core/health; this file only forwards their report.
import type { HealthReport } from '../../core/health/types';
import { healthCsv } from '../../core/export/csv';
import type { HealthRequests, HealthViewData } from '../../webview/health/protocol';
import type { Handlers } from '../../webview/shared/rpc';
import type { Disposable } from './services';

/** One endpoint's evaluated health, as the composition root computes it (evaluateHealth over the stored inventory). */
export interface EndpointHealthReport {
  endpointId: string;
  endpointName: string;
  report: HealthReport;
  /** Job id → display name: the job's comment, or its id when it has none. */
  routineNames: Record<string, string>;
}

export interface HealthSource {
  /** The latest report of every synced endpoint, in display order; empty when none has been synced. */
  reports(): EndpointHealthReport[] | Promise<EndpointHealthReport[]>;
  /** Fires when any report changed (a sync ended, the policy changed, an endpoint was added or removed).
   * A vscode.Event<void> fits this signature. */
  onDidChange(listener: () => void): Disposable;
}

export interface HealthActions {
  openRoutine(endpointId: string, routineId: string): Promise<unknown>;
  syncAll(): Promise<unknown>;
  /** Asks where to save and writes the file; resolves to where, or null when the user cancelled. */
  saveExport?(fileName: string, content: string, filters: Record<string, string[]>): Promise<string | null>;
}

export class HealthController {
  readonly handlers: Handlers<HealthRequests>;

  constructor(private readonly source: HealthSource, actions: HealthActions, private readonly now: () => number) {
    this.handlers = {
      load: () => this.data(),
      openRoutine: async ({ endpointId, routineId }) => {
        await actions.openRoutine(endpointId, routineId);
        return null;
      },
      syncAll: async () => {
        // Not awaited to the end: a sync takes minutes and has its own progress; the view hears of it by a push.
        void actions.syncAll();
        return null;
      },
      exportCsv: async ({ endpointId }) => {
        if (!actions.saveExport) throw new Error('saving files is not available here.');
        const reports = (await this.source.reports()).filter((r) => endpointId === null || r.endpointId === endpointId);
        const csv = healthCsv(reports.flatMap((r) => r.report.guests));
        return { saved: await actions.saveExport(`proxbox-health-${endpointId ?? 'all'}.csv`, csv, { CSV: ['csv'] }) };
      },
    };
  }

  async data(): Promise<HealthViewData> {
    const reports = await this.source.reports();
    return {
      endpoints: reports.map((r) => ({ endpointId: r.endpointId, endpointName: r.endpointName, report: r.report, routineNames: { ...r.routineNames } })),
      now: this.now(),
    };
  }
}
