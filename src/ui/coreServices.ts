// Binds the UI's service interfaces to src/core and src/sim. This is the only UI file that knows the core's shapes.
import { endpointFolder, loadInventory } from '../core/inventory/inventory';
import { DocumentStore } from '../core/inventory/store';
import { runSync, STAGES, type PipelineEvent } from '../core/pipeline';
import { fetchCertificate, ProxmoxClient } from '../core/proxmox';
import { describeSchedule, firstRun, JobService, nextRun, validateSchedule, type ScheduleSpec } from '../core/jobs';
import { isValidTimeZone, parseSchedule } from '../core/schedule';
import { startSimulator } from '../sim';
import { explainError } from './format/explainError';
import type { EndpointDefinition, ProxboxServices } from './services';
import type { JobsOptions, JobsPort, ScheduleSpecLike } from './jobs/jobsPort';
import type { InventoryInput } from './webviews';

export interface CoreServices extends ProxboxServices {
  /** The whole stored inventory, for the webviews. */
  loadFullInventory(endpointId: string): Promise<InventoryInput | undefined>;
  readonly store: DocumentStore;
}

/** Only the fields the core knows: a `demo` flag or anything else of the UI never travels further. */
const endpointRef = (e: EndpointDefinition) => ({
  id: e.id, name: e.name, url: e.url, tokenId: e.tokenId, ...(e.fingerprint ? { fingerprint: e.fingerprint } : {}),
});

export function createCoreServices(storageDir: string): CoreServices {
  const store = new DocumentStore(storageDir);
  return {
    store,
    stages: STAGES,
    runSync: async (req) => {
      const o = req.options;
      // One client per run, made here with the user's settings, so its connection pool ends with the run.
      const api = new ProxmoxClient(endpointRef(req.endpoint), req.secret, { timeoutMs: o.timeoutMs, retries: o.retries, concurrency: o.concurrency.fetch });
      try {
        const done = await runSync({
          endpoint: endpointRef(req.endpoint), secret: req.secret, store, stages: req.stages, signal: req.signal, api,
          onEvent: req.onEvent, options: { timeoutMs: o.timeoutMs, retries: o.retries, concurrency: o.concurrency },
        });
        return { ok: done.ok, message: done.message, cancelled: done.cancelled };
      } finally {
        await api.close();
      }
    },
    loadInventory: (id) => loadInventory(store, id),
    loadFullInventory: (id) => loadInventory(store, id),
    removeInventory: async (id) => {
      for (const name of await store.list(`${endpointFolder(id)}/`)) await store.remove(name);
    },
    testConnection: async (endpoint, secret, options, signal) => {
      const client = new ProxmoxClient(endpointRef(endpoint), secret, { timeoutMs: options.timeoutMs, retries: 0, concurrency: 2 });
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
    // A small cluster (a few nodes, a couple dozen guests, several backup jobs) is enough to look around.
    startSimulator: () => startSimulator({ seed: 7, nodes: 3, guests: 24, jobs: 6 }),
    nextRuns: (text, kind, after, count, tz) => parseSchedule(text, kind).take(after, count, tz),
    isValidTimeZone,
    createJobs: (options) => createJobs(storageDir, options),
  };
}

/** The next `count` runs of a schedule if each run succeeded at its due time (what the preview shows). */
export function previewRuns(spec: ScheduleSpecLike, nowMs: number, count: number): number[] {
  const s = spec as ScheduleSpec;
  if (s.mode === 'now') return [];
  const out: number[] = [];
  let t: number | null = firstRun(s, nowMs);
  while (t !== null && out.length < count) {
    out.push(t);
    const next: number | null = nextRun(s, { scheduledAt: t, now: t, succeeded: true, catchUp: false });
    t = next !== null && next > t ? next : null;
  }
  return out;
}

function createJobs(storeDir: string, options: JobsOptions): JobsPort {
  const service = new JobService({
    storeDir,
    label: 'VS Code window',
    history: options.history,
    secrets: options.secrets,
    runner: {
      // The UI's runner passes on the pipeline's own events (runSync's), only typed loosely on the UI side.
      run: (r) => options.runner.run({ ...r, onEvent: (e) => r.onEvent(e as PipelineEvent) }),
    },
  });
  return {
    get isScheduler() { return service.isScheduler; },
    start: () => service.start(),
    list: () => service.list(),
    get: (id) => service.get(id),
    log: (id) => service.log(id),
    onDidChange: (listener) => service.onDidChange((c) => listener({ kind: c.kind, ...(c.kind === 'log' ? { jobId: c.jobId } : {}) })),
    schedule: (req) => service.schedule({ ...req, schedule: req.schedule as ScheduleSpec }),
    cancel: (id) => service.cancel(id),
    delete: (id) => service.delete(id),
    clearHistory: () => service.clearHistory(),
    dispose: (reason) => service.dispose(reason),
    validate: (spec, now) => validateSchedule(spec as ScheduleSpec, now),
    describe: (spec) => describeSchedule(spec as ScheduleSpec),
    preview: previewRuns,
  };
}
