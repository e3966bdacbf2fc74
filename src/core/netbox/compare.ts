// Whether an object NetBox already has matches what we would write, field by field. A re-sync with no change in
// Proxmox must write nothing, so this is where "no change" is decided: NetBox reads differ from what it accepts
// (related objects come back as brief objects, choices as {value, label}, tags as brief tags, MAC addresses in upper
// case, IPv6 in canonical form, custom fields with every field of the type), and each of those must compare equal.
import type { NetBoxObject } from './api';

type Json = unknown;

/** A written related object: an id. Read back: {id, url, display, …}. */
function idOf(v: Json): Json {
  return v && typeof v === 'object' && !Array.isArray(v) && 'id' in v ? (v as { id: unknown }).id : v;
}

/** A choice written as its value, read back as {value, label}. */
function valueOf(v: Json): Json {
  return v && typeof v === 'object' && !Array.isArray(v) && 'value' in v && 'label' in v ? (v as { value: unknown }).value : v;
}

/** Canonical text of an address in CIDR form: IPv6 compressed and lower case, as NetBox stores it. */
export function canonicalAddress(cidr: string): string {
  const [ip, prefix] = cidr.split('/');
  if (!ip.includes(':')) return cidr;
  try {
    const host = new URL(`http://[${ip}]/`).hostname.replace(/^\[|\]$/g, '');
    return prefix === undefined ? host : `${host}/${prefix}`;
  } catch {
    return cidr.toLowerCase();
  }
}

export function canonicalMac(mac: string): string {
  return mac.trim().toUpperCase();
}

function tagSlugs(v: Json): string[] {
  if (!Array.isArray(v)) return [];
  return v.map((t) => (t && typeof t === 'object' ? String((t as { slug?: unknown }).slug ?? (t as { id?: unknown }).id) : String(t))).sort();
}

const ISO_TIME = /^\d{4}-\d\d-\d\dT\d\d:\d\d/;

function sameScalar(existing: Json, desired: Json): boolean {
  const a = valueOf(idOf(existing));
  // NetBox writes times back in its own form ("…+00:00", with or without fractions): the same instant is the same.
  if (typeof a === 'string' && typeof desired === 'string' && ISO_TIME.test(a) && ISO_TIME.test(desired)) return Date.parse(a) === Date.parse(desired);
  if (desired === null) return a === null || a === undefined || a === '';
  if (typeof desired === 'string' && (a === null || a === undefined)) return desired === '';
  // Decimal fields (vcpus) may read back as text ("2.00") where DRF is set to coerce decimals to strings.
  if (typeof desired === 'number' && typeof a === 'string' && a.trim() !== '' && Number.isFinite(Number(a))) return Math.abs(Number(a) - desired) < 0.005;
  return a === desired;
}

/** One field of an existing object against the value we would write. */
export function sameField(field: string, existing: Json, desired: Json): boolean {
  if (field === 'tags') return JSON.stringify(tagSlugs(existing)) === JSON.stringify(tagSlugs(desired));
  if (field === 'custom_fields') {
    const have = (existing && typeof existing === 'object' ? existing : {}) as Record<string, Json>;
    // Only the custom fields we write are compared: other fields of the type belong to the user.
    return Object.entries(desired as Record<string, Json>).every(([k, v]) => sameScalar(have[k], v));
  }
  if (field === 'mac_address' && typeof desired === 'string' && typeof existing === 'string') return canonicalMac(existing) === canonicalMac(desired);
  if (field === 'address' && typeof desired === 'string' && typeof existing === 'string') return canonicalAddress(existing) === canonicalAddress(desired);
  if (Array.isArray(desired)) return JSON.stringify((Array.isArray(existing) ? existing : []).map((x) => idOf(x))) === JSON.stringify(desired);
  return sameScalar(existing, desired);
}

/** The fields of `desired` that differ from `existing`: the body of a PATCH, or undefined when nothing differs. */
export function changedFields(existing: NetBoxObject, desired: Record<string, Json>): Record<string, Json> | undefined {
  const patch: Record<string, Json> = {};
  for (const [field, value] of Object.entries(desired)) {
    if (value === undefined) continue;
    if (!sameField(field, existing[field], value)) patch[field] = value;
  }
  return Object.keys(patch).length ? patch : undefined;
}
