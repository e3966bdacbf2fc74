// The status bar item: the running sync's stage and progress with a spinner, otherwise the last result and the next
// scheduled run, all read from the jobs service (and this window's run progress). Clicking it shows the job's log.
import * as vscode from 'vscode';
import type { JobService } from '../core/jobs/jobService';
import { isFinishedSync } from '../core/jobs/types';
import type { EndpointStore } from './endpoints/endpointStore';
import { jobSubject } from './format/jobView';
import { presentStatus } from './format/statusText';
import { describeSchedule } from '../core/jobs/recurrence';
import type { SyncRuns } from './sync/syncRuns';
import { Throttle } from './throttle';

export class ProxboxStatusBar implements vscode.Disposable {
  readonly item: vscode.StatusBarItem;
  private readonly throttle = new Throttle(250, () => this.render());
  private readonly subs: vscode.Disposable[] = [];

  constructor(private readonly jobs: JobService, private readonly runs: SyncRuns, private readonly endpoints: EndpointStore) {
    this.item = vscode.window.createStatusBarItem('proxbox.status', vscode.StatusBarAlignment.Left, 10);
    this.item.name = 'Proxbox';
    this.item.command = 'proxbox.job.showCurrent';
    this.subs.push(runs.onDidChange((c) => (c.kind === 'progress' ? this.throttle.schedule('progress') : this.throttle.flush(c.kind))));
    const sub = jobs.onDidChange((c) => { if (c.kind !== 'log') this.throttle.flush('jobs'); });
    this.subs.push({ dispose: () => sub.dispose() });
    // An endpoint removed (or added back) changes which jobs the status speaks of.
    this.subs.push(endpoints.onDidChange(() => this.throttle.flush('endpoints')));
    this.render();
    this.item.show();
  }

  render(): void {
    // Only jobs of endpoints that exist: a removed endpoint's last run must not keep the status red (issue 11, item 2).
    const all = this.jobs.list().filter((j) => j.endpoints.some((id) => this.endpoints.get(id)));
    const name = (id: string) => this.endpoints.get(id)?.name ?? id;
    const running = all.filter((j) => j.status === 'running');
    // The last sync that really ran: a cancelled or never-run job says nothing about the cluster.
    const last = all.find(isFinishedSync);
    const next = all.filter((j) => j.status === 'scheduled').sort((a, b) => a.scheduledAt - b.scheduledAt)[0];
    const first = running[0];
    const p = presentStatus({
      running: first ? { endpointName: first.endpoints.map(name).join(', '), progress: this.runs.ofJob(first.id).find((r) => !r.progress.done)?.progress, more: running.length - 1 } : undefined,
      last: last?.completedAt ? { endpointName: last.endpoints.map(name).join(', '), ok: last.status === 'completed', finishedAtMs: last.completedAt, message: last.error } : undefined,
      nextRun: next ? { atSeconds: next.scheduledAt / 1000, label: `${jobSubject(next, (id) => this.endpoints.get(id)?.name)}, ${describeSchedule(next.schedule)}` } : undefined,
      nowMs: Date.now(),
    });
    this.item.text = p.text;
    this.item.tooltip = p.tooltip;
    this.item.backgroundColor = p.kind === 'failed' ? new vscode.ThemeColor('statusBarItem.errorBackground') : undefined;
  }

  dispose(): void {
    this.throttle.dispose();
    for (const s of this.subs) s.dispose();
    this.item.dispose();
  }
}
