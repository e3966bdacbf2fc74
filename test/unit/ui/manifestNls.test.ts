// The manifest a marketplace user meets: every user-facing string comes from package.nls.json (so a translation is
// one more package.nls.<locale>.json), the icon is the PNG the marketplace asks for, and the changelog ships.
import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { repoRoot } from '../../helpers/paths';
import { readManifest, readNls, readRawManifest } from '../../helpers/manifest';

describe('ui: manifest strings and marketplace assets', () => {
  it('has no user-facing literal left in package.json (scripts/nls.mjs --check)', () => {
    const r = spawnSync(process.execPath, [join(repoRoot, 'scripts', 'nls.mjs'), '--check'], { encoding: 'utf8' });
    assert.equal(r.status, 0, `literal strings in package.json; run node scripts/nls.mjs:\n${r.stdout}${r.stderr}`);
  });

  it('resolves every %key% and keeps no unused key in package.nls.json', () => {
    const used = new Set(JSON.stringify(readRawManifest()).match(/"%[^%"]+%"/g)?.map((k) => k.slice(2, -2)) ?? []);
    assert.ok(used.size > 50, `only ${used.size} localized strings`);
    const nls = readNls();
    for (const k of used) assert.equal(typeof nls[k], 'string', `%${k}% has no text in package.nls.json`);
    for (const k of Object.keys(nls)) assert.ok(used.has(k), `package.nls.json has ${k}, which package.json does not use`);
    const m = readManifest<{ displayName: string; contributes: { commands: { title: string; category: string }[] } }>();
    assert.equal(m.displayName, 'Proxbox for VS Code');
    assert.ok(m.contributes.commands.every((c) => c.category === 'Proxbox' && !c.title.startsWith('%')));
  });

  it('declares a 128×128 PNG icon, categories, both workspace capabilities, and packages the changelog and strings', () => {
    const m = readRawManifest() as { icon: string; categories: string[]; capabilities: Record<string, { supported: unknown }> };
    const png = readFileSync(join(repoRoot, m.icon));
    assert.equal(png.subarray(1, 4).toString('latin1'), 'PNG');
    // IHDR: width and height, big-endian, at bytes 16 and 20.
    assert.deepEqual([png.readUInt32BE(16), png.readUInt32BE(20)], [128, 128]);
    assert.ok(!m.categories.includes('Other') || m.categories.length > 1, 'a category that says something');
    assert.ok(m.capabilities.untrustedWorkspaces && m.capabilities.virtualWorkspaces);
    const ignore = readFileSync(join(repoRoot, '.vscodeignore'), 'utf8').split('\n');
    for (const f of ['!CHANGELOG.md', '!package.nls.json', '!media/**']) assert.ok(ignore.includes(f), `.vscodeignore does not ship ${f.slice(1)}`);
    assert.match(readFileSync(join(repoRoot, 'CHANGELOG.md'), 'utf8'), /^# Changelog/);
  });
});
