// Quick picks for a command that was given no target: which endpoint, which job.
import * as vscode from 'vscode';
import type { Job } from '../../core/jobs/types';
import { describeSchedule } from '../../core/jobs/recurrence';
import type { EndpointDefinition } from '../endpoints/endpoint';
import { jobName } from '../format/jobView';
import { endpointIdOf, jobIdOf } from './args';
import type { CommandDeps } from './deps';

/**
 * The endpoint a command is about: the one given, the only one, or the one picked; undefined when the user backs out.
 * `refuse` names why an endpoint cannot be the target (a PBS has no guests to send to NetBox): such endpoints are not
 * offered, and one given from the palette is answered with the reason instead of a failure halfway through.
 */
export async function pickEndpoint(deps: Pick<CommandDeps, 'store'>, arg: unknown, placeHolder: string,
  refuse?: (e: EndpointDefinition) => string | undefined): Promise<EndpointDefinition | undefined> {
  const id = endpointIdOf(arg);
  const configured = deps.store.list();
  if (id) {
    const e = configured.find((x) => x.id === id);
    if (!e) throw Object.assign(new Error(`The endpoint "${id}" no longer exists.`), { category: 'not_found', suggestion: 'It was removed; refresh the Proxbox view.' });
    const why = refuse?.(e);
    if (why) {
      void vscode.window.showInformationMessage(`Proxbox: ${why}`);
      return undefined;
    }
    return e;
  }
  const all = refuse ? configured.filter((e) => !refuse(e)) : configured;
  if (refuse && configured.length && !all.length) {
    void vscode.window.showInformationMessage(`Proxbox: ${refuse(configured[0]!)}`);
    return undefined;
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

/** What to do when a command about syncs finds none: there is no sync before one is scheduled or started. */
export function nextStepWithoutJobs(hasEndpoints: boolean): string {
  return hasEndpoints
    ? 'Schedule one with "Proxbox: Schedule Sync…" or start one with "Proxbox: Sync All Endpoints".'
    : 'Add an endpoint first with "Proxbox: Add Endpoint", or "Proxbox: Try with a Simulated Cluster".';
}

/** A job id: the one given, or one picked among the jobs that `filter` accepts. */
export async function pickJob(deps: Pick<CommandDeps, 'store' | 'jobs'>, arg: unknown, filter: (j: Job) => boolean, placeHolder: string,
  none: string): Promise<string | undefined> {
  const id = jobIdOf(arg);
  if (id) return id;
  const candidates = deps.jobs.list().filter(filter);
  if (!candidates.length) {
    // Run from a keybinding or an old palette entry with nothing to act on: say what to do next (issue 11, item 8).
    void vscode.window.showInformationMessage(`Proxbox: ${none} ${nextStepWithoutJobs(deps.store.list().length > 0)}`);
    return undefined;
  }
  if (candidates.length === 1) return candidates[0]!.id;
  const p = await vscode.window.showQuickPick(candidates.map((j) => ({
    label: jobName(j, (e) => deps.store.get(e)?.name), description: `${j.status} · ${describeSchedule(j.schedule)}`, id: j.id,
  })), { placeHolder });
  return p?.id;
}

/** NetBox receives a PVE cluster's devices, guests and interfaces; a Proxmox Backup Server has none of them. */
export function refuseNetBoxFor(e: EndpointDefinition): string | undefined {
  return e.kind === 'pbs' ? `${e.name} is a Proxmox Backup Server: NetBox receives the nodes and guests of a Proxmox VE cluster, which a backup server does not have.` : undefined;
}
