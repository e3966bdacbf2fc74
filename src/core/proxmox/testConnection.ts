// "Test Connection" for a Proxmox VE endpoint (the shared steps: src/core/http/connectionTest.ts).
import { connectionTestOptions, runConnectionTest, type Visible } from '../http/connectionTest';
import { ProxmoxClient, type EndpointConfig } from './client';

const NODES: Visible = { noun: 'node', whenNone: 'give the token the PVEAuditor role on / (with "Propagate")' };

export async function testConnection(endpoint: EndpointConfig, secret: string, options: { timeoutMs: number }, signal?: AbortSignal): Promise<{ version: string }> {
  const client = new ProxmoxClient(endpoint, secret, connectionTestOptions(options.timeoutMs));
  // The version answers for any valid token; the node list shows whether the token may read anything.
  return runConnectionTest(client, () => client.nodes({ signal }), NODES, signal);
}
