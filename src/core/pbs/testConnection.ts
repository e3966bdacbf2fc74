// "Test Connection" for a Proxmox Backup Server endpoint (the shared steps: src/core/http/connectionTest.ts).
import { connectionTestOptions, runConnectionTest, type Visible } from '../http/connectionTest';
import type { EndpointConfig } from '../proxmox/client';
import { PbsClient } from './client';

const DATASTORES: Visible = { noun: 'datastore', whenNone: 'give the token and its user the DatastoreAudit role on /datastore (and Audit on /)' };

export async function testPbsConnection(endpoint: EndpointConfig, secret: string, options: { timeoutMs: number }, signal?: AbortSignal): Promise<{ version: string }> {
  const client = new PbsClient(endpoint, secret, connectionTestOptions(options.timeoutMs));
  // /version answers any valid token; the datastore list only holds the stores the token may audit.
  return runConnectionTest(client, () => client.datastores({ signal }), DATASTORES, signal);
}
