// Every command of the extension, registered in one place. Commands resolve their argument (a tree node, an id, or
// nothing → a quick pick), then forward to the flows and the sync controller.
import * as vscode from 'vscode';
import { stageLabel } from './format/stages';
import { endpointWizard, removeEndpoint, testEndpoint, type EndpointFlowDeps } from './endpoints/endpointFlows';
import type { DemoCluster } from './demo';
import { JobLogDocuments } from './jobLog';
import type { SyncController, SyncRun } from './syncController';
import type { ProxboxTreeProvider } from './tree/provider';
import type { EndpointDefinition } from './services';
import type { JobsPort } from './jobs/jobsPort';
import { registerJobCommands } from './jobs/jobCommands';

export interface CommandDeps extends EndpointFlowDeps {
  syncs: SyncController;
  tree: ProxboxTreeProvider;
  demo: DemoCluster;
  logs: JobLogDocuments;
  jobs?: JobsPort;
}

/** An endpoint id from whatever a command received: a tree node, `{endpointId}`, an id string. */
export function endpointIdOf(arg: unknown): string | undefined {
  if (typeof arg === 'string') return arg;
  if (arg && typeof arg === 'object') {
    const o = arg as { endpointId?: unknown; endpoint?: { id?: unknown } };
    if (typeof o.endpointId === 'string') return o.endpointId;
    if (typeof o.endpoint?.id === 'string') return o.endpoint.id;
  }
  return undefined;
}

async function pickEndpoint(deps: CommandDeps, arg: unknown, placeHolder: string): Promise<EndpointDefinition | undefined> {
  const id = endpointIdOf(arg);
  const all = deps.store.list();
  if (id) {
    const e = all.find((x) => x.id === id);
    if (!e) void vscode.window.showErrorMessage(`Proxbox: the endpoint "${id}" no longer exists. Refresh the Proxbox view.`);
    return e;
  }
  if (!all.length) {
    const a = await vscode.window.showInformationMessage('Proxbox: no endpoint is configured yet.', 'Add Endpoint', 'Try with a Simulated Cluster');
    if (a === 'Add Endpoint') void vscode.commands.executeCommand('proxbox.endpoint.add');
    if (a === 'Try with a Simulated Cluster') void vscode.commands.executeCommand('proxbox.demo.start');
    return undefined;
  }
  if (all.length === 1) return all[0];
  const pick = await vscode.window.showQuickPick(all.map((e) => ({ label: e.name, description: e.url, endpoint: e })), { placeHolder });
  return pick?.endpoint;
}

function runIdOf(arg: unknown): string | undefined {
  if (typeof arg === 'string') return arg;
  if (arg && typeof arg === 'object' && typeof (arg as { jobId?: unknown }).jobId === 'string') return (arg as { jobId: string }).jobId;
  return undefined;
}

