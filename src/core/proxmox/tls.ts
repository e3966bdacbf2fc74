// Certificate trust per endpoint: normal CA verification, or a pinned SHA-256 fingerprint of the leaf certificate,
// checked on the TLS handshake before a single request byte is sent (as PVE's own client and PBS's client do).
import { checkServerIdentity, connect as tlsConnect, type PeerCertificate, type TLSSocket } from 'node:tls';
import { buildConnector } from 'undici';
import { ProxmoxError } from './errors';

/** Uppercase colon hex, the way PVE prints fingerprints (`AB:CD:…`, 32 bytes). */
export function normalizeFingerprint(fp: string): string {
  const hex = fp.trim().replace(/^(sha256\s*)?(fingerprint\s*)?[=:]?\s*/i, '').replace(/[:\s-]/g, '');
  if (!/^[0-9a-fA-F]{64}$/.test(hex)) {
    throw new Error(
      `"${fp}" is not a SHA-256 certificate fingerprint: expected 32 bytes in hex, like AB:CD:…:EF (PVE shows it under ` +
        'Node → System → Certificates, or run: openssl x509 -in /etc/pve/local/pve-ssl.pem -noout -fingerprint -sha256)',
    );
  }
  return hex.toUpperCase().match(/../g)!.join(':');
}

/** Raised inside the TLS connect when the server presents another certificate than the pinned one. */
export class CertificateChangedError extends Error {
  readonly code = 'CERT_CHANGED';
  constructor(
    readonly expected: string,
    readonly actual: string | undefined,
  ) {
    super(`The server presented certificate ${actual ?? '(none)'} but ${expected} is pinned`);
    this.name = 'CertificateChangedError';
  }
}

export function certificateChanged(path: string, endpointName: string, e: CertificateChangedError): ProxmoxError {
  return new ProxmoxError({
    category: 'connection', code: 'CERT_CHANGED', path,
    expectedFingerprint: e.expected, actualFingerprint: e.actual,
    message: `The certificate of ${endpointName} changed: pinned ${e.expected}, now presented ${e.actual ?? '(no certificate)'}. No request was sent.`,
    suggestion: 'If the certificate was renewed on purpose (e.g. pvecm updatecerts or a new ACME certificate), compare the new fingerprint with the one shown on the node (Node → System → Certificates) and accept it again with "Edit Endpoint"; otherwise something is intercepting the connection.',
  });
}

export interface ConnectorOptions {
  /** Pinned leaf fingerprint; absent = CA verification. */
  fingerprint?: string;
  /** Extra trusted CA certificates (PEM), e.g. an internal PKI Node does not know. */
  ca?: string | string[];
  connectTimeoutMs: number;
}

/** The undici `connect` option for one endpoint. */
export function buildEndpointConnector(opts: ConnectorOptions): buildConnector.connector {
  if (opts.fingerprint === undefined) {
    return buildConnector({ timeout: opts.connectTimeoutMs, ...(opts.ca ? { ca: opts.ca } : {}) });
  }
  const pinned = normalizeFingerprint(opts.fingerprint);
  // CA errors are ignored only because the pin is checked right after the handshake. Sessions are not resumed, so
  // every connection shows its certificate.
  const base = buildConnector({ timeout: opts.connectTimeoutMs, rejectUnauthorized: false, maxCachedSessions: 0 });
  return (options, callback) =>
    base(options, (err, socket) => {
      if (err || !socket) {
        callback(err ?? new Error('TLS connect failed'), null);
        return;
      }
      const presented = (socket as TLSSocket).getPeerCertificate?.()?.fingerprint256;
      const actual = presented ? presented.toUpperCase() : undefined;
      if (actual !== pinned) {
        socket.destroy();
        callback(new CertificateChangedError(pinned, actual), null);
        return;
      }
      callback(null, socket);
    });
}

export interface CertificateInfo {
  /** Uppercase colon hex SHA-256 of the leaf certificate, as PVE prints it. */
  fingerprint: string;
  subject: string;
  issuer: string;
  validFrom: string;
  validTo: string;
  /** True when Node's CA store (plus `ca`) trusts the certificate for this host name. */
  trustedByCA: boolean;
  /** Why it is not trusted, e.g. SELF_SIGNED_CERT_IN_CHAIN or a host-name mismatch. */
  caError?: string;
}

