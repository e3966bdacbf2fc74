// The extension side of one webview panel: the HTML shell, the ready handshake (nothing is posted before the view
// says it listens; a view that reloads says so again and gets the state again), request/reply by sequence number,
// and the view's last text snapshot (read by the integration tests).
import * as vscode from 'vscode';
import { buildShell, makeNonce } from './html';

/** A map of method name to its params and result (each view's protocol.ts defines one). */
export type RequestMap<R> = { [M in keyof R]: { params: unknown; result: unknown } };
export type Handlers<R extends RequestMap<R>> = { [M in keyof R]: (params: R[M]['params']) => Promise<R[M]['result']> };

interface IncomingMessage {
  type?: unknown;
  seq?: unknown;
  method?: unknown;
  params?: unknown;
  text?: unknown;
}

export interface HostOptions<R extends RequestMap<R>> {
  view: 'routine' | 'calendar';
  title: string;
  handlers: Handlers<R>;
  /** Called on each ready: the view (re)started and wants the current state. */
  onReady: () => void;
  log?: (message: string) => void;
}

export class WebviewHost<ToWebview, R extends RequestMap<R>> implements vscode.Disposable {
  private ready = false;
  private queue: ToWebview[] = [];
  private snapshot: string | undefined;
  private readonly snapshotChanged = new vscode.EventEmitter<string>();
  readonly onDidRender = this.snapshotChanged.event;
  private readonly disposables: vscode.Disposable[] = [];

  constructor(readonly panel: vscode.WebviewPanel, extensionUri: vscode.Uri, private readonly options: HostOptions<R>) {
    const media = vscode.Uri.joinPath(extensionUri, 'media');
    panel.webview.options = { enableScripts: true, localResourceRoots: [media] };
    const asUri = (...p: string[]) => panel.webview.asWebviewUri(vscode.Uri.joinPath(media, ...p)).toString();
    panel.webview.html = buildShell({
      cspSource: panel.webview.cspSource,
      nonce: makeNonce(),
      scriptUri: asUri('webview', `${options.view}.js`),
      styleUris: [asUri('webview', 'common.css'), asUri('webview', `${options.view}.css`)],
      title: options.title,
    });
    this.disposables.push(
      panel.webview.onDidReceiveMessage((m: IncomingMessage) => this.receive(m)),
      this.snapshotChanged,
    );
  }

  get lastSnapshot(): string | undefined {
    return this.snapshot;
  }

  /** Posts now when the view is ready, otherwise as soon as it is. */
  post(message: ToWebview): void {
    if (!this.ready) {
      this.queue.push(message);
      return;
    }
    void this.panel.webview.postMessage(message);
  }

  private receive(m: IncomingMessage): void {
    switch (m.type) {
      case 'ready': {
        this.ready = true;
        const queued = this.queue;
        this.queue = [];
        this.options.onReady();
        for (const q of queued) void this.panel.webview.postMessage(q);
        return;
      }
      case 'request':
        void this.answer(m);
        return;
      case 'rendered':
        if (typeof m.text === 'string') {
          this.snapshot = m.text;
          this.snapshotChanged.fire(m.text);
        }
        return;
      default:
        this.options.log?.(`webview ${this.options.view}: ignored a message of unknown type ${JSON.stringify(m.type)}`);
    }
  }

  private async answer(m: IncomingMessage): Promise<void> {
    const seq = typeof m.seq === 'number' ? m.seq : -1;
    const method = typeof m.method === 'string' ? m.method : '';
    const handler = Object.prototype.hasOwnProperty.call(this.options.handlers, method)
      ? this.options.handlers[method as keyof R] : undefined;
    if (!handler) {
      void this.panel.webview.postMessage({ type: 'reply', seq, ok: false, error: `The extension has no request '${method}'; reload the window after updating Proxbox.` });
      return;
    }
    try {
      const result = await handler(m.params as R[keyof R]['params']);
      void this.panel.webview.postMessage({ type: 'reply', seq, ok: true, result: result ?? null });
    } catch (e) {
      const error = e instanceof Error ? e.message : String(e);
      this.options.log?.(`webview ${this.options.view}: request ${method} failed: ${error}`);
      void this.panel.webview.postMessage({ type: 'reply', seq, ok: false, error });
    }
  }

  dispose(): void {
    for (const d of this.disposables) d.dispose();
  }
}
