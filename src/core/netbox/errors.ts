// Every failure of a NetBox request becomes one NetBoxError: a category the pipeline acts on, the HTTP status, the
// method and path, NetBox's own words, the per-item errors of a failed bulk write and what to do next. NetBox is a
// Django REST Framework app: its errors are `{"detail": "…"}`, field maps `{"slug": ["…"]}`, per-item lists for bulk
// writes and bare lists of strings for pagination mistakes. It answers a bad or missing token with 403, never 401.
import { adviceForCode, type ErrorCategory, type ExplainedError } from '../errors/explain';
import { CertificateChangedError, trustProblemText } from '../proxmox/tls';
import { capText } from '../text/cap';
import type { NetBoxItemErrors } from './api';

export type HttpMethod = 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE';

export interface NetBoxErrorInit {
  category: ErrorCategory;
  method: HttpMethod;
  /** The API path with its query, e.g. /api/dcim/devices/?limit=1000 (never the host: that is in `message`). */
  path: string;
  message: string;
  suggestion: string;
  status?: number;
  /** NetBox's own message: `detail`, or the field errors joined readably. */
  netboxMessage?: string;
  /** For a failed bulk write: one entry per input item, `{}` for the items NetBox had nothing against. */
  itemErrors?: NetBoxItemErrors;
  /** Machine-readable detail: CERT_CHANGED, ECONNREFUSED, TIMEOUT, RESPONSE_TOO_LARGE, OTHER_ORIGIN… */
  code?: string;
  expectedFingerprint?: string;
  actualFingerprint?: string;
  cause?: unknown;
}

export class NetBoxError extends Error {
  readonly category: ErrorCategory;
  readonly method: HttpMethod;
  readonly path: string;
  readonly status?: number;
  readonly netboxMessage?: string;
  readonly itemErrors?: NetBoxItemErrors;
  readonly suggestion: string;
  readonly code?: string;
  readonly expectedFingerprint?: string;
  readonly actualFingerprint?: string;

  constructor(init: NetBoxErrorInit) {
    super(init.message, init.cause === undefined ? undefined : { cause: init.cause });
    this.name = 'NetBoxError';
    this.category = init.category;
    this.method = init.method;
    this.path = init.path;
    this.status = init.status;
    this.netboxMessage = init.netboxMessage;
    this.itemErrors = init.itemErrors;
    this.suggestion = init.suggestion;
    this.code = init.code;
    this.expectedFingerprint = init.expectedFingerprint;
    this.actualFingerprint = init.actualFingerprint;
  }

  /** The shape of the pipeline's `error_detail` event. */
  toDetail(): { category: ErrorCategory; message: string; detail: string; suggestion: string } {
    const detail = [this.status !== undefined ? `HTTP ${this.status}` : this.code, `${this.method} ${this.path}`, this.netboxMessage]
      .filter((x) => x !== undefined && x !== '').join(' · ');
    return { category: this.category, message: this.message, detail, suggestion: this.suggestion };
  }

  /**
   * explainError (src/core/errors/explain.ts) takes a `classified` explanation as it is: without it, it would
   * describe every request as a GET and miss NetBox's own message.
   */
  get classified(): ExplainedError {
    return { ...this.toDetail(), ...(this.status !== undefined ? { status: this.status } : {}), path: this.path };
  }
}

export function isNetBoxError(e: unknown): e is NetBoxError {
  return e instanceof NetBoxError;
}

/** Worth another attempt, for a read only: the network, a timeout, NetBox or its proxy failing. Never a pin. */
export function isRetryableRead(e: NetBoxError): boolean {
  if (e.method !== 'GET' || e.code === 'CERT_CHANGED' || e.code?.startsWith('TLS_')) return false;
  if (e.code === 'RESPONSE_TOO_LARGE' || e.code === 'BAD_JSON' || e.code === 'OTHER_ORIGIN') return false;
  if (e.category === 'timeout' || e.category === 'rate_limit') return true;
  if (e.status !== undefined) return e.status >= 500;
  return e.category === 'connection';
}

/** Server text kept per message: long enough for any real NetBox error, bounded whatever the server sends. */
const SERVER_TEXT_CAP = 2000;
const MAX_ITEMS_NAMED = 5;

const firstLine = (s: string): string => s.split('\n').map((l) => l.trim()).find((l) => l !== '') ?? '';

