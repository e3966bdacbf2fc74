// The extension's side of one webview's message channel, without vscode (the panel adapter in webviewHost.ts feeds
// it), so the handshake and the request/reply path are unit-tested: nothing is pushed before the view says `ready`
// (pushes wait in a queue); a push VS Code reports as undeliverable (the page of a hidden panel is discarded) waits
// too, and a view that restarts (shown again, reloaded) says ready again and gets what waited; every request is
// answered through the shared envelope (src/webview/shared/rpc.ts); the view's text snapshots are kept for tests.
import { isRequest, RpcServer, type Handlers, type HostMessage, type RequestMap } from '../../webview/shared/rpc';

export interface ChannelOptions<Push, R extends RequestMap<R>> {
  handlers: Handlers<R>;
  /** Delivers a message to the view (webview.postMessage): resolves false when VS Code could not deliver it. */
  post(message: HostMessage<Push, R>): void | PromiseLike<boolean>;
  /** The view (re)started: it asks for its data itself; this is for whatever the host wants to do then. */
  onReady?(): void;
  onRendered?(text: string): void;
  log?(message: string): void;
}

/** At most this many pushes wait for a view that is not listening; older ones are dropped (a restarted view asks
 * for its data anyway, so only the latest pushes matter). */
const MAX_QUEUE = 20;

export class WebviewChannel<Push, R extends RequestMap<R>> {
  private listening = false;
  private queue: Push[] = [];
  private readonly server: RpcServer<R>;
  private snapshot: string | undefined;
  private renders = 0;
  private readies = 0;

  constructor(private readonly options: ChannelOptions<Push, R>) {
    // A reply that cannot be delivered needs no retry: the page that asked is gone, and its successor asks again.
    this.server = new RpcServer<R>(options.handlers, (reply) => void options.post(reply), options.log);
  }

  /** Posts now when the view listens, otherwise as soon as it does. */
  push(message: Push): void {
    if (!this.listening) {
      this.enqueue(message);
      return;
    }
    this.deliver(message);
  }

  private enqueue(message: Push): void {
    this.queue.push(message);
    if (this.queue.length > MAX_QUEUE) this.queue.shift();
  }

  private deliver(message: Push): void {
    const readies = this.readies;
    const result = this.options.post(message);
    if (!result || typeof result.then !== 'function') return;
    result.then((delivered) => {
      if (delivered !== false) return;
      // VS Code posts only to live pages: this one was discarded (its panel is hidden). Keep the message for the
      // next page, unless that page has already said ready, in which case it goes there now.
      if (this.readies !== readies && this.listening) {
        this.deliver(message);
        return;
      }
      this.listening = false;
      this.enqueue(message);
    }, () => undefined);
  }

  /** Handles one message from the view; resolves when a request has been answered. */
  receive(message: unknown): Promise<void> {
    const type = typeof message === 'object' && message !== null ? (message as { type?: unknown }).type : undefined;
    if (type === 'ready') {
      this.listening = true;
      this.readies++;
      const queued = this.queue;
      this.queue = [];
      this.options.onReady?.();
      for (const q of queued) this.deliver(q);
      return Promise.resolve();
    }
    if (isRequest(message)) return this.server.handle(message);
    if (type === 'rendered') {
      const text = (message as { text?: unknown }).text;
      if (typeof text === 'string') {
        this.snapshot = text;
        this.renders++;
        this.options.onRendered?.(text);
      }
      return Promise.resolve();
    }
    this.options.log?.(`ignored a message of unknown type ${JSON.stringify(type)}`);
    return Promise.resolve();
  }

  get lastSnapshot(): string | undefined {
    return this.snapshot;
  }

  /** How many times the view rendered and how many times it (re)started: tests wait for a restart with these. */
  get counts(): { renders: number; readies: number } {
    return { renders: this.renders, readies: this.readies };
  }

  get isListening(): boolean {
    return this.listening;
  }
}
