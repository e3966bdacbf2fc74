// Drives the VS Code workbench in Chromium for the UI tests. scripts/vscode/run.mjs starts code-server with the
// packaged extension installed and passes everything needed in PROXBOX_E2E; each test file calls useWorkbench().
//
//   describe('my feature', () => {
//     const wb = useWorkbench();
//     it('does X', async () => {
//       await wb().showViewContainer('Proxbox');
//       await wb().runCommand('Proxbox: Add Endpoint');
//       await wb().screenshot('my-feature');
//     });
//   });
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type Browser, type Locator, type Page } from 'playwright-core';

interface E2ESettings {
  url: string;
  chromium: string;
  args: string[];
  viewport: { width: number; height: number };
  screenshots: string;
}

function settings(): E2ESettings {
  const raw = process.env.PROXBOX_E2E;
  if (!raw) throw new Error('PROXBOX_E2E is not set: run the UI tests through `npm run test:vscode` (scripts/vscode/run.mjs), which starts code-server for them.');
  return JSON.parse(raw) as E2ESettings;
}

/** Long enough for a cold extension host on a busy 2-core CI machine; a healthy run needs a few seconds. */
export const SLOW = 60_000;

export class Workbench {
  constructor(readonly page: Page, private readonly shots: string) {}

  /** Opens the workbench on the test workspace and waits until our extension's contributions are in the UI. */
  static async open(browser: Browser, s: E2ESettings): Promise<Workbench> {
    const page = await browser.newPage({ viewport: s.viewport });
    page.setDefaultTimeout(SLOW);
    await page.goto(s.url);
    await page.locator('.monaco-workbench').waitFor();
    const wb = new Workbench(page, s.screenshots);
    await wb.activityItem('Proxbox').waitFor();
    return wb;
  }

  activityItem(title: string): Locator {
    return this.page.locator(`.activitybar li.action-item:has(a[aria-label^="${title}"])`);
  }

  /** Opens a view container from the activity bar. Clicking an already open one would close it, so that is skipped. */
  async showViewContainer(title: string): Promise<void> {
    const item = this.activityItem(title);
    const selected = this.page.locator(`.activitybar li.action-item[aria-selected="true"]:has(a[aria-label^="${title}"])`);
    // After a reload the workbench restores the side bar on its own, a moment later: a click in between would close
    // it again. So: open it when it is not open, and check it stays open before going on.
    for (let attempt = 0; attempt < 4; attempt++) {
      if ((await item.getAttribute('aria-selected')) !== 'true') await item.click();
      if (await selected.waitFor({ timeout: 5_000 }).then(() => true, () => false)) {
        await this.page.waitForTimeout(500);
        if (await selected.isVisible()) return;
      }
    }
    await selected.waitFor();
  }

  /** Drags the side bar's edge so it is `width` pixels wide (labels and descriptions fit in screenshots). */
  async setSidebarWidth(width: number): Promise<void> {
    const box = await this.sidebar.boundingBox();
    if (!box) throw new Error('the side bar is not visible');
    const y = box.y + box.height / 2;
    await this.page.mouse.move(box.x + box.width - 1, y);
    await this.page.mouse.down();
    await this.page.mouse.move(box.x + width, y, { steps: 5 });
    await this.page.mouse.up();
  }

  /** The side bar, where view containers show their views. */
  get sidebar(): Locator {
    return this.page.locator('.part.sidebar');
  }

  /**
   * Runs a command from the command palette (F1) by its full title, e.g. "Proxbox: Add Endpoint". Waits for the
   * palette to close unless the command opens a quick input of its own (`keepOpen`).
   */
  async runCommand(title: string, { keepOpen = false } = {}): Promise<void> {
    // A webview that redraws in the background (a detail or calendar left open by an earlier file) can take the
    // keyboard focus, which closes the palette under the pointer: open it again, as a user would.
    for (let attempt = 1; ; attempt++) {
      const labels = await this.openPalette(title);
      if (!labels.includes(title)) {
        // The palette lists the commands whose `when` held as it opened: a context key set a moment later (a schedule
        // just made) shows only in a palette opened again, so close this one first (a CI run refilled a stale one).
        if (attempt < 3) {
          await this.closePalette().catch(() => undefined);
          await this.page.waitForTimeout(1_000);
          continue;
        }
        throw new Error(`the command palette has no "${title}" (it shows: ${labels.join(' | ')})`);
      }
      // Only the open palette's rows: a quick input closed earlier may leave its list in the page, hidden.
      const row = this.page.locator('.quick-input-list .monaco-list-row:visible', { hasText: title }).first();
      if (await row.click({ timeout: 10_000 }).then(() => true, () => false)) break;
      if (attempt === 3) throw new Error(`the command palette closed three times before "${title}" could be chosen`);
    }
    if (!keepOpen) await this.page.locator('.quick-input-widget').waitFor({ state: 'hidden' });
  }

