// A status bar item that is there only while some guest has a backup problem ("⚠ 3 backup problems"); a click opens
// the Backup Health view. The sync item beside it keeps its own job (the running or last sync).
import * as vscode from 'vscode';
import { HEALTH_STATUS_ORDER, isHealthy } from '../../core/health/types';
import { problemCount, STATUS_LABELS } from '../../core/health/labels';
import type { HealthService } from './healthService';

export class HealthStatusItem implements vscode.Disposable {
  readonly item: vscode.StatusBarItem;
  private readonly sub: vscode.Disposable;

  constructor(private readonly health: HealthService) {
    this.item = vscode.window.createStatusBarItem('proxbox.health', vscode.StatusBarAlignment.Left, 9);
    this.item.name = 'Proxbox Backup Health';
    this.item.command = 'proxbox.health.open';
    this.sub = health.onDidChangeReport(() => this.render());
    this.render();
  }

  render(): void {
    const n = this.health.problemCount();
    if (n === 0) {
      this.item.hide();
      return;
    }
    const counts = new Map<string, number>();
    for (const h of this.health.all()) {
      for (const g of h.report.guests) if (!isHealthy(g.status)) counts.set(g.status, (counts.get(g.status) ?? 0) + 1);
    }
    const lines = HEALTH_STATUS_ORDER.filter((s) => counts.has(s)).map((s) => `${STATUS_LABELS[s]}: ${counts.get(s)}`);
    this.item.text = `$(warning) ${problemCount(n)}`;
    this.item.tooltip = `Backup health: ${lines.join(', ')}.\nClick to open Backup Health.`;
    this.item.backgroundColor = new vscode.ThemeColor('statusBarItem.warningBackground');
    this.item.show();
  }

  dispose(): void {
    this.sub.dispose();
    this.item.dispose();
  }
}
