// A Proxmox Backup Server as the PBS stages see it: decoded answers (the PbsApi shapes) held in plain data that a
// test edits between syncs, plus per-call faults and a gate that holds a call until the run is cancelled. The
// simulated PBS over HTTPS is the end-to-end test's business; these tests check what the stages do with answers.
import type { CallOptions } from '../../../src/core/pipeline/api';
import type {
  PbsApi, PbsDatastore, PbsDatastoreUsage, PbsGcJob, PbsGroup, PbsNamespace, PbsPruneJob, PbsSnapshot, PbsSyncJob, PbsVerifyJob,
} from '../../../src/core/pbs/api';
import { ProxmoxError } from '../../../src/core/proxmox/errors';
import type { EndpointRef } from '../../../src/core/inventory/model';

export const PBS_ENDPOINT: EndpointRef = { id: 'pbs-lab', name: 'backup server', url: 'https://127.0.0.1:8007', tokenId: 'audit@pbs!proxbox', kind: 'pbs' };
export const PBS_NOW = 1_760_000_000;

export interface PbsData {
  datastores: PbsDatastore[];
  usage: PbsDatastoreUsage[];
  namespaces: Record<string, PbsNamespace[]>;
  /** Keyed "store/ns" ('' = root namespace: "store/"). */
  groups: Record<string, PbsGroup[]>;
  snapshots: Record<string, PbsSnapshot[]>;
  prune: PbsPruneJob[];
  verify: PbsVerifyJob[];
  sync: PbsSyncJob[];
  gc: PbsGcJob[];
  /** What GET /nodes/localhost/time names; UTC when left out. */
  timezone?: string;
}

const retention = { keepLast: 3, keepHourly: null, keepDaily: 7, keepWeekly: 4, keepMonthly: null, keepYearly: null, keepAll: null };

const snap = (backupType: 'vm' | 'ct' | 'host', backupId: string, backupTime: number, state?: string): PbsSnapshot => ({
  backupType, backupId, backupTime, size: 1000 + backupTime % 997, owner: 'backup@pbs', protected: false,
  files: [{ filename: 'index.json.blob', cryptMode: 'none', size: 400 }],
  ...(state ? { verification: { state, upid: `UPID:pbs:0000:verify:${backupTime}:` } } : {}),
});

/** Two datastores (main with a namespace, offsite at the root only), snapshots with verification states, a job of every kind. */
export function pbsData(): PbsData {
  const t0 = PBS_NOW - 86_400;
  return {
    datastores: [{ store: 'main', comment: 'primary' }, { store: 'offsite' }],
    usage: [
      { store: 'main', total: 1_000_000, used: 600_000, avail: 400_000, estimatedFullDate: PBS_NOW + 40 * 86_400 },
      { store: 'offsite', total: 2_000_000, used: 100_000, avail: 1_900_000, estimatedFullDate: -1 },
    ],
    namespaces: { main: [{ ns: '' }, { ns: 'prod', comment: 'production' }], offsite: [{ ns: '' }] },
    groups: {
      'main/': [{ backupType: 'vm', backupId: '100', lastBackup: t0, backupCount: 2, owner: 'backup@pbs', files: [] }],
      'main/prod': [{ backupType: 'ct', backupId: '200', lastBackup: t0, backupCount: 1, owner: 'backup@pbs', files: [] }],
      'offsite/': [{ backupType: 'vm', backupId: '100', lastBackup: t0, backupCount: 1, owner: 'sync@pbs', files: [] }],
    },
    snapshots: {
      'main/': [snap('vm', '100', t0 - 86_400, 'ok'), snap('vm', '100', t0, 'failed')],
      'main/prod': [{ ...snap('ct', '200', t0), files: [{ filename: 'root.pxar.didx', cryptMode: 'encrypt', size: 5 }] }],
      'offsite/': [snap('vm', '100', t0, 'ok')],
    },
    prune: [{ id: 'p-main', store: 'main', schedule: 'daily', disable: false, retention, raw: { id: 'p-main' }, lastRunState: 'ok', lastRunEndtime: t0, nextRun: PBS_NOW + 3600 }],
    verify: [{ id: 'v-main', store: 'main', schedule: 'sat 02:00', outdatedAfter: 30, ignoreVerified: true, raw: { id: 'v-main' }, lastRunState: 'verification failed on 1 snapshot', lastRunUpid: 'UPID:pbs:1:verify', lastRunEndtime: t0 }],
    sync: [{ id: 's-off', store: 'offsite', schedule: 'hourly', remote: 'site-a', remoteStore: 'main', groupFilter: [], raw: { id: 's-off', disable: true }, lastRunState: 'ok' }],
    gc: [
      { store: 'main', schedule: 'daily', raw: { store: 'main' }, lastRunState: 'ok', lastRunEndtime: t0 },
      { store: 'offsite', raw: { store: 'offsite' } },
    ],
  };
}

