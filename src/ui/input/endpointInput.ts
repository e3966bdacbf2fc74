// Validation and normalisation of what a person types in "Add Endpoint". Each function returns a message that says
// what is wrong and what to type instead, or the clean value.
import { MIN_SECRET_LENGTH } from '../../core/secrets/redact';
import { normalizeFingerprint } from '../../core/proxmox/tls';
import type { EndpointKind } from '../../core/inventory/model';

export const DEFAULT_PVE_PORT = 8006;
/** Proxmox Backup Server's API and web UI port. */
export const DEFAULT_PBS_PORT = 8007;

/** What a person calls each kind, in prompts and messages. */
export const PRODUCT_NAMES: Record<EndpointKind, string> = { pve: 'Proxmox VE', pbs: 'Proxmox Backup Server' };

/** The default port of each kind: the one its web UI and API listen on. */
export function defaultPort(kind: EndpointKind): number {
  return kind === 'pbs' ? DEFAULT_PBS_PORT : DEFAULT_PVE_PORT;
}

/** Where each product lists API tokens, for the prompts and the messages that point there. */
const TOKEN_PLACE: Record<EndpointKind, string> = {
  pve: 'Datacenter → Permissions → API Tokens',
  pbs: 'Configuration → Access Control → API Token',
};

export type Checked<T> = { ok: true; value: T } | { ok: false; message: string };

/**
 * Accepts "host", "host:port", "https://host[:port][/]" or a URL ending in /api2/json, and returns
 * "https://host:port" (when no port was given: 8006 for Proxmox VE, 8007 for Proxmox Backup Server, their own defaults).
 */
export function normalizeEndpointUrl(input: string, kind: EndpointKind = 'pve'): Checked<string> {
  const raw = input.trim();
  const product = PRODUCT_NAMES[kind];
  const port0 = defaultPort(kind);
  if (!raw) {
    return { ok: false, message: kind === 'pbs'
      ? `Enter the address of the Proxmox Backup Server, e.g. pbs.example.com or 10.0.0.9:${port0}.`
      : `Enter the address of a Proxmox VE node, e.g. pve1.example.com or 10.0.0.5:${port0}.` };
  }
  if (/^http:\/\//i.test(raw)) {
    return { ok: false, message: `${product} serves its API over HTTPS only: use https:// (or just the host name).` };
  }
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(raw) && !/^https:\/\//i.test(raw)) {
    return { ok: false, message: `Unsupported scheme in "${raw}": use https://host:${port0} or just the host name.` };
  }
  const withScheme = /^https:\/\//i.test(raw) ? raw : `https://${raw}`;
  let url: URL;
  try {
    url = new URL(withScheme);
  } catch {
    return { ok: false, message: `"${raw}" is not a valid address: use a host name or IP, optionally with :port.` };
  }
  if (url.username || url.password) {
    return { ok: false, message: 'Do not put a user or password in the address: the API token is asked for separately.' };
  }
  const path = url.pathname.replace(/\/+$/, '');
  if (path && path !== '/api2/json') {
    return { ok: false, message: `Unexpected path "${url.pathname}": enter only the host and port (the API lives at /api2/json).` };
  }
  if (url.search || url.hash) return { ok: false, message: 'Remove the query or fragment: enter only the host and port.' };
  // The URL parser drops ":443" for https; an explicit port in the input must survive, and no port means the kind's.
  const explicitPort = /^(?:https:\/\/)?(?:\[[^\]]+\]|[^/:]+):(\d+)/i.exec(raw)?.[1];
  const port = explicitPort ? Number(explicitPort) : port0;
  if (!Number.isInteger(port) || port < 1 || port > 65535) return { ok: false, message: `Port ${explicitPort} is out of range (1-65535).` };
  return { ok: true, value: `https://${url.hostname}:${port}` };
}

const TOKEN_ID = /^([^\s@!:=]+)@([A-Za-z0-9._-]+)!([A-Za-z][A-Za-z0-9._-]*)$/;

/**
 * "user@realm!tokenname", as Proxmox shows it under Datacenter → Permissions → API Tokens (PVE) or Configuration →
 * Access Control → API Token (PBS); both products write it the same way.
 */
