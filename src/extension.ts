// The composition root: activate() builds every service once, in dependency order, passes each its dependencies and
// wires their events. Nothing else builds services, and no service is completed by a setter after construction.
import { answerWithin, VsCodeUnresponsiveError } from './ui/sync/answerWithin';
import * as vscode from 'vscode';
import { loadInventory, removeInventory } from './core/inventory/inventory';
import { DocumentStore } from './core/inventory/store';
import { JobService } from './core/jobs/jobService';
import { isTerminal } from './core/jobs/types';
import { runSync } from './core/pipeline/runner';
import { netboxSinkFor, sweepNetBox, testNetBox } from './core/netbox';
import { runRemoteSync } from './core/remote';
import { fetchCertificate } from './core/proxmox/tls';
import { testConnection } from './core/proxmox/testConnection';
import { testPbsConnection } from './core/pbs/testConnection';
import { isValidTimeZone, parseSchedule } from './core/schedule';
import { explainError } from './core/errors/explain';
import { startSimulator } from './sim';
import { registerAllCommands } from './ui/commands';
import type { CommandDeps } from './ui/commands/deps';
import type { CoreServices } from './ui/core';
import { DemoCluster } from './ui/demo';
import { endpointRef } from './ui/endpoints/endpoint';
import { EndpointStore } from './ui/endpoints/endpointStore';
import { JOB_LOG_SCHEME, JobLogDocuments } from './ui/jobLogDocuments';
import { jobName } from './ui/format/jobView';
import { ProxboxLog } from './ui/output';
import { calendarOverlapWindowMinutes, healthSettings, jobHistory, logLevel, reportClampedSettingsTo, syncOptions, treePageSize } from './ui/settings';
import { ProxboxStatusBar } from './ui/statusBar';
import { SyncRuns } from './ui/sync/syncRuns';
import { createTestApi, type UiTestApi } from './ui/testApi';
import { ProxboxTreeProvider } from './ui/tree/provider';
import { registerWebviews, type WebviewsTestApi } from './ui/webviews';
import { formatLogTime } from './core/text/time';
import { evaluateHealth } from './core/health/report';
import { HealthService } from './ui/health/healthService';
import { HealthNotifier } from './ui/health/healthNotifier';
import { HealthStatusItem } from './ui/health/healthStatusItem';
import { PolicyFile } from './ui/health/policyFile';
import { syncContextKeys } from './ui/contextKeys';

/** How often the window running the sync schedule checks that its VS Code still answers. */
const LIVENESS_CHECK_MS = 10_000;

/**
 * What activate() returns. `testing` is there only when VS Code runs the extension for tests or development
 * (never in a normal install, so other extensions cannot reach internals). Integration tests read it through
 * `vscode.extensions.getExtension('proxbox.proxbox-vscode').exports`.
 */
export interface ProxboxExports {
  testing?: UiTestApi & {
    /** Milliseconds spent inside activate() itself. */
    activationMs: number;
    webviews: WebviewsTestApi;
  };
}

let shutdown: (() => Promise<void>) | undefined;

