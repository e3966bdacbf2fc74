import { strict as assert } from 'node:assert';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { repoRoot } from '../helpers/paths';

const webviewDir = join(repoRoot, 'src', 'webview');
const views = readdirSync(webviewDir, { withFileTypes: true }).filter((d) => d.isDirectory() && d.name !== 'shared').map((d) => d.name);

function browserSources(): string[] {
  return readdirSync(webviewDir, { recursive: true }).map(String).filter((f) => f.endsWith('.ts')).map((f) => join(webviewDir, f));
}

describe('webview protocols and browser code', () => {
  it('has a protocol.ts and a main.ts for each view', () => {
    assert.deepEqual(views.sort(), ['calendar', 'health', 'routine']);
    for (const v of views) {
      const files = readdirSync(join(webviewDir, v));
      assert.ok(files.includes('protocol.ts') && files.includes('main.ts'), `${v} lacks protocol.ts or main.ts`);
    }
  });

  for (const v of ['calendar', 'health', 'routine']) {
    it(`${v}/protocol.ts holds types only: no import, no runtime code`, () => {
      const text = readFileSync(join(webviewDir, v, 'protocol.ts'), 'utf8')
        .replace(/\/\*[\s\S]*?\*\//g, '').replace(/\/\/.*$/gm, '');
      assert.ok(!/^\s*import\b|\brequire\s*\(|\bimport\s*\(/m.test(text), 'imports something');
      const statements = text.match(/^\s*export\s+(\w+)/gm) ?? [];
      assert.ok(statements.length > 3);
      for (const s of statements) assert.match(s, /export\s+(interface|type)$/, `runtime export: ${s.trim()}`);
      assert.ok(!/^\s*(const|let|var|function|class|enum)\b/m.test(text), 'declares runtime values');
    });
  }

  it('never inserts markup: no innerHTML, outerHTML, insertAdjacentHTML or document.write in browser code', () => {
    const offenders = browserSources().filter((f) =>
      /\.(innerHTML|outerHTML)\s*=|insertAdjacentHTML|document\.write|createContextualFragment|DOMParser/.test(readFileSync(f, 'utf8')));
    assert.deepEqual(offenders, []);
  });

  // The browser bundle may use pure core modules (Intl only, no Node API, no vscode), listed here on purpose: one set
  // of time formatters and one zone clock for the extension and the views alike, instead of browser copies.
  // health/labels.ts and types.ts: the statuses' order, the outcome symbols and words, one set for the tree, the CLI
  // and both webviews.
  const BROWSER_SAFE_CORE = [
    'src/core/text/time.ts', 'src/core/schedule/civil.ts', 'src/core/schedule/timeZone.ts', 'src/core/health/labels.ts', 'src/core/health/types.ts',
  ];

  /** `runtimeOnly`: leave out type-only imports, which the compiler erases and so never reach the bundle. */
  function importsOf(file: string, runtimeOnly = false): string[] {
    const source = readFileSync(join(repoRoot, file), 'utf8');
    const text = runtimeOnly ? source.replace(/^\s*(import|export)\s+type\s[^;]*;/gm, '') : source;
    return [...text.matchAll(/(?:from|import)\s+['"]([^'"]+)['"]/g)].map((m) => {
      const spec = m[1];
      if (!spec.startsWith('.')) return spec;
      return relative(repoRoot, resolve(dirname(join(repoRoot, file)), spec)).split(sep).join('/') + '.ts';
    });
  }

  it('browser code imports only the webview folder and the browser-safe core modules', () => {
    for (const f of browserSources()) {
      const file = relative(repoRoot, f).split(sep).join('/');
      for (const target of importsOf(file)) {
        assert.ok(target.startsWith('src/webview/') || BROWSER_SAFE_CORE.includes(target), `${file} imports ${target}`);
        assert.ok(existsSync(join(repoRoot, target)), `${file} imports ${target}, which does not exist`);
      }
    }
  });

  it('the browser-safe core modules import only one another, and no Node or DOM API', () => {
    for (const file of BROWSER_SAFE_CORE) {
      for (const target of importsOf(file, true)) assert.ok(BROWSER_SAFE_CORE.includes(target), `${file} imports ${target}`);
      const text = readFileSync(join(repoRoot, file), 'utf8');
      assert.ok(!/\b(process|Buffer|require|document|window)\b/.test(text.replace(/\/\/.*$/gm, '')), `${file} uses a Node or DOM global`);
    }
  });

  it('protocol types reach the other side: the extension imports each view\'s protocol, not a copy', () => {
    const host = readdirSync(join(repoRoot, 'src', 'ui', 'webviews')).filter((f) => f.endsWith('.ts'))
      .flatMap((f) => importsOf(`src/ui/webviews/${f}`));
    for (const v of ['calendar', 'health', 'routine']) assert.ok(host.includes(`src/webview/${v}/protocol.ts`), `the host does not import ${v}/protocol.ts`);
    assert.ok(host.includes('src/webview/shared/rpc.ts'), 'the host does not use the shared request/reply envelope');
  });
});
