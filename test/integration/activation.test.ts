// The extension as a user gets it: installed from the .vsix into a real VS Code, activated in the Node extension host.
import { strict as assert } from 'node:assert';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import * as vscode from 'vscode';
import { extension, manifest, metric } from './extension';

describe('Proxbox in VS Code', () => {
  it('activates, and reports how long that took', async () => {
    const ext = extension();
    const wasActive = ext.isActive;
    const started = performance.now();
    const api = await ext.activate();
    const total = performance.now() - started;
    assert.equal(ext.isActive, true);
    assert.ok(api.testing, 'activate() returned no testing exports');
    assert.ok(api.testing.activationMs >= 0 && api.testing.activationMs < 10_000, `activationMs = ${api.testing.activationMs}`);
    metric('activation (load + activate())', wasActive ? 'already active before the suite started' : `${total.toFixed(1)} ms`);
    metric('activate() body', `${api.testing.activationMs.toFixed(1)} ms`);
    metric('VS Code', `${vscode.version}, Node ${process.versions.node}, uiKind ${vscode.UIKind[vscode.env.uiKind]}`);
  });

  it('runs the packaged .vsix, not the working tree', () => {
    const root = extension().extensionPath;
    assert.ok(existsSync(join(root, 'dist', 'extension.js')), 'dist/extension.js is missing from the package');
    // A .vsix holds bundles only: sources, tests, dependencies or source maps in it would mean .vscodeignore leaks.
    for (const absent of ['src', 'test', 'node_modules', 'out', 'tsconfig.json', join('dist', 'extension.js.map')]) {
      assert.ok(!existsSync(join(root, absent)), `${absent} is in the installed package`);
    }
    assert.ok(readdirSync(root).some((f) => /^readme\.md$/i.test(f)), 'README is missing from the package');
  });

  it('runs in the Node extension host, in test mode, with the Node the core needs', () => {
    assert.equal(typeof process.versions.node, 'string');
    const [major, minor] = process.versions.node.split('.').map(Number);
    // undici 7 and mocha's require(esm) need Node >= 20.19, as engines.node says.
    assert.ok(major > 20 || (major === 20 && minor >= 19), `extension host runs Node ${process.versions.node}`);
    assert.equal(extension().extensionKind, vscode.ExtensionKind.Workspace);
    assert.ok(vscode.workspace.workspaceFolders?.length, 'the test workspace folder is not open');
  });

  it('contributes the Proxbox view container and the endpoints view, and VS Code shows them', async () => {
    const contributes = manifest().contributes;
    assert.deepEqual(contributes.viewsContainers.activitybar.map((c) => c.id), ['proxbox']);
    assert.ok(contributes.views.proxbox.some((v) => v.id === 'proxbox.endpoints'));
    // VS Code generates these commands only for containers and views it actually registered.
    await vscode.commands.executeCommand('workbench.view.extension.proxbox');
    await vscode.commands.executeCommand('proxbox.endpoints.focus');
  });

  it('registers a handler for every command it contributes', async () => {
    await extension().activate();
    const registered = new Set(await vscode.commands.getCommands(true));
    const contributed = manifest().contributes.commands.map((c) => c.command);
    assert.ok(contributed.length > 0);
    assert.deepEqual(contributed.filter((c) => !registered.has(c)), [], 'contributed commands without a handler');
  });
});
