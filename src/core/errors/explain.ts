// The one error explainer: whatever was thrown (a ProxmoxError, a Node socket or file error, a decode, store,
// schedule or job error, a cancellation, a bug) becomes what happened and what to do next. The pipeline's
// `error_detail` events, the CLI, the job log and every VS Code command read their advice from here, so the same
// failure is explained the same way everywhere.

export type ErrorCategory =
  | 'connection' | 'authentication' | 'permission' | 'validation' | 'not_found' | 'timeout' | 'rate_limit'
  | 'internal' | 'cancelled' | 'unknown';

export interface ExplainedError {
  category: ErrorCategory;
  /** What happened, in one sentence. */
  message: string;
  /** Where it happened (request, status, Proxmox's own words), or the message again when nothing more is known. */
  detail: string;
  /** What to do next. */
  suggestion: string;
  status?: number;
  path?: string;
}

const CATEGORIES = new Set<ErrorCategory>([
  'connection', 'authentication', 'permission', 'validation', 'not_found', 'timeout', 'rate_limit', 'internal', 'cancelled', 'unknown',
]);

const SHOW_LOG = 'run "Proxbox: Show Log" (or read the command\'s output) for the details';

const DEFAULT_SUGGESTION: Record<ErrorCategory, string> = {
  connection: 'Check that the Proxmox host is reachable from this machine (URL, port 8006, firewall), then sync again.',
  authentication: 'Check the API token id and secret ("Proxbox: Edit Endpoint"); a token with privilege separation needs its own permissions.',
  permission: 'Give the token the missing privilege (for a read-only sync: PVEAuditor on / with "Propagate"), then sync again.',
  validation: 'Proxmox sent data this version does not understand; update the extension, or report the response shape.',
  not_found: 'The object disappeared while syncing; sync again.',
  timeout: 'Proxmox answered too slowly; raise proxbox.requestTimeoutSeconds or lower the concurrency, then sync again.',
  rate_limit: 'Lower the concurrency setting and sync again.',
  internal: `This is a bug in Proxbox for VS Code: try again, and if it persists report it with the log (${SHOW_LOG}).`,
  cancelled: 'Start it again when you are ready.',
  unknown: `Try again; if it keeps failing, ${SHOW_LOG} and check the Proxmox task log and the network.`,
};

/** Socket and file errors that reach us without passing through the Proxmox client (certificate fetch, storage). */
const NODE_CODES: Record<string, [ErrorCategory, string]> = {
  ECONNREFUSED: ['connection', 'Nothing answers on that port: check the host and port (Proxmox VE listens on 8006) and that pveproxy runs (systemctl status pveproxy).'],
  ENOTFOUND: ['connection', 'The host name does not resolve: check its spelling, DNS, or use the IP address.'],
  EAI_AGAIN: ['connection', 'The host name could not be resolved right now: check DNS and the network, then try again.'],
  EHOSTUNREACH: ['connection', 'The host is unreachable: check the network route, VPN or firewall.'],
  ENETUNREACH: ['connection', 'The network is unreachable: check the network route, VPN or firewall.'],
  ETIMEDOUT: ['timeout', 'The node did not answer in time (it or pvedaemon may be busy): try again later, or raise proxbox.requestTimeoutSeconds.'],
  ECONNRESET: ['connection', 'The node or a proxy closed the connection (reads are retried automatically): if it persists, check pveproxy on the node and any load balancer with a short idle timeout.'],
  EACCES: ['internal', 'Proxbox may not write to its storage folder: check the folder\'s owner and permissions.'],
  EPERM: ['internal', 'Proxbox may not write to its storage folder: check the folder\'s owner and permissions.'],
  EROFS: ['internal', 'The storage folder is on a read-only file system: free it or move VS Code\'s data folder.'],
  ENOSPC: ['internal', 'The disk is full: free some space, then try again.'],
};

const text = (v: unknown): string | undefined => (typeof v === 'string' && v.trim() ? v.trim() : undefined);

/** Walks `cause` chains, because undici and fetch wrap the socket error that names the real cause. */
function codeOf(e: unknown): string | undefined {
  for (let cur = e, depth = 0; cur && typeof cur === 'object' && depth < 5; depth++) {
    const code = (cur as { code?: unknown }).code;
    if (typeof code === 'string' && NODE_CODES[code]) return code;
    cur = (cur as { cause?: unknown }).cause;
  }
  return undefined;
}

/** What to do about a socket or file error code, when we know it (the Proxmox client words its own errors with it). */
export function adviceForCode(code: string): string | undefined {
  return NODE_CODES[code]?.[1];
}

export function suggestionFor(category: ErrorCategory): string {
  return DEFAULT_SUGGESTION[category];
}

export function explainError(err: unknown): ExplainedError {
  if (err && typeof err === 'object') {
    const e = err as Record<string, unknown>;
    // A stage failure carries the explanation made where it happened.
    const classified = e.classified as ExplainedError | undefined;
    if (classified && typeof classified === 'object' && CATEGORIES.has(classified.category)) return classified;
    const name = text(e.name);
    const message = text(e.message) ?? String(err);
    if (name === 'CancelledError' || name === 'AbortError') {
      return { category: 'cancelled', message: name === 'CancelledError' ? message : 'Cancelled.', detail: message, suggestion: DEFAULT_SUGGESTION.cancelled };
    }
    const category = e.category as ErrorCategory | undefined;
    if (category && CATEGORIES.has(category)) {
      const path = text(e.path);
      const status = typeof e.status === 'number' ? e.status : undefined;
      const detail = [path ? `GET ${path}` : undefined, status ? `HTTP ${status}` : undefined, text(e.pveMessage)].filter(Boolean).join(': ') || message;
      return { category, message, detail, suggestion: text(e.suggestion) ?? DEFAULT_SUGGESTION[category], ...(status !== undefined ? { status } : {}), ...(path ? { path } : {}) };
    }
    switch (name) {
      case 'DecodeError': {
        const m = `Proxmox sent an unexpected response: ${message}`;
        return { category: 'validation', message: m, detail: m, suggestion: DEFAULT_SUGGESTION.validation };
      }
      case 'StoreError':
        // Its message already says which file and what to do; the store was left as it was.
        return { category: e.reason === 'io' ? 'internal' : e.reason === 'unsafe' ? 'permission' : 'validation', message, detail: text(e.file) ?? message,
          suggestion: 'The inventory store was left untouched; see the message for what to do.' };
      case 'ScheduleError':
        return { category: 'validation', message, detail: message, suggestion: 'Fix the schedule (see the position in the message), then save it again.' };
      case 'JobError':
      case 'UsageError':
      case 'StageSelectionError':
        // These messages are written for the user and already name the next step.
        return { category: 'validation', message, detail: message, suggestion: '' };
    }
    const code = codeOf(err);
    if (code) {
      const [cat, suggestion] = NODE_CODES[code]!;
      return { category: cat, message, detail: `${code}: ${message}`, suggestion };
    }
    if (err instanceof Error) {
      return {
        category: 'internal', message: `Internal error: ${message}`,
        detail: err.stack ? err.stack.split('\n').slice(0, 4).join('\n') : message, suggestion: DEFAULT_SUGGESTION.internal,
      };
    }
    // A thrown plain object: its own message if it has one, never "[object Object]".
    const shown = text(e.message) ?? JSON.stringify(err);
    return { category: 'unknown', message: shown, detail: shown, suggestion: DEFAULT_SUGGESTION.unknown };
  }
  const message = String(err);
  return { category: 'unknown', message, detail: message, suggestion: DEFAULT_SUGGESTION.unknown };
}
