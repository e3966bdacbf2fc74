// "Test Connection" for a Proxmox Backup Server endpoint: one authenticated request (the version) through the same
// client a sync uses, then the datastore list, so a token without rights is caught before the first sync and not
// mistaken for an empty backup server.
import type { EndpointConfig } from '../proxmox/client';
import { PbsClient } from './client';

export async function testPbsConnection(endpoint: EndpointConfig, secret: string, options: { timeoutMs: number }, signal?: AbortSignal): Promise<{ version: string }> {
  const client = new PbsClient(endpoint, secret, { timeoutMs: options.timeoutMs, retries: 0, concurrency: 2 });
  try {
    const v = await client.version({ signal });
    // /version answers any valid token; the datastore list only holds the stores the token may audit.
    const stores = await client.datastores({ signal });
    const visible = stores.length
      ? `${stores.length} datastore${stores.length === 1 ? '' : 's'} visible`
      : 'no datastore visible: give the token and its user the DatastoreAudit role on /datastore (and Audit on /)';
    return { version: `${v.version}${v.release ? ` (${v.release})` : ''}, ${visible}` };
  } finally {
    await client.close();
  }
}