function coreServices(store: DocumentStore): CoreServices {
  return {
    // A proxbox-api endpoint's sync runs in that backend; its stream comes back as our own events (remote mode).
    runSync: (req) => req.endpoint.backend ? runRemoteSync({
      url: req.endpoint.url, apiKey: req.secret, stages: req.stages, signal: req.signal, onEvent: req.onEvent,
      endpointId: req.endpoint.id, name: req.endpoint.name, ...(req.endpoint.fingerprint ? { fingerprint: req.endpoint.fingerprint } : {}),
    }) : runSync({
      endpoint: endpointRef(req.endpoint), secret: req.secret, store, stages: req.stages, signal: req.signal, onEvent: req.onEvent,
      options: { timeoutMs: req.options.timeoutMs, retries: req.options.retries, concurrency: req.options.concurrency, maxResponseBytes: req.options.maxResponseBytes, historyDays: req.options.historyDays },
      sinks: req.netbox ? [netboxSinkFor(req.endpoint, { ...req.netbox.target, pluginModels: req.options.netboxPluginModels }, req.netbox.token, req.options)] : [],
      redact: req.netbox?.token ? [req.netbox.token] : [],
    }),
    testNetBox: (target, token, options, signal) => testNetBox(target, token, options, signal),
    sweepNetBox: (target, token, keep, apply, signal) => sweepNetBox(target, token, keep, apply, { timeoutMs: 30_000, retries: 2, maxResponseBytes: 256 * 1024 * 1024 }, signal),
    loadInventory: (id) => loadInventory(store, id),
    removeInventory: (id) => removeInventory(store, id),
    testConnection: (endpoint, secret, options, signal) => (endpoint.kind === 'pbs' ? testPbsConnection : testConnection)(endpointRef(endpoint), secret, options, signal),
    fetchCertificate: (url, signal) => fetchCertificate(url, { timeoutMs: 10_000, signal }),
    // The health scenario: a small cluster with the problems backup health exists to find (a failed guest, a missed
    // run, a full storage, guests in no job), so the demo shows every part of the extension at work.
    startSimulator: () => startSimulator({ seed: 7, scenario: 'health' }),
    parseSchedule: (text, kind) => parseSchedule(text, kind),
    isValidTimeZone,
  };
}