/** `{"slug": ["This field is required."], "name": ["…"]}` → `slug: This field is required.; name: …`. */
export function fieldErrorsText(value: unknown): string {
  if (typeof value === 'string') return firstLine(value);
  if (Array.isArray(value)) return value.map(fieldErrorsText).filter((s) => s !== '').join(' ');
  if (value && typeof value === 'object') {
    return Object.entries(value as Record<string, unknown>)
      .map(([field, v]) => {
        const text = fieldErrorsText(v);
        return field === 'non_field_errors' || field === 'detail' ? text : `${field}: ${text}`;
      })
      .filter((s) => s !== '').join('; ');
  }
  return value === undefined || value === null ? '' : String(value);
}

/** What a body of an error answer says, and the per-item errors when it is a bulk write's list of objects. */
export function parseErrorBody(text: string): { message?: string; itemErrors?: NetBoxItemErrors } {
  const trimmed = text.trim();
  if (trimmed === '') return {};
  let body: unknown;
  try {
    body = JSON.parse(trimmed);
  } catch {
    // A reverse proxy's HTML or plain text: its first line is all that helps.
    return { message: capText(firstLine(trimmed.replace(/<[^>]*>/g, ' ')), 200) };
  }
  if (Array.isArray(body) && body.length > 0 && body.every((x) => x !== null && typeof x === 'object' && !Array.isArray(x))) {
    const itemErrors = body as NetBoxItemErrors;
    return { itemErrors, message: itemErrorsText(itemErrors) };
  }
  if (body && typeof body === 'object' && !Array.isArray(body)) {
    const o = body as Record<string, unknown>;
    if (typeof o.detail === 'string') return { message: o.detail };
    // A 500 from NetBox's own handler: {"error", "exception", "netbox_version", "python_version"}.
    if (typeof o.error === 'string') return { message: [o.error, typeof o.exception === 'string' ? o.exception : ''].filter(Boolean).join(': ') };
  }
  return { message: fieldErrorsText(body) };
}

/** The labels the caller knows for the input items (a name, a slug, an id), to name what NetBox refused. */
export type ItemLabel = (index: number) => string | undefined;

export function itemErrorsText(items: NetBoxItemErrors, label?: ItemLabel): string {
  const bad = items.map((e, i) => ({ i, text: fieldErrorsText(e) })).filter((x) => x.text !== '');
  const named = bad.slice(0, MAX_ITEMS_NAMED).map(({ i, text }) => {
    const name = label?.(i);
    return `item ${i + 1}${name ? ` (${name})` : ''}: ${text}`;
  });
  const more = bad.length > MAX_ITEMS_NAMED ? `; and ${bad.length - MAX_ITEMS_NAMED} more` : '';
  return `${named.join('; ')}${more}`;
}

// DRF's and NetBox's own words for a credential that is missing or not accepted (netbox/api/authentication.py):
// "Authentication credentials were not provided.", "Invalid v1 token", "Invalid v2 token", "Token disabled",
// "Token expired", "Source IP … is not permitted to authenticate using this token.", "Incorrect authentication …".
const AUTH_FAILURE = /credentials were not provided|invalid (v\d )?token|token (disabled|expired|is disabled|has expired)|not permitted to authenticate|incorrect authentication|user (account )?(is )?(inactive|disabled)/i;

export interface HttpFailure {
  status: number;
  method: HttpMethod;
  path: string;
  /** https://netbox.example.com (plus a base path) as the user entered it. */
  where: string;
  body: string;
  label?: ItemLabel;
}

const TOKEN_HELP =
  'Create a token in NetBox (your user menu → API Tokens; a v2 token starts with nbt_, NetBox 4.5 or newer), check that it is enabled, ' +
  'not expired and allowed from this machine\'s address, and set it with "Proxbox: Send Endpoint to NetBox..." (for the proxbox command: NETBOX_TOKEN or --netbox-token-file)';

