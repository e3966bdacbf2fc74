// Packages the extension as a .vsix with vsce. Everything is bundled by esbuild, so --no-dependencies: the .vsix
// holds the bundles, media, README, LICENSE and package.json only (.vscodeignore lists them).
// Run directly (`npm run package`) it also prints the size and the file list.
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { repoRoot, run } from './util.mjs';

export const VSIX = join(repoRoot, 'dist', 'proxbox.vsix');

const KEY = /-----BEGIN [A-Z ]*PRIVATE KEY-----[\s\S]*?-----END [A-Z ]*PRIVATE KEY-----/g;
const normalize = (pem) => pem.replace(/\\n|\s/g, '');

/**
 * vsce refuses packages that contain private keys. Ours holds exactly the simulator's loopback keys, public on
 * purpose (src/sim/certs.ts for the PVE cluster, src/sim/pbs/cert.ts for the PBS), so vsce's check is relaxed for private keys and replaced by this narrower one:
 * any other private key in a shipped file still stops the packaging.
 */
function checkPrivateKeys() {
  const sources = [join(repoRoot, 'src', 'sim', 'certs.ts'), join(repoRoot, 'src', 'sim', 'pbs', 'cert.ts')];
  const allowed = new Set(sources.flatMap((f) => readFileSync(f, 'utf8').match(KEY) ?? []).map(normalize));
  const shipped = [];
  for (const dir of ['dist', 'media']) {
    if (!existsSync(join(repoRoot, dir))) continue;
    for (const f of readdirSync(join(repoRoot, dir), { recursive: true })) {
      if (/\.(js|json|css|html|md)$/.test(String(f))) shipped.push(join(dir, String(f)));
    }
  }
  const unexpected = shipped.filter((f) => (readFileSync(join(repoRoot, f), 'utf8').match(KEY) ?? []).some((k) => !allowed.has(normalize(k))));
  if (unexpected.length) {
    throw new Error(`a private key that is not one of the simulator's public test keys (src/sim/certs.ts, src/sim/pbs/cert.ts) is in ${unexpected.join(', ')}; ` +
      'remove it from the bundle before packaging.');
  }
}

export async function packageVsix(out = VSIX) {
  checkPrivateKeys();
  const vsce = join(repoRoot, 'node_modules', '.bin', 'vsce');
  const r = await run(vsce, ['package', '--no-dependencies', '--allow-package-secrets', 'privatekey', '--out', out]);
  if (r.code !== 0) throw new Error(`vsce package failed (exit ${r.code}):\n${r.out.trim()}`);
  const files = Number(/Packaged: .*\((\d+) files?,/.exec(r.out)?.[1] ?? NaN);
  return { path: out, bytes: statSync(out).size, listing: r.out.trim(), files };
}

export const kb = (bytes) => `${(bytes / 1024).toFixed(1)} KB`;

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const { path, bytes, listing } = await packageVsix();
  console.log(listing.split('\n').filter((l) => !/^\s*$/.test(l) && !/ DONE /.test(l)).join('\n'));
  console.log(`${relative(process.cwd(), path)}: ${kb(bytes)}`);
}