export function registerCommands(context: vscode.ExtensionContext, deps: CommandDeps): void {
  const { syncs, store, tree, log } = deps;
  const reg = (id: string, fn: (...args: unknown[]) => unknown) => context.subscriptions.push(vscode.commands.registerCommand(id, fn));

  reg('proxbox.endpoint.add', () => endpointWizard(deps));
  reg('proxbox.endpoint.edit', async (arg) => {
    const e = await pickEndpoint(deps, arg, 'Endpoint to edit');
    return e && endpointWizard(deps, e);
  });
  reg('proxbox.endpoint.remove', async (arg) => {
    const e = await pickEndpoint(deps, arg, 'Endpoint to remove');
    if (!e) return false;
    const running = syncs.runningFor(e.id);
    const removed = await removeEndpoint(deps, e);
    if (removed) {
      if (running) syncs.cancel(running.id);
      if (e.demo) await deps.demo.stop();
      tree.invalidate(e.id, `endpoint ${e.name} removed`);
    }
    return removed;
  });
  reg('proxbox.endpoint.testConnection', async (arg) => {
    const e = await pickEndpoint(deps, arg, 'Endpoint to test');
    if (!e) return false;
    if (e.demo) await deps.demo.prepare(e);
    return testEndpoint(deps, store.get(e.id) ?? e);
  });

  reg('proxbox.sync.endpoint', async (arg) => {
    const e = await pickEndpoint(deps, arg, 'Endpoint to sync');
    return e && syncs.sync(e.id, { interactive: true });
  });
  reg('proxbox.sync.all', async () => {
    const all = store.list();
    if (!all.length) return pickEndpoint(deps, undefined, '');
    return Promise.all(all.map((e) => syncs.sync(e.id, { interactive: true })));
  });
  reg('proxbox.sync.stage', async (arg) => {
    const e = await pickEndpoint(deps, arg, 'Endpoint to sync');
    if (!e) return undefined;
    const picks = await vscode.window.showQuickPick(
      deps.services.stages.map((s) => ({ label: stageLabel(s), description: s, stage: s })),
      { canPickMany: true, placeHolder: 'Stages to sync (the stages they depend on run too)', title: `Sync stages of ${e.name}` });
    if (!picks?.length) return undefined;
    return syncs.sync(e.id, { stages: picks.map((p) => p.stage), interactive: true });
  });
  reg('proxbox.sync.cancel', async (arg) => {
    const explicit = runIdOf(arg) ?? (endpointIdOf(arg) ? syncs.runningFor(endpointIdOf(arg)!)?.id : undefined);
    if (explicit) return syncs.cancel(explicit);
    const running = syncs.running();
    if (!running.length) {
      void vscode.window.showInformationMessage('Proxbox: no sync is running.');
      return false;
    }
    const target = running.length === 1 ? running[0] : (await vscode.window.showQuickPick(
      running.map((r) => ({ label: r.endpointName, description: r.id, run: r })), { placeHolder: 'Sync to cancel' }))?.run;
    return target ? syncs.cancel(target.id) : false;
  });

  reg('proxbox.log.show', () => log.show());
  reg('proxbox.refresh', () => tree.invalidate(undefined, 'refresh command'));
  reg('proxbox.tree.showMore', (groupKey, count) => {
    if (typeof groupKey !== 'string') return;
    const size = typeof count === 'number' ? count : 500;
    tree.ctx.shown.set(groupKey, (tree.ctx.shown.get(groupKey) ?? tree.ctx.pageSize()) + size);
    tree.refresh(undefined, `show ${size} more in ${groupKey}`, true);
  });
  reg('proxbox.error.fix', (node) => {
    const fix = (node as { fix?: { command: string; args?: unknown[] } } | undefined)?.fix;
    if (fix) return vscode.commands.executeCommand(fix.command, ...(fix.args ?? []));
    return undefined;
  });

  reg('proxbox.job.showLog', async (arg) => {
    const id = runIdOf(arg) ?? syncs.recent()[0]?.id;
    if (!id) {
      log.show();
      return;
    }
    await deps.logs.open(id);
  });
  reg('proxbox.job.showCurrent', async () => {
    const current: SyncRun | undefined = syncs.running()[0] ?? syncs.recent()[0];
    log.show();
    if (current) await deps.logs.open(current.id);
  });

  registerJobCommands(reg, deps);

  reg('proxbox.demo.start', async () => {
    if (!deps.demo.available) {
      void vscode.window.showErrorMessage('Proxbox: the simulated cluster is not available in this build.');
      return undefined;
    }
    let endpoint: EndpointDefinition;
    try {
      endpoint = await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: 'Proxbox: starting a simulated Proxmox VE cluster' },
        () => deps.demo.ensure());
    } catch (err) {
      const x = deps.services.explainError(err);
      void vscode.window.showErrorMessage(`Proxbox: the simulated cluster did not start: ${x.message}${x.suggestion ? ` — ${x.suggestion}` : ''}`);
      return undefined;
    }
    void vscode.commands.executeCommand('workbench.view.extension.proxbox');
    return syncs.sync(endpoint.id, { interactive: true, trigger: 'demo' });
  });
}
