// PLACEHOLDER (replaced by the PBS client): the constructor and methods other parts build against.
import type { ClientOptions, EndpointConfig } from '../proxmox/client';
import type { CallOptions } from '../pipeline/api';
import type {
  PbsApi, PbsDatastore, PbsDatastoreUsage, PbsGcJob, PbsGroup, PbsNamespace, PbsPruneJob, PbsSnapshot, PbsSyncJob, PbsVerifyJob,
} from './api';

const todo = (): never => {
  throw new Error('the PBS client is not built yet');
};

export class PbsClient implements PbsApi {
  readonly requestCount = 0;
  constructor(readonly endpoint: EndpointConfig, secret: string, readonly options: ClientOptions = {}) {
    void secret;
  }
  version(_o?: CallOptions): Promise<{ version: string; release: string }> { return todo(); }
  datastores(_o?: CallOptions): Promise<PbsDatastore[]> { return todo(); }
  datastoreUsage(_o?: CallOptions): Promise<PbsDatastoreUsage[]> { return todo(); }
  namespaces(_store: string, _o?: CallOptions): Promise<PbsNamespace[]> { return todo(); }
  groups(_store: string, _ns: string, _o?: CallOptions): Promise<PbsGroup[]> { return todo(); }
  snapshots(_store: string, _ns: string, _o?: CallOptions): Promise<PbsSnapshot[]> { return todo(); }
  pruneJobs(_o?: CallOptions): Promise<PbsPruneJob[]> { return todo(); }
  verifyJobs(_o?: CallOptions): Promise<PbsVerifyJob[]> { return todo(); }
  syncJobs(_o?: CallOptions): Promise<PbsSyncJob[]> { return todo(); }
  gcJobs(_o?: CallOptions): Promise<PbsGcJob[]> { return todo(); }
  async close(): Promise<void> {}
}
