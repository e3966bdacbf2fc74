// Relative times ("in 3 min", "5 min ago") move on: a view redraws once a minute, on the minute, while its page is
// visible, and at once when it becomes visible again (it may have been hidden for hours). The clock and the timer
// are injected, so the unit tests step through minutes without waiting for them.

export interface TickerEnv {
  /** Milliseconds since the epoch. */
  now(): number;
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
  visible(): boolean;
  /** Subscribes to visibility changes; returns the unsubscribe. */
  onVisibilityChange(fn: () => void): () => void;
}

export interface Ticker {
  dispose(): void;
}

const MINUTE = 60_000;

export function startMinuteTicker(tick: () => void, env: TickerEnv): Ticker {
  let handle: unknown;
  const schedule = () => {
    if (handle !== undefined) env.clearTimeout(handle);
    handle = undefined;
    if (!env.visible()) return;
    // A few ms past the minute, so the redraw sees the new minute and not the end of the old one.
    const wait = MINUTE - (env.now() % MINUTE) + 5;
    handle = env.setTimeout(() => {
      handle = undefined;
      if (env.visible()) tick();
      schedule();
    }, wait);
  };
  const unsubscribe = env.onVisibilityChange(() => {
    if (env.visible()) tick();
    schedule();
  });
  schedule();
  return {
    dispose: () => {
      unsubscribe();
      if (handle !== undefined) env.clearTimeout(handle);
      handle = undefined;
    },
  };
}

/** The browser's clock and timers, for a view's main.ts. */
export function browserTickerEnv(doc: Document, win: Window): TickerEnv {
  return {
    now: () => Date.now(),
    setTimeout: (fn, ms) => win.setTimeout(fn, ms),
    clearTimeout: (h) => win.clearTimeout(h as number),
    visible: () => doc.visibilityState === 'visible',
    onVisibilityChange: (fn) => {
      doc.addEventListener('visibilitychange', fn);
      return () => doc.removeEventListener('visibilitychange', fn);
    },
  };
}
