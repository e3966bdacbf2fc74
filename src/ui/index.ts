// Builds the UI once from the services: output channel, endpoint store, sync controller, tree, status bar, commands,
// demo. Returns the test API that integration tests read through the extension's exports.
import * as vscode from 'vscode';
import { registerCommands } from './commands';
import { DemoCluster } from './demo';
import { EndpointStore } from './endpoints/endpointStore';
import { JobLogDocuments, JOB_LOG_SCHEME } from './jobLog';
import { ProxboxLog } from './output';
import type { EndpointDefinition, ProxboxServices } from './services';
import { jobHistory, logLevel, treePageSize } from './settings';
import { jobTitle, scheduleWords } from './format/jobView';
import { formatLogTime } from './format/time';
import type { JobsPort } from './jobs/jobsPort';
import { ProxboxStatusBar } from './statusBar';
import { SyncController, type SyncRun } from './syncController';
import { ProxboxTreeProvider, type TreeSnapshotNode } from './tree/provider';

/** What tests inside VS Code read from `extensions.getExtension('proxbox.proxbox-vscode').exports.testing`. */
export interface UiTestApi {
  /** Saves an endpoint and its secret without prompts (the secret goes to SecretStorage like in the wizard). */
  addEndpoint(endpoint: EndpointDefinition, secret: string): Promise<void>;
  removeEndpoint(id: string): Promise<void>;
  listEndpoints(): EndpointDefinition[];
  /** Runs a sync without the notification and resolves when it has ended. */
  sync(endpointId: string, stages?: string[]): Promise<{ ok: boolean; message?: string; error?: { category: string; message: string; suggestion?: string } } | undefined>;
  treeSnapshot(maxDepth?: number): Promise<TreeSnapshotNode[]>;
  outputLines(): string[];
  statusBar(): { text: string; tooltip: string };
  runs(): Array<Pick<SyncRun, 'id' | 'endpointId' | 'ok' | 'message'> & { lines: string[] }>;
  startDemo(): Promise<EndpointDefinition>;
  /** Resolves once pending tree refreshes have fired. */
  flushTree(): void;
}

function nextScheduled(jobs: JobsPort | undefined, endpoints: EndpointStore): { atSeconds: number; label: string } | undefined {
  const next = jobs?.list().filter((j) => j.status === 'scheduled').sort((a, b) => a.scheduledAt - b.scheduledAt)[0];
  if (!next) return undefined;
  return { atSeconds: next.scheduledAt / 1000, label: `${jobTitle(next)} of ${next.endpoints.map((e) => endpoints.get(e)?.name ?? e).join(', ')}, ${scheduleWords(next)}` };
}

export interface UiHandle {
  /** Stops the scheduler (marking runs in progress as failed) and releases the lease; awaited by deactivate(). */
  shutdown(): Promise<void>;
  testing: UiTestApi;
  /** Fires with an endpoint id when its inventory may have changed (a sync ended, the endpoint changed). */
  onDidChangeInventory: vscode.Event<string>;
  syncs: SyncController;
  endpoints: EndpointStore;
  log: ProxboxLog;
  tree: ProxboxTreeProvider;
}

