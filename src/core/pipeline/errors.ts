// Turning whatever a stage threw into the error_detail fields: a category, what happened, and what to do next.
// The client's ProxmoxError already carries a category and a suggestion; anything else is an internal fault.
import type { ErrorCategory, StageName } from './events';

export interface ClassifiedError {
  category: ErrorCategory;
  message: string;
  detail: string;
  suggestion: string;
  status?: number;
  path?: string;
}

const CATEGORIES = new Set<ErrorCategory>([
  'connection', 'authentication', 'permission', 'validation', 'not_found', 'timeout', 'rate_limit', 'internal', 'cancelled', 'unknown',
]);

/** A stage that cannot go on. `cause` keeps the original error for the detail. */
export class StageFailure extends Error {
  constructor(readonly stage: StageName, readonly classified: ClassifiedError) {
    super(classified.message);
    this.name = 'StageFailure';
  }
}

export class CancelledError extends Error {
  constructor(message = 'The sync was cancelled.') {
    super(message);
    this.name = 'CancelledError';
  }
}

const DEFAULT_SUGGESTION: Record<ErrorCategory, string> = {
  connection: 'Check that the Proxmox host is reachable from this machine (URL, port 8006, firewall), then sync again.',
  authentication: 'Check the API token id and secret; a token with privilege separation needs its own permissions.',
  permission: 'Give the token the missing privilege (for a read-only sync: PVEAuditor on /), then sync again.',
  validation: 'Proxmox sent data this version does not understand; update the extension or report the response shape.',
  not_found: 'The object disappeared while syncing; sync again.',
  timeout: 'Proxmox answered too slowly; raise the request timeout or lower the concurrency, then sync again.',
  rate_limit: 'Lower the concurrency and sync again.',
  internal: 'This is a bug in Proxbox for VS Code; sync again, and report it with the log if it persists.',
  cancelled: 'Start the sync again when you are ready.',
  unknown: 'Sync again; if it keeps failing, check the Proxmox task log and the network.',
};

function text(v: unknown): string | undefined {
  return typeof v === 'string' && v.trim() ? v.trim() : undefined;
}

export function classifyError(err: unknown): ClassifiedError {
  if (err instanceof StageFailure) return err.classified;
  if (err instanceof CancelledError) {
    return { category: 'cancelled', message: err.message, detail: err.message, suggestion: DEFAULT_SUGGESTION.cancelled };
  }
  if (err && typeof err === 'object') {
    const e = err as Record<string, unknown>;
    const cat = e.category as ErrorCategory | undefined;
    if (cat && CATEGORIES.has(cat)) {
      const message = text(e.message) ?? `Proxmox request failed (${cat})`;
      const pve = text(e.pveMessage);
      const path = text(e.path);
      const status = typeof e.status === 'number' ? e.status : undefined;
      const detail = [path ? `GET ${path}` : undefined, status ? `HTTP ${status}` : undefined, pve].filter(Boolean).join(': ') || message;
      return { category: cat, message, detail, suggestion: text(e.suggestion) ?? DEFAULT_SUGGESTION[cat], status, path };
    }
    if ((err as Error).name === 'AbortError') {
      return { category: 'cancelled', message: 'The sync was cancelled.', detail: String((err as Error).message), suggestion: DEFAULT_SUGGESTION.cancelled };
    }
    if ((err as Error).name === 'DecodeError') {
      const message = `Proxmox sent an unexpected response: ${(err as Error).message}`;
      return { category: 'validation', message, detail: message, suggestion: DEFAULT_SUGGESTION.validation };
    }
  }
  const message = err instanceof Error ? err.message : String(err);
  return {
    category: 'internal',
    message: `Internal error: ${message}`,
    detail: err instanceof Error && err.stack ? err.stack.split('\n').slice(0, 4).join('\n') : message,
    suggestion: DEFAULT_SUGGESTION.internal,
  };
}

/** Errors after which continuing with other items makes no sense: every further request would fail the same way. */
export function isRunFatal(c: ClassifiedError): boolean {
  return c.category === 'authentication' || c.category === 'cancelled';
}

export function suggestionFor(category: ErrorCategory): string {
  return DEFAULT_SUGGESTION[category];
}
