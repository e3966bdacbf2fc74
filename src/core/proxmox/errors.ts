// Every failure of a request becomes one ProxmoxError: a category the UI and the pipeline can act on, the HTTP
// status, the API path, PVE's own message and a suggestion telling the user what to do next.

import type { ErrorCategory } from '../errors/explain';

export type { ErrorCategory };

export interface ProxmoxErrorInit {
  category: ErrorCategory;
  path: string;
  message: string;
  suggestion: string;
  status?: number;
  pveMessage?: string;
  /** Machine-readable detail, e.g. CERT_CHANGED, ECONNREFUSED, TLS_UNTRUSTED. */
  code?: string;
  /** For CERT_CHANGED: the pinned and the presented fingerprints. */
  expectedFingerprint?: string;
  actualFingerprint?: string;
  cause?: unknown;
}

export class ProxmoxError extends Error {
  readonly category: ErrorCategory;
  readonly status?: number;
  readonly path: string;
  readonly pveMessage?: string;
  readonly suggestion: string;
  readonly code?: string;
  readonly expectedFingerprint?: string;
  readonly actualFingerprint?: string;

  constructor(init: ProxmoxErrorInit) {
    super(init.message, init.cause === undefined ? undefined : { cause: init.cause });
    this.name = 'ProxmoxError';
    this.category = init.category;
    this.status = init.status;
    this.path = init.path;
    this.pveMessage = init.pveMessage;
    this.suggestion = init.suggestion;
    this.code = init.code;
    this.expectedFingerprint = init.expectedFingerprint;
    this.actualFingerprint = init.actualFingerprint;
  }

  /** The shape of the pipeline's `error_detail` event. */
  toDetail(): { category: ErrorCategory; message: string; detail: string; suggestion: string } {
    const detail = [this.status !== undefined ? `HTTP ${this.status}` : this.code, this.path, this.pveMessage]
      .filter((x) => x !== undefined && x !== '').join(' · ');
    return { category: this.category, message: this.message, detail, suggestion: this.suggestion };
  }
}

export function isProxmoxError(e: unknown): e is ProxmoxError {
  return e instanceof ProxmoxError;
}

/** Categories worth another attempt for an idempotent GET. Never authentication, permission or validation. */
// PVE answers some questions about a guest's state with a 500 that is an answer, not a hiccup: asking again
// gets the same answer (and a missing guest agent costs PVE seconds each time).
const deterministic500 = /guest agent is not running|no qemu guest agent configured|^vm \d+ is not running|does not exist/i;

export function isRetryable(e: ProxmoxError): boolean {
  if (e.code === 'CERT_CHANGED' || e.code?.startsWith('TLS_')) return false;
  if (e.category === 'connection' || e.category === 'rate_limit') return true;
  if (e.status === 500 && e.pveMessage && deterministic500.test(e.pveMessage.trim())) return false;
  return e.category === 'internal' && e.status !== undefined && e.status >= 500;
}

/** Cut PVE's message to one line: the reason phrase and body often end in "\n". */
const firstLine = (s: string | undefined): string | undefined => {
  const line = s?.split('\n').map((l) => l.trim()).find((l) => l !== '');
  return line === undefined || line === '' ? undefined : line;
};

/** `Permission check failed (/vms/100, VM.Audit)` → path and privilege(s). */
export function parsePermissionMessage(message: string): { aclPath: string; privileges: string[] } | undefined {
  const m = /Permission check failed \(([^,()]+),\s*([^)]+)\)/.exec(message);
  if (!m) return undefined;
  return { aclPath: m[1].trim(), privileges: m[2].split('|').map((p) => p.trim()).filter((p) => p !== '') };
}

export interface HttpFailure {
  status: number;
  path: string;
  /** The status line's reason phrase (PVE puts the first line of its message there). */
  statusText?: string;
  /** `message` from the JSON body, or the plain-text body. */
  bodyMessage?: string;
  /** `errors` from a 400 body: parameter → message. */
  paramErrors?: Record<string, string>;
  endpointName: string;
}

