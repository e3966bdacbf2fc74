// Disk sizes as PVE prints them (`format_size`): plain bytes, or K/M/G/T (binary units) when they divide exactly.
import { MAX_SIZE_TEXT_LENGTH, preview } from '../decoders/limits';

const units: Record<string, number> = { '': 1, B: 1, K: 1024, M: 1024 ** 2, G: 1024 ** 3, T: 1024 ** 4 };

export function parseDiskSize(text: string): number {
  // Length first, then trim, then a pattern whose parts cannot match the same characters (digits, spaces, one unit
  // letter): the old one had spaces on both sides of an optional unit and took 4 s on 100,000 spaces.
  const m = text.length <= MAX_SIZE_TEXT_LENGTH ? /^(\d+(?:\.\d+)?)\s*([BKMGT]?)$/i.exec(text.trim()) : null;
  if (!m) throw new Error(`size "${preview(text)}" is not a size (expected e.g. 32G, 512M or a byte count)`);
  return Math.round(Number(m[1]) * units[m[2].toUpperCase()]);
}

export function formatDiskSize(bytes: number): string {
  for (const unit of ['T', 'G', 'M', 'K']) {
    if (bytes > 0 && bytes % units[unit] === 0) return `${bytes / units[unit]}${unit}`;
  }
  return String(bytes);
}
