// API-token authentication as PVE does it: `Authorization: PVEAPIToken=USER@REALM!TOKENID=SECRET`, where the header
// regex also accepts a space after the prefix, the value is URI-unescaped and split at the LAST '='.
import { timingSafeEqual } from 'node:crypto';
import type { PveVersion, SimToken } from './model';

export type AuthResult = { ok: true; token: SimToken } | { ok: false; reason: string };

function safeEqual(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

export function authenticate(header: string | undefined, tokens: readonly SimToken[], version: PveVersion): AuthResult {
  const m = header ? /(?:^|\s)PVEAPIToken(?:=| )([^;]*)/.exec(header) : null;
  if (!m) return { ok: false, reason: 'No ticket' };
  let value: string;
  try {
    value = decodeURIComponent(m[1].trim());
  } catch {
    value = m[1].trim();
  }
  const split = /^(.*)=(.*)$/.exec(value);
  // PVE >= 9.1.5 hides the detail behind one message; earlier releases say what was wrong.
  const fail = (detail: string): AuthResult => ({ ok: false, reason: version === '9.1' ? 'Authentication failed!' : detail });
  if (!split) return fail('invalid token value!');
  const [, tokenId, secret] = split;
  const token = tokens.find((t) => t.tokenId === tokenId);
  if (!token) {
    const [user, name] = tokenId.split('!');
    return fail(`no such token '${name ?? ''}' for user '${user}'`);
  }
  if (!safeEqual(secret, token.secret)) return fail('invalid token value!');
  return { ok: true, token };
}
