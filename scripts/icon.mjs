// Renders the marketplace icon (media/icon.png, 128×128 PNG, as the manifest's `icon` requires) from the SVG below
// in Debian's Chromium, so the icon is reproducible from text: `node scripts/icon.mjs`.
import { writeFileSync } from 'node:fs';
import { chromium } from 'playwright-core';
import { chromiumPath } from './vscode/chromium.mjs';

// Two servers (the activity bar glyph, media/proxbox.svg) on a rounded tile, with a check mark: backups that ran.
const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="128" height="128" viewBox="0 0 128 128">
  <defs><linearGradient id="g" x1="0" y1="0" x2="0" y2="1"><stop offset="0" stop-color="#e57000"/><stop offset="1" stop-color="#b34d00"/></linearGradient></defs>
  <rect x="4" y="4" width="120" height="120" rx="24" fill="url(#g)"/>
  <g fill="none" stroke="#fff" stroke-width="6" stroke-linejoin="round">
    <rect x="22" y="24" width="84" height="30" rx="6"/><rect x="22" y="66" width="60" height="30" rx="6"/>
  </g>
  <g fill="#fff"><circle cx="38" cy="39" r="5"/><circle cx="38" cy="81" r="5"/></g>
  <path d="M54 39h36" stroke="#fff" stroke-width="6" stroke-linecap="round"/>
  <path d="M88 86l9 9 17-19" fill="none" stroke="#fff" stroke-width="8" stroke-linecap="round" stroke-linejoin="round"/>
</svg>`;

const browser = await chromium.launch({ executablePath: chromiumPath(), headless: true, args: ['--no-sandbox'] });
try {
  const page = await browser.newPage({ viewport: { width: 128, height: 128 }, deviceScaleFactor: 1 });
  await page.setContent(`<html><body style="margin:0;background:transparent">${svg}</body></html>`);
  const png = await page.locator('svg').screenshot({ omitBackground: true });
  writeFileSync(new URL('../media/icon.png', import.meta.url), png);
  console.log(`media/icon.png: ${png.length} bytes`);
} finally {
  await browser.close();
}