/** Maps a non-2xx answer to a NetBoxError. `body` is already redacted, and bounded by the bytes the caller read. */
export function errorFromHttp(f: HttpFailure): NetBoxError {
  const parsed = parseErrorBody(f.body);
  const itemErrors = parsed.itemErrors;
  const said = itemErrors ? itemErrorsText(itemErrors, f.label) : parsed.message;
  const netboxMessage = said ? capText(said, SERVER_TEXT_CAP) : undefined;
  const says = netboxMessage ? `: ${netboxMessage}` : '';
  const at = `${f.method} ${f.path} on NetBox at ${f.where}`;
  const base = { status: f.status, method: f.method, path: f.path, netboxMessage };
  const s = f.status;
  if (s === 401 || (s === 403 && AUTH_FAILURE.test(netboxMessage ?? ''))) {
    return new NetBoxError({ ...base, category: 'authentication', message: `NetBox rejected the API token (HTTP ${s} for ${at})${says}`, suggestion: TOKEN_HELP });
  }
  if (s === 403) {
    const write = f.method !== 'GET';
    return new NetBoxError({
      ...base, category: 'permission', message: `Permission denied for ${at}${says}`,
      suggestion: write
        ? 'Give the token write access: in NetBox, edit the token and tick "Write enabled", and give its user add, change and delete permissions on the object types Proxbox syncs (Admin → Permissions).'
        : 'Give the token\'s user view permission on the object types Proxbox syncs (Admin → Permissions in NetBox).',
    });
  }
  if (s === 400) {
    return new NetBoxError({
      ...base, itemErrors, category: 'validation', message: `NetBox refused the data of ${at}${says}`,
      suggestion: itemErrors
        ? 'Nothing of this batch was written (NetBox writes a batch whole or not at all): fix the named item and field, or leave that object out, and sync again.'
        : 'NetBox refused the request: check the named field; if this NetBox version (4.4 to 4.7 are supported) is newer than the extension expects, report it with this message.',
    });
  }
  if (s === 404) {
    return new NetBoxError({
      ...base, category: 'not_found', message: `Not found: ${at}${says}`,
      suggestion: f.path.startsWith('/api/plugins/')
        ? 'The NetBox plugin that serves this path is not installed or not enabled; install netbox-proxbox, or turn its models off in the settings.'
        : 'Check the NetBox URL (with its base path, if NetBox is served under one) and that the NetBox version (4.4 to 4.7) has this API.',
    });
  }
  if (s === 409) {
    return new NetBoxError({
      ...base, category: 'validation', message: `NetBox refused ${at} because other objects depend on it${says}`,
      suggestion: 'Remove or reassign the dependent objects NetBox names in NetBox, or leave the object in place.',
    });
  }
  if (s === 405 || s === 412 || s === 415) {
    return new NetBoxError({
      ...base, category: 'validation', message: `NetBox does not accept ${at} (HTTP ${s})${says}`,
      suggestion: 'This NetBox version does not support this request; check that it runs NetBox 4.4 to 4.7 and report this with its version.',
    });
  }
  if (s === 429) {
    return new NetBoxError({
      ...base, category: 'rate_limit', message: `Too many requests: ${at}${says}`,
      suggestion: 'A proxy in front of NetBox limits requests; sync less often, or raise the proxy\'s limit for this machine.',
    });
  }
  if (s >= 500) {
    return new NetBoxError({
      ...base, category: 'connection', message: `NetBox failed to answer ${at} (HTTP ${s})${says}`,
      suggestion: s === 502 || s === 503 || s === 504
        ? 'NetBox or the reverse proxy in front of it is down or overloaded; check its service (and PostgreSQL), then sync again.'
        : 'An error inside NetBox; check NetBox\'s log (and PostgreSQL), then sync again.',
    });
  }
  if (s >= 300 && s < 400) {
    return new NetBoxError({
      ...base, category: 'connection', message: `NetBox at ${f.where} redirected ${f.method} ${f.path} (HTTP ${s})`,
      suggestion: 'Enter the NetBox URL exactly as it serves its API (https rather than http, and its base path if it has one); a redirect to a login page means a proxy in front of it wants another sign-in.',
    });
  }
  return new NetBoxError({
    ...base, category: 'unknown', message: `Unexpected answer HTTP ${s} to ${at}${says}`,
    suggestion: 'Check that the URL points at NetBox (https://netbox.example.com) and not at a proxy or another service.',
  });
}

const tlsTrustCodes = new Set([
  'DEPTH_ZERO_SELF_SIGNED_CERT', 'SELF_SIGNED_CERT_IN_CHAIN', 'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY', 'UNABLE_TO_GET_ISSUER_CERT', 'CERT_UNTRUSTED', 'ERR_TLS_CERT_ALTNAME_INVALID',
  'CERT_HAS_EXPIRED', 'CERT_NOT_YET_VALID', 'HOSTNAME_MISMATCH',
]);

