// Disk sizes as PVE prints them (`format_size`): plain bytes, or K/M/G/T (binary units) when they divide exactly.
const units: Record<string, number> = { '': 1, B: 1, K: 1024, M: 1024 ** 2, G: 1024 ** 3, T: 1024 ** 4 };

export function parseDiskSize(text: string): number {
  const m = /^\s*(\d+(?:\.\d+)?)\s*([BKMGT]?)\s*$/i.exec(text);
  if (!m) throw new Error(`size "${text}" is not a size (expected e.g. 32G, 512M or a byte count)`);
  return Math.round(Number(m[1]) * units[m[2].toUpperCase()]);
}

export function formatDiskSize(bytes: number): string {
  for (const unit of ['T', 'G', 'M', 'K']) {
    if (bytes > 0 && bytes % units[unit] === 0) return `${bytes / units[unit]}${unit}`;
  }
  return String(bytes);
}
