// The status bar item: the running sync's stage and progress with a spinner, otherwise the last result and the next
// scheduled run. Clicking it shows the current (or last) job and its log.
import * as vscode from 'vscode';
import { presentStatus, type StatusInput } from './format/statusText';
import type { SyncController } from './syncController';
import { Debouncer } from './throttle';

export class ProxboxStatusBar implements vscode.Disposable {
  readonly item: vscode.StatusBarItem;
  private readonly debouncer = new Debouncer(250, () => this.render());
  private readonly subs: vscode.Disposable[] = [];

  constructor(private readonly syncs: SyncController, private readonly nextRun: () => StatusInput['nextRun']) {
    this.item = vscode.window.createStatusBarItem('proxbox.status', vscode.StatusBarAlignment.Left, 10);
    this.item.name = 'Proxbox';
    this.item.command = 'proxbox.job.showCurrent';
    this.subs.push(syncs.onDidChange((c) => (c.kind === 'progress' ? this.debouncer.schedule('progress') : this.debouncer.flush(c.kind))));
    this.render();
    this.item.show();
  }

  render(): void {
    const running = this.syncs.running();
    const last = this.syncs.recent()[0];
    const p = presentStatus({
      running: running[0] ? { endpointName: running[0].endpointName, progress: running[0].progress, more: running.length - 1 } : undefined,
      last: last?.finishedAt ? { endpointName: last.endpointName, ok: !!last.ok, finishedAtMs: last.finishedAt, message: last.message } : undefined,
      nextRun: this.nextRun(),
      nowMs: Date.now(),
    });
    this.item.text = p.text;
    this.item.tooltip = p.tooltip;
    this.item.backgroundColor = p.kind === 'failed' ? new vscode.ThemeColor('statusBarItem.errorBackground') : undefined;
  }

  dispose(): void {
    this.debouncer.dispose();
    for (const s of this.subs) s.dispose();
    this.item.dispose();
  }
}
