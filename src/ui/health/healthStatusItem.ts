// A status bar item that is there only while some guest or PBS job has a backup problem ("⚠ 3 backup problems"; what
// counts is in backupProblems.ts); a click opens the Backup Health view. The sync item beside it keeps its own job
// (the running or last sync).
import * as vscode from 'vscode';
import { problemCount } from '../../core/health/labels';
import { tallyProblems, tallyText } from './backupProblems';
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

  /** Whether the item is showing (the status bar item itself cannot say). */
  shown = false;

  render(): void {
    const tally = tallyProblems(this.health.all().map((h) => h.report));
    this.shown = tally.total > 0;
    if (!this.shown) {
      this.item.hide();
      return;
    }
    this.item.text = `$(warning) ${problemCount(tally.total)}`;
    this.item.tooltip = `Backup health: ${tallyText(tally)}.\nClick to open Backup Health.`;
    this.item.backgroundColor = new vscode.ThemeColor('statusBarItem.warningBackground');
    this.item.show();
  }

  dispose(): void {
    this.sub.dispose();
    this.item.dispose();
  }
}
