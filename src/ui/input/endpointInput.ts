// Validation and normalisation of what a person types in "Add Endpoint". Each function returns a message that says
// what is wrong and what to type instead, or the clean value.
import { MIN_SECRET_LENGTH } from '../../core/secrets/redact';

export const DEFAULT_PVE_PORT = 8006;

export type Checked<T> = { ok: true; value: T } | { ok: false; message: string };

/**
 * Accepts "host", "host:port", "https://host[:port][/]" or a URL ending in /api2/json, and returns
 * "https://host:port" (port 8006 when none was given, Proxmox's own default).
 */
export function normalizeEndpointUrl(input: string): Checked<string> {
  const raw = input.trim();
  if (!raw) return { ok: false, message: 'Enter the address of a Proxmox VE node, e.g. pve1.example.com or 10.0.0.5:8006.' };
  if (/^http:\/\//i.test(raw)) {
    return { ok: false, message: 'Proxmox VE serves its API over HTTPS only: use https:// (or just the host name).' };
  }
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(raw) && !/^https:\/\//i.test(raw)) {
    return { ok: false, message: `Unsupported scheme in "${raw}": use https://host:8006 or just the host name.` };
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
  // The URL parser drops ":443" for https; an explicit port in the input must survive, and no port means 8006.
  const explicitPort = /^(?:https:\/\/)?(?:\[[^\]]+\]|[^/:]+):(\d+)/i.exec(raw)?.[1];
  const port = explicitPort ? Number(explicitPort) : DEFAULT_PVE_PORT;
  if (!Number.isInteger(port) || port < 1 || port > 65535) return { ok: false, message: `Port ${explicitPort} is out of range (1-65535).` };
  return { ok: true, value: `https://${url.hostname}:${port}` };
}

const TOKEN_ID = /^([^\s@!:=]+)@([A-Za-z0-9._-]+)!([A-Za-z][A-Za-z0-9._-]*)$/;

/** "user@realm!tokenname", as Proxmox shows it under Datacenter → Permissions → API Tokens. */
export function validateTokenId(input: string): Checked<string> {
  const v = input.trim();
  if (!v) return { ok: false, message: 'Enter the API token id, e.g. root@pam!proxbox (Datacenter → Permissions → API Tokens).' };
  if (/=/.test(v)) return { ok: false, message: 'Enter only the token id (user@realm!name); the secret is asked for next.' };
  if (!v.includes('!')) return { ok: false, message: `"${v}" has no token name: the id looks like user@realm!name, e.g. root@pam!proxbox.` };
  if (!TOKEN_ID.test(v)) return { ok: false, message: `"${v}" is not a token id: use user@realm!name, e.g. root@pam!proxbox.` };
  return { ok: true, value: v };
}

/** The token secret (a UUID on Proxmox). Pasted "id=secret" or "PVEAPIToken=id=secret" forms are reduced to the secret. */
export function validateTokenSecret(input: string): Checked<string> {
  let v = input.trim();
  const pasted = /^(?:PVEAPIToken=)?[^\s=]+@[^\s=]+![^\s=]+=(.+)$/.exec(v);
  if (pasted) v = pasted[1]!.trim();
  if (!v) return { ok: false, message: 'Enter the token secret shown once when the token was created (a UUID).' };
  if (/\s/.test(v)) return { ok: false, message: 'The token secret contains spaces: paste only the secret (a UUID).' };
  // A secret this short is no Proxmox secret, and could not be masked in logs without masking ordinary words.
  if (v.length < MIN_SECRET_LENGTH) {
    return { ok: false, message: `This secret has only ${v.length} character${v.length === 1 ? '' : 's'}: a Proxmox token secret is a UUID (36 characters). Paste the whole secret.` };
  }
  return { ok: true, value: v };
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