export function pbsError(category: 'authentication' | 'internal', path: string): ProxmoxError {
  return category === 'authentication'
    ? new ProxmoxError({ category, path, status: 401, message: 'authentication failed: the API token was refused', suggestion: 'Check the token.' })
    : new ProxmoxError({ category, path, status: 500, message: `${path}: the server answered 500`, suggestion: 'Try again.' });
}

/** The decoded PBS: `data` is read at call time, so a test changes the server between syncs by editing it. */
export class FakePbs implements PbsApi {
  requestCount = 0;
  readonly calls: string[] = [];
  /** A call (by its path) that throws this error instead of answering. */
  readonly faults = new Map<string, Error>();
  /** A call (by its path) that waits until the run's signal aborts. */
  readonly held = new Set<string>();
  constructor(public data: PbsData = pbsData()) {}

  private async answer<T>(path: string, o: CallOptions | undefined, value: () => T): Promise<T> {
    this.requestCount++;
    this.calls.push(path);
    await Promise.resolve();
    if (this.held.has(path)) {
      await new Promise<void>((_, reject) => {
        const stop = (): void => reject(Object.assign(new Error('aborted'), { name: 'AbortError' }));
        if (o?.signal?.aborted) stop();
        o?.signal?.addEventListener('abort', stop, { once: true });
      });
    }
    const fault = this.faults.get(path);
    if (fault) throw fault;
    return structuredClone(value());
  }

  version(o?: CallOptions) { return this.answer('/version', o, () => ({ version: '3.4', release: '1' })); }
  datastores(o?: CallOptions) { return this.answer('/admin/datastore', o, () => this.data.datastores); }
  datastoreUsage(o?: CallOptions) { return this.answer('/status/datastore-usage', o, () => this.data.usage); }
  namespaces(store: string, o?: CallOptions) { return this.answer(`/admin/datastore/${store}/namespace`, o, () => this.data.namespaces[store] ?? []); }
  groups(store: string, ns: string, o?: CallOptions) { return this.answer(`/admin/datastore/${store}/groups?ns=${ns}`, o, () => this.data.groups[`${store}/${ns}`] ?? []); }
  snapshots(store: string, ns: string, o?: CallOptions) { return this.answer(`/admin/datastore/${store}/snapshots?ns=${ns}`, o, () => this.data.snapshots[`${store}/${ns}`] ?? []); }
  pruneJobs(o?: CallOptions) { return this.answer('/admin/prune', o, () => this.data.prune); }
  verifyJobs(o?: CallOptions) { return this.answer('/admin/verify', o, () => this.data.verify); }
  syncJobs(o?: CallOptions) { return this.answer('/admin/sync', o, () => this.data.sync); }
  gcJobs(o?: CallOptions) { return this.answer('/admin/gc', o, () => this.data.gc); }
  time(o?: CallOptions) { return this.answer('/nodes/localhost/time', o, () => ({ timezone: this.data.timezone ?? 'UTC', time: PBS_NOW, localtime: PBS_NOW })); }
  async close(): Promise<void> {}
}
