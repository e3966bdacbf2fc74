// The caps on server text, in one place. Every parser and decoder checks a string's length against one of these
// BEFORE any trim, split or regular expression, so that a hostile or broken server cannot make a sync spend seconds
// (or minutes) of the extension host's only thread on one value: each cap is far above any value Proxmox writes, and
// a value over its cap is a validation error that names the field (in a listing, only that row is left out).

/**
 * Any string field. The longest free texts Proxmox keeps are a guest's description (8 KiB in PVE's schema), a job's
 * notes template and a backup's notes (a few KiB); property strings, paths and names are far shorter.
 */
export const MAX_STRING_LENGTH = 64 * 1024;

/** A number written as text ("1024", " 3.5 ", "1e3"): a 64-bit float needs fewer than 25 characters. */
export const MAX_NUMBER_TEXT_LENGTH = 40;

/** A boolean written as text (0/1, on/off, yes/no, true/false), with room for surrounding spaces. */
export const MAX_BOOLEAN_TEXT_LENGTH = 16;

/** A disk size as text (`32G`, `512M`, `1073741824`). */
export const MAX_SIZE_TEXT_LENGTH = 40;

/** A task id (UPID): node, ids and user are each limited by PVE to well under a hundred characters. */
export const MAX_UPID_LENGTH = 1024;

/** A volume id (`storage:backup/vzdump-…`, `pbs:backup/vm/100/…`): a storage id and one file name or path. */
export const MAX_VOLID_LENGTH = 4096;

/** Entries in a job's VMID list (`vmid`, `exclude`): more than any cluster has guests. */
export const MAX_VMID_LIST_ENTRIES = 20_000;

/** Keys of a config or job object (`scsi0`, `net3`, `prune-backups`); PVE's longest are a few dozen characters. */
export const MAX_KEY_LENGTH = 256;

/** Nesting of a value kept raw (a job's `prune-backups` object is one level deep; PVE's configs are flat). */
export const MAX_RAW_DEPTH = 8;

/** How much of an over-long value a message quotes. */
const PREVIEW_LENGTH = 40;

/** A value for a message: short ones whole, long ones cut with their full length, so that no message is huge. */
export function preview(text: string, max = PREVIEW_LENGTH): string {
  return text.length <= max ? text : `${text.slice(0, max)}… (${text.length.toLocaleString('en')} characters)`;
}

/** Compound server text (a property string, a task id) as an error message quotes it: whole up to 200 characters. */
export function quote(text: string): string {
  return preview(text, 200);
}

/** The problem for a string over its cap: "is 100,001 characters long; no Proxmox value is longer than 65,536". */
export function tooLong(length: number, max: number): string {
  return `is ${length.toLocaleString('en')} characters long; no Proxmox value is longer than ${max.toLocaleString('en')}`;
}