/** Maps a non-2xx answer to a typed error with a suggestion. */
export function errorFromHttp(f: HttpFailure): ProxmoxError {
  const pve = firstLine(f.bodyMessage) ?? firstLine(f.statusText);
  const at = `GET ${f.path} on ${f.endpointName}`;
  const base = { status: f.status, path: f.path, pveMessage: pve };
  const says = pve ? `: ${pve}` : '';
  const s = f.status;
  if (s === 401) {
    // PVE's own words are mostly "authentication failure" or "Authentication failed!": saying that after our own
    // sentence would say it twice, so only words that add something (e.g. "invalid token value!") are kept.
    const adds = pve && !/^(authentication (failed|failure)|unauthorized|no ticket)[.!]*$/i.test(pve) ? `: ${pve}` : '';
    return new ProxmoxError({
      ...base, category: 'authentication', message: `Proxmox rejected the API token (HTTP 401 for ${at})${adds}`,
      suggestion: 'Check the token id (user@realm!name) and secret, and that the token and its user are enabled and not expired; tokens with privilege separation need their own permissions.',
    });
  }
  if (s === 403) {
    const perm = pve ? parsePermissionMessage(pve) : undefined;
    const tokenOnly = pve?.includes('not available with API token');
    return new ProxmoxError({
      ...base, category: 'permission', message: `Permission denied for ${at}${says}`,
      suggestion: perm
        ? `Grant ${perm.privileges.join(' or ')} on ${perm.aclPath} to the API token (with privilege separation the token needs it as well as its user), e.g. the PVEAuditor role on /.`
        : tokenOnly
          ? 'This call is not available to API tokens; the extension only needs read calls, so report this as a bug.'
          : 'Give the API token read access (the PVEAuditor role on / is enough), and the same to its user when privilege separation is on.',
    });
  }
  if (s === 400) {
    const params = f.paramErrors ? Object.entries(f.paramErrors).map(([k, v]) => `${k}: ${firstLine(v) ?? v}`).join('; ') : '';
    const noSuchJob = params.match(/No such job '([^']*)'/);
    if (noSuchJob) {
      return new ProxmoxError({
        ...base, category: 'not_found', pveMessage: params, message: `Backup job '${noSuchJob[1]}' does not exist (${at})`,
        suggestion: 'The job was deleted or renamed in Proxmox; sync again to refresh the list of backup jobs.',
      });
    }
    return new ProxmoxError({
      ...base, category: 'validation', pveMessage: [pve, params].filter(Boolean).join(' ') || undefined,
      message: `Proxmox rejected the parameters of ${at}${says}${params ? ` (${params})` : ''}`,
      suggestion: 'The request does not fit this Proxmox version; check the node is on PVE 7 or newer and report this if it persists.',
    });
  }
  if (s === 404 || s === 501 || (s === 500 && pve !== undefined && /does not exist|no such|not found/i.test(pve))) {
    return new ProxmoxError({
      ...base, category: 'not_found', message: `Not found: ${at}${says}`,
      suggestion: s === 501
        ? 'This Proxmox version does not offer this API call; update the node or skip this feature.'
        : 'The object was removed or moved to another node; sync again to refresh the inventory.',
    });
  }
  if (s === 429) {
    return new ProxmoxError({
      ...base, category: 'rate_limit', message: `Too many requests: ${at}${says}`,
      suggestion: 'A proxy in front of Proxmox is limiting requests; lower the concurrency setting or sync less often.',
    });
  }
  if (s === 595 || s === 596 || s === 599) {
    return new ProxmoxError({
      ...base, category: 'connection', message: `Proxmox could not reach the node that owns this data (${at})${says}`,
      suggestion: 'The target node is offline or unreachable from the node you connect to, or pvedaemon is overloaded; check the node is up (pvecm status) and retry.',
    });
  }
  if (s >= 500) {
    return new ProxmoxError({
      ...base, category: 'internal', message: `Proxmox failed to answer ${at} (HTTP ${s})${says}`,
      suggestion: 'An error inside Proxmox; retry later, and check the node\'s journal (journalctl -u pveproxy -u pvedaemon) if it persists.',
    });
  }
  return new ProxmoxError({
    ...base, category: 'unknown', message: `Unexpected answer HTTP ${s} to ${at}${says}`,
    suggestion: 'Check that the endpoint URL points at a Proxmox VE node (https://host:8006) and not at a proxy or another service.',
  });
}
