// Which context-menu entries a PBS endpoint row gets: its context value ends in `.pbs`, and the manifest's when
// clauses (evaluated here as VS Code does, a `viewItem =~ /re/` match) keep NetBox and single-stage commands off it
// while sync, schedule, test, edit and remove stay.
import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { repoRoot } from '../../helpers/paths';

const pkg = JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8'));
const entries: { command: string; when?: string; group?: string }[] = pkg.contributes.menus['view/item/context'];

/** The commands a row with this context value shows in the endpoints view (only `viewItem` clauses are evaluated). */
function commandsFor(contextValue: string): Set<string> {
  const out = new Set<string>();
  for (const e of entries) {
    if (!e.when?.includes('view == proxbox.endpoints')) continue;
    const eq = /viewItem == ([\w.]+)/.exec(e.when);
    const re = /viewItem =~ \/(.+)\/$/.exec(e.when);
    const matches = eq ? eq[1] === contextValue : re ? new RegExp(re[1]!).test(contextValue) : false;
    if (matches) out.add(e.command);
  }
  return out;
}

describe('ui: PBS endpoint menus', () => {
  for (const cv of ['proxbox.endpoint.pbs', 'proxbox.endpoint.demo.pbs', 'proxbox.endpoint.running.pbs']) {
    it(`${cv}: no NetBox or single-stage commands`, () => {
      const cmds = commandsFor(cv);
      for (const c of ['proxbox.endpoint.sendToNetBox', 'proxbox.netbox.open', 'proxbox.endpoint.stopNetBox', 'proxbox.sync.stage']) {
        assert.ok(!cmds.has(c), `${c} is offered on ${cv}`);
      }
      for (const c of ['proxbox.sync.endpoint', 'proxbox.endpoint.testConnection', 'proxbox.endpoint.edit', 'proxbox.endpoint.remove']) {
        assert.ok(cmds.has(c), `${c} is missing on ${cv}`);
      }
    });
  }

  it('a PVE endpoint keeps its NetBox and stage commands', () => {
    const cmds = commandsFor('proxbox.endpoint');
    assert.ok(cmds.has('proxbox.endpoint.sendToNetBox'));
    assert.ok(cmds.has('proxbox.sync.stage'));
    assert.ok(commandsFor('proxbox.endpoint.netbox').has('proxbox.netbox.open'));
  });
});
