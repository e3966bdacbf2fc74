// A webview panel with our HTML shell and its message channel (channel.ts): this file is the vscode adapter, the
// channel holds the logic. The panel's page is discarded while it is hidden (no retainContextWhenHidden: a calendar
// of thousands of runs should not stay in memory); postMessage then reports the message undelivered, and the channel
// keeps it for the page that comes back.
import * as vscode from 'vscode';
import type { Handlers, RequestMap } from '../../webview/shared/rpc';
import { WebviewChannel } from './channel';
import { buildShell, makeNonce } from './html';

export interface HostOptions<R extends RequestMap<R>> {
  view: 'routine' | 'calendar' | 'health';
  title: string;
  handlers: Handlers<R>;
  onReady?: () => void;
  log?: (message: string) => void;
}

export class WebviewHost<Push, R extends RequestMap<R>> implements vscode.Disposable {
  private readonly channel: WebviewChannel<Push, R>;
  private readonly rendered = new vscode.EventEmitter<string>();
  readonly onDidRender = this.rendered.event;
  private readonly disposables: vscode.Disposable[] = [];

  constructor(readonly panel: vscode.WebviewPanel, extensionUri: vscode.Uri, options: HostOptions<R>) {
    const media = vscode.Uri.joinPath(extensionUri, 'media');
    panel.webview.options = { enableScripts: true, localResourceRoots: [media] };
    const asUri = (...p: string[]) => panel.webview.asWebviewUri(vscode.Uri.joinPath(media, ...p)).toString();
    const log = options.log ? (m: string) => options.log?.(`webview ${options.view}: ${m}`) : undefined;
    this.channel = new WebviewChannel<Push, R>({
      handlers: options.handlers,
      post: (m) => panel.webview.postMessage(m),
      onReady: options.onReady,
      onRendered: (text) => this.rendered.fire(text),
      log,
    });
    panel.webview.html = buildShell({
      cspSource: panel.webview.cspSource,
      nonce: makeNonce(),
      scriptUri: asUri('webview', `${options.view}.js`),
      styleUris: [asUri('webview', 'common.css'), asUri('webview', `${options.view}.css`)],
      title: options.title,
    });
    this.disposables.push(
      panel.webview.onDidReceiveMessage((m: unknown) => void this.channel.receive(m)),
      this.rendered,
    );
  }

  get lastSnapshot(): string | undefined {
    return this.channel.lastSnapshot;
  }

  get counts(): { renders: number; readies: number } {
    return this.channel.counts;
  }

  /** Posts now when the view listens, otherwise as soon as it does. */
  post(message: Push): void {
    this.channel.push(message);
  }

  dispose(): void {
    for (const d of this.disposables) d.dispose();
  }
}
