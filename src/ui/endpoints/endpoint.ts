// An endpoint as stored in the application-scoped setting `proxbox.endpoints`. Never holds the secret.
export interface EndpointDefinition {
  id: string;
  name: string;
  url: string; // https://host:port
  tokenId: string; // user@realm!name
  fingerprint?: string; // pinned SHA-256 of the leaf certificate; absent = normal CA verification
  demo?: boolean; // made by "Try with a Simulated Cluster": its simulator is restarted on demand
}

/** Only the fields the core knows: the `demo` flag or anything else of the UI never travels further. */
export function endpointRef(e: EndpointDefinition): Omit<EndpointDefinition, 'demo'> {
  return { id: e.id, name: e.name, url: e.url, tokenId: e.tokenId, ...(e.fingerprint ? { fingerprint: e.fingerprint } : {}) };
}
