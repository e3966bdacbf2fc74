// What the Add/Edit Endpoint flow offers when the connection test fails, decided without VS Code (issue 11, items 3
// and 9). "Save Anyway" is for a host that cannot be reached right now: the values may well be right and the node
// down. A rejected token, a refused permission or an answer that is not Proxmox's will fail the same way on every
// sync, so saving it would only produce an endpoint that looks like an empty cluster: the only choice is to edit.

export type FailureAction = 'Edit Again' | 'Save Anyway';

export interface ConnectionFailure {
  /** The explained error's category (core/errors/explain.ts). */
  category: string;
  /** The machine-readable code of the failure when there is one (ECONNREFUSED, TLS_…, CERT_CHANGED). */
  code?: string;
  message: string;
  suggestion?: string;
}

export interface FailureChoice {
  /** The modal's title line: what happened, once. */
  message: string;
  /** The modal's body: the next step, and what each button does. */
  detail: string;
  actions: FailureAction[];
}

/** Whether the failure says the host could not be reached (DNS, refused, no route, time-out), not that it said no. */
export function isUnreachable(f: Pick<ConnectionFailure, 'category' | 'code'>): boolean {
  // A certificate problem is an answer from the host: saving would not make it trusted.
  if (f.code && (f.code.startsWith('TLS_') || f.code === 'CERT_CHANGED')) return false;
  return f.category === 'connection' || f.category === 'timeout';
}

/**
 * The modal's text and buttons for a failed test of `endpointName`. `stage` says which step failed: reading the
 * certificate (before any credential was sent) or the authenticated test.
 */
export function connectionFailureChoice(endpointName: string, f: ConnectionFailure, stage: 'certificate' | 'test'): FailureChoice {
  const unreachable = isUnreachable(f);
  const head = stage === 'certificate' && unreachable ? `Proxbox could not reach ${endpointName}` : `Proxbox could not connect to ${endpointName}`;
  const next = f.suggestion ? `${f.suggestion}\n\n` : '';
  if (unreachable) {
    return {
      message: `${head}: ${f.message}`,
      detail: `${next}Edit Again to correct the address, or Save Anyway if the node is only down right now (the endpoint is saved untested; sync it when the node is back).`,
      actions: ['Edit Again', 'Save Anyway'],
    };
  }
  const what = f.category === 'authentication' ? 'The token was rejected, so the endpoint was not saved.'
    : f.category === 'permission' ? 'The token may not read this, so the endpoint was not saved.'
      : 'The endpoint was not saved.';
  return { message: `${head}: ${f.message}`, detail: `${next}${what} Edit Again to correct the values.`, actions: ['Edit Again'] };
}

/** The first string `code` along an error's `cause` chain (undici wraps the socket error that names the cause). */
export function failureCode(err: unknown): string | undefined {
  for (let cur = err, depth = 0; cur && typeof cur === 'object' && depth < 5; depth++) {
    const code = (cur as { code?: unknown }).code;
    if (typeof code === 'string' && code !== 'UND_ERR_SOCKET') return code;
    cur = (cur as { cause?: unknown }).cause;
  }
  return undefined;
}
