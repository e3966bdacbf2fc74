import { strict as assert } from 'node:assert';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { repoRoot } from '../helpers/paths';

const webviewDir = join(repoRoot, 'src', 'webview');
const views = readdirSync(webviewDir, { withFileTypes: true }).filter((d) => d.isDirectory() && d.name !== 'shared').map((d) => d.name);

function browserSources(): string[] {
  return readdirSync(webviewDir, { recursive: true }).map(String).filter((f) => f.endsWith('.ts')).map((f) => join(webviewDir, f));
}

describe('webview protocols and browser code', () => {
  it('has a protocol.ts and a main.ts for each view', () => {
    assert.deepEqual(views.sort(), ['calendar', 'routine']);
    for (const v of views) {
      const files = readdirSync(join(webviewDir, v));
      assert.ok(files.includes('protocol.ts') && files.includes('main.ts'), `${v} lacks protocol.ts or main.ts`);
    }
  });

  for (const v of ['calendar', 'routine']) {
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

  it('browser code imports only its own protocol and the shared helpers', () => {
    for (const f of browserSources()) {
      for (const m of readFileSync(f, 'utf8').matchAll(/from\s+['"]([^'"]+)['"]/g)) {
        assert.match(m[1], /^\.\.?\/(shared\/)?[\w]+$|^\.\/[\w]+$/, `${f} imports ${m[1]}`);
      }
    }
  });
});