  /**
   * Runs a command whose answer is one of several things (a pick when there is a choice, a dialog when there is not)
   * and returns the key of the first of `shows` that becomes visible. If none does within `timeoutMs`, the command is
   * run once more (the palette can close before its click lands on a loaded machine); after that the error says what
   * was awaited and what the screen showed instead, because an "All promises were rejected" explains nothing.
   */
  async runCommandUntil<K extends string>(title: string, shows: Record<K, Locator>, timeoutMs = 20_000): Promise<K> {
    for (let attempt = 1; ; attempt++) {
      await this.runCommand(title, { keepOpen: true });
      const shown = await this.firstShown(shows, timeoutMs);
      if (shown !== undefined) return shown;
      const screen = await this.describeScreen();
      if (attempt === 2) throw new Error(`after "${title}" neither ${Object.keys(shows).join(' nor ')} showed within ${timeoutMs / 1000} s; the screen shows ${screen}`);
      console.log(`    "${title}" showed none of ${Object.keys(shows).join(', ')} within ${timeoutMs / 1000} s (${screen}); running it again`);
      await this.page.keyboard.press('Escape');
    }
  }

  /** The key of the first of `shows` to become visible within `timeoutMs`, or undefined. */
  async firstShown<K extends string>(shows: Record<K, Locator>, timeoutMs: number): Promise<K | undefined> {
    const end = Date.now() + timeoutMs;
    const keys = Object.keys(shows) as K[];
    while (Date.now() < end) {
      for (const k of keys) if (await shows[k].first().isVisible()) return k;
      await this.page.waitForTimeout(150);
    }
    return undefined;
  }

  /** What a user would see of the workbench's transient parts: the quick input, a dialog, notifications. */
  async describeScreen(): Promise<string> {
    const text = async (selector: string, attr?: string): Promise<string> => {
      const l = this.page.locator(selector).first();
      if (!(await l.isVisible().catch(() => false))) return '';
      return ((attr ? await l.getAttribute(attr) : await l.innerText()) ?? '').replace(/\s+/g, ' ').trim().slice(0, 200);
    };
    const parts = [
      ['quick input', await text('.quick-input-widget input.input', 'placeholder')],
      ['quick input title', await text('.quick-input-widget .quick-input-title')],
      ['dialog', await text('.monaco-dialog-box')],
      ['notification', (await this.page.locator('.notification-toast').allInnerTexts().catch(() => [])).join(' | ').replace(/\s+/g, ' ').slice(0, 300)],
      ['focus', await this.page.evaluate(() => { const a = document.activeElement; return a ? `${a.tagName.toLowerCase()}.${a.className}`.slice(0, 80) : ''; })],
    ].filter(([, v]) => v);
    return parts.length ? parts.map(([k, v]) => `${k}: "${v}"`).join(', ') : 'nothing of them';
  }

  /**
   * Opens "Developer: Show Running Extensions" and returns the row of the extension named `displayName`. The page is
   * made tall first, because the list only renders the rows in view.
   */
  async runningExtension(displayName: string): Promise<Locator> {
    const size = this.page.viewportSize();
    await this.page.setViewportSize({ width: size?.width ?? 1280, height: 2400 });
    await this.runCommand('Developer: Show Running Extensions');
    const row = this.page.locator('.runtime-extensions-editor .monaco-list-row', { has: this.page.locator('.name', { hasText: displayName }) });
    await row.waitFor();
    if (size) await this.page.setViewportSize(size);
    return row;
  }

