// PLACEHOLDER (replaced with the PBS client): "Test Connection" for a Proxmox Backup Server endpoint.
import type { EndpointConfig } from '../proxmox/client';

/** One authenticated request (version) and a look at what the token may read (datastores), like testConnection. */
export async function testPbsConnection(endpoint: EndpointConfig, secret: string, options: { timeoutMs: number }, signal?: AbortSignal): Promise<{ version: string }> {
  void endpoint; void secret; void options; void signal;
  throw new Error('the PBS client is not built yet');
}
