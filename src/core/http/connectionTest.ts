// What "Test Connection" does for every Proxmox product: one authenticated request (the version) through the same
// client a sync uses, then one listing that shows whether the token may read anything, so a token without rights
// is caught before the first sync and not mistaken for an empty server. The client is closed whatever happens.

/** The options of a Test Connection client: the user waits for the answer, so no retries; two requests at most. */
export const connectionTestOptions = (timeoutMs: number): { timeoutMs: number; retries: number; concurrency: number } =>
  ({ timeoutMs, retries: 0, concurrency: 2 });

export interface ConnectionTestClient {
  version(o: { signal?: AbortSignal }): Promise<{ version: string; release?: string }>;
  close(): Promise<void>;
}

/** What the listing holds (a node, a datastore), and what to grant the token when it sees none. */
export interface Visible {
  noun: string;
  whenNone: string;
}

/** "8.2.4 (8.2), 2 nodes visible", or "…, no node visible: <what to grant>". */
export async function runConnectionTest(
  client: ConnectionTestClient, list: () => Promise<readonly unknown[]>, visible: Visible, signal?: AbortSignal,
): Promise<{ version: string }> {
  try {
    const v = await client.version({ signal });
    const items = await list();
    const seen = items.length
      ? `${items.length} ${visible.noun}${items.length === 1 ? '' : 's'} visible`
      : `no ${visible.noun} visible: ${visible.whenNone}`;
    return { version: `${v.version}${v.release ? ` (${v.release})` : ''}, ${seen}` };
  } finally {
    await client.close();
  }
}
