// The Proxmox Backup Server API client. It is not a second HTTP client: it drives a ProxmoxClient configured for
// PBS (its token header, port 8007 by default), so pool, pinning (fingerprints compared case-insensitively: PBS
// prints them in lower case), retries, timeouts, capped bodies, redaction and error classification are the PVE
// client's. What it adds: the PBS paths, their decoders, and error texts that name PBS and its privileges.
import type { CallOptions } from '../pipeline/api';
import { type ClientOptions, type EndpointConfig, ProxmoxClient, type RequestOptions } from '../proxmox/client';
import type { Decoder } from '../proxmox/decoders/primitives';
import { ProxmoxError } from '../proxmox/errors';
import type {
  PbsApi, PbsDatastore, PbsDatastoreUsage, PbsGcJob, PbsGroup, PbsNamespace, PbsPruneJob, PbsSnapshot, PbsSyncJob, PbsTime, PbsVerifyJob,
} from './api';
import {
  decodePbsDatastores, decodePbsDatastoreUsage, decodePbsGcJobs, decodePbsGroups, decodePbsNamespaces, decodePbsPruneJobs,
  decodePbsSnapshots, decodePbsSyncJobs, decodePbsTime, decodePbsVerifyJobs, decodePbsVersion,
} from './decoders';
import { pbsError } from './errors';

export const PBS_DEFAULT_PORT = 8007;

/** `Authorization: PBSAPIToken=user@realm!name:SECRET`: a colon before the secret, where PVE has '='. */
export function pbsAuthorization(tokenId: string, secret: string): string {
  return `PBSAPIToken=${tokenId}:${secret}`;
}

/** The URL with PBS's port when it names none (`https://pbs` → `https://pbs:8007`); anything else unchanged. */
export function withPbsPort(url: string): string {
  const text = url.trim();
  // new URL() hides an explicit default port (:443), so the port is looked for in the text itself.
  const m = /^([a-z][a-z0-9+.-]*:\/\/)(\[[^\]]*\]|[^/:?#]*)(:\d*)?(.*)$/i.exec(text);
  if (!m || m[3] !== undefined || m[2] === '') return text;
  return `${m[1]}${m[2]}:${PBS_DEFAULT_PORT}${m[4]}`;
}

// pbs-api-types: a userid `name@realm` (realm as PVE's) and a token name of PROXMOX_SAFE_ID characters.
const PBS_TOKEN_ID = /^[^\s:/!]+@[A-Za-z][A-Za-z0-9._-]*![A-Za-z0-9_][A-Za-z0-9._-]*$/;

const seg = (s: string): string => encodeURIComponent(s);

export class PbsClient implements PbsApi {
  readonly endpoint: EndpointConfig;
  private readonly http: ProxmoxClient;

  constructor(endpoint: EndpointConfig, secret: string, readonly options: ClientOptions = {}) {
    try {
      this.http = new ProxmoxClient({ ...endpoint, url: withPbsPort(endpoint.url) }, secret, options, { authorization: pbsAuthorization, tokenIdPattern: PBS_TOKEN_ID });
    } catch (e) {
      throw e instanceof ProxmoxError ? pbsError(e) : e;
    }
    this.endpoint = this.http.endpoint;
  }

  /** Requests sent, retries included. */
  get requestCount(): number {
    return this.http.requestCount;
  }

  private async get<T>(path: string, decode: Decoder<T>, o: CallOptions = {}, query?: RequestOptions['query']): Promise<T> {
    try {
      return await this.http.get(path, decode, { signal: o.signal, onDropped: o.onDropped, query });
    } catch (e) {
      throw e instanceof ProxmoxError ? pbsError(e) : e;
    }
  }

  version(o?: CallOptions): Promise<{ version: string; release: string }> { return this.get('/version', decodePbsVersion, o); }
  datastores(o?: CallOptions): Promise<PbsDatastore[]> { return this.get('/admin/datastore', decodePbsDatastores, o); }
  datastoreUsage(o?: CallOptions): Promise<PbsDatastoreUsage[]> { return this.get('/status/datastore-usage', decodePbsDatastoreUsage, o); }
  namespaces(store: string, o?: CallOptions): Promise<PbsNamespace[]> {
    return this.get(`/admin/datastore/${seg(store)}/namespace`, decodePbsNamespaces, o);
  }
  /** The root namespace is ''; PBS then wants no `ns` parameter at all. */
  groups(store: string, ns: string, o?: CallOptions): Promise<PbsGroup[]> {
    return this.get(`/admin/datastore/${seg(store)}/groups`, decodePbsGroups, o, { ns: ns || undefined });
  }
  snapshots(store: string, ns: string, o?: CallOptions): Promise<PbsSnapshot[]> {
    return this.get(`/admin/datastore/${seg(store)}/snapshots`, decodePbsSnapshots, o, { ns: ns || undefined });
  }
  pruneJobs(o?: CallOptions): Promise<PbsPruneJob[]> { return this.get('/admin/prune', decodePbsPruneJobs, o); }
  verifyJobs(o?: CallOptions): Promise<PbsVerifyJob[]> { return this.get('/admin/verify', decodePbsVerifyJobs, o); }
  syncJobs(o?: CallOptions): Promise<PbsSyncJob[]> { return this.get('/admin/sync', decodePbsSyncJobs, o); }
  gcJobs(o?: CallOptions): Promise<PbsGcJob[]> { return this.get('/admin/gc', decodePbsGcJobs, o); }
  /** PBS answers for its own node only, which its API calls `localhost`. */
  time(o?: CallOptions): Promise<PbsTime> { return this.get('/nodes/localhost/time', decodePbsTime, o); }

  close(): Promise<void> {
    return this.http.close();
  }
}