export function activate(context: vscode.ExtensionContext): ProxboxExports {
  const started = performance.now();
  const storageDir = context.globalStorageUri.fsPath;
  const services = coreServices(new DocumentStore(storageDir));
  const store = new EndpointStore(context.secrets);
  const log = new ProxboxLog(() => store.knownSecrets, logLevel);
  reportClampedSettingsTo((message) => log.warn(message));
  const demo = new DemoCluster(services, store, log);
  const runs = new SyncRuns({
    services, endpoints: store, log, demo, options: syncOptions,
    // Its VS Code gone (a closed code-server tab), this window would keep renewing the lease and queue every sync
    // behind one that never ends: it leaves the schedule to another window (and takes it back if there is none).
    onUnresponsive: (message) => {
      log.warn(`${message} This window leaves the sync schedule to another window for 2 minutes.`);
      void jobs.retire(`Stopped: ${message}`);
    },
  });
  const history = jobHistory();
  const jobs = new JobService({
    storeDir: storageDir, label: 'VS Code window', runner: runs,
    // Windows hand work to the lease holder through request files it picks up each heartbeat; a holder that has not
    // picked one up after three heartbeats (6 s here) is taken over (a closed code-server tab keeps its host alive).
    heartbeatMs: 2_000,
    history: { maxCount: history.maxCount, maxAgeDays: history.maxAgeDays }, secrets: () => [...store.knownSecrets],
  });
  const policy = new PolicyFile();
  const health = new HealthService({
    endpoints: store, loadInventory: (id) => services.loadInventory(id), evaluate: (invs, options) => evaluateHealth(invs, options),
    settings: healthSettings,
    // An untrusted workspace's policy could exclude every guest and silence every alarm: it applies once trusted.
    policy: {
      current: () => (vscode.workspace.isTrusted ? policy.current() : null),
      onDidChange: policy.onDidChange,
      publish: (violations, name) => policy.publish(violations, name),
    },
    now: () => Math.floor(Date.now() / 1000), log: (message) => log.write('debug', message), warn: (message) => log.warn(message),
  });
  const tree = new ProxboxTreeProvider(
    { endpoints: store, jobs, runs, pageSize: treePageSize, now: () => Math.floor(Date.now() / 1000), health: (id) => health.get(id) },
    (id) => services.loadInventory(id), log);
  const view = vscode.window.createTreeView('proxbox.endpoints', { treeDataProvider: tree, showCollapseAll: true });
  const status = new ProxboxStatusBar(jobs, runs, store);
  const healthItem = new HealthStatusItem(health);
  const notifier = new HealthNotifier(health, context.globalState, healthSettings);
  const endpointName = (e: string) => store.get(e)?.name;
  const logs = new JobLogDocuments(async (id) => {
    const job = jobs.get(id);
    if (!job) return undefined;
    const entries = await jobs.log(id);
    return {
      // Named as people know the run; the id stays at the end, for a bug report.
      title: `${jobName(job, endpointName)} — ${job.status} (job ${job.id})`,
      lines: entries.map((e) => `${formatLogTime(e.time)} [${e.level}] ${e.message}`),
    };
  }, (id) => { const job = jobs.get(id); return job && jobName(job, endpointName); });
  const inventoryChanged = new vscode.EventEmitter<string>();
  const deps: CommandDeps = { store, services, log, jobs, runs, tree, demo, logs };
  const webviews = registerWebviews(context, {
    listEndpoints: () => store.list(),
    loadInventory: (id) => services.loadInventory(id),
    onDidChangeInventory: (listener) => inventoryChanged.event(listener),
    routineRuns: (endpointId, routineId) => health.get(endpointId)?.report.routines.find((r) => r.endpoint === endpointId && r.jobId === routineId)?.runs,
    parseSchedule: (text) => parseSchedule(text, 'calendar'),
    // Custom calendar entries (issue 13): the setting's, and the policy file's once the workspace is trusted.
    calendarSettings: () => ({
      customEntries: vscode.workspace.getConfiguration('proxbox.calendar').get<unknown>('customEntries'),
      policyEntries: (vscode.workspace.isTrusted ? policy.current()?.policy.calendar?.entries : undefined) ?? [],
      overlapWindowMinutes: calendarOverlapWindowMinutes(),
    }),
    onDidChangeCalendarSources: (listener) => policy.onDidChange(() => listener()),
    now: () => Math.floor(Date.now() / 1000),
    log: (message) => log.write('debug', message),
  }, { reports: () => health.all(), onDidChange: (listener) => health.onDidChangeReport(() => listener()) });
  registerAllCommands(context, deps, webviews.commands);

  // ---- wiring: who hears what ----
  let knownIds = store.list().map((e) => e.id);
  const setContext = () => {
    void vscode.commands.executeCommand('setContext', 'proxbox.hasEndpoints', store.list().length > 0);
    void vscode.commands.executeCommand('setContext', 'proxbox.hasNetBoxTargets', store.list().some((e) => e.netbox !== undefined));
  };
  setContext();
  // Commands about syncs show in the palette only when there is a sync for them to act on (issue 11, item 8).
  const setSyncContext = () => {
    for (const [key, value] of Object.entries(syncContextKeys(jobs.list()))) void vscode.commands.executeCommand('setContext', key, value);
  };
  setSyncContext();
  // Syncs another window ran reach this one only as job records: when one ends, its endpoints' inventories are read
  // again (tree, backup health, open views), as after a sync of this window. The first read only notes what ended.
  let ended: Set<string> | undefined;
  const readSyncsOfOtherWindows = () => {
    const now = jobs.list().filter((j) => isTerminal(j.status));
    const known = ended;
    ended = new Set(now.map((j) => j.id));
    if (!known) return;
    const ours = new Set(runs.all().map((r) => r.jobId));
    for (const id of new Set(now.filter((j) => !known.has(j.id) && !ours.has(j.id) && j.startedAt !== undefined).flatMap((j) => j.endpoints))) {
      if (!store.get(id)) continue;
      tree.invalidate(id, 'a sync in another window ended');
      inventoryChanged.fire(id);
      void health.refresh(id, 'a sync in another window ended', true);
    }
  };
  const jobsSub = jobs.onDidChange((c) => {
    if (c.kind === 'log') { logs.update(c.jobId); return; }
    setSyncContext();
    readSyncsOfOtherWindows();
    tree.refresh(undefined, `jobs ${c.kind}`);
  });
  context.subscriptions.push(
    store, log, runs, demo, policy, health, tree, view, status, healthItem, notifier, logs, inventoryChanged,
    health.onDidChangeReport((c) => tree.refresh(undefined, `backup health of ${c.endpointId} evaluated`)),
    { dispose: () => jobsSub.dispose() },
    vscode.workspace.registerTextDocumentContentProvider(JOB_LOG_SCHEME, logs),
    view.onDidChangeVisibility((e) => tree.setVisible(e.visible)),
    store.onDidChange(() => {
      setContext();
      tree.invalidate(undefined, 'endpoints changed');
      const ids = store.list().map((e) => e.id);
      for (const id of new Set([...ids, ...knownIds])) {
        inventoryChanged.fire(id);
        void health.refresh(id, 'endpoints changed');
      }
      knownIds = ids;
    }),
    runs.onDidRequestCancel((jobId) => {
      jobs.cancel(jobId).catch((err) => log.warn(`The sync could not be cancelled: ${explainError(err).message}`));
    }),
    runs.onDidChange(({ record, kind }) => {
      if (kind === 'end') {
        tree.invalidate(record.endpointId, `sync of ${record.endpointName} ended`);
        inventoryChanged.fire(record.endpointId);
        void health.refresh(record.endpointId, `sync of ${record.endpointName} ended`, true);
      } else if (kind === 'start') {
        tree.refresh(undefined, `sync of ${record.endpointName} started`, true);
      } else {
        // Only the running job's subtree changes during a run.
        tree.refreshKeys([`job:${record.jobId}`, `ep:${record.endpointId}/jobs`], 'sync progress');
      }
    }),
    vscode.workspace.onDidChangeConfiguration((e) => {
      if (e.affectsConfiguration('proxbox.tree.pageSize')) tree.refresh(undefined, 'page size changed', true);
      if (e.affectsConfiguration('proxbox.health')) void health.refreshAll('health settings changed');
    }),
    vscode.workspace.onDidGrantWorkspaceTrust(() => void health.refreshAll('workspace trusted: its backup policy applies')),
  );
  tree.setVisible(view.visible);
  void health.refreshAll('window opened');
  // While this window runs the sync schedule, it checks that its VS Code still answers (a closed code-server tab keeps
  // the extension host alive, renewing the lease, for minutes to hours): no answer, and it leaves the schedule to the
  // windows still open instead of holding it until a sync's first question times out.
  let checking = false;
  const liveness = setInterval(() => {
    if (checking || !jobs.isScheduler) return;
    checking = true;
    answerWithin(Promise.resolve(vscode.commands.executeCommand('setContext', 'proxbox.windowAnswers', true)), 'a check that the window still answers', undefined, 15_000)
      .catch((err: unknown) => {
        if (!(err instanceof VsCodeUnresponsiveError)) return;
        log.warn(`${err.message} This window leaves the sync schedule to another window for 2 minutes.`);
        return jobs.retire(`Stopped: ${err.message}`);
      })
      .finally(() => { checking = false; });
  }, LIVENESS_CHECK_MS);
  context.subscriptions.push({ dispose: () => clearInterval(liveness) });
  void jobs.start().then(
    () => {
      setSyncContext();
      readSyncsOfOtherWindows();
      log.write('debug', jobs.isScheduler ? 'This window runs the sync schedule.' : 'Another window runs the sync schedule; this one shows it.');
    },
    (err) => log.error(`The sync schedule could not start: ${explainError(err).message}. Scheduled syncs will not run in this window; reload the window to retry.`));
  shutdown = async () => { await jobs.dispose(); await demo.stop(); };

  if (context.extensionMode === vscode.ExtensionMode.Production) return {};
  return { testing: { ...createTestApi(deps, status, { service: health, item: healthItem, notifier }), webviews: webviews.testing, activationMs: performance.now() - started } };
}

/** Awaited by VS Code: a sync still running is recorded as failed and the schedule's lease is released. */
export async function deactivate(): Promise<void> {
  await shutdown?.();
}
