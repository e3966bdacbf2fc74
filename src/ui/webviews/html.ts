// The HTML shell every webview starts from: a strict Content-Security-Policy (nothing but our own bundled script,
// carrying a fresh nonce, and our own stylesheets), no remote resources, and an empty body the script fills.
// No vscode import, so the policy is unit-tested in plain mocha.
import { randomBytes } from 'node:crypto';

export interface ShellOptions {
  /** webview.cspSource: the origin VS Code serves local resources from. */
  cspSource: string;
  nonce: string;
  /** webview.asWebviewUri() of the bundled script and the stylesheets. */
  scriptUri: string;
  styleUris: string[];
  title: string;
}

/** 128 random bits, base64: unguessable per render, as CSP nonces must be. */
export function makeNonce(): string {
  return randomBytes(16).toString('base64');
}

export function contentSecurityPolicy(cspSource: string, nonce: string): string {
  return [
    "default-src 'none'",
    `style-src ${cspSource}`,
    `img-src ${cspSource}`,
    `font-src ${cspSource}`,
    `script-src 'nonce-${nonce}'`,
    "base-uri 'none'",
    "form-action 'none'",
  ].join('; ');
}

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] as string);
}

export function buildShell(o: ShellOptions): string {
  if (!/^[A-Za-z0-9+/_-]{16,}={0,2}$/.test(o.nonce)) {
    throw new Error('The webview nonce must be at least 16 base64 characters; build it with makeNonce().');
  }
  const styles = o.styleUris.map((u) => `<link rel="stylesheet" href="${escapeHtml(u)}">`).join('\n    ');
  return `<!DOCTYPE html>
<html lang="en">
  <head>
    <meta charset="UTF-8">
    <meta http-equiv="Content-Security-Policy" content="${escapeHtml(contentSecurityPolicy(o.cspSource, o.nonce))}">
    <meta name="viewport" content="width=device-width, initial-scale=1.0">
    ${styles}
    <title>${escapeHtml(o.title)}</title>
  </head>
  <body>
    <main id="app" aria-busy="true"><p class="status">Loading…</p></main>
    <script nonce="${escapeHtml(o.nonce)}" src="${escapeHtml(o.scriptUri)}"></script>
  </body>
</html>
`;
}
