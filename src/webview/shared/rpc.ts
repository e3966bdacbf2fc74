// Request/reply over the webview's one-way message channel: each request carries a sequence number, the extension
// answers with the same number. A request that gets no answer fails after a timeout, so no view spins forever.

type RequestMap<R> = { [M in keyof R]: { params: unknown; result: unknown } };

export interface ReplyMessage {
  type: 'reply';
  seq: number;
  ok: boolean;
  result?: unknown;
  error?: string;
}

interface Pending {
  resolve(value: unknown): void;
  reject(error: Error): void;
  timer: ReturnType<typeof setTimeout>;
}

export class RpcClient<R extends RequestMap<R>> {
  private seq = 0;
  private readonly pending = new Map<number, Pending>();

  constructor(private readonly post: (message: unknown) => void, private readonly timeoutMs = 60_000) {}

  /** timeoutMs overrides the client's default for work that legitimately takes long (a whole sync). */
  request<M extends keyof R & string>(method: M, params: R[M]['params'], timeoutMs = this.timeoutMs): Promise<R[M]['result']> {
    const seq = ++this.seq;
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(seq);
        reject(new Error(`The extension did not answer '${method}' within ${Math.round(timeoutMs / 1000)} s. Try again; if it keeps happening, reload the window and check the Proxbox log.`));
      }, timeoutMs);
      this.pending.set(seq, { resolve: resolve as (v: unknown) => void, reject, timer });
      this.post({ type: 'request', seq, method, params });
    });
  }

  /** Returns false for a reply nobody waits for (e.g. one that arrived after its timeout). */
  handleReply(message: ReplyMessage): boolean {
    const p = this.pending.get(message.seq);
    if (!p) return false;
    this.pending.delete(message.seq);
    clearTimeout(p.timer);
    if (message.ok) p.resolve(message.result);
    else p.reject(new Error(message.error ?? 'The extension reported an error without a message; see the Proxbox log.'));
    return true;
  }
}