  /** Opens the command palette (F1) with `filter` typed in and returns the labels of the entries it shows. */
  async openPalette(filter: string): Promise<string[]> {
    const input = this.page.locator('.quick-input-widget input.input');
    // A webview with the focus may keep F1 to itself, and a context menu a redraw closed may keep the keyboard: each
    // further try leaves whatever holds it (Escape) and moves the focus to the workbench (no click, so nothing opens).
    // F1 and Ctrl+Shift+P take turns: on a loaded CI run the palette has been seen to ignore four F1 presses in a
    // row while the tree redrew under the keyboard, and a click into the empty editor area gives the workbench the
    // keyboard when a focus() on the activity bar did not. The palette has also been seen to close between showing
    // and being typed into: then it is opened again (three rounds).
    for (let round = 0; ; round++) {
      for (let attempt = 0; attempt < 6 && !(await input.isVisible()); attempt++) {
        if (attempt > 0) {
          await this.page.keyboard.press('Escape');
          if (attempt % 2 === 0) await this.page.locator('.part.editor').first().click({ position: { x: 5, y: 5 } }).catch(() => undefined);
          else await this.page.locator('.activitybar .action-item a').first().focus();
        }
        await this.page.keyboard.press(attempt % 2 === 0 ? 'F1' : 'Control+Shift+P');
        await input.waitFor({ timeout: 3_000 }).catch(() => undefined);
      }
      try {
        await input.fill(`>${filter}`, { timeout: round < 2 ? 5_000 : 60_000 });
        break;
      } catch (err) {
        if (round >= 2) throw err;
      }
    }
    const rows = this.page.locator('.quick-input-list .monaco-list-row:visible');
    // The list filters as it is typed into; wait until it shows the filter's results, or says there are none.
    await Promise.any([
      this.page.locator('.quick-input-list .monaco-list-row:visible .label-name', { hasText: filter.split(':').pop()?.trim() ?? filter }).first().waitFor(),
      this.page.locator('.quick-input-widget .quick-input-message', { hasText: /No matching/ }).waitFor(),
    ]).catch(() => undefined);
    return rows.locator('.label-name').allInnerTexts();
  }

  /**
   * Opens `row`'s context menu and chooses `label` with the keyboard (arrow keys, Enter), as a keyboard user would: a
   * mouse click on an item can be ignored when the tree redraws under the menu (a sync in progress), a key is not.
   */
  async chooseFromContextMenu(row: Locator, label: string): Promise<void> {
    let seen = 'it closed';
    // A redraw of the tree (a sync ending) closes an open context menu: open it again, as a user would.
    for (let attempt = 0; attempt < 3; attempt++) {
      await row.click({ button: 'right' });
      // Menus closed earlier may stay in the page, hidden, with an item still marked focused: only the open one counts.
      const menu = this.page.locator('.monaco-menu:visible').first();
      if (!(await menu.waitFor({ timeout: 5_000 }).then(() => true, () => false))) continue;
      const focused = menu.locator('.action-item.focused .action-label').first();
      for (let i = 0; i < 20 && (await menu.isVisible()); i++) {
        await this.page.keyboard.press('ArrowDown');
        const text = await focused.innerText({ timeout: 1_000 }).catch(() => '');
        if (text.includes(label)) {
          await this.page.keyboard.press('Enter');
          await this.page.locator('.monaco-menu:visible').waitFor({ state: 'detached' });
          return;
        }
      }
      seen = await menu.innerText({ timeout: 1_000 }).catch(() => 'it closed');
      if (seen !== 'it closed') break;
      await this.page.keyboard.press('Escape');
    }
    throw new Error(`the context menu has no "${label}" (${seen})`);
  }

