// The shared helpers behind issue 11, items 5 and 7: a redraw keeps the focused control (by its key) and the scroll
// position, and relative times tick each minute while the page is visible (a stepped clock, no waiting).
import { strict as assert } from 'node:assert';
import { FOCUS_KEY_ATTR, keepPlace, keepScroll, type PlaceDocument } from '../../src/webview/shared/keepPlace';
import { startMinuteTicker, type TickerEnv } from '../../src/webview/shared/minuteTicker';

/** A page whose redraw replaces every element, as replaceChildren does: focus falls to the body. */
class Page implements PlaceDocument {
  readonly body = { id: '', getAttribute: () => null };
  activeElement: El | typeof this.body | null = this.body;
  elements: El[] = [];
  scroll = { scrollTop: 0, scrollLeft: 0 };
  /** false while the keyboard is elsewhere (the command palette, another editor). */
  focused = true;

  hasFocus(): boolean {
    return this.focused;
  }

  draw(specs: { id?: string; key?: string }[]): void {
    this.elements = specs.map((s) => new El(this, s.id ?? '', s.key ?? null));
    this.activeElement = this.body;
    // The page is empty for a moment: the browser clamps the scroll to the top.
    this.scroll.scrollTop = 0;
  }

  getElementById(id: string): El | null {
    return this.elements.find((e) => e.id === id) ?? null;
  }

  querySelector(selector: string): El | null {
    const m = new RegExp(`^\\[${FOCUS_KEY_ATTR}="(.*)"\\]$`).exec(selector);
    const key = m?.[1].replace(/\\(.)/g, '$1');
    return this.elements.find((e) => e.key !== null && e.key === key) ?? null;
  }
}

class El {
  focusedWith: unknown;
  constructor(private readonly page: Page, readonly id: string, readonly key: string | null) {}
  getAttribute(name: string): string | null {
    return name === FOCUS_KEY_ATTR ? this.key : null;
  }
  focus(options?: { preventScroll?: boolean }): void {
    this.page.activeElement = this;
    this.focusedWith = options;
  }
}

describe('webview shared: a redraw keeps focus and scroll (issue 11, item 5)', () => {
  const layout = [{ id: 'sync-now' }, { id: 'open-calendar' }, { key: 'run "1"' }];

  it('gives focus back to the control with the same id, without scrolling to it, and restores the scroll position', () => {
    const page = new Page();
    page.draw(layout);
    page.getElementById('open-calendar')?.focus();
    page.scroll.scrollTop = 420;
    keepPlace(page, page.scroll, () => page.draw(layout));
    assert.equal((page.activeElement as El).id, 'open-calendar');
    assert.notEqual(page.activeElement, page.body);
    assert.deepEqual((page.activeElement as El).focusedWith, { preventScroll: true });
    assert.equal(page.scroll.scrollTop, 420);
  });

  it('does not take the keyboard back when the page did not have it (a background redraw under the command palette)', () => {
    const page = new Page();
    page.draw(layout);
    page.getElementById('open-calendar')?.focus();
    page.focused = false;
    page.scroll.scrollTop = 300;
    keepPlace(page, page.scroll, () => page.draw(layout));
    assert.equal(page.activeElement, page.body, 'focus stays where the redraw left it');
    assert.equal(page.scroll.scrollTop, 300, 'the scroll position is still put back');
  });

  it('finds an element without an id by its focus key, quotes included', () => {
    const page = new Page();
    page.draw(layout);
    page.elements[2].focus();
    keepPlace(page, page.scroll, () => page.draw(layout));
    assert.equal((page.activeElement as El).key, 'run "1"');
  });

  it('leaves focus on the page when the focused control is gone, and does nothing when nothing had focus', () => {
    const page = new Page();
    page.draw(layout);
    page.getElementById('open-calendar')?.focus();
    keepPlace(page, page.scroll, () => page.draw([{ id: 'retry' }]));
    assert.equal(page.activeElement, page.body);
    page.draw(layout);
    keepPlace(page, null, () => page.draw(layout));
    assert.equal(page.activeElement, page.body);
  });

  it('returns what the redraw returns', () => {
    const page = new Page();
    assert.equal(keepPlace(page, null, () => 7), 7);
  });
});

/** A clock stepped by hand, its timers run in order when their time comes. */
function fakeEnv(start: number) {
  let now = start;
  let visible = true;
  let nextId = 0;
  const timers = new Map<number, { at: number; fn: () => void }>();
  const listeners = new Set<() => void>();
  const env: TickerEnv = {
    now: () => now,
    setTimeout: (fn, ms) => { timers.set(++nextId, { at: now + ms, fn }); return nextId; },
    clearTimeout: (h) => { timers.delete(h as number); },
    visible: () => visible,
    onVisibilityChange: (fn) => { listeners.add(fn); return () => listeners.delete(fn); },
  };
  return {
    env,
    pending: () => timers.size,
    advance(ms: number): void {
      const end = now + ms;
      for (;;) {
        const due = [...timers.entries()].filter(([, t]) => t.at <= end).sort((a, b) => a[1].at - b[1].at)[0];
        if (!due) break;
        timers.delete(due[0]);
        now = due[1].at;
        due[1].fn();
      }
      now = end;
    },
    setVisible(v: boolean): void {
      visible = v;
      for (const l of [...listeners]) l();
    },
  };
}

describe('webview shared: relative times tick each minute while visible (issue 11, item 7)', () => {
  const T0 = Date.UTC(2026, 11, 1, 9, 0, 20);

  it('ticks on each minute, the first at the next minute boundary', () => {
    const clock = fakeEnv(T0);
    const ticks: number[] = [];
    startMinuteTicker(() => ticks.push(clock.env.now()), clock.env);
    clock.advance(39_000);
    assert.deepEqual(ticks, [], 'not before the minute');
    clock.advance(3 * 60_000);
    assert.equal(ticks.length, 3);
    for (const t of ticks) assert.ok(t % 60_000 < 1000, `tick at ${new Date(t).toISOString()} is not on the minute`);
  });

  it('does not tick while hidden, and ticks at once when shown again', () => {
    const clock = fakeEnv(T0);
    let ticks = 0;
    startMinuteTicker(() => ticks++, clock.env);
    clock.setVisible(false);
    assert.equal(clock.pending(), 0, 'no timer while hidden');
    clock.advance(30 * 60_000);
    assert.equal(ticks, 0);
    clock.setVisible(true);
    assert.equal(ticks, 1, 'a page shown after half an hour is brought up to date at once');
    clock.advance(60_000);
    assert.equal(ticks, 2);
  });

  it('stops when disposed', () => {
    const clock = fakeEnv(T0);
    let ticks = 0;
    const ticker = startMinuteTicker(() => ticks++, clock.env);
    ticker.dispose();
    clock.setVisible(true);
    clock.advance(5 * 60_000);
    assert.equal(ticks, 0);
    assert.equal(clock.pending(), 0);
  });
});

describe('webview shared: keepScroll', () => {
  it('puts the scroll position back after a redraw that reset it, and leaves focus alone', () => {
    const page = new Page();
    page.draw([{ id: 'a' }, { id: 'b' }]);
    page.scroll.scrollTop = 300;
    page.scroll.scrollLeft = 12;
    keepScroll(page.scroll, () => {
      page.draw([{ id: 'a' }, { id: 'b' }]);
      page.getElementById('b')?.focus();
    });
    assert.deepEqual(page.scroll, { scrollTop: 300, scrollLeft: 12 });
    assert.equal((page.activeElement as El).id, 'b', 'the focus the view chose stays');
  });
});
