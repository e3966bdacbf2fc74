// The manifest as VS Code shows it: package.json with every "%key%" replaced by its text from package.nls.json
// (VS Code does the same when it loads the extension), so tests compare against the titles a user sees.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { repoRoot } from './paths';

const NLS_VALUE = /^%([^%]+)%$/;

export function readNls(): Record<string, string> {
  const file = join(repoRoot, 'package.nls.json');
  return existsSync(file) ? JSON.parse(readFileSync(file, 'utf8')) as Record<string, string> : {};
}

function resolve(node: unknown, nls: Record<string, string>): unknown {
  if (typeof node === 'string') {
    const m = NLS_VALUE.exec(node);
    if (!m) return node;
    const text = nls[m[1]!];
    if (text === undefined) throw new Error(`package.json names %${m[1]}% but package.nls.json has no such key; run node scripts/nls.mjs`);
    return text;
  }
  if (Array.isArray(node)) return node.map((n) => resolve(n, nls));
  if (node && typeof node === 'object') return Object.fromEntries(Object.entries(node).map(([k, v]) => [k, resolve(v, nls)]));
  return node;
}

/** package.json as parsed, without NLS resolution (the keys as written). */
export function readRawManifest(): Record<string, unknown> {
  return JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8')) as Record<string, unknown>;
}

/** package.json with its "%key%" strings resolved from package.nls.json. */
export function readManifest<T = Record<string, unknown>>(): T {
  return resolve(readRawManifest(), readNls()) as T;
}
