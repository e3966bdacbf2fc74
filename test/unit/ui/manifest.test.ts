import { strict as assert } from 'node:assert';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { repoRoot } from '../../helpers/paths';
import { readManifest } from '../../helpers/manifest';

interface Cmd { command: string; title: string; category?: string }
const pkg = readManifest<any>(); // eslint-disable-line @typescript-eslint/no-explicit-any
const sources = readdirSync(join(repoRoot, 'src'), { recursive: true })
  .map(String).filter((f) => f.endsWith('.ts')).map((f) => readFileSync(join(repoRoot, 'src', f), 'utf8')).join('\n');

describe('ui: manifest', () => {
  const commands: Cmd[] = pkg.contributes.commands;

  it('every contributed command is registered in the code, under the Proxbox category, with a proxbox. id', () => {
    for (const c of commands) {
      assert.match(c.command, /^proxbox\.[a-z]+(\.[a-zA-Z]+)?$/, c.command);
      assert.equal(c.category, 'Proxbox', c.command);
      assert.ok(sources.includes(`'${c.command}'`), `${c.command} is contributed but never registered`);
    }
  });

  it('menus and welcome links only name contributed commands', () => {
    const ids = new Set(commands.map((c) => c.command));
    for (const [menu, entries] of Object.entries(pkg.contributes.menus as Record<string, { command: string }[]>)) {
      for (const e of entries) assert.ok(ids.has(e.command), `${menu} names unknown ${e.command}`);
    }
    for (const w of pkg.contributes.viewsWelcome) {
      for (const m of String(w.contents).matchAll(/command:([\w.]+)/g)) assert.ok(ids.has(m[1]!), `welcome names unknown ${m[1]}`);
    }
    for (const w of pkg.contributes.walkthroughs) {
      for (const s of w.steps) {
        for (const m of String(s.description).matchAll(/command:([\w.]+)/g)) {
          assert.ok(ids.has(m[1]!) || m[1]!.startsWith('workbench.'), `walkthrough names unknown ${m[1]}`);
        }
      }
    }
  });

  it('endpoints are application-scoped and every setting has a description', () => {
    const props = pkg.contributes.configuration.properties as Record<string, { scope?: string; description?: string; markdownDescription?: string }>;
    assert.equal(props['proxbox.endpoints']!.scope, 'application');
    for (const [k, v] of Object.entries(props)) {
      assert.ok(k.startsWith('proxbox.'), k);
      assert.ok((v.description ?? v.markdownDescription ?? '').length > 20, `${k} needs a clear description`);
    }
  });

  it('the walkthrough media and view icons exist', () => {
    for (const s of pkg.contributes.walkthroughs[0].steps) readFileSync(join(repoRoot, s.media.markdown));
    readFileSync(join(repoRoot, pkg.contributes.viewsContainers.activitybar[0].icon));
  });
});
