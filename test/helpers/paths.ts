// Tests run bundled from out/; fixtures and sources are found from the repository root instead.
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';

function findRoot(start: string): string {
  let dir = start;
  while (!existsSync(join(dir, 'package.json')) || !existsSync(join(dir, 'src'))) {
    const up = dirname(dir);
    if (up === dir) throw new Error(`repository root not found above ${start}`);
    dir = up;
  }
  return dir;
}

export const repoRoot = findRoot(__dirname);
export const fixture = (...parts: string[]): string => join(repoRoot, 'test', 'fixtures', ...parts);
export const cliPath = join(repoRoot, 'dist', 'cli.js');
