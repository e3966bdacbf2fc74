// How the tests start Chromium: Debian's build, headless, driven by playwright-core (which downloads no browser).
import { existsSync } from 'node:fs';

export function chromiumPath() {
  const candidates = [process.env.PROXBOX_CHROMIUM, '/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/bin/google-chrome'].filter(Boolean);
  const found = candidates.find((p) => existsSync(p));
  if (!found) throw new Error(`no Chromium found (looked at ${candidates.join(', ')}); install it (\`.ci/install-system\` does) or set PROXBOX_CHROMIUM.`);
  return found;
}

/** Flags for a quiet, sandbox-free headless run: no GPU, no background traffic, no first-run UI, /tmp for shared memory. */
export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-dev-shm-usage',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--no-default-browser-check',
];

/** The window size of every run, so screenshots are the same size on every machine. */
export const VIEWPORT = { width: 1280, height: 800 };
