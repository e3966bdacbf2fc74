// Small composable decoders. Proxmox is written in Perl, so a value's JSON type depends on how the server last
// touched it: integers arrive as numbers or numeric strings, booleans as 0/1, "0"/"1" or true/false. The decoders
// accept every such spelling and reject everything else with the exact place of the offending field.
// Every string is held to a cap (limits.ts) before it is trimmed or matched, so each decoder runs in linear time.
import {
  MAX_BOOLEAN_TEXT_LENGTH, MAX_KEY_LENGTH, MAX_NUMBER_TEXT_LENGTH, MAX_RAW_DEPTH, MAX_STRING_LENGTH, preview, tooLong,
} from './limits';

/**
 * Decodes a value found at `at` (e.g. `data[2]`). `dropRow`, when given, receives the rows a listing decoder
 * (rowsOf) leaves out; decoders of single values ignore it.
 */
export type Decoder<T> = (value: unknown, at: string, dropRow?: RowSink) => T;

/** A row left out of a listing because it did not decode: where it was, what names it, which field, what was wrong. */
export interface DroppedRow {
  /** The API path that was read, query included: `/nodes/pve1/storage/local/content?content=backup`. */
  path: string;
  /** The row's position in the listing, from 0. */
  index: number;
  /** What names the row when it says (`volid "local:backup/…"`, `vmid 101`); null when nothing does. */
  label: string | null;
  /** The offending field inside the row (`format`, `verification.state`); '' when the row itself is wrong. */
  field: string;
  problem: string;
}

/** Receives dropped rows; the path is added by whoever knows it (the client). */
export type RowSink = (row: Omit<DroppedRow, 'path'>) => void;

/** One line for a log or a warning: "GET /path: row 2 (volid "x") left out: format: required field is missing". */
export function describeDroppedRow(d: DroppedRow): string {
  return `GET ${d.path}: row ${d.index}${d.label ? ` (${d.label})` : ''} left out: ${d.field ? `${d.field}: ` : ''}${d.problem}`;
}

/** A response that does not have the shape we rely on. `at` names the field, e.g. `data[2].vmid`. */
export class DecodeError extends Error {
  constructor(
    readonly at: string,
    readonly problem: string,
  ) {
    super(`${at}: ${problem}`);
    this.name = 'DecodeError';
  }
}

export function describeValue(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'string') return `the string ${JSON.stringify(value.length > 40 ? value.slice(0, 40) + '…' : value)}`;
  if (typeof value === 'object') return 'an object';
  return `${typeof value} ${String(value)}`;
}

const fail = (at: string, expected: string, value: unknown): never => {
  throw new DecodeError(at, `expected ${expected}, got ${describeValue(value)}`);
};

/**
 * Strings; numbers are accepted too because Perl prints a numeric-looking string as a number. A string longer than
 * any Proxmox value (MAX_STRING_LENGTH) is an error naming the field.
 */
export const str: Decoder<string> = (v, at) => {
  if (typeof v === 'string') {
    if (v.length > MAX_STRING_LENGTH) throw new DecodeError(at, tooLong(v.length, MAX_STRING_LENGTH));
    return v;
  }
  if (typeof v === 'number' && Number.isFinite(v)) return String(v);
  return fail(at, 'a string', v);
};

// Checked after trimming, and only on text of at most MAX_NUMBER_TEXT_LENGTH characters. The integer and fraction
// digits are separated by a required '.', so no two quantifiers can match the same digits (the old
// `\d+\.?\d*` could, and took 24 s on 100,000 digits followed by 'x').
const numericText = /^[-+]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][-+]?\d+)?$/;

export const num: Decoder<number> = (v, at) => {
  if (typeof v === 'number' && Number.isFinite(v)) return v;
  if (typeof v === 'string') {
    if (v.length > MAX_NUMBER_TEXT_LENGTH) {
      throw new DecodeError(at, `expected a number, got a string that ${tooLong(v.length, MAX_NUMBER_TEXT_LENGTH)}: "${preview(v)}"`);
    }
    const text = v.trim();
    if (numericText.test(text)) return Number(text);
  }
  return fail(at, 'a number', v);
};

