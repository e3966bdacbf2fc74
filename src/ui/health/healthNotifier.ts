// One notification after a sync that found guests newly failed (or, with `all`, overdue or never backed up), naming
// them, with a button to the Backup Health view. What was notified is remembered across reloads (global state), so a
// guest that stays failed is not announced again after every sync; one that recovers and fails again is.
import * as vscode from 'vscode';
import { newProblems, problemKeys } from '../../core/health/changes';
import { STATUS_LABELS } from '../../core/health/labels';
import type { HealthSettings } from '../settings';
import type { HealthChange, HealthService } from './healthService';

const STATE_KEY = 'proxbox.health.notified';
const NAMED = 5;

export class HealthNotifier implements vscode.Disposable {
  private readonly sub: vscode.Disposable;
  /** The messages shown in this window, newest last (the test API reads them; a few are enough). */
  readonly shown: string[] = [];

  constructor(
    private readonly health: HealthService,
    private readonly memento: vscode.Memento,
    private readonly settings: () => HealthSettings,
    private readonly show: (message: string, ...actions: string[]) => Thenable<string | undefined> =
      (m, ...a) => vscode.window.showWarningMessage(m, ...a),
  ) {
    this.sub = health.onDidChangeReport((c) => void this.onChange(c));
  }

  private async onChange(c: HealthChange): Promise<void> {
    const seenAll = this.memento.get<Record<string, string[]>>(STATE_KEY, {});
    if (!c.after) {
      // A removed endpoint forgets what was announced about it.
      if (seenAll[c.endpointId]) {
        delete seenAll[c.endpointId];
        await this.memento.update(STATE_KEY, seenAll);
      }
      return;
    }
    if (!c.afterSync) return;
    const fresh = newProblems(c.after, new Set(seenAll[c.endpointId] ?? []), this.settings().notify);
    seenAll[c.endpointId] = problemKeys(c.after);
    await this.memento.update(STATE_KEY, seenAll);
    if (!fresh.length) return;
    const names = fresh.slice(0, NAMED).map((g) => `${g.name || `guest ${g.vmid}`} (${g.vmid}) ${STATUS_LABELS[g.status].toLowerCase()}`);
    const more = fresh.length > NAMED ? ` and ${fresh.length - NAMED} more` : '';
    const action = 'Open Backup Health';
    const where = this.health.get(c.endpointId)?.endpointName ?? c.endpointId;
    const message = `Backup problems on ${where} after the sync: ${names.join(', ')}${more}.`;
    this.shown.push(message);
    if (this.shown.length > 20) this.shown.shift();
    const pick = await this.show(message, action);
    if (pick === action) await vscode.commands.executeCommand('proxbox.health.open');
  }

  dispose(): void {
    this.sub.dispose();
  }
}
