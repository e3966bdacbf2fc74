// Coalesces bursts of calls (10,000 item events) into one call per interval; `flush` runs a pending call at once,
// for the moments that must show immediately (a run starting or ending).
export class Debouncer {
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