export function activateUi(context: vscode.ExtensionContext, services: ProxboxServices): UiHandle {
  const endpoints = new EndpointStore(context.secrets);
  const log = new ProxboxLog(() => endpoints.knownSecrets, logLevel);
  const syncs = new SyncController(services, endpoints, log);
  const demo = new DemoCluster(services, endpoints, log);
  syncs.prepare = (e) => demo.prepare(e);

  const history = jobHistory();
  const jobs = services.createJobs?.({
    runner: { run: (r) => syncs.runForJob(r) },
    history: { maxCount: history.maxCount, maxAgeDays: history.maxAgeDays },
    secrets: () => [...endpoints.knownSecrets],
  });
  syncs.jobs = jobs;

  const tree = new ProxboxTreeProvider({ endpoints, services, syncs, jobs: () => jobs, pageSize: treePageSize, now: () => Math.floor(Date.now() / 1000) }, log);
  const view = vscode.window.createTreeView('proxbox.endpoints', { treeDataProvider: tree, showCollapseAll: true });
  const status = new ProxboxStatusBar(syncs, () => nextScheduled(jobs, endpoints));
  const logs = new JobLogDocuments(async (id) => {
    const job = jobs?.get(id);
    if (job) {
      const entries = await jobs!.log(id);
      return { title: `${jobTitle(job)} of ${job.endpoints.map((e) => endpoints.get(e)?.name ?? e).join(', ')} — ${job.status} (${job.id})`,
        lines: entries.map((e) => `${formatLogTime(e.time)} [${e.level}] ${e.message}`) };
    }
    const run = syncs.find(id);
    return run && { title: `Sync of ${run.endpointName} (${run.id})`, lines: run.lines };
  });

  const inventoryChanged = new vscode.EventEmitter<string>();
  let knownIds = endpoints.list().map((e) => e.id);
  const setContext = () => void vscode.commands.executeCommand('setContext', 'proxbox.hasEndpoints', endpoints.list().length > 0);
  setContext();

  context.subscriptions.push(
    endpoints, log, syncs, demo, tree, view, status, logs,
    vscode.workspace.registerTextDocumentContentProvider(JOB_LOG_SCHEME, logs),
    view.onDidChangeVisibility((e) => tree.setVisible(e.visible)),
    inventoryChanged,
    endpoints.onDidChange(() => {
      setContext();
      tree.invalidate(undefined, 'endpoints changed');
      const ids = endpoints.list().map((e) => e.id);
      for (const id of new Set([...ids, ...knownIds])) inventoryChanged.fire(id);
      knownIds = ids;
    }),
    syncs.onDidChange(({ run, kind }) => {
      if (!run) {
        tree.refresh(undefined, 'job history cleared', true);
        return;
      }
      logs.update(run.id);
      if (kind === 'end') {
        tree.invalidate(run.endpointId, `sync of ${run.endpointName} ended`);
        inventoryChanged.fire(run.endpointId);
      } else if (kind === 'start') {
        tree.refresh(undefined, `sync of ${run.endpointName} started`, true);
      } else {
        // Only the running job's subtree changes during a run.
        tree.refreshKeys([`run:${run.id}`, `ep:${run.endpointId}/jobs`], 'sync progress');
      }
    }),
    vscode.workspace.onDidChangeConfiguration((e) => {
      if (e.affectsConfiguration('proxbox.tree.pageSize')) tree.refresh(undefined, 'page size changed', true);
    }),
  );
  tree.setVisible(view.visible);

  if (jobs) {
    const sub = jobs.onDidChange((c) => {
      if (c.kind === 'log' && c.jobId) { logs.update(c.jobId); return; }
      tree.refresh(undefined, `jobs ${c.kind}`);
      status.render();
    });
    context.subscriptions.push({ dispose: () => sub.dispose() });
    void jobs.start().then(
      () => log.write('debug', jobs.isScheduler ? 'This window runs the sync schedule.' : 'Another window runs the sync schedule; this one shows it.'),
      (err) => log.error(`The sync schedule could not start: ${syncs.explain(err).message}. Scheduled syncs will not run in this window; reload the window to retry.`));
  }

  registerCommands(context, { store: endpoints, services, log, syncs, tree, demo, logs, jobs });

  const testing: UiTestApi = {
    addEndpoint: (e, secret) => endpoints.save(e, secret),
    removeEndpoint: async (id) => {
      const running = syncs.runningFor(id);
      if (running) syncs.cancel(running.id);
      await endpoints.remove(id);
      await services.removeInventory(id).catch(() => undefined);
    },
    listEndpoints: () => endpoints.list(),
    sync: async (id, stages) => {
      const run = await syncs.sync(id, { stages, trigger: 'test' });
      return run && { ok: !!run.ok, message: run.message, error: run.error };
    },
    treeSnapshot: (maxDepth) => tree.snapshot(maxDepth),
    outputLines: () => log.lines(),
    statusBar: () => {
      status.render();
      return { text: status.item.text, tooltip: typeof status.item.tooltip === 'string' ? status.item.tooltip : '' };
    },
    runs: () => [...syncs.running(), ...syncs.recent()].map((r) => ({ id: r.id, endpointId: r.endpointId, ok: r.ok, message: r.message, lines: [...r.lines] })),
    startDemo: () => demo.ensure(),
    flushTree: () => tree.refresh(undefined, 'test flush', true),
  };
  const shutdown = async () => { await jobs?.dispose(); await demo.stop(); };
  return { shutdown, testing, onDidChangeInventory: inventoryChanged.event, syncs, endpoints, log, tree };
}
