// Keeps every user-facing string of the manifest in package.nls.json (VS Code replaces "%key%" values with the
// strings of package.nls.json, or of package.nls.<locale>.json when a translation exists). Run after adding a
// command, setting or view: `node scripts/nls.mjs` moves each new literal into package.nls.json under a key made from
// where it sits (command.<id>.title, setting.<key>.description, view.<id>.name …); `--check` only reports them
// (test/unit/manifestNls.test.ts runs the same check).
import { readFileSync, writeFileSync } from 'node:fs';

/** Fields a user reads, wherever they sit. `name` only names something in views and walkthrough steps. */
const USER_FACING = new Set([
  'title', 'shortTitle', 'description', 'markdownDescription', 'enumDescriptions', 'markdownEnumDescriptions',
  'displayName', 'label', 'contextualTitle', 'category', 'contents', 'deprecationMessage', 'markdownDeprecationMessage',
  'errorMessage', 'patternErrorMessage',
]);

function segment(item, index) {
  if (item && typeof item === 'object') {
    // A view may have several welcome contents (one per `when`): the view id alone would not tell them apart.
    if (item.id === undefined && item.command === undefined && item.view !== undefined) return `${item.view}.${index}`;
    return String(item.id ?? item.command ?? index);
  }
  return String(index);
}

function keyOf(path, value) {
  // Every command has the same category: one string to translate, not one per command.
  if (path[path.length - 1] === 'category') return `category.${value.toLowerCase().replace(/[^a-z0-9]+/g, '-')}`;
  return path.join('.')
    .replace(/^contributes\./, '')
    .replace(/^configuration\.properties\./, 'setting.')
    .replace(/^commands\./, 'command.')
    .replace(/^views\.[^.]+\./, 'view.')
    .replace(/^viewsContainers\.[^.]+\./, 'viewContainer.');
}

function isUserFacing(path) {
  const field = path[path.length - 1];
  if (USER_FACING.has(field)) return true;
  if (field === 'name') return path[0] === 'contributes' && path[1] === 'views';
  return false;
}

/** Walks the manifest; `visit(path, value, set)` is called for every user-facing string (arrays of strings too). */
export function walkManifest(manifest, visit) {
  const walk = (node, path) => {
    if (Array.isArray(node)) {
      node.forEach((item, i) => {
        if (typeof item === 'string') {
          if (isUserFacing(path)) visit([...path, String(i)], item, (v) => { node[i] = v; });
        } else walk(item, [...path, segment(item, i)]);
      });
      return;
    }
    if (!node || typeof node !== 'object') return;
    for (const [k, v] of Object.entries(node)) {
      // The JSON schema of a setting's default value, examples and menus' when clauses are not text to translate.
      if (k === 'default' || k === 'examples' || k === 'menus' || k === 'jsonValidation' || k === 'scripts') continue;
      const p = [...path, k];
      if (typeof v === 'string') {
        if (isUserFacing(p) && path.length > 0) visit(p, v, (nv) => { node[k] = nv; });
        else if (path.length === 0 && (k === 'displayName' || k === 'description')) visit(p, v, (nv) => { node[k] = nv; });
      } else walk(v, p);
    }
  };
  walk(manifest, []);
}

export function literals(manifest) {
  const out = [];
  walkManifest(manifest, (path, value) => {
    if (!/^%[^%]+%$/.test(value)) out.push({ key: keyOf(path, value), value });
  });
  return out;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const manifestUrl = new URL('../package.json', import.meta.url);
  const nlsUrl = new URL('../package.nls.json', import.meta.url);
  const manifest = JSON.parse(readFileSync(manifestUrl, 'utf8'));
  let nls = {};
  try { nls = JSON.parse(readFileSync(nlsUrl, 'utf8')); } catch { /* first run */ }
  const found = literals(manifest);
  if (process.argv.includes('--check')) {
    for (const l of found) console.log(`literal at ${l.key}: ${JSON.stringify(l.value).slice(0, 80)}`);
    process.exit(found.length ? 1 : 0);
  }
  walkManifest(manifest, (path, value, set) => {
    if (/^%[^%]+%$/.test(value)) return;
    const key = keyOf(path, value);
    if (nls[key] !== undefined && nls[key] !== value) throw new Error(`${key} is already in package.nls.json with another text`);
    nls[key] = value;
    set(`%${key}%`);
  });
  writeFileSync(manifestUrl, `${JSON.stringify(manifest, null, 2)}\n`);
  writeFileSync(nlsUrl, `${JSON.stringify(nls, null, 2)}\n`);
  console.log(`${found.length} string(s) moved to package.nls.json (${Object.keys(nls).length} in all)`);
}
