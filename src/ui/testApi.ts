// What tests inside VS Code read from `extensions.getExtension('proxbox.proxbox-vscode').exports.testing`. It drives
// the same services the commands use (a sync is a job here too), without prompts or notifications.
import type { EndpointDefinition, NetBoxTargetDefinition } from './endpoints/endpoint';
import { forgetSyncsOf } from './commands/endpoints';
import { syncNow } from './commands/sync';
import { removeEndpoint } from './endpoints/endpointFlows';
import type { CommandDeps } from './commands/deps';
import type { ProxboxStatusBar } from './statusBar';
import type { TreeSnapshotNode } from './tree/provider';
import type { HealthService } from './health/healthService';
import type { HealthNotifier } from './health/healthNotifier';
import type { HealthStatusItem } from './health/healthStatusItem';
import type { HealthReport } from '../core/health/types';
import type { Job, JobRequest } from '../core/jobs/types';

export interface UiTestApi {
  /** Saves an endpoint and its secret without prompts (the secret goes to SecretStorage like in the wizard). */
  addEndpoint(endpoint: EndpointDefinition, secret: string): Promise<void>;
  removeEndpoint(id: string): Promise<void>;
  /** Sets (or removes) an endpoint's NetBox target without prompts; the token goes to SecretStorage. */
  setNetBox(id: string, target: NetBoxTargetDefinition | undefined, token?: string): Promise<void>;
  listEndpoints(): EndpointDefinition[];
  /** Runs a sync as a job without notifications and resolves when it has ended. */
  sync(endpointId: string, stages?: string[]): Promise<{ ok: boolean; message?: string; error?: { category: string; message: string; suggestion?: string } } | undefined>;
  treeSnapshot(maxDepth?: number): Promise<TreeSnapshotNode[]>;
  outputLines(): string[];
  statusBar(): { text: string; tooltip: string };
  /** This window's runs, newest first, with their output lines. */
  runs(): Array<{ id: string; endpointId: string; ok?: boolean; message?: string; lines: string[] }>;
  startDemo(): Promise<EndpointDefinition>;
  /** Fires pending tree refreshes now. */
  flushTree(): void;
  /** Waits for pending health evaluations, then returns each endpoint's report. */
  health(): Promise<Array<{ endpointId: string; report: HealthReport }>>;
  /** The backup-problems status bar item. */
  healthStatus(): { text: string; visible: boolean };
  /** Ids of the jobs (scheduled, running or finished) that sync this endpoint. */
  jobsOf(endpointId: string): string[];
  /** Health notifications shown in this window, oldest first. */
  healthNotifications(): string[];
  /** Schedules a sync as "Schedule Sync…" does after its prompts; returns its first record, rejects with the JobError it shows. */
  scheduleJob(request: JobRequest): Promise<Job>;
  /** Every job record, as the jobs service lists them. */
  jobs(): Job[];
}

export interface HealthTestParts {
  service: HealthService;
  item: HealthStatusItem;
  notifier: HealthNotifier;
}

export function createTestApi(deps: CommandDeps, status: ProxboxStatusBar, health: HealthTestParts): UiTestApi {
  const { store, runs, tree, log, demo } = deps;
  return {
    addEndpoint: (e, secret) => store.save(e, secret),
    setNetBox: (id, target, token) => store.setNetBox(id, target, token),
    removeEndpoint: async (id) => {
      const e = store.get(id);
      // The command's own steps, without its confirmation.
      if (e) await removeEndpoint(deps, e, { confirm: false, beforeRemove: () => forgetSyncsOf(deps, id) });
    },
    listEndpoints: () => store.list(),
    sync: async (id, stages) => {
      const { job, record } = await syncNow(deps, id, { stages, interactive: false });
      if (!job) return undefined;
      return { ok: job.status === 'completed', message: record?.progress.message ?? job.error, ...(record?.error ? { error: record.error } : {}) };
    },
    treeSnapshot: (maxDepth) => tree.snapshot(maxDepth),
    outputLines: () => log.lines(),
    statusBar: () => {
      status.render();
      return { text: status.item.text, tooltip: typeof status.item.tooltip === 'string' ? status.item.tooltip : '' };
    },
    runs: () => runs.all().map((r) => ({ id: r.jobId, endpointId: r.endpointId, ok: r.progress.ok, message: r.progress.message, lines: [...r.lines] })),
    startDemo: () => demo.ensure(),
    flushTree: () => tree.refresh(undefined, 'test flush', true),
    health: async () => {
      await health.service.settled();
      return health.service.all().map((h) => ({ endpointId: h.endpointId, report: h.report }));
    },
    healthStatus: () => {
      health.item.render();
      return { text: health.item.item.text, visible: health.item.shown };
    },
    healthNotifications: () => [...health.notifier.shown],
    scheduleJob: async (request) => (await deps.jobs.schedule(request)).job,
    jobs: () => deps.jobs.list(),
    jobsOf: (endpointId) => deps.jobs.list().filter((j) => j.endpoints.includes(endpointId)).map((j) => j.id),
  };
}
