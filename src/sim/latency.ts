// How long the simulator waits before answering: a fixed latency (a LAN round trip plus pveproxy's work), optional
// seeded jitter, and extra delay on chosen paths. Jitter and slow paths reorder the answers to concurrent requests,
// which is how tests show that a client's result does not depend on the order answers arrive in. The jitter of the
// n-th request to a path is a pure function of (seed, path, n), so a run with the same seed and the same requests
// sees the same delays.
import { globToRegExp } from './faults';
import { subSeed } from './random';

export interface LatencySettings {
  /** Every request waits this long. */
  latencyMs?: number;
  /** Up to this many milliseconds more, drawn per request. */
  jitterMs?: number;
  /** Seed of the jitter draws. */
  seed?: number;
  /** Extra delay on matching paths: '<path glob under /api2/json>:<ms>', e.g. '/cluster/backup:200'. */
  slowPaths?: string[];
}

export class LatencySyntaxError extends Error {}

interface SlowPath {
  pattern: RegExp;
  ms: number;
}

function parseSlowPath(text: string): SlowPath {
  const at = text.lastIndexOf(':');
  const glob = text.slice(0, at);
  const ms = Number(text.slice(at + 1));
  if (at <= 0 || !glob.startsWith('/') || !Number.isFinite(ms) || ms < 0) {
    throw new LatencySyntaxError(`invalid slow path '${text}': expected '<path glob>:<ms>', e.g. '/nodes/*/network:200'`);
  }
  return { pattern: globToRegExp(glob.startsWith('/api2/json/') ? glob.slice('/api2/json'.length) : glob), ms };
}

export class LatencyPlan {
  private latencyMs = 0;
  private jitterMs = 0;
  private seed = 0;
  private slow: SlowPath[] = [];
  private readonly counters = new Map<string, number>();

  constructor(settings: LatencySettings = {}) {
    this.set(settings);
  }

  /** Changes the given settings (the others stay); a malformed slow path leaves every setting as it was. */
  set(s: LatencySettings): void {
    const slow = s.slowPaths?.map(parseSlowPath);
    if (s.latencyMs !== undefined) this.latencyMs = Math.max(0, s.latencyMs);
    if (s.jitterMs !== undefined) this.jitterMs = Math.max(0, s.jitterMs);
    if (s.seed !== undefined) this.seed = s.seed;
    if (slow) this.slow = slow;
    this.counters.clear();
  }

  /** The delay of the next request to `apiPath` (the path under /api2/json, without the query). */
  delay(apiPath: string): number {
    let ms = this.latencyMs;
    for (const p of this.slow) if (p.pattern.test(apiPath)) ms += p.ms;
    if (this.jitterMs > 0) {
      const n = this.counters.get(apiPath) ?? 0;
      this.counters.set(apiPath, n + 1);
      ms += Math.floor((subSeed(this.seed, 'latency', apiPath, n) / 4294967296) * (this.jitterMs + 1));
    }
    return ms;
  }
}
