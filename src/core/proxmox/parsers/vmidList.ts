// `pve-vmid-list` (a job's vmid and exclude): "100,101,102"; PVE also splits on spaces and semicolons.
export function parseVmidList(text: string): number[] {
  const out: number[] = [];
  for (const part of text.split(/[\s,;]+/)) {
    if (part === '') continue;
    if (!/^\d+$/.test(part)) throw new Error(`"${part}" in the VMID list "${text}" is not a VMID`);
    out.push(Number(part));
  }
  return out;
}

/** Guest tags: PVE accepts `;`, `,` and spaces as separators ("tag1;tag2", "one, two, three"). */
export function parseTags(text: string): string[] {
  return text.split(/[;,\s]+/).filter((t) => t !== '');
}
