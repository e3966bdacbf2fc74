// Makes sure a working code-server (VS Code's server and web build, from npm) is in the cache, installing it if not.
//
// An install is built in a private staging folder and renamed into place only after it has been checked, with a
// marker file written last, so an interrupted or failed install never looks usable and is simply redone next time;
// two runs racing on a cold cache each build their own and the loser discards its copy.
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync, copyFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { arch } from 'node:os';
import { cacheRoot, info, run } from './util.mjs';

/** The newest code-server whose postinstall accepts Node 20; it bundles VS Code 1.100.3 (our engines.vscode floor). */
export const CODE_SERVER_VERSION = process.env.PROXBOX_CODE_SERVER_VERSION || '4.100.3';

const MARKER = '.proxbox-install-complete';

export function codeServerPaths(dir) {
  const pkg = join(dir, 'node_modules', 'code-server');
  return {
    bin: join(dir, 'node_modules', '.bin', 'code-server'),
    pkg,
    // The pieces a half-finished postinstall leaves out: without them VS Code starts but search or terminals break.
    rg: join(pkg, 'lib', 'vscode', 'node_modules', '@vscode', 'ripgrep', 'bin', 'rg'),
    pty: join(pkg, 'lib', 'vscode', 'node_modules', 'node-pty', 'build', 'Release', 'pty.node'),
    workbench: join(pkg, 'lib', 'vscode', 'out', 'vs', 'code', 'browser', 'workbench', 'workbench.js'),
    extensionsDeps: join(pkg, 'lib', 'vscode', 'extensions', 'node_modules'),
    marker: join(dir, MARKER),
  };
}

function missingPieces(dir) {
  const p = codeServerPaths(dir);
  return ['bin', 'rg', 'pty', 'workbench', 'extensionsDeps', 'marker'].filter((k) => !existsSync(p[k]));
}

/** Returns the paths of a complete install of `version`, installing it first when needed. */
export async function ensureCodeServer(version = CODE_SERVER_VERSION) {
  const root = cacheRoot();
  const dir = join(root, `code-server-${version}`);
  if (existsSync(dir)) {
    const missing = missingPieces(dir);
    if (missing.length === 0) return { dir, version, cached: true, ...codeServerPaths(dir) };
    info(`code-server ${version} in the cache is incomplete (missing ${missing.join(', ')}): reinstalling`);
    rmSync(dir, { recursive: true, force: true });
  }
  mkdirSync(root, { recursive: true });
  // Leftovers of interrupted installs by processes that no longer exist.
  for (const name of readdirSync(root)) {
    const m = /^code-server-.*\.partial-(\d+)$/.exec(name);
    if (m && !pidAlive(Number(m[1]))) rmSync(join(root, name), { recursive: true, force: true });
  }
  const staging = `${dir}.partial-${process.pid}`;
  rmSync(staging, { recursive: true, force: true });
  mkdirSync(staging, { recursive: true });
  try {
    await installInto(staging, version);
    const missing = missingPieces(staging).filter((k) => k !== 'marker');
    if (missing.length) throw new Error(`code-server ${version} installed without ${missing.join(', ')}; see ${join(staging, 'install.log')}`);
    writeFileSync(join(staging, MARKER), JSON.stringify({ version, node: process.version, at: new Date().toISOString() }) + '\n');
    try {
      renameSync(staging, dir);
    } catch (e) {
      // Another run finished first; its install is as good as ours.
      if (!existsSync(codeServerPaths(dir).marker)) throw e;
      rmSync(staging, { recursive: true, force: true });
    }
  } catch (e) {
    // Keep the log where the next step can find it, then drop the half-built tree.
    const log = join(root, `code-server-${version}-install-failed.log`);
    if (existsSync(join(staging, 'install.log'))) copyFileSync(join(staging, 'install.log'), log);
    rmSync(staging, { recursive: true, force: true });
    e.message += existsSync(log) ? `\n(install log kept in ${log})` : '';
    throw e;
  }
  return { dir, version, cached: false, ...codeServerPaths(dir) };
}

