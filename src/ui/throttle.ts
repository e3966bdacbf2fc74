// Throttles bursts of calls (10,000 item events) to one call per interval: the first call of a burst starts the
// interval and the call runs when it ends, however many came in between (a debounce would wait for a quiet moment
// that a long sync never gives). `flush` runs a pending call at once, for what must show immediately (a run
// starting or ending).
export class Throttle {
  private timer: ReturnType<typeof setTimeout> | undefined;
  private pendingReason: string | undefined;

  constructor(private readonly delayMs: number, private readonly fn: (reason: string) => void) {}

  schedule(reason: string): void {
    this.pendingReason ??= reason;
    if (this.timer) return;
    this.timer = setTimeout(() => this.flush(), this.delayMs);
  }

  flush(reason?: string): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    const r = reason ?? this.pendingReason;
    this.pendingReason = undefined;
    if (r !== undefined) this.fn(r);
  }

  dispose(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
  }
}
