// "Test Connection": one authenticated request through the same client a sync uses, then a look at what the token
// may read, so a token without rights is caught before the first sync and not mistaken for an empty cluster.
import { ProxmoxClient, type EndpointConfig } from './client';

export async function testConnection(endpoint: EndpointConfig, secret: string, options: { timeoutMs: number }, signal?: AbortSignal): Promise<{ version: string }> {
  const client = new ProxmoxClient(endpoint, secret, { timeoutMs: options.timeoutMs, retries: 0, concurrency: 2 });
  try {
    const v = await client.version({ signal });
    // The version answers for any valid token; the node list shows whether the token may read anything.
    const nodes = await client.nodes({ signal });
    const visible = nodes.length
      ? `${nodes.length} node${nodes.length === 1 ? '' : 's'} visible`
      : 'no node visible: give the token the PVEAuditor role on / (with "Propagate")';
    return { version: `${v.version} (${v.release}), ${visible}` };
  } finally {
    await client.close();
  }
}
