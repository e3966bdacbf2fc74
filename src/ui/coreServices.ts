// Binds the UI's service interfaces to src/core and src/sim. This is the only UI file that knows the core's shapes.
import { fetchCertificate, ProxmoxClient } from '../core/proxmox';
import { parseSchedule } from '../core/schedule';
import { startSimulator } from '../sim';
import { explainError } from './format/explainError';
import { STAGE_ORDER } from './format/stages';
import type { ProxboxServices } from './services';
import type { InventoryInput } from './webviews';

function notYet(what: string): never {
  throw Object.assign(new Error(`${what} is not available in this build yet.`), {
    category: 'internal', suggestion: 'Update the extension to a build that includes it.',
  });
}

export interface CoreServices extends ProxboxServices {
  /** The whole stored inventory, for the webviews. */
  loadFullInventory(endpointId: string): Promise<InventoryInput | undefined>;
}

export function createCoreServices(_storageDir: string): CoreServices {
  return {
    stages: STAGE_ORDER,
    runSync: async () => notYet('Syncing'),
    loadInventory: async () => undefined,
    loadFullInventory: async () => undefined,
    removeInventory: async () => undefined,
    testConnection: async (endpoint, secret, options, signal) => {
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
    },
    fetchCertificate: (url, signal) => fetchCertificate(url, { timeoutMs: 10_000, signal }),
    explainError,
    // A small cluster (a few nodes, a dozen guests, several backup jobs) is enough to look around.
    startSimulator: () => startSimulator({ seed: 7, nodes: 3, guests: 24, jobs: 6 }),
    nextRuns: (text, kind, after, count, tz) => parseSchedule(text, kind).take(after, count, tz),
  };
}
