// `pve-vmid-list` (a job's vmid and exclude): "100,101,102"; PVE also splits on spaces and semicolons.
import { MAX_STRING_LENGTH, MAX_VMID_LIST_ENTRIES, preview, tooLong } from '../decoders/limits';

export function parseVmidList(text: string): number[] {
  if (text.length > MAX_STRING_LENGTH) throw new Error(`the VMID list "${preview(text)}" ${tooLong(text.length, MAX_STRING_LENGTH)}`);
  const out: number[] = [];
  for (const part of text.split(/[\s,;]+/)) {
    if (part === '') continue;
    if (!/^\d+$/.test(part)) throw new Error(`"${preview(part)}" in the VMID list "${preview(text)}" is not a VMID`);
    if (out.length >= MAX_VMID_LIST_ENTRIES) throw new Error(`the VMID list "${preview(text)}" has more than ${MAX_VMID_LIST_ENTRIES.toLocaleString('en')} entries`);
    out.push(Number(part));
  }
  return out;
}

/** Guest tags: PVE accepts `;`, `,` and spaces as separators ("tag1;tag2", "one, two, three"). */
export function parseTags(text: string): string[] {
  if (text.length > MAX_STRING_LENGTH) throw new Error(`the tags "${preview(text)}" ${tooLong(text.length, MAX_STRING_LENGTH)}`);
  return text.split(/[;,\s]+/).filter((t) => t !== '');
}