export function validateTokenId(input: string, kind: EndpointKind = 'pve'): Checked<string> {
  const v = input.trim();
  const example = kind === 'pbs' ? 'proxbox@pbs!monitor' : 'root@pam!proxbox';
  if (!v) return { ok: false, message: `Enter the API token id, e.g. ${example} (${TOKEN_PLACE[kind]}).` };
  if (/[=:]/.test(v)) return { ok: false, message: 'Enter only the token id (user@realm!name); the secret is asked for next.' };
  if (!v.includes('!')) return { ok: false, message: `"${v}" has no token name: the id looks like user@realm!name, e.g. ${example}.` };
  if (!TOKEN_ID.test(v)) return { ok: false, message: `"${v}" is not a token id: use user@realm!name, e.g. ${example}.` };
  return { ok: true, value: v };
}

/**
 * The token secret (a UUID on Proxmox VE and on PBS). Pasted header or "id=secret" forms are reduced to the secret:
 * PVE's "PVEAPIToken=id=secret" and PBS's "PBSAPIToken=id:secret" (PBS puts a colon before the secret).
 */
export function validateTokenSecret(input: string): Checked<string> {
  let v = input.trim();
  const pasted = /^(?:PVEAPIToken=)?[^\s=]+@[^\s=]+![^\s=:]+=(.+)$/.exec(v) ?? /^(?:PBSAPIToken=)?[^\s=:]+@[^\s=:]+![^\s=:]+:(.+)$/.exec(v);
  if (pasted) v = pasted[1]!.trim();
  if (!v) return { ok: false, message: 'Enter the token secret shown once when the token was created (a UUID).' };
  if (/\s/.test(v)) return { ok: false, message: 'The token secret contains spaces: paste only the secret (a UUID).' };
  // A secret this short is no Proxmox secret, and could not be masked in logs without masking ordinary words.
  if (v.length < MIN_SECRET_LENGTH) {
    return { ok: false, message: `This secret has only ${v.length} character${v.length === 1 ? '' : 's'}: a Proxmox token secret is a UUID (36 characters). Paste the whole secret.` };
  }
  return { ok: true, value: v };
}

/**
 * A SHA-256 certificate fingerprint typed or pasted by a person, in any case (PBS prints lower case, PVE upper case),
 * with or without colons; returned in one normalized form (upper-case colon hex) so a pin compares and stores alike.
 */
export function validateFingerprint(input: string, kind: EndpointKind = 'pve'): Checked<string> {
  try {
    return { ok: true, value: normalizeFingerprint(input) };
  } catch {
    const where = kind === 'pbs'
      ? 'PBS shows it on its Dashboard (Show Fingerprint), or run: proxmox-backup-manager cert info'
      : 'PVE shows it under Node → System → Certificates';
    return { ok: false, message: `"${input.trim()}" is not a SHA-256 certificate fingerprint: expected 32 bytes in hex, like ab:cd:…:ef. ${where}.` };
  }
}

/** Two fingerprints name the same certificate whatever their case and separators. */
export function sameFingerprint(a: string, b: string): boolean {
  const n = (s: string) => s.replace(/[:\s-]/g, '').toUpperCase();
  return n(a) === n(b);
}

export function validateEndpointName(input: string, taken: readonly string[] = []): Checked<string> {
  const v = input.trim();
  if (!v) return { ok: false, message: 'Enter a name for this endpoint, e.g. "lab cluster".' };
  if (v.length > 64) return { ok: false, message: 'Use a name of at most 64 characters.' };
  if (taken.some((t) => t.toLowerCase() === v.toLowerCase())) return { ok: false, message: `An endpoint named "${v}" exists already: pick another name.` };
  return { ok: true, value: v };
}

/** A stable id made from the name ("Lab Cluster" → "lab-cluster"), made unique among existing ids. */
export function makeEndpointId(name: string, existingIds: readonly string[]): string {
  const base = name.normalize('NFKD').replace(/[^\w\s-]/g, '').trim().toLowerCase().replace(/[\s_]+/g, '-').replace(/-+/g, '-')
    .replace(/^-|-$/g, '').slice(0, 40) || 'endpoint';
  let id = base;
  for (let i = 2; existingIds.includes(id); i++) id = `${base}-${i}`;
  return id;
}
