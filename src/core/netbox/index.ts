// The NetBox sink made from what a caller holds: an endpoint, its NetBox target and token, the request knobs. The
// extension and the `proxbox` command build their sink here, so both talk to NetBox the same way.
import type { InventorySink } from '../pipeline/sink';
import { NetBoxClient } from './client';
import { DryRunNetBox, type PlannedWrite } from './dryRun';
import { netboxSink, netboxStartMessage } from './stage';
import { deleteOrphans, findOrphans, type OrphanObject } from './sweep';
import type { NetBoxSinkOptions } from './sink';

export interface NetBoxTargetSettings {
  url: string;
  fingerprint?: string;
  site: string;
  clusterType?: string;
  clusterGroup?: string;
  adopt?: boolean;
  /** Write the netbox-proxbox plugin's models when it is installed (default true). */
  pluginModels?: boolean;
}

export interface NetBoxRequestOptions {
  timeoutMs: number;
  retries: number;
  maxResponseBytes: number;
}

/** A sink that opens its client when the run reaches it and closes it after. With `plan`, writes are planned, not sent. */
export function netboxSinkFor(
  endpoint: NetBoxSinkOptions['endpoint'], target: NetBoxTargetSettings, token: string | undefined, options: NetBoxRequestOptions,
  plan?: (w: PlannedWrite) => void,
): InventorySink {
  const opts = {
    endpoint, site: target.site, clusterType: target.clusterType, clusterGroup: target.clusterGroup, adopt: target.adopt,
    pluginModels: target.pluginModels, targetUrl: target.url, dryRun: plan !== undefined,
  };
  return {
    name: 'netbox',
    startMessage: netboxStartMessage(target.url, plan !== undefined),
    async run(input) {
      if (!token) {
        throw Object.assign(new Error(`No NetBox API token is stored for ${endpoint.name}, so nothing was written to NetBox at ${target.url}.`), {
          category: 'authentication', suggestion: 'Run "Proxbox: Send Endpoint to NetBox..." and enter the token again (or set NETBOX_TOKEN for the proxbox command).',
        });
      }
      const client = new NetBoxClient({ url: target.url, ...(target.fingerprint ? { fingerprint: target.fingerprint } : {}) }, token, options);
      try {
        return await netboxSink(plan ? new DryRunNetBox(client, plan) : client, opts).run(input);
      } finally {
        await client.close().catch(() => undefined);
      }
    },
  };
}

/** NetBox's version, whether the token may read (a dry read of our tag), and whether the netbox-proxbox plugin answers. */
export async function testNetBox(target: { url: string; fingerprint?: string }, token: string, options: NetBoxRequestOptions, signal?: AbortSignal): Promise<{ version: string; plugin: boolean }> {
  const client = new NetBoxClient(target, token, options);
  try {
    const status = await client.status(signal);
    // /api/status/ answers any valid token; a list needs the token to be accepted and allowed to read.
    await client.list('/api/extras/tags/', { slug: 'proxbox-vscode' }, signal);
    const plugin = await client.hasProxboxPlugin(signal).catch(() => false);
    return { version: status.version, plugin };
  } finally {
    await client.close().catch(() => undefined);
  }
}

/** The orphan sweep for a UI: find the objects of endpoints not kept, and delete them when `apply`. */
export async function sweepNetBox(target: { url: string; fingerprint?: string }, token: string, keep: readonly string[], apply: boolean, options: NetBoxRequestOptions, signal?: AbortSignal): Promise<{
  orphans: OrphanObject[]; deleted: number; failures: Array<{ label: string; reason: string }>;
}> {
  const client = new NetBoxClient(target, token, options);
  try {
    const orphans = await findOrphans(client, new Set(keep), signal);
    const done = apply && orphans.length ? await deleteOrphans(client, orphans, signal) : { deleted: 0, failures: [] };
    return { orphans, ...done };
  } finally {
    await client.close().catch(() => undefined);
  }
}

export type { PlannedWrite };
