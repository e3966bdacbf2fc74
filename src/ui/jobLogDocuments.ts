// A job's log as a read-only document, readable while the job runs. Its tab is named after the run as people know
// it ("Full sync of Lab cluster, 2026-11-30 02:30.log", issue 11, item 8); the job id rides in the URI's query.
import * as vscode from 'vscode';

export const JOB_LOG_SCHEME = 'proxbox-log';

export interface JobLog { title: string; lines: string[] }

export class JobLogDocuments implements vscode.TextDocumentContentProvider, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<vscode.Uri>();
  readonly onDidChange = this.changed.event;
  /** The URIs handed out per job, so an update reaches the document open under its name. */
  private readonly opened = new Map<string, vscode.Uri>();

  /**
   * @param read the log of a job; undefined when it left the history.
   * @param nameOf the document's name for a job (without ".log"); undefined when the job is unknown.
   */
  constructor(private readonly read: (jobId: string) => Promise<JobLog | undefined>, private readonly nameOf: (jobId: string) => string | undefined) {}

  /** `name` is shown as the tab's title; a '/' would start a folder, so it is replaced. */
  static uri(jobId: string, name = jobId): vscode.Uri {
    return vscode.Uri.from({ scheme: JOB_LOG_SCHEME, path: `/${name.replace(/[/\\]/g, '-')}.log`, query: jobId });
  }

  /** The job a log document shows (the query; the path for documents opened before the query held it). */
  static jobIdOf(uri: vscode.Uri): string {
    return uri.query || uri.path.replace(/^\//, '').replace(/\.log$/, '');
  }

  async provideTextDocumentContent(uri: vscode.Uri): Promise<string> {
    const jobId = JobLogDocuments.jobIdOf(uri);
    const log = await this.read(jobId);
    if (!log) return `No log for job ${jobId}: it was removed from the history (see the proxbox.jobs.history* settings).\n`;
    return [`# ${log.title}`, '', ...log.lines, ''].join('\n');
  }

  /** Tells open editors of this job's log to re-read it. */
  update(jobId: string): void {
    this.changed.fire(this.opened.get(jobId) ?? JobLogDocuments.uri(jobId));
  }

  async open(jobId: string): Promise<void> {
    // The name is fixed when first opened, so a running job's document keeps one tab as its status changes.
    const uri = this.opened.get(jobId) ?? JobLogDocuments.uri(jobId, this.nameOf(jobId));
    this.opened.set(jobId, uri);
    const doc = await vscode.workspace.openTextDocument(uri);
    await vscode.window.showTextDocument(doc, { preview: true });
  }

  dispose(): void {
    this.changed.dispose();
  }
}
