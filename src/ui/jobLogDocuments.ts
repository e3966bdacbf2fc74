// A job's log as a read-only document (proxbox-log:/<job>.log), readable while the job runs.
import * as vscode from 'vscode';

export const JOB_LOG_SCHEME = 'proxbox-log';

export class JobLogDocuments implements vscode.TextDocumentContentProvider, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<vscode.Uri>();
  readonly onDidChange = this.changed.event;

  constructor(private readonly read: (jobId: string) => Promise<{ title: string; lines: string[] } | undefined>) {}

  static uri(jobId: string): vscode.Uri {
    return vscode.Uri.from({ scheme: JOB_LOG_SCHEME, path: `/${jobId}.log` });
  }

  async provideTextDocumentContent(uri: vscode.Uri): Promise<string> {
    const jobId = uri.path.replace(/^\//, '').replace(/\.log$/, '');
    const log = await this.read(jobId);
    if (!log) return `No log for job ${jobId}: it was removed from the history (see the proxbox.jobs.history* settings).\n`;
    return [`# ${log.title}`, '', ...log.lines, ''].join('\n');
  }

  /** Tells open editors of this job's log to re-read it. */
  update(jobId: string): void {
    this.changed.fire(JobLogDocuments.uri(jobId));
  }

  async open(jobId: string): Promise<void> {
    const doc = await vscode.workspace.openTextDocument(JobLogDocuments.uri(jobId));
    await vscode.window.showTextDocument(doc, { preview: true });
  }

  dispose(): void {
    this.changed.dispose();
  }
}
