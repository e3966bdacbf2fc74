// Child process for the hostile-server tests: one sync of a (simulated) endpoint, with its own memory, so that the
// peak the test reads is the sync's alone. Usage: PROXBOX_TOKEN_SECRET=… node hostileSyncChild.js '<config JSON>'.
// Prints every pipeline event as one JSON line, then `{"peak": <bytes>, "ms": <duration>}` as the last line: the
// process's peak resident memory (VmHWM from /proc/self/status on Linux, getrusage's maxRSS elsewhere).
import { readFileSync } from 'node:fs';
import { runSync } from '../../src/core/pipeline';
import type { PipelineOptionsInput } from '../../src/core/pipeline/options';
import type { EndpointRef } from '../../src/core/inventory/model';

interface ChildConfig {
  endpoint: EndpointRef;
  store: string;
  options?: PipelineOptionsInput;
  /** Epoch seconds the sync believes it is. */
  now: number;
}

function peakBytes(): number {
  try {
    const m = /^VmHWM:\s+(\d+)\s+kB/m.exec(readFileSync('/proc/self/status', 'utf8'));
    if (m) return Number(m[1]) * 1024;
  } catch {
    // not Linux
  }
  return process.resourceUsage().maxRSS * 1024;
}

async function main(): Promise<void> {
  const config = JSON.parse(process.argv[2]) as ChildConfig;
  const out = (value: unknown): void => void process.stdout.write(`${JSON.stringify(value)}\n`);
  const t0 = performance.now();
  await runSync({
    endpoint: config.endpoint, secret: process.env.PROXBOX_TOKEN_SECRET ?? '', store: config.store, options: config.options,
    now: () => config.now * 1000, onEvent: out,
  });
  out({ peak: peakBytes(), ms: Math.round(performance.now() - t0) });
}

main().catch((e: unknown) => {
  process.stderr.write(`${e instanceof Error ? e.stack ?? e.message : String(e)}\n`);
  process.exitCode = 1;
});
