// Time as the scheduler sees it. The system clock for real use; a manual clock lets tests move time by hand,
// so recurrence, back-off, lease expiry and catch-up are tested without sleeping.
import { Clock } from './types';

export const systemClock: Clock = {
  now: () => Date.now(),
  setTimer(ms, fn) {
    // Long timers are split: Node caps a timeout at about 24.8 days, and a wall-clock re-check after each piece
    // also corrects for time spent asleep.
    const target = Date.now() + Math.max(0, ms);
    let handle: NodeJS.Timeout;
    const arm = (): void => {
      const left = target - Date.now();
      if (left <= 0) return fn();
      handle = setTimeout(arm, Math.min(left, 60 * 60 * 1000));
    };
    // Not unref'd: a headless scheduler has nothing else keeping its process alive.
    handle = setTimeout(arm, Math.min(Math.max(0, ms), 60 * 60 * 1000));
    return () => clearTimeout(handle);
  },
};

interface ManualTimer {
  at: number;
  seq: number;
  fn: () => void;
}

export class ManualClock implements Clock {
  private timers: ManualTimer[] = [];
  private seq = 0;

  constructor(private current: number) {}

  now(): number {
    return this.current;
  }

  setTimer(ms: number, fn: () => void): () => void {
    const timer: ManualTimer = { at: this.current + Math.max(0, ms), seq: this.seq++, fn };
    this.timers.push(timer);
    return () => {
      this.timers = this.timers.filter((t) => t !== timer);
    };
  }

  /** Number of timers waiting. */
  get pending(): number {
    return this.timers.length;
  }

  /**
   * Moves time forward to now + ms, firing every timer due on the way in order. After each timer (and at the end)
   * `settle` is awaited, so asynchronous work a timer starts (file I/O included) finishes before time moves on.
   */
  async advance(ms: number, settle: () => Promise<void> = flush): Promise<void> {
    const target = this.current + ms;
    await settle();
    for (;;) {
      const next = this.timers.filter((t) => t.at <= target).sort((a, b) => a.at - b.at || a.seq - b.seq)[0];
      if (!next) break;
      this.timers = this.timers.filter((t) => t !== next);
      this.current = Math.max(this.current, next.at);
      next.fn();
      await settle();
    }
    this.current = target;
    await settle();
  }

  /** Jumps the wall clock without firing timers: what a machine waking from sleep sees. */
  jump(ms: number): void {
    this.current += ms;
  }
}

async function flush(): Promise<void> {
  for (let i = 0; i < 5; i++) await new Promise((r) => setImmediate(r));
}