/** Why a certificate is not trusted, in words (the code stays in brackets for a search); unknown reasons as given. */
const TRUST_PROBLEMS: Record<string, string> = {
  DEPTH_ZERO_SELF_SIGNED_CERT: 'it is self-signed (the Proxmox default)',
  SELF_SIGNED_CERT_IN_CHAIN: 'it is signed by a CA this machine does not trust, such as the cluster\'s own Proxmox CA',
  UNABLE_TO_VERIFY_LEAF_SIGNATURE: 'it is signed by a CA this machine does not know',
  UNABLE_TO_GET_ISSUER_CERT_LOCALLY: 'it is signed by a CA this machine does not know',
  UNABLE_TO_GET_ISSUER_CERT: 'it is signed by a CA this machine does not know',
  CERT_UNTRUSTED: 'its CA is not trusted on this machine',
  CERT_HAS_EXPIRED: 'it has expired',
  CERT_NOT_YET_VALID: 'it is not valid yet (check both clocks)',
  ERR_TLS_CERT_ALTNAME_INVALID: 'it is issued for another host name',
  HOSTNAME_MISMATCH: 'it is issued for another host name',
};

export function trustProblemText(reason: string): string {
  const words = TRUST_PROBLEMS[reason];
  return words ? `${words} (${reason})` : reason;
}

const dn = (x: PeerCertificate['subject'] | undefined): string =>
  x ? Object.entries(x).map(([k, v]) => `${k}=${Array.isArray(v) ? v.join('+') : v}`).join(', ') : '';

const certError = (url: string, category: 'connection' | 'timeout' | 'cancelled' | 'validation', code: string, message: string, suggestion: string): ProxmoxError =>
  new ProxmoxError({ category, code, path: url, message, suggestion });

/** For "Add endpoint": connects, reads the leaf certificate and sends nothing. Fails with a ProxmoxError. */
export function fetchCertificate(
  url: string,
  opts: { timeoutMs?: number; signal?: AbortSignal; ca?: string | string[] } = {},
): Promise<CertificateInfo> {
  let target: URL;
  try {
    target = new URL(url);
  } catch {
    return Promise.reject(certError(url, 'validation', 'BAD_URL', `"${url}" is not a URL`, 'Enter it as https://host:8006.'));
  }
  if (target.protocol !== 'https:') {
    return Promise.reject(certError(url, 'validation', 'BAD_URL', `"${url}" does not use https`, 'Proxmox VE serves its API on https://host:8006.'));
  }
  const host = target.hostname.replace(/^\[|\]$/g, '');
  const port = Number(target.port || 8006);
  const timeoutMs = opts.timeoutMs ?? 10_000;
  const cancelled = (): ProxmoxError => certError(url, 'cancelled', 'CANCELLED', 'Reading the certificate was cancelled', 'Nothing to do: it was cancelled on request.');
  return new Promise<CertificateInfo>((resolve, reject) => {
    if (opts.signal?.aborted) {
      reject(cancelled());
      return;
    }
    const socket = tlsConnect({
      host, port, rejectUnauthorized: false, ...(opts.ca ? { ca: opts.ca } : {}),
      ...(/^[\d.]+$|:/.test(host) ? {} : { servername: host }),
    });
    const finish = (err: Error | undefined, info?: CertificateInfo): void => {
      clearTimeout(timer);
      opts.signal?.removeEventListener('abort', onAbort);
      socket.destroy();
      if (err) reject(err);
      else resolve(info!);
    };
    const onAbort = (): void => finish(cancelled());
    const timer = setTimeout(() => finish(certError(url, 'timeout', 'TIMEOUT', `No TLS answer from ${host}:${port} within ${timeoutMs} ms`,
      'Check the address, the port (8006) and that no firewall drops the connection.')), timeoutMs);
    opts.signal?.addEventListener('abort', onAbort, { once: true });
    socket.once('secureConnect', () => {
      const cert = socket.getPeerCertificate();
      if (!cert || !cert.fingerprint256) {
        finish(certError(url, 'connection', 'NO_CERTIFICATE', `${host}:${port} presented no certificate`, 'Check that the URL points at a Proxmox VE node (port 8006).'));
        return;
      }
      const info: CertificateInfo = {
        fingerprint: cert.fingerprint256.toUpperCase(), subject: dn(cert.subject), issuer: dn(cert.issuer),
        validFrom: new Date(cert.valid_from).toISOString(), validTo: new Date(cert.valid_to).toISOString(),
        trustedByCA: false,
      };
      if (!socket.authorized) {
        info.caError = String(socket.authorizationError);
      } else {
        const mismatch = checkIdentity(host, cert);
        if (mismatch) info.caError = mismatch;
        else info.trustedByCA = true;
      }
      finish(undefined, info);
    });
    socket.once('error', (e: NodeJS.ErrnoException) =>
      finish(certError(url, 'connection', e.code ?? 'CONNECT_FAILED', `Could not connect to ${host}:${port} (${e.code ?? e.message})`,
        'Check the address and port, and that the node is reachable from this machine.')));
  });
}

function checkIdentity(host: string, cert: PeerCertificate): string | undefined {
  const err = checkServerIdentity(host, cert);
  return err ? err.message : undefined;
}
