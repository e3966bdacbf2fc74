// API-token authentication as PBS does it: `Authorization: PBSAPIToken=USER@REALM!TOKENNAME:SECRET`, the token id
// and the secret separated by a colon (a token id never holds one). Anything else, a PVE-style `PVEAPIToken=…` or
// `PBSAPIToken=id=secret` included, is refused; PBS answers a failed token with a bare 401.
import { timingSafeEqual } from 'node:crypto';
import type { AuthResult } from '../auth';
import type { SimPbsToken } from './model';

function safeEqual(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

export function authenticatePbs(header: string | undefined, tokens: readonly SimPbsToken[]): AuthResult {
  const m = header ? /^PBSAPIToken[= ]([^:\s]+):(\S+)$/.exec(header.trim()) : null;
  if (!m) return { ok: false, reason: 'authentication failed - invalid token' };
  const token = tokens.find((t) => t.tokenId === m[1]);
  if (!token || !safeEqual(m[2], token.secret)) return { ok: false, reason: 'authentication failed - invalid token' };
  // The PVE router's context wants a PVE token: the PBS token may read everything the simulated PBS serves.
  return { ok: true, token: { tokenId: token.tokenId, secret: token.secret, sysAudit: true, vmAudit: 'all', datastoreAudit: true, guestAgentAudit: false } };
}
