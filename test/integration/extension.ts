// Shared by the integration tests: the extension under test, activated, and its test exports.
import { strict as assert } from 'node:assert';
import * as vscode from 'vscode';
import type { ProxboxExports } from '../../src/extension';

export const EXTENSION_ID = 'proxbox.proxbox-vscode';

export function extension(): vscode.Extension<ProxboxExports> {
  const ext = vscode.extensions.getExtension<ProxboxExports>(EXTENSION_ID);
  assert.ok(ext, `${EXTENSION_ID} is not loaded in this VS Code`);
  return ext;
}

/** Activates the extension (once) and returns its `testing` exports. */
export async function testing(): Promise<NonNullable<ProxboxExports['testing']>> {
  const api = await extension().activate();
  assert.ok(api?.testing, 'activate() returned no `testing` exports: is the extension running in Test mode?');
  return api.testing;
}

/** The manifest as VS Code read it from the installed package (not from the working tree). */
export function manifest(): {
  contributes: { commands: { command: string; title: string }[]; viewsContainers: { activitybar: { id: string }[] }; views: Record<string, { id: string }[]> };
} {
  return extension().packageJSON;
}

/**
 * A figure for the run's summary: scripts/vscode/run.mjs collects `metric:` lines from every suite's output and
 * prints them at the end, so a measurement taken inside VS Code reaches the CI log.
 */
export function metric(name: string, value: string): void {
  console.log(`metric: ${name} = ${value}`);
}
