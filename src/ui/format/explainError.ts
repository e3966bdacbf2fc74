// Any thrown value → what happened and what to do next. ProxmoxError (and anything shaped like it) carries its own
// category and suggestion; plain Node errors are mapped by their code.
import type { ExplainedError } from '../services';

const NODE_CODES: Record<string, [string, string]> = {
  ECONNREFUSED: ['connection', 'Nothing answers on that port: check the host and port (Proxmox listens on 8006) and that pveproxy runs.'],
  ENOTFOUND: ['connection', 'The host name does not resolve: check its spelling or use the IP address.'],
  EHOSTUNREACH: ['connection', 'The host is unreachable: check the network, VPN or firewall.'],
  ETIMEDOUT: ['timeout', 'The host did not answer in time: check the network, or raise proxbox.requestTimeoutSeconds.'],
  ECONNRESET: ['connection', 'The connection was closed by the server or a proxy: try again, then check pveproxy on the node.'],
  EACCES: ['internal', 'VS Code may not write to its storage folder: check the folder\'s permissions.'],
  ENOSPC: ['internal', 'The disk is full: free some space and sync again.'],
};

export function explainError(err: unknown): ExplainedError {
  if (err && typeof err === 'object') {
    const o = err as { category?: unknown; message?: unknown; suggestion?: unknown; code?: unknown; name?: unknown };
    const message = typeof o.message === 'string' && o.message ? o.message : String(err);
    if (o.name === 'AbortError') return { category: 'cancelled', message: 'Cancelled.', suggestion: 'Run it again when ready.' };
    if (typeof o.category === 'string') {
      return { category: o.category, message, ...(typeof o.suggestion === 'string' && o.suggestion ? { suggestion: o.suggestion } : {}) };
    }
    if (typeof o.code === 'string' && NODE_CODES[o.code]) {
      const [category, suggestion] = NODE_CODES[o.code]!;
      return { category, message, suggestion };
    }
    return { category: 'unknown', message, suggestion: 'See the Proxbox output channel for details ("Proxbox: Show Log").' };
  }
  return { category: 'unknown', message: String(err), suggestion: 'See the Proxbox output channel for details ("Proxbox: Show Log").' };
}
