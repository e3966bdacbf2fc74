// The tests module VS Code loads in the extension host (extensionTestsPath): it runs every *.test.js bundled next
// to it. To add tests, drop a test/integration/<feature>.test.ts file; nothing needs registering.
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import Mocha from 'mocha';

export function run(): Promise<void> {
  // The spec reporter's lines reach the terminal through the workbench's automation log, so no colours.
  const mocha = new Mocha({ ui: 'bdd', reporter: 'spec', color: false, timeout: 20_000 });
  if (process.env.PROXBOX_TEST_GREP) mocha.grep(process.env.PROXBOX_TEST_GREP);
  for (const file of readdirSync(__dirname).filter((f) => f.endsWith('.test.js')).sort()) mocha.addFile(join(__dirname, file));
  // Markers for scripts/vscode/run-integration.mjs, which shows only the lines between them.
  console.log('proxbox-integration-suite: start');
  return new Promise((resolve, reject) => {
    mocha.run((failures) => {
      console.log('proxbox-integration-suite: end');
      if (failures) reject(new Error(`${failures} integration test(s) failed`));
      else resolve();
    });
  });
}
