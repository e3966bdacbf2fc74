// PVE's property strings (`PVE::JSONSchema::parse_property_string`): comma-separated `key=value` pairs, where a
// value may be double-quoted (to hold commas) and a bare value belongs to the format's default key.
// Each function checks its text's length (limits.ts) before it trims, splits or matches it.
import {
  MAX_BOOLEAN_TEXT_LENGTH, MAX_NUMBER_TEXT_LENGTH, MAX_STRING_LENGTH, preview, quote, tooLong,
} from '../decoders/limits';

export interface PropertyStringFormat {
  /** The key a value without `key=` belongs to (`file` for disks, `model` for qemu nets, `enabled` for fleecing). */
  defaultKey?: string;
  /** Keys that stand for `<aliasFor>=<key>,<valueKey>=<value>`: qemu's `virtio=MAC` means model=virtio,macaddr=MAC. */
  keyAlias?: { keys: ReadonlySet<string>; aliasFor: string; valueKey: string };
}

/** Splits at commas outside double quotes; quoted values lose their quotes and backslash escapes. */
function splitParts(text: string): string[] {
  const parts: string[] = [];
  let current = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '\\' && i + 1 < text.length) current += text[++i];
      else if (c === '"') quoted = false;
      else current += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') {
      parts.push(current);
      current = '';
    } else current += c;
  }
  if (quoted) throw new Error(`unterminated quote in property string "${quote(text)}"`);
  parts.push(current);
  return parts;
}

export function parsePropertyString(text: string, format: PropertyStringFormat = {}): Record<string, string> {
  if (text.length > MAX_STRING_LENGTH) throw new Error(`the property string "${preview(text)}" ${tooLong(text.length, MAX_STRING_LENGTH)}`);
  const out: Record<string, string> = {};
  for (const raw of splitParts(text)) {
    const part = raw.trim();
    if (part === '') continue;
    const eq = part.indexOf('=');
    if (eq < 0) {
      if (!format.defaultKey) throw new Error(`"${quote(part)}" has no key (expected key=value) in "${quote(text)}"`);
      if (out[format.defaultKey] !== undefined) throw new Error(`duplicate value for "${format.defaultKey}" in "${quote(text)}"`);
      out[format.defaultKey] = part;
      continue;
    }
    const key = part.slice(0, eq).trim();
    const value = part.slice(eq + 1);
    if (key === '') throw new Error(`empty key in "${quote(text)}"`);
    if (format.keyAlias?.keys.has(key)) {
      out[format.keyAlias.aliasFor] = key;
      out[format.keyAlias.valueKey] = value;
      continue;
    }
    if (out[key] !== undefined) throw new Error(`duplicate key "${quote(key)}" in "${quote(text)}"`);
    out[key] = value;
  }
  return out;
}

/** Prints like PVE: the default key bare and first, then the other keys sorted alphabetically. */
export function printPropertyString(values: Record<string, string | number | boolean | undefined>, defaultKey?: string): string {
  const fmt = (v: string | number | boolean): string => {
    const s = typeof v === 'boolean' ? (v ? '1' : '0') : String(v);
    return /[,"]/.test(s) ? `"${s.replace(/["\\]/g, '\\$&')}"` : s;
  };
  const parts: string[] = [];
  if (defaultKey !== undefined && values[defaultKey] !== undefined) parts.push(fmt(values[defaultKey]));
  for (const key of Object.keys(values).sort()) {
    const v = values[key];
    if (key === defaultKey || v === undefined) continue;
    parts.push(`${key}=${fmt(v)}`);
  }
  return parts.join(',');
}

const trueWords = new Set(['1', 'on', 'yes', 'true']);
const falseWords = new Set(['0', 'off', 'no', 'false']);

/** PVE's parse_boolean: 1|on|yes|true and 0|off|no|false. */
export function parseFlag(value: string, key: string): boolean {
  const w = value.length <= MAX_BOOLEAN_TEXT_LENGTH ? value.trim().toLowerCase() : '';
  if (trueWords.has(w)) return true;
  if (falseWords.has(w)) return false;
  throw new Error(`${key}=${preview(value)} is not a boolean (expected 0 or 1)`);
}

export function parseNonNegativeInt(value: string, key: string): number {
  const text = value.length <= MAX_NUMBER_TEXT_LENGTH ? value.trim() : '';
  if (!/^\d+$/.test(text)) throw new Error(`${key}=${preview(value)} is not a non-negative integer`);
  return Number(text);
}

export function parseNumber(value: string, key: string): number {
  const text = value.length <= MAX_NUMBER_TEXT_LENGTH ? value.trim() : '';
  const n = Number(text);
  if (text === '' || !Number.isFinite(n)) throw new Error(`${key}=${preview(value)} is not a number`);
  return n;
}

/**
 * The compound job options arrive as objects from the API (values as strings or numbers) but as property strings in
 * /storage and in older versions: both become one flat string map here.
 */
export function propertyMap(value: string | Record<string, unknown>, format: PropertyStringFormat = {}): Record<string, string> {
  if (typeof value === 'string') return parsePropertyString(value, format);
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(value)) {
    if (v === undefined || v === null) continue;
    if (typeof v === 'boolean') out[k] = v ? '1' : '0';
    else if (typeof v === 'string' && v.length > MAX_STRING_LENGTH) throw new Error(`${preview(k)} ${tooLong(v.length, MAX_STRING_LENGTH)}`);
    else if (typeof v === 'string' || typeof v === 'number') out[k] = String(v);
    else throw new Error(`${k} has an unexpected ${Array.isArray(v) ? 'array' : typeof v} value`);
  }
  return out;
}