  /**
   * Schedules a full sync of the endpoint `row` stands for, from its context menu (so it syncs that endpoint only):
   * `when` is the label of the "When should it run?" item, `value` the answer to its one question, if it asks one.
   */
  async scheduleSyncOf(row: Locator, when: string, value?: string): Promise<void> {
    await this.chooseFromContextMenu(row, 'Schedule Sync');
    const input = this.page.locator('.quick-input-widget input.input');
    await this.page.locator('.quick-input-widget input.input[placeholder="What to sync"]').waitFor();
    // A click, not Enter: the context menu gives the keyboard back to the tree as it closes, which can be after the
    // pick opened; an Enter then collapsed the endpoint's row instead of choosing (seen on a CI run).
    await this.page.locator('.quick-input-list .monaco-list-row:visible', { hasText: 'Full sync' }).first().click();
    await this.page.locator('.quick-input-widget input.input[placeholder="When should it run?"]').waitFor();
    await input.fill(when);
    await this.page.locator('.quick-input-list .monaco-list-row', { hasText: when }).first().waitFor();
    await this.page.keyboard.press('Enter');
    if (value !== undefined) {
      await this.page.locator('.quick-input-widget input.input:not([placeholder="When should it run?"])').waitFor();
      await input.fill(value);
      await this.page.keyboard.press('Enter');
    }
    await this.page.locator('.monaco-dialog-box .monaco-button', { hasText: 'Schedule' }).first().click();
    await this.page.locator('.monaco-dialog-box').waitFor({ state: 'hidden' });
  }

  async closePalette(): Promise<void> {
    await this.page.keyboard.press('Escape');
    await this.page.locator('.quick-input-widget').waitFor({ state: 'hidden' });
  }

  /** Waits for a notification containing `text`, as a toast or as the screen-reader announcement (newer versions may show no toast). */
  async notification(text: string): Promise<void> {
    await Promise.any([
      this.page.locator('.notification-toast', { hasText: text }).waitFor(),
      this.page.locator('.monaco-alert', { hasText: text }).waitFor({ state: 'attached' }),
    ]);
  }

  /**
   * Writes <screenshots>/<name>.png with the mouse moved aside (no hover tooltip over the picture) and after running
   * animations end (a toast sliding in would be caught half-way).
   */
  async screenshot(name: string): Promise<string> {
    await this.page.mouse.move(900, 700);
    await this.page.evaluate(() =>
      Promise.race([
        Promise.all(document.getAnimations()
          .filter((a) => a.effect?.getComputedTiming().iterations !== Infinity)
          .map((a) => a.finished.catch(() => undefined))),
        new Promise((r) => setTimeout(r, 2000)),
      ]));
    mkdirSync(this.shots, { recursive: true });
    const path = join(this.shots, `${name}.png`);
    await this.page.screenshot({ path });
    return path;
  }

  /** Waits until VS Code has finished activating extensions and no view container shows a progress badge. */
  async settled(): Promise<void> {
    await this.page.locator('.statusbar', { hasText: 'Activating Extensions' }).waitFor({ state: 'hidden' });
    await this.page.locator('.activitybar .badge.progress-badge').first().waitFor({ state: 'hidden' });
  }
}

/**
 * A figure for the run's summary: scripts/vscode/run.mjs collects `metric:` lines from every suite and prints them
 * at the end.
 */
export function metric(name: string, value: string): void {
  console.log(`metric: ${name} = ${value}`);
}

/**
 * One Chromium and one workbench page for every file of the suite, opened by the first `describe` that needs it and
 * closed when the suite ends. Why not a page per file: code-server keeps the extension host of a closed page alive
 * (minutes to hours), and that window would hold the sync schedule of the files after it. Registers a hook that
 * saves a screenshot of any failing test as failed-<title>.png. Returns an accessor for the workbench.
 */
let shared: Promise<{ browser: Browser; wb: Workbench }> | undefined;

after(async () => {
  const open = await shared?.catch(() => undefined);
  await open?.browser.close();
});

export function useWorkbench(): () => Workbench {
  let wb: Workbench | undefined;
  before(async function () {
    this.timeout(SLOW * 2);
    shared ??= (async () => {
      const s = settings();
      const browser = await chromium.launch({ executablePath: s.chromium, args: s.args, headless: true });
      return { browser, wb: await Workbench.open(browser, s) };
    })();
    wb = (await shared).wb;
  });
  afterEach(async function () {
    if (this.currentTest?.state === 'failed' && wb) {
      const name = `failed-${this.currentTest.fullTitle().replace(/[^a-z0-9]+/gi, '-').slice(0, 80)}`;
      console.log(`    screenshot of the failure: ${await wb.screenshot(name).catch((e: Error) => e.message)}`);
    }
  });
  return () => {
    if (!wb) throw new Error('the workbench did not open (see the before hook)');
    return wb;
  };
}
