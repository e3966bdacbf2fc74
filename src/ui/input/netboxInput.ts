// Validation of what a person types when sending an endpoint to NetBox. Each function returns the clean value or a
// message that says what is wrong and what to type instead.
import type { Checked } from './endpointInput';

/** "netbox.example.com", "https://netbox.example.com/", ".../api/" → "https://netbox.example.com" (a path prefix is kept). */
export function normalizeNetBoxUrl(input: string): Checked<string> {
  const raw = input.trim();
  if (!raw) return { ok: false, message: 'Enter the address of your NetBox, e.g. netbox.example.com or https://netbox.example.com.' };
  if (/^http:\/\//i.test(raw)) {
    return { ok: false, message: 'Use https://: the NetBox API token would travel unencrypted over http.' };
  }
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(raw) && !/^https:\/\//i.test(raw)) return { ok: false, message: `Unsupported scheme in "${raw}": use https://.` };
  let url: URL;
  try {
    url = new URL(/^https:\/\//i.test(raw) ? raw : `https://${raw}`);
  } catch {
    return { ok: false, message: `"${raw}" is not a valid address: use a host name, optionally with :port and a path.` };
  }
  if (url.username || url.password) return { ok: false, message: 'Do not put a user or password in the address: the API token is asked for next.' };
  if (url.search || url.hash) return { ok: false, message: 'Remove the query or fragment: enter only the address of NetBox.' };
  const path = url.pathname.replace(/\/+$/, '').replace(/\/api$/, '');
  return { ok: true, value: `https://${url.host}${path}` };
}

/**
 * A NetBox API token: v2 "nbt_<key>.<token>" (NetBox 4.5+) or a v1 40-character token. A pasted header value
 * ("Bearer nbt_…", "Token 0123…") is reduced to the token.
 */
export function validateNetBoxToken(input: string): Checked<string> {
  const v = input.trim().replace(/^(?:Authorization:\s*)?(?:Bearer|Token)\s+/i, '');
  if (!v) return { ok: false, message: 'Enter the NetBox API token (NetBox: your user menu → API Tokens → Add a Token).' };
  if (/^nbt_/i.test(v)) {
    if (!/^nbt_[A-Za-z0-9]+\.[A-Za-z0-9]+$/.test(v)) return { ok: false, message: 'A v2 token looks like nbt_<key>.<token>: copy it whole, with the dot.' };
    return { ok: true, value: v };
  }
  if (/\s/.test(v)) return { ok: false, message: 'The token has spaces in it: copy only the token.' };
  if (v.length < 20) return { ok: false, message: `That is ${v.length} characters; a NetBox token is longer (nbt_<key>.<token>, or 40 characters for a v1 token).` };
  return { ok: true, value: v };
}

export function validateSiteName(input: string): Checked<string> {
  const v = input.trim();
  if (!v) return { ok: false, message: 'Enter the NetBox site for this cluster (an existing site\'s name, or a new one to create).' };
  if (v.length > 100) return { ok: false, message: `NetBox site names have at most 100 characters (this one has ${v.length}).` };
  return { ok: true, value: v };
}
