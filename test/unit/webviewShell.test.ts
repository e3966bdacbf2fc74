import { strict as assert } from 'node:assert';
import { buildShell, contentSecurityPolicy, escapeHtml, makeNonce } from '../../src/ui/webviews/html';

const cspSource = 'https://file+.vscode-resource.vscode-cdn.net';

function cspOf(html: string): string {
  const m = /<meta http-equiv="Content-Security-Policy" content="([^"]*)">/.exec(html);
  assert.ok(m, 'the shell has a CSP meta tag');
  return m[1].replace(/&#39;/g, "'");
}

function directives(csp: string): Map<string, string[]> {
  return new Map(csp.split(';').map((d) => d.trim().split(/\s+/)).map(([name, ...values]) => [name, values]));
}

describe('webview HTML shell', () => {
  const nonce = makeNonce();
  const html = buildShell({
    cspSource, nonce, scriptUri: `${cspSource}/media/webview/routine.js`,
    styleUris: [`${cspSource}/media/webview/common.css`], title: 'Backup job <b>weekly</b>',
  });

  it('forbids everything by default and allows only the nonce-carrying script and our own styles', () => {
    const d = directives(cspOf(html));
    assert.deepEqual(d.get('default-src'), ["'none'"]);
    assert.deepEqual(d.get('script-src'), [`'nonce-${nonce}'`]);
    assert.deepEqual(d.get('style-src'), [cspSource]);
    for (const [name, values] of d) {
      assert.ok(!values.includes("'unsafe-inline'") && !values.includes("'unsafe-eval'"), `${name} allows unsafe code`);
      assert.ok(!values.some((v) => v === 'https:' || v === 'http:' || v === '*' || v === 'data:'), `${name} allows remote or data resources`);
    }
  });

  it('gives the one script tag the same nonce and loads no remote resource', () => {
    const scripts = [...html.matchAll(/<script\b([^>]*)>/g)].map((m) => m[1]);
    assert.equal(scripts.length, 1);
    assert.match(scripts[0], new RegExp(`nonce="${nonce.replace(/[+/=]/g, '\\$&')}"`));
    const urls = [...html.matchAll(/(?:src|href)="([^"]*)"/g)].map((m) => m[1]);
    assert.ok(urls.length >= 2);
    for (const u of urls) assert.ok(u.startsWith(cspSource), `${u} is not served by the webview`);
  });

  it('escapes the title, so markup in a name cannot enter the page', () => {
    assert.match(html, /<title>Backup job &lt;b&gt;weekly&lt;\/b&gt;<\/title>/);
    assert.ok(!html.includes('<b>'));
  });

  it('makes a fresh 128-bit nonce each time and refuses a weak one', () => {
    const nonces = new Set(Array.from({ length: 50 }, () => makeNonce()));
    assert.equal(nonces.size, 50);
    for (const n of nonces) assert.equal(Buffer.from(n, 'base64').length, 16);
    assert.throws(() => buildShell({ cspSource, nonce: 'abc', scriptUri: 'x', styleUris: [], title: 't' }), /nonce/);
    assert.throws(() => buildShell({ cspSource, nonce: 'a"onload="alert(1)aaaaaaaaaaaa', scriptUri: 'x', styleUris: [], title: 't' }), /nonce/);
  });

  it('builds the policy string from the webview origin', () => {
    assert.equal(contentSecurityPolicy('vscode-webview://abc', 'N0nceN0nceN0nceN0nce'),
      "default-src 'none'; style-src vscode-webview://abc; img-src vscode-webview://abc; font-src vscode-webview://abc; script-src 'nonce-N0nceN0nceN0nceN0nce'; base-uri 'none'; form-action 'none'");
    assert.equal(escapeHtml(`<img src=x onerror="alert('1')">&`), '&lt;img src=x onerror=&quot;alert(&#39;1&#39;)&quot;&gt;&amp;');
  });
});
