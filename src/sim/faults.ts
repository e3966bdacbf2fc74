// Injected faults: `<path glob under /api2/json>:<kind>[=<size>][:<rate>]`. Whether the n-th matching request fails
// is a pure function of (seed, fault, n), so a run with the same seed and the same requests fails the same way.
//
// Besides broken answers there are hostile ones, answers a careless client chokes on (each answers 200 with the
// path's real data, so only the client's defences decide what happens):
// - `huge[=MiB]`     the real envelope plus a "padding" field of MiB mebibytes (default 100), streamed in chunks
//                    with back-pressure and chunked encoding, never built as one string;
// - `long-number[=digits]`  in the first row with a numeric field (maxmem first, a guest's row first) that field
//                    becomes a string of `digits` digits then 'x' (default 100,000);
// - `long-schedule[=spaces]` in the first row with a `schedule`, the schedule becomes 'x' + spaces + 'x'
//                    (default 100,000 spaces).
import { subSeed } from './random';

export const FAULT_KINDS = ['500', '596', 'timeout', 'reset', 'badjson', '401', 'offline-node', 'huge', 'long-number', 'long-schedule'] as const;
export type FaultKind = (typeof FAULT_KINDS)[number];

/** The kinds that take a size (`huge=200`), with its default, its bounds and its unit. */
export const SIZED_FAULTS: Readonly<Partial<Record<FaultKind, { default: number; max: number; unit: string }>>> = {
  huge: { default: 100, max: 16_384, unit: 'MiB' },
  'long-number': { default: 100_000, max: 100_000_000, unit: 'digits' },
  'long-schedule': { default: 100_000, max: 100_000_000, unit: 'spaces' },
};

export interface Fault {
  readonly text: string;
  readonly glob: string;
  readonly kind: FaultKind;
  readonly rate: number;
  readonly pattern: RegExp;
  /** For a sized kind: the size given (`huge=200`), absent for the default. */
  readonly size?: number;
}

/** The size a fault acts with: the one given, or its kind's default. */
export function faultSize(f: Fault): number {
  return f.size ?? SIZED_FAULTS[f.kind]?.default ?? 0;
}

export class FaultSyntaxError extends Error {}

const usage = `expected '<path glob>:<kind>[=<size>][:<rate>]', e.g. '/cluster/backup*:500:1' or '/cluster/status:huge=200', with kind one of ${FAULT_KINDS.join(', ')} (a size only for ${Object.keys(SIZED_FAULTS).join(', ')}) and rate between 0 and 1`;

export function globToRegExp(glob: string): RegExp {
  // `*` crosses slashes so that '/nodes/pve3/*' covers every path below the node.
  const source = glob.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.');
  return new RegExp(`^${source}$`);
}

export function parseFault(text: string): Fault {
  const parts = text.split(':');
  let rate = 1;
  if (parts.length >= 3 && /^\d*\.?\d+$/.test(parts[parts.length - 1])) rate = Number(parts.pop());
  const [kind, sizeText, ...extra] = (parts.pop() ?? '').split('=');
  let glob = parts.join(':');
  if (!glob || !kind || extra.length) throw new FaultSyntaxError(`invalid fault '${text}': ${usage}`);
  if (!(FAULT_KINDS as readonly string[]).includes(kind)) {
    throw new FaultSyntaxError(`invalid fault '${text}': unknown kind '${kind}'; ${usage}`);
  }
  let size: number | undefined;
  if (sizeText !== undefined) {
    const sized = SIZED_FAULTS[kind as FaultKind];
    if (!sized) throw new FaultSyntaxError(`invalid fault '${text}': '${kind}' takes no size; ${usage}`);
    size = /^\d{1,9}$/.test(sizeText) ? Number(sizeText) : Number.NaN;
    if (!(size >= 1 && size <= sized.max)) {
      throw new FaultSyntaxError(`invalid fault '${text}': the size of '${kind}' must be a whole number of ${sized.unit} from 1 to ${sized.max}`);
    }
  }
  if (!(rate >= 0 && rate <= 1)) throw new FaultSyntaxError(`invalid fault '${text}': rate ${rate} is not between 0 and 1`);
  if (glob.startsWith('/api2/json/')) glob = glob.slice('/api2/json'.length);
  if (!glob.startsWith('/') && !glob.startsWith('*')) throw new FaultSyntaxError(`invalid fault '${text}': the path glob must start with '/'; ${usage}`);
  const fault: Fault = { text, glob, kind: kind as FaultKind, rate, pattern: globToRegExp(glob) };
  return size === undefined ? fault : { ...fault, size };
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
