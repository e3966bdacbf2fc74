// The CLI's outside world for in-process tests: captured stdout and stderr, a given environment, no stop signal.
import type { CliIO } from '../../src/cli/io';

export function captureIo(env: NodeJS.ProcessEnv = {}): CliIO & { out: string; err: string } {
  const r = {
    out: '', err: '',
    stdout: (t: string) => { r.out += t; },
    stderr: (t: string) => { r.err += t; },
    stdin: process.stdin, env, stopSignal: new AbortController().signal,
  };
  return r;
}