/** Walks `cause` chains: undici wraps the socket error that names the real cause. */
function codeOf(e: unknown): string | undefined {
  for (let cur = e, depth = 0; cur && typeof cur === 'object' && depth < 5; depth++) {
    const code = (cur as { code?: unknown }).code;
    if (typeof code === 'string' && code !== 'UND_ERR_SOCKET') return code;
    cur = (cur as { cause?: unknown }).cause;
  }
  return (e as { code?: string } | undefined)?.code;
}

function certificateOf(e: unknown): CertificateChangedError | undefined {
  if (e instanceof CertificateChangedError) return e;
  const cause = (e as { cause?: unknown } | undefined)?.cause;
  return cause instanceof CertificateChangedError ? cause : undefined;
}

/** Maps what undici and Node throw (socket, TLS, DNS) to a NetBoxError. */
export function errorFromTransport(e: unknown, ctx: { method: HttpMethod; path: string; where: string }): NetBoxError {
  if (e instanceof NetBoxError) return e;
  const at = `${ctx.method} ${ctx.path} on NetBox at ${ctx.where}`;
  const base = { method: ctx.method, path: ctx.path, cause: e };
  const changed = certificateOf(e);
  if (changed) {
    return new NetBoxError({
      ...base, category: 'connection', code: 'CERT_CHANGED', expectedFingerprint: changed.expected, actualFingerprint: changed.actual,
      message: `The certificate of NetBox at ${ctx.where} is not the pinned one: pinned ${changed.expected}, presented ${changed.actual ?? '(no certificate)'}. No request was sent.`,
      suggestion: 'If NetBox\'s certificate was renewed on purpose, check its new SHA-256 fingerprint and pin it again with "Proxbox: Send Endpoint to NetBox..." (for the proxbox command: --netbox-fingerprint); otherwise something is intercepting the connection.',
    });
  }
  const code = codeOf(e);
  const detail = e instanceof Error ? e.message : String(e);
  if (code && tlsTrustCodes.has(code)) {
    return new NetBoxError({
      ...base, category: 'connection', code: `TLS_${code}`,
      message: `The certificate of NetBox at ${ctx.where} is not trusted: ${trustProblemText(code)}`,
      suggestion: 'Pin the certificate\'s SHA-256 fingerprint with "Proxbox: Send Endpoint to NetBox..." (for the proxbox command: --netbox-fingerprint) after checking it on the NetBox server, or give NetBox a certificate from a CA this machine trusts.',
    });
  }
  if (code === 'UND_ERR_CONNECT_TIMEOUT') {
    return new NetBoxError({
      ...base, category: 'timeout', code, message: `Connecting to NetBox at ${ctx.where} timed out (${at})`,
      suggestion: 'NetBox does not answer: check that it is up, the address is right and no firewall drops the connection.',
    });
  }
  if (code === 'UND_ERR_HEADERS_TIMEOUT' || code === 'UND_ERR_BODY_TIMEOUT' || code === 'ETIMEDOUT') {
    return new NetBoxError({
      ...base, category: 'timeout', code, message: `No complete answer from NetBox in time (${at})`,
      suggestion: 'NetBox is busy: raise proxbox.requestTimeoutSeconds (--timeout-ms for the proxbox command) or sync when it is less busy.',
    });
  }
  const known = code ? adviceForCode(code) : undefined;
  if (code === 'ECONNREFUSED' || code === 'ENOTFOUND' || code === 'EAI_AGAIN' || code === 'EHOSTUNREACH' || code === 'ENETUNREACH') {
    return new NetBoxError({
      ...base, category: 'connection', code, message: `Cannot reach NetBox at ${ctx.where} (${code}) for ${at}`,
      suggestion: code === 'ECONNREFUSED'
        ? 'Nothing answers on that port: check the NetBox URL and its port, and that NetBox (and its web server) runs.'
        : known ?? 'Check the host name, the network route and any VPN or firewall.',
    });
  }
  if (code === 'ECONNRESET' || code === 'EPIPE' || code === 'UND_ERR_SOCKET' || code === 'UND_ERR_CLOSED' || /other side closed|socket hang up/i.test(detail)) {
    return new NetBoxError({
      ...base, category: 'connection', code: code ?? 'ECONNRESET', message: `The connection to NetBox at ${ctx.where} was closed during ${at}`,
      suggestion: 'NetBox or a proxy closed the connection (reads are retried); if it persists, check NetBox\'s web server and any load balancer.',
    });
  }
  return new NetBoxError({
    ...base, category: 'unknown', code, message: `Request to NetBox failed: ${at}: ${capText(detail, 300)}`,
    suggestion: 'Check the NetBox URL and the network; the log has the details.',
  });
}
