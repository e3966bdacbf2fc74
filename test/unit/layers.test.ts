import { strict as assert } from 'node:assert';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { repoRoot } from '../helpers/paths';

function sources(dir: string): string[] {
  // A layer folder that does not exist yet has nothing to check.
  if (!existsSync(join(repoRoot, dir))) return [];
  return readdirSync(join(repoRoot, dir), { recursive: true })
    .map((f) => join(dir, String(f)))
    .filter((f) => f.endsWith('.ts'));
}

const importsVscode = /(from\s+['"]vscode['"]|require\(\s*['"]vscode['"]\s*\)|import\s*\(\s*['"]vscode['"]\s*\))/;

describe('layers', () => {
  for (const dir of ['src/core', 'src/cli', 'src/sim', 'src/webview', 'src/ui/format']) {
    it(`${dir} never imports vscode`, () => {
      const offenders = sources(dir).filter((f) => importsVscode.test(readFileSync(join(repoRoot, f), 'utf8')));
      assert.deepEqual(offenders, []);
    });
  }

  it('src/core never imports from src/ui, src/cli or src/extension', () => {
    const offenders = sources('src/core').filter((f) =>
      /from\s+['"](\.\.\/)+(ui|cli|extension)(\/|['"])/.test(readFileSync(join(repoRoot, f), 'utf8')));
    assert.deepEqual(offenders, []);
  });

  it('each webview protocol.ts holds types only and imports nothing', () => {
    const protocols = sources('src/webview').filter((f) => f.endsWith('protocol.ts'));
    for (const f of protocols) {
      const text = readFileSync(join(repoRoot, f), 'utf8');
      assert.ok(!/^\s*import\s/m.test(text), `${f} imports something`);
    }
  });

  it('markdown is made in one place: one MarkdownString constructor in src/ui, with trust, HTML and icons off', () => {
    const made = sources('src/ui').flatMap((f) => (readFileSync(join(repoRoot, f), 'utf8').match(/new\s+vscode\.MarkdownString\s*\(/g) ?? []).map(() => f));
    assert.deepEqual(made, ['src/ui/tree/items.ts']);
    const nodes = readFileSync(join(repoRoot, 'src/ui/tree/items.ts'), 'utf8');
    for (const flag of ['isTrusted', 'supportHtml', 'supportThemeIcons']) assert.match(nodes, new RegExp(`md\\.${flag} = false;`));
  });

  it('the CLI never spreads an array into Math.max or Math.min (a RangeError at a few hundred thousand items)', () => {
    const offenders = sources('src/cli').filter((f) => /Math\.(max|min)\(\s*\.\.\./.test(readFileSync(join(repoRoot, f), 'utf8')));
    assert.deepEqual(offenders, []);
  });
});
