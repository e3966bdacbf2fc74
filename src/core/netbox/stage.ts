// The NetBox sink as the pipeline sees it (an InventorySink): one `netbox` step after the Proxmox stages. The client
// (or a dry run around it) is made by the caller, which holds the token; this file only runs the sink and counts.
import type { InventorySink, SinkResult } from '../pipeline/sink';
import type { NetBoxApi } from './api';
import { runNetBoxSink, type NetBoxSinkOptions } from './sink';

export function netboxStartMessage(targetUrl: string, dryRun = false): string {
  return `${dryRun ? 'Planning' : 'Writing'} the differences to NetBox at ${targetUrl}${dryRun ? ' (dry run: nothing is written)' : ''}.`;
}

export function netboxSink(api: NetBoxApi, opts: NetBoxSinkOptions & { targetUrl: string; dryRun?: boolean }): InventorySink {
  return {
    name: 'netbox',
    startMessage: netboxStartMessage(opts.targetUrl, opts.dryRun),
    async run(input): Promise<SinkResult> {
      const requestsBefore = api.requestCount;
      const writesBefore = api.writeCount;
      const out = await runNetBoxSink(api, opts, input);
      return {
        types: out.types,
        failures: out.failures,
        requests: api.requestCount - requestsBefore,
        writes: api.writeCount - writesBefore,
        target: `NetBox ${out.version} at ${opts.targetUrl}${opts.dryRun ? ' (dry run, planned)' : ''}`,
      };
    },
  };
}