export const int: Decoder<number> = (v, at) => {
  const n = typeof v === 'number' || typeof v === 'string' ? num(v, at) : fail(at, 'an integer', v);
  if (!Number.isSafeInteger(n)) fail(at, 'an integer', v);
  return n;
};

const trueWords = new Set(['1', 'true', 'on', 'yes']);
const falseWords = new Set(['0', 'false', 'off', 'no', '']);

/** 0/1, "0"/"1", true/false, on/off, yes/no; "" is false (hand-edited captures and Perl's false). */
export const bool: Decoder<boolean> = (v, at) => {
  if (typeof v === 'boolean') return v;
  if (v === 0 || v === 1) return v === 1;
  if (typeof v === 'string' && v.length <= MAX_BOOLEAN_TEXT_LENGTH) {
    const w = v.trim().toLowerCase();
    if (trueWords.has(w)) return true;
    if (falseWords.has(w)) return false;
  }
  return fail(at, 'a boolean (0/1)', v);
};

export const unknownValue: Decoder<unknown> = (v) => v;

export function literal<T extends string>(...values: T[]): Decoder<T> {
  return (v, at) => {
    const s = str(v, at);
    if ((values as string[]).includes(s)) return s as T;
    return fail(at, `one of ${values.join('|')}`, v);
  };
}

export function arrayOf<T>(item: Decoder<T>): Decoder<T[]> {
  return (v, at) => {
    if (!Array.isArray(v)) return fail(at, 'an array', v);
    return v.map((x, i) => item(x, `${at}[${i}]`));
  };
}

// The keys that name a row in PVE's listings, most specific first.
const ROW_NAMES = ['volid', 'upid', 'id', 'vmid', 'storage', 'node', 'iface', 'name'] as const;

function rowLabel(v: unknown): string | null {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) return null;
  for (const k of ROW_NAMES) {
    const x = (v as Record<string, unknown>)[k];
    if (typeof x === 'number' && Number.isFinite(x)) return `${k} ${x}`;
    if (typeof x === 'string' && x !== '') return `${k} ${JSON.stringify(x.length > 80 ? x.slice(0, 80) + '…' : x)}`;
  }
  return null;
}

/**
 * A listing whose rows stand alone (guests, backups, tasks, jobs): a row that does not decode is left out and
 * handed to `dropRow`, so that one odd entry does not cost the listing its valid rows. Without a sink (a caller
 * that wants all or nothing) the first bad row fails the whole listing, as with arrayOf.
 */
export function rowsOf<T>(item: Decoder<T>): Decoder<T[]> {
  return (v, at, dropRow) => {
    if (!Array.isArray(v)) return fail(at, 'an array', v);
    if (!dropRow) return v.map((x, i) => item(x, `${at}[${i}]`));
    const out: T[] = [];
    v.forEach((x, i) => {
      const rowAt = `${at}[${i}]`;
      try {
        out.push(item(x, rowAt));
      } catch (e) {
        if (!(e instanceof DecodeError)) throw e;
        const field = e.at.startsWith(rowAt) ? e.at.slice(rowAt.length).replace(/^\./, '') : e.at;
        dropRow({ index: i, label: rowLabel(x), field, problem: e.problem });
      }
    });
    return out;
  };
}

/** Decodes a response's `data`, collecting the rows its listings left out, each with the path that was read. */
export function decodeData<T>(data: unknown, decode: Decoder<T>, path: string): { value: T; dropped: DroppedRow[] } {
  const dropped: DroppedRow[] = [];
  const value = decode(data, 'data', (row) => dropped.push({ path, ...row }));
  return { value, dropped };
}

/** A JSON object (not null, not an array). */
export const record: Decoder<Record<string, unknown>> = (v, at) => {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) return fail(at, 'an object', v);
  return v as Record<string, unknown>;
};

