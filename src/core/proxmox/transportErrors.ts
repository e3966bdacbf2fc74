// Turns what undici and Node throw (socket, TLS, DNS, abort) into ProxmoxErrors with a next step for the user.
import { adviceForCode } from '../errors/explain';
import { ProxmoxError } from './errors';
import { CertificateChangedError, certificateChanged, trustProblemText } from './tls';

const tlsTrustCodes = new Set([
  'DEPTH_ZERO_SELF_SIGNED_CERT', 'SELF_SIGNED_CERT_IN_CHAIN', 'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY', 'UNABLE_TO_GET_ISSUER_CERT', 'CERT_UNTRUSTED', 'ERR_TLS_CERT_ALTNAME_INVALID',
  'CERT_HAS_EXPIRED', 'CERT_NOT_YET_VALID', 'HOSTNAME_MISMATCH',
]);

const noRoute = new Set(['ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH']);

/** Walks `cause` chains: undici wraps socket errors. */
function codeOf(e: unknown): string | undefined {
  for (let cur = e, depth = 0; cur && depth < 5; depth++) {
    const code = (cur as { code?: unknown }).code;
    if (typeof code === 'string' && code !== 'UND_ERR_SOCKET') return code;
    cur = (cur as { cause?: unknown }).cause;
  }
  return (e as { code?: string }).code;
}

export interface TransportContext {
  path: string;
  endpointName: string;
  origin: string;
  pinned: boolean;
}

export function errorFromTransport(e: unknown, ctx: TransportContext): ProxmoxError {
  if (e instanceof ProxmoxError) return e;
  if (e instanceof CertificateChangedError) return certificateChanged(ctx.path, ctx.endpointName, e);
  const cause = (e as { cause?: unknown }).cause;
  if (cause instanceof CertificateChangedError) return certificateChanged(ctx.path, ctx.endpointName, cause);
  const code = codeOf(e);
  const detail = e instanceof Error ? e.message : String(e);
  const base = { path: ctx.path, code, cause: e };
  const at = `GET ${ctx.path} on ${ctx.endpointName}`;
  if (code && tlsTrustCodes.has(code)) {
    return new ProxmoxError({
      ...base, category: 'connection', code: `TLS_${code}`,
      // A host-name mismatch keeps Node's text: it lists the names the certificate is for.
      message: `The certificate of ${ctx.origin} is not trusted: ${trustProblemText(code)}` +
        (code === 'ERR_TLS_CERT_ALTNAME_INVALID' || code === 'HOSTNAME_MISMATCH' ? ` — ${detail}` : ''),
      suggestion: code === 'CERT_HAS_EXPIRED' || code === 'CERT_NOT_YET_VALID'
        ? 'Renew the node\'s certificate (pvecm updatecerts, or ACME), or check the clocks of this machine and the node.'
        : 'Proxmox uses a self-signed certificate by default: edit the endpoint, check the SHA-256 fingerprint shown against the node (Node → System → Certificates) and pin it; or install a certificate from a trusted CA.',
    });
  }
  if (code === 'ECONNREFUSED') {
    return new ProxmoxError({
      ...base, category: 'connection', message: `Connection refused by ${ctx.origin} (${at})`,
      suggestion: adviceForCode('ECONNREFUSED')!,
    });
  }
  if (code && noRoute.has(code)) {
    return new ProxmoxError({
      ...base, category: 'connection', message: `Cannot reach ${ctx.origin} (${code}) for ${at}`,
      suggestion: adviceForCode(code) ?? adviceForCode('EHOSTUNREACH')!,
    });
  }
  if (code === 'UND_ERR_CONNECT_TIMEOUT') {
    return new ProxmoxError({
      ...base, category: 'connection', message: `Connecting to ${ctx.origin} timed out (${at})`,
      suggestion: 'The node does not answer: check that it is up, the address is right and no firewall drops port 8006.',
    });
  }
  if (code === 'UND_ERR_HEADERS_TIMEOUT' || code === 'UND_ERR_BODY_TIMEOUT' || code === 'ETIMEDOUT') {
    return new ProxmoxError({
      ...base, category: 'timeout', message: `No complete answer from ${ctx.origin} in time (${at})`,
      suggestion: adviceForCode('ETIMEDOUT')!,
    });
  }
  if (code === 'ECONNRESET' || code === 'EPIPE' || code === 'UND_ERR_SOCKET' || code === 'UND_ERR_CLOSED' || /other side closed|socket hang up|closed/i.test(detail)) {
    return new ProxmoxError({
      ...base, category: 'connection', code: code ?? 'ECONNRESET', message: `The connection to ${ctx.origin} was closed during ${at}`,
      suggestion: adviceForCode('ECONNRESET')!,
    });
  }
  return new ProxmoxError({
    ...base, category: 'unknown', message: `Request failed: ${at}: ${detail}`,
    suggestion: 'Check the endpoint URL and the network; the log has the details.',
  });
}
