// The one envelope for requests and replies between a webview and the extension, used by both views (the client)
// and by the extension's webview host (the server). The channel itself is one-way messages with no answer, so each
// request carries a sequence number and the other side replies with the same number: a typed result or an error
// message that says what to do next. A request that gets no answer fails after a timeout, so no view spins forever.
// No DOM and no vscode here: the host imports this file, and the unit tests run it in Node.

/** A map of method name to its params and result; each view's protocol.ts defines one. */
export type RequestMap<R> = { [M in keyof R]: { params: unknown; result: unknown } };

export type RequestMessage<R extends RequestMap<R>> = {
  [M in keyof R & string]: { type: 'request'; seq: number; method: M; params: R[M]['params'] };
}[keyof R & string];

export type ReplyMessage<R extends RequestMap<R>> =
  | { type: 'reply'; seq: number; ok: true; result: R[keyof R]['result'] }
  | { type: 'reply'; seq: number; ok: false; error: string };

/** What a view sends: the handshake, its requests, and a text snapshot of what it rendered (for tests). */
export type ViewMessage<R extends RequestMap<R>> =
  | { type: 'ready' }
  | { type: 'rendered'; text: string }
  | RequestMessage<R>;

/** What the extension sends a view: the view's own push messages (its protocol.ts) and replies to its requests. */
export type HostMessage<Push, R extends RequestMap<R>> = Push | ReplyMessage<R>;

export type Handlers<R extends RequestMap<R>> = { [M in keyof R]: (params: R[M]['params']) => Promise<R[M]['result']> };

/** Long enough for a month of runs of a large cluster; a request that legitimately takes longer passes its own. */
export const DEFAULT_TIMEOUT_MS = 60_000;

function isRecord(m: unknown): m is Record<string, unknown> {
  return typeof m === 'object' && m !== null;
}

function isSeq(seq: unknown): seq is number {
  return typeof seq === 'number' && Number.isSafeInteger(seq) && seq > 0;
}

export function isReply(m: unknown): m is { type: 'reply'; seq: number; ok: boolean; result?: unknown; error?: unknown } {
  return isRecord(m) && m.type === 'reply' && isSeq(m.seq) && typeof m.ok === 'boolean';
}

export function isRequest(m: unknown): m is { type: 'request'; seq: number; method: string; params?: unknown } {
  return isRecord(m) && m.type === 'request';
}

interface Pending {
  method: string;
  resolve(value: unknown): void;
  reject(error: Error): void;
  timer: ReturnType<typeof setTimeout>;
}

/** The asking side (a view). */
export class RpcClient<R extends RequestMap<R>> {
  private seq = 0;
  private readonly pending = new Map<number, Pending>();

  constructor(private readonly post: (message: RequestMessage<R>) => void, private readonly timeoutMs = DEFAULT_TIMEOUT_MS) {}

  /** timeoutMs overrides the client's default for work that legitimately takes long (a whole sync). */
  request<M extends keyof R & string>(method: M, params: R[M]['params'], timeoutMs = this.timeoutMs): Promise<R[M]['result']> {
    const seq = ++this.seq;
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(seq);
        reject(new Error(`The extension did not answer '${method}' within ${Math.round(timeoutMs / 1000)} s. Try again; if it keeps happening, reload the window and check the Proxbox log.`));
      }, timeoutMs);
      this.pending.set(seq, { method, resolve: resolve as (v: unknown) => void, reject, timer });
      this.post({ type: 'request', seq, method, params } as RequestMessage<R>);
    });
  }

  /** Settles the request a reply answers. Returns false for anything else: not a reply, or a reply nobody waits for
   * (one that arrived after its timeout, or a second reply to the same request). */
  handleReply(message: unknown): boolean {
    if (!isReply(message)) return false;
    const p = this.pending.get(message.seq);
    if (!p) return false;
    this.pending.delete(message.seq);
    clearTimeout(p.timer);
    if (message.ok) p.resolve(message.result);
    else p.reject(new Error(typeof message.error === 'string' && message.error ? message.error : `The extension reported an error for '${p.method}' without a message; see the Proxbox log.`));
    return true;
  }

  /** How many requests wait for a reply. */
  get waiting(): number {
    return this.pending.size;
  }

  /** Fails every request still waiting (the page is going away). */
  dispose(): void {
    for (const [seq, p] of this.pending) {
      clearTimeout(p.timer);
      p.reject(new Error(`The request '${p.method}' was abandoned: the view closed.`));
      this.pending.delete(seq);
    }
  }
}

/** The answering side (the extension's webview host): runs the handler a request names and replies exactly once. */
export class RpcServer<R extends RequestMap<R>> {
  constructor(
    private readonly handlers: Handlers<R>,
    private readonly post: (reply: ReplyMessage<R>) => void,
    private readonly log?: (message: string) => void,
  ) {}

  /** Answers a request message; resolves once the reply is posted. A message that is not a well-formed request is
   * logged and dropped: with no valid sequence number there is nobody to reply to. */
  async handle(message: unknown): Promise<void> {
    if (!isRequest(message) || !isSeq(message.seq)) {
      this.log?.(`ignored a malformed request: ${JSON.stringify(message)?.slice(0, 200)}`);
      return;
    }
    const { seq } = message;
    const method = typeof message.method === 'string' ? message.method : '';
    const handler = Object.prototype.hasOwnProperty.call(this.handlers, method) ? this.handlers[method as keyof R] : undefined;
    if (!handler) {
      this.post({ type: 'reply', seq, ok: false, error: `The extension has no request '${method}'; reload the window after updating Proxbox.` });
      return;
    }
    try {
      const result = await handler(message.params as R[keyof R]['params']);
      this.post({ type: 'reply', seq, ok: true, result: (result ?? null) as R[keyof R]['result'] });
    } catch (e) {
      const error = e instanceof Error ? e.message : String(e);
      this.log?.(`request ${method} failed: ${error}`);
      this.post({ type: 'reply', seq, ok: false, error: error || `The request '${method}' failed without a message; see the Proxbox log.` });
    }
  }
}