/**
 * A copy of an object kept as the server sent it (a job's or a config's `raw` view), after checking what no field
 * decoder sees: every key against MAX_KEY_LENGTH and every string inside, however deep, against MAX_STRING_LENGTH.
 * The first over-long one is an error naming it, so a hostile value in an unknown key cannot reach the inventory.
 */
export function rawOf(o: Record<string, unknown>, at: string): Record<string, unknown> {
  const check = (v: unknown, path: string, depth: number): void => {
    if (typeof v === 'string') {
      if (v.length > MAX_STRING_LENGTH) throw new DecodeError(path, tooLong(v.length, MAX_STRING_LENGTH));
      return;
    }
    if (!v || typeof v !== 'object') return;
    if (depth >= MAX_RAW_DEPTH) throw new DecodeError(path, `is nested deeper than any Proxmox value (${MAX_RAW_DEPTH} levels)`);
    if (Array.isArray(v)) {
      v.forEach((x, i) => check(x, `${path}[${i}]`, depth + 1));
      return;
    }
    for (const [k, x] of Object.entries(v)) {
      if (k.length > MAX_KEY_LENGTH) throw new DecodeError(`${path}.${preview(k)}`, `the key ${tooLong(k.length, MAX_KEY_LENGTH)}`);
      check(x, `${path}.${k}`, depth + 1);
    }
  };
  check(o, at, 0);
  return { ...o };
}

/**
 * The common case, a value already of the right JSON type, skips building the field's path string: that string
 * is only needed for an error, and building it per field dominated the decoding of large listings.
 */
function fast<T>(v: unknown, d: Decoder<T>): T | undefined {
  if (d === (str as Decoder<unknown>)) return typeof v === 'string' && v.length <= MAX_STRING_LENGTH ? (v as T) : undefined;
  if (d === (num as Decoder<unknown>)) return typeof v === 'number' && Number.isFinite(v) ? (v as T) : undefined;
  if (d === (int as Decoder<unknown>)) return Number.isSafeInteger(v) ? (v as T) : undefined;
  if (d === (bool as Decoder<unknown>)) return v === 0 || v === 1 ? ((v === 1) as T) : typeof v === 'boolean' ? (v as T) : undefined;
  return undefined;
}

/** A required field: missing or null is an error naming the field. */
export function req<T>(obj: Record<string, unknown>, key: string, d: Decoder<T>, at: string): T {
  const v = obj[key];
  if (v === undefined || v === null) throw new DecodeError(`${at}.${key}`, 'required field is missing');
  return fast(v, d) ?? d(v, `${at}.${key}`);
}

/** An optional field: absent or null becomes undefined (PVE sends `"exists": null` for unknown). */
export function opt<T>(obj: Record<string, unknown>, key: string, d: Decoder<T>, at: string): T | undefined {
  const v = obj[key];
  if (v === undefined || v === null) return undefined;
  return fast(v, d) ?? d(v, `${at}.${key}`);
}

/** An optional string that PVE sends as "" when unset (level, ssl_fingerprint): "" becomes undefined. */
export function optText(obj: Record<string, unknown>, key: string, at: string): string | undefined {
  const s = opt(obj, key, str, at);
  return s === undefined || s === '' ? undefined : s;
}

/** Wraps a parser of a compound string so that its failure names the field it came from. */
export function parsed<T>(parse: (text: string) => T): Decoder<T> {
  return (v, at) => {
    const text = str(v, at);
    try {
      return parse(text);
    } catch (e) {
      throw new DecodeError(at, e instanceof Error ? e.message : String(e));
    }
  };
}

/** Removes the `{"data": ...}` envelope when present (pvesh and proxmoxer captures have none). */
export function unwrapEnvelope(body: unknown): unknown {
  if (typeof body === 'object' && body !== null && !Array.isArray(body) && 'data' in body) {
    return (body as { data: unknown }).data;
  }
  return body;
}