function pidAlive(pid) {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

async function must(cmd, args, opts, what) {
  const r = await run(cmd, args, opts);
  if (r.code !== 0) throw new Error(`${what} failed (exit ${r.code}):\n${r.out.split('\n').slice(-30).join('\n')}`);
  return r.out;
}

const tarFile = (cwd, tgz, file) => run('tar', ['-xzOf', tgz, file], { cwd }).then((r) => (r.code === 0 ? r.out : ''));

async function installInto(staging, version) {
  const nodeMajor = process.versions.node.split('.')[0];
  const tmp = join(staging, 'tmp');
  mkdirSync(tmp);
  writeFileSync(join(staging, 'package.json'), '{ "private": true }\n');
  const npmEnv = { ...process.env, npm_config_loglevel: 'error', npm_config_fund: 'false', npm_config_audit: 'false', npm_config_update_notifier: 'false' };

  info(`installing code-server ${version} into the cache (a few minutes, once per machine)`);
  await must('npm', ['pack', `code-server@${version}`], { cwd: staging, env: npmEnv }, `npm pack code-server@${version}`);
  const tgz = `code-server-${version}.tgz`;
  const manifest = JSON.parse(await tarFile(staging, tgz, 'package/package.json'));
  const wantNode = String(manifest.engines?.node ?? '').replace(/[^0-9]/g, '');
  if (wantNode && wantNode !== nodeMajor) {
    throw new Error(`code-server ${version} installs only under Node ${wantNode} (its postinstall checks the major version), ` +
      `but this is Node ${process.versions.node}. Run the VS Code tests with Node ${wantNode}.`);
  }

  // npm 11 skips dependency install scripts unless package.json's allowScripts approves them, and code-server's
  // postinstall runs nested `npm install`s in lib/vscode and lib/vscode/extensions that need native builds. So we
  // unpack with scripts off, approve in each of the three package.json files exactly the packages its lockfile marks
  // as having install scripts (all pinned by those lockfiles), then run the scripts. (--allow-scripts or an npmrc
  // entry would not do: npm passes config down to the nested installs as a flag, which they reject.)
  const allow = {};
  let ripgrepVersion = '';
  for (const sub of ['', 'lib/vscode/', 'lib/vscode/extensions/']) {
    const text = await tarFile(staging, tgz, `package/${sub}npm-shrinkwrap.json`);
    allow[sub] = {};
    for (const [key, entry] of Object.entries(text ? JSON.parse(text).packages ?? {} : {})) {
      if (entry.hasInstallScript && key.includes('node_modules/')) allow[sub][key.slice(key.lastIndexOf('node_modules/') + 13)] = true;
      if (key === 'node_modules/@vscode/ripgrep' && sub === 'lib/vscode/') ripgrepVersion = entry.version;
    }
  }
  writeFileSync(join(staging, 'package.json'), JSON.stringify({ private: true, allowScripts: { 'code-server': true, ...allow[''] } }, null, 2));

  if (ripgrepVersion) await seedRipgrepCache(staging, tmp, ripgrepVersion, npmEnv);

  const log = [];
  const step = async (args, what) => {
    const r = await run('npm', args, {
      cwd: staging,
      env: {
        ...npmEnv,
        TMPDIR: tmp,
        // The postinstall refuses to run as root without unsafe-perm (npm 11 has no flag for it, only the setting).
        npm_config_unsafe_perm: 'true',
        // node-pty's build calls `npx node-gyp`; a user config with yes=false would make npx refuse.
        npm_config_yes: 'true',
      },
    });
    log.push(`$ npm ${args.join(' ')}\n${r.out}`);
    writeFileSync(join(staging, 'install.log'), log.join('\n'));
    if (r.code !== 0) throw new Error(`${what} failed (exit ${r.code}):\n${r.out.split('\n').slice(-40).join('\n')}`);
    if (/not yet covered by allowScripts/.test(r.out)) {
      const lines = r.out.split('\n').filter((l) => l.includes('install-scripts')).join('\n');
      throw new Error(`npm skipped install scripts that code-server needs:\n${lines}`);
    }
  };
  await step(['install', '--ignore-scripts', `./${tgz}`], `npm install code-server@${version}`);
  for (const sub of ['lib/vscode/', 'lib/vscode/extensions/']) {
    const file = join(staging, 'node_modules', 'code-server', sub, 'package.json');
    const pkg = JSON.parse(readFileSync(file, 'utf8'));
    pkg.allowScripts = { ...pkg.allowScripts, ...allow[sub] };
    writeFileSync(file, JSON.stringify(pkg, null, 2));
  }
  await step(['rebuild', '--foreground-scripts'], `building code-server ${version} (its postinstall and native modules)`);
  rmSync(tmp, { recursive: true, force: true });
  for (const f of readdirSync(staging)) if (f.endsWith('.tgz')) rmSync(join(staging, f));
}

/**
 * @vscode/ripgrep's postinstall downloads rg from GitHub, which CI machines cannot reach. It first looks in
 * $TMPDIR/vscode-ripgrep-cache-<version>/ for the release archive, so we put Debian's rg there in that shape.
 */
async function seedRipgrepCache(staging, tmp, ripgrepVersion, npmEnv) {
  const which = await run('sh', ['-c', 'command -v rg']);
  const rg = which.out.trim();
  if (which.code !== 0 || !rg) throw new Error('ripgrep (rg) is needed to install code-server offline from GitHub; install it (`.ci/install-system` does) and rerun.');
  await must('npm', ['pack', `@vscode/ripgrep@${ripgrepVersion}`], { cwd: staging, env: npmEnv }, `npm pack @vscode/ripgrep@${ripgrepVersion}`);
  const postinstall = await tarFile(staging, `vscode-ripgrep-${ripgrepVersion}.tgz`, 'package/lib/postinstall.js');
  const tag = /const VERSION = '([^']+)'/.exec(postinstall)?.[1];
  if (!tag) throw new Error(`could not read the ripgrep release tag from @vscode/ripgrep@${ripgrepVersion}`);
  const target = { x64: 'x86_64-unknown-linux-musl', arm64: 'aarch64-unknown-linux-musl' }[arch()];
  if (!target) throw new Error(`no ripgrep archive name known for architecture ${arch()}`);
  const cache = join(tmp, `vscode-ripgrep-cache-${ripgrepVersion}`);
  const bin = join(tmp, 'rg-bin');
  mkdirSync(cache, { recursive: true });
  mkdirSync(bin);
  copyFileSync(rg, join(bin, 'rg'));
  await must('tar', ['-czf', join(cache, `ripgrep-${tag}-${target}.tar.gz`), '-C', bin, 'rg'], {}, 'packing rg');
}

export function readInstalledVersion(dir) {
  return JSON.parse(readFileSync(join(dir, 'node_modules', 'code-server', 'package.json'), 'utf8')).version;
}
