// Seeded randomness. Every generated object takes its own stream from (seed, kind, index), so changing how many
// objects of one kind exist never shifts the values of any other object: `--jobs 3` gives the first three jobs of
// `--jobs 5` exactly, and adding guests leaves existing guests alone.

/** A 32-bit hash of a seed and a list of parts (FNV-1a over the text, then a murmur-style finaliser). */
export function subSeed(seed: number, ...parts: Array<string | number>): number {
  let h = 0x811c9dc5 ^ (seed >>> 0);
  const text = parts.join('\u0000');
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

const HEX = '0123456789abcdef';

/** A small, fast, well-distributed PRNG (mulberry32). */
export class Rng {
  private state: number;

  constructor(seed: number) {
    this.state = seed >>> 0;
  }

  static of(seed: number, ...parts: Array<string | number>): Rng {
    return new Rng(subSeed(seed, ...parts));
  }

  /** A float in [0, 1). */
  next(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  /** An integer in [min, max] (both inclusive). */
  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }

  chance(probability: number): boolean {
    return this.next() < probability;
  }

  pick<T>(items: readonly T[]): T {
    return items[Math.floor(this.next() * items.length)];
  }

  /** `count` distinct items, in the order they appear in `items`. */
  sample<T>(items: readonly T[], count: number): T[] {
    const chosen = new Set<number>();
    const n = Math.min(count, items.length);
    while (chosen.size < n) chosen.add(Math.floor(this.next() * items.length));
    return [...chosen].sort((a, b) => a - b).map((i) => items[i]);
  }

  hex(length: number): string {
    const digits: string[] = [];
    for (let i = 0; i < length; i++) digits.push(HEX[Math.floor(this.next() * 16)]);
    // join() yields one flat string; concatenation would leave a tree of pieces that costs far more memory.
    return digits.join('');
  }

  uuid(): string {
    const h = this.hex(32).split('');
    h[12] = '4';
    h[16] = HEX[(parseInt(h[16], 16) & 0x3) | 0x8];
    h.splice(20, 0, '-');
    h.splice(16, 0, '-');
    h.splice(12, 0, '-');
    h.splice(8, 0, '-');
    return h.join('');
  }
}
