// Prints values the way PVE::JSONSchema::print_property_string does: the default key first and bare, then the
// other keys sorted; sizes through format_size (a unit suffix only when it divides exactly).

export function formatSize(bytes: number): string {
  const units: Array<[string, number]> = [['T', 1024 ** 4], ['G', 1024 ** 3], ['M', 1024 ** 2], ['K', 1024]];
  for (const [suffix, factor] of units) {
    if (bytes >= factor && bytes % factor === 0) return `${bytes / factor}${suffix}`;
  }
  return String(bytes);
}

/** `first` is printed as is (a default-key value or an already printed leading `key=value`), then `rest` sorted. */
export function propertyString(first: string | undefined, rest: Record<string, string | number | undefined>): string {
  const parts = first === undefined ? [] : [first];
  for (const key of Object.keys(rest).sort()) {
    const v = rest[key];
    if (v !== undefined) parts.push(`${key}=${v}`);
  }
  return parts.join(',');
}
