// Injected faults: `<path glob under /api2/json>:<kind>[:<rate>]`. Whether the n-th matching request fails is a
// pure function of (seed, fault, n), so a run with the same seed and the same requests fails the same way.
import { subSeed } from './random';

export const FAULT_KINDS = ['500', '596', 'timeout', 'reset', 'badjson', '401', 'offline-node'] as const;
export type FaultKind = (typeof FAULT_KINDS)[number];

export interface Fault {
  readonly text: string;
  readonly glob: string;
  readonly kind: FaultKind;
  readonly rate: number;
  readonly pattern: RegExp;
}

export class FaultSyntaxError extends Error {}

const usage = `expected '<path glob>:<kind>[:<rate>]', e.g. '/cluster/backup*:500:1', with kind one of ${FAULT_KINDS.join(', ')} and rate between 0 and 1`;

export function globToRegExp(glob: string): RegExp {
  // `*` crosses slashes so that '/nodes/pve3/*' covers every path below the node.
  const source = glob.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.');
  return new RegExp(`^${source}$`);
}

export function parseFault(text: string): Fault {
  const parts = text.split(':');
  let rate = 1;
  if (parts.length >= 3 && /^\d*\.?\d+$/.test(parts[parts.length - 1])) rate = Number(parts.pop());
  const kind = parts.pop();
  let glob = parts.join(':');
  if (!glob || !kind) throw new FaultSyntaxError(`invalid fault '${text}': ${usage}`);
  if (!(FAULT_KINDS as readonly string[]).includes(kind)) {
    throw new FaultSyntaxError(`invalid fault '${text}': unknown kind '${kind}'; ${usage}`);
  }
  if (!(rate >= 0 && rate <= 1)) throw new FaultSyntaxError(`invalid fault '${text}': rate ${rate} is not between 0 and 1`);
  if (glob.startsWith('/api2/json/')) glob = glob.slice('/api2/json'.length);
  if (!glob.startsWith('/') && !glob.startsWith('*')) throw new FaultSyntaxError(`invalid fault '${text}': the path glob must start with '/'; ${usage}`);
  return { text, glob, kind: kind as FaultKind, rate, pattern: globToRegExp(glob) };
}

/** Decides, per request, which fault (if any) fires. */
export class FaultPlan {
  private faults: Fault[] = [];
  private counters: number[] = [];

  constructor(private readonly seed: number, specs: readonly string[] = []) {
    this.set(specs);
  }

  /** Replaces every fault; parse errors leave the previous plan in place. */
  set(specs: readonly string[]): void {
    const parsed = specs.map(parseFault);
    this.faults = parsed;
    this.counters = parsed.map(() => 0);
  }

  list(): readonly Fault[] {
    return this.faults;
  }

  /** `apiPath` is the path under /api2/json, without the query. */
  pick(apiPath: string): Fault | undefined {
    for (const [i, f] of this.faults.entries()) {
      if (!f.pattern.test(apiPath)) continue;
      const n = this.counters[i]++;
      if (f.rate >= 1 || subSeed(this.seed, 'fault', i, f.text, n) / 4294967296 < f.rate) return f;
    }
    return undefined;
  }
}
