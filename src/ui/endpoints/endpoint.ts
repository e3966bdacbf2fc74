// An endpoint as stored in the application-scoped setting `proxbox.endpoints`. Never holds the secret.
export interface EndpointDefinition {
  id: string;
  name: string;
  url: string; // https://host:port
  tokenId: string; // user@realm!name
  kind?: 'pve' | 'pbs'; // absent = a Proxmox VE cluster (as stored before PBS endpoints existed)
  fingerprint?: string; // pinned SHA-256 of the leaf certificate; absent = normal CA verification
  demo?: boolean; // made by "Try with a Simulated Cluster": its simulator is restarted on demand
  netbox?: NetBoxTargetDefinition; // where each sync also writes the inventory; its API token is in SecretStorage
  // An existing proxbox-api backend runs the syncs (remote mode): `url` is the backend's, `tokenId` is empty, the
  // secret in SecretStorage is its X-Proxbox-API-Key, and there is no inventory here (the backend writes NetBox).
  backend?: 'proxbox-api';
}

/** A NetBox that receives this endpoint's inventory after each sync. Never holds the token. */
export interface NetBoxTargetDefinition {
  url: string; // https://netbox.example.com (no /api)
  fingerprint?: string; // pinned SHA-256 of NetBox's leaf certificate; absent = normal CA verification
  site: string; // the NetBox site of the nodes and guests (an existing one, or created)
  clusterType?: string;
  clusterGroup?: string;
  adopt?: boolean; // take over same-named VMs in the cluster that Proxbox did not create
}

/** Only the fields the core knows: the `demo` flag, the NetBox target or anything else of the UI never travels further. */
export function endpointRef(e: EndpointDefinition): Omit<EndpointDefinition, 'demo' | 'netbox' | 'backend'> {
  return {
    id: e.id, name: e.name, url: e.url, tokenId: e.tokenId, ...(e.fingerprint ? { fingerprint: e.fingerprint } : {}), ...(e.kind === 'pbs' ? { kind: 'pbs' as const } : {}),
  };
}
