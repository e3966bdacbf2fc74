// What the commands work with: built once in src/extension.ts and handed to every command area.
import type { JobService } from '../../core/jobs/jobService';
import type { CoreServices } from '../core';
import type { DemoCluster } from '../demo';
import type { EndpointStore } from '../endpoints/endpointStore';
import type { JobLogDocuments } from '../jobLogDocuments';
import type { ProxboxLog } from '../output';
import type { SyncRuns } from '../sync/syncRuns';
import type { ProxboxTreeProvider } from '../tree/provider';

export interface CommandDeps {
  store: EndpointStore;
  services: CoreServices;
  log: ProxboxLog;
  jobs: JobService;
  runs: SyncRuns;
  tree: ProxboxTreeProvider;
  demo: DemoCluster;
  logs: JobLogDocuments;
}
