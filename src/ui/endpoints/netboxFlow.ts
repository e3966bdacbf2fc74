// "Send Endpoint to NetBox": where an endpoint's inventory goes after each sync. Three questions (address, API token,
// site), the certificate decision as for Proxmox, a test (NetBox's version and a dry read with the token), then the
// save: the target into the endpoint's settings, the token into SecretStorage.
import * as vscode from 'vscode';
import { normalizeNetBoxUrl, validateNetBoxToken, validateSiteName } from '../input/netboxInput';
import type { Checked } from '../input/endpointInput';
import { connectionFailureChoice } from './connectionFailure';
import { decideTrust, failureOf, type EndpointFlowDeps } from './endpointFlows';
import { notificationText } from '../format/markdown';
import { errorText } from '../errorActions';
import { syncOptions } from '../settings';
import type { EndpointDefinition, NetBoxTargetDefinition } from './endpoint';

async function ask(title: string, step: number, opts: {
  value?: string; prompt: string; placeHolder?: string; password?: boolean; check: (v: string) => Checked<string> | undefined;
}): Promise<string | undefined> {
  return vscode.window.showInputBox({
    title: `${title} (${step}/3)`, value: opts.value, prompt: opts.prompt, placeHolder: opts.placeHolder, password: opts.password,
    ignoreFocusOut: true, validateInput: (v) => { const r = opts.check(v); return r && !r.ok ? r.message : undefined; },
  });
}

const clean = <T>(r: Checked<T>): T => (r as { value: T }).value;

/** Returns the saved target, or undefined when the user gave up. */
export async function netboxWizard(deps: EndpointFlowDeps, endpoint: EndpointDefinition): Promise<NetBoxTargetDefinition | undefined> {
  const existing = endpoint.netbox;
  const title = `Send "${endpoint.name}" to NetBox`;
  let draft = { url: existing?.url ?? '', site: existing?.site ?? endpoint.name };
  for (;;) {
    const url = await ask(title, 1, { value: draft.url, prompt: 'Address of your NetBox (4.4 or newer)', placeHolder: 'netbox.example.com', check: normalizeNetBoxUrl });
    if (url === undefined) return undefined;
    const tokenInput = await ask(title, 2, {
      prompt: existing ? 'NetBox API token (leave empty to keep the stored one). Stored in VS Code\'s SecretStorage only.'
        : 'NetBox API token with write permission (your user menu → API Tokens). Stored in VS Code\'s SecretStorage only.',
      placeHolder: 'nbt_…', password: true, check: (v) => (existing && !v.trim() ? undefined : validateNetBoxToken(v)),
    });
    if (tokenInput === undefined) return undefined;
    const site = await ask(title, 3, { value: draft.site, prompt: 'NetBox site for this cluster, its nodes and guests (an existing site, or a new one that is created)', check: validateSiteName });
    if (site === undefined) return undefined;
    draft = { url, site };
    const cleanUrl = clean(normalizeNetBoxUrl(url));
    const token = tokenInput.trim() ? clean(validateNetBoxToken(tokenInput)) : await deps.store.getNetBoxToken(endpoint.id);
    if (!token) {
      void vscode.window.showErrorMessage('Proxbox: no NetBox token is stored for this endpoint; enter it in step 2.');
      continue;
    }
    const keepPin = existing && existing.url === cleanUrl ? existing.fingerprint : undefined;
    const trust = await decideTrust(deps, cleanUrl, keepPin, 'the one of NetBox\'s certificate on its server (openssl x509 -noout -fingerprint -sha256 -in <its certificate>)');
    if (!trust) return undefined;
    const target: NetBoxTargetDefinition = {
      ...existing, url: cleanUrl, site: clean(validateSiteName(site)),
      ...('failure' in trust ? (keepPin ? { fingerprint: keepPin } : {}) : trust.fingerprint ? { fingerprint: trust.fingerprint } : { fingerprint: undefined }),
    };
    if (!target.fingerprint) delete target.fingerprint;
    let failure = 'failure' in trust ? trust.failure : undefined;
    let version = '';
    if (!failure) {
      try {
        const r = await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: `Proxbox: connecting to NetBox at ${cleanUrl}`, cancellable: true },
          (_p, ct) => {
            const ac = new AbortController();
            ct.onCancellationRequested(() => ac.abort());
            return deps.services.testNetBox(target, token, syncOptions(), ac.signal);
          });
        version = r.version;
        deps.log.info(`NetBox at ${cleanUrl} answers: NetBox ${r.version}${r.plugin ? ' with the netbox-proxbox plugin' : ''}`);
      } catch (err) {
        failure = failureOf(err);
        deps.log.error(`Connection to NetBox at ${cleanUrl} failed: ${failure.category}: ${errorText(failure)}`);
      }
    }
    if (failure) {
      const c = connectionFailureChoice(`NetBox at ${cleanUrl}`, failure, 'failure' in trust ? 'certificate' : 'test');
      const choice = await vscode.window.showErrorMessage(notificationText(c.message), { modal: true, detail: notificationText(c.detail.replace(/the endpoint/g, 'the NetBox target').replace(/the node/g, 'NetBox')) }, ...c.actions);
      if (choice === 'Edit Again') continue;
      if (choice !== 'Save Anyway') return undefined;
    }
    await deps.store.setNetBox(endpoint.id, target, tokenInput.trim() ? token : undefined);
    deps.log.info(`${endpoint.name} is sent to NetBox at ${target.url} (site ${target.site}${target.fingerprint ? ', pinned certificate' : ''}) after each sync`);
    if (!failure) {
      void vscode.window.showInformationMessage(notificationText(`Proxbox: each sync of ${endpoint.name} now writes the differences to NetBox ${version} (site ${target.site}).`), 'Sync Now')
        .then((a) => { if (a) void vscode.commands.executeCommand('proxbox.sync.endpoint', endpoint.id); });
    }
    return target;
  }
}

export async function stopSendingToNetBox(deps: EndpointFlowDeps, endpoint: EndpointDefinition): Promise<boolean> {
  if (!endpoint.netbox) return false;
  const stop = 'Stop Sending';
  const choice = await vscode.window.showWarningMessage(`Stop sending "${endpoint.name}" to NetBox at ${endpoint.netbox.url}?`,
    { modal: true, detail: 'The NetBox token is deleted from VS Code. Nothing is deleted in NetBox: the objects Proxbox wrote stay there, with its tag.' }, stop);
  if (choice !== stop) return false;
  await deps.store.setNetBox(endpoint.id, undefined);
  deps.log.info(`${endpoint.name} is no longer sent to NetBox`);
  return true;
}

/**
 * "Clean Up NetBox": the objects our syncs wrote for endpoints that are no longer configured here (Remove Endpoint
 * and Stop Sending leave NetBox alone). Listed first in the log and a modal; deleted only when the user confirms.
 */
export async function cleanUpNetBox(deps: EndpointFlowDeps, endpoint: EndpointDefinition): Promise<number> {
  if (!endpoint.netbox) return 0;
  const token = await deps.store.getNetBoxToken(endpoint.id);
  if (!token) {
    void vscode.window.showErrorMessage(`Proxbox: no NetBox token is stored for ${endpoint.name}; run "Send Endpoint to NetBox..." again.`);
    return 0;
  }
  const target = endpoint.netbox;
  const keep: string[] = deps.store.list().map((e) => e.id);
  const run = (apply: boolean) => vscode.window.withProgress(
    { location: vscode.ProgressLocation.Notification, title: `Proxbox: ${apply ? 'deleting' : 'looking for'} orphaned objects in NetBox at ${target.url}`, cancellable: true },
    (_p, ct) => {
      const ac = new AbortController();
      ct.onCancellationRequested(() => ac.abort());
      return deps.services.sweepNetBox(target, token, keep, apply, ac.signal);
    });
  const found = await run(false);
  if (!found.orphans.length) {
    void vscode.window.showInformationMessage(`Proxbox: NetBox at ${target.url} holds no objects of endpoints other than the ones configured here.`);
    return 0;
  }
  deps.log.info(`NetBox at ${target.url}: ${found.orphans.length} object(s) of endpoints not configured in this VS Code:`);
  for (const o of found.orphans) deps.log.info(`  ${o.type}: ${o.display} (endpoint ${o.endpoint})`);
  // Another VS Code or the proxbox command may still sync some of them into the same NetBox: the user picks.
  const counts = new Map<string, number>();
  for (const o of found.orphans) counts.set(o.endpoint, (counts.get(o.endpoint) ?? 0) + 1);
  const picked = await vscode.window.showQuickPick([...counts].map(([id, n]) => ({ label: id, description: `${n} object(s)` })), {
    canPickMany: true, ignoreFocusOut: true,
    placeHolder: 'Endpoints not configured here whose objects to delete (another VS Code or the proxbox command may still sync some; the list is in the log)',
  });
  if (!picked?.length) return 0;
  const gone = new Set(picked.map((p) => p.label));
  const total = found.orphans.filter((o) => gone.has(o.endpoint)).length;
  const del = 'Delete';
  const choice = await vscode.window.showWarningMessage(
    `Delete ${total} object(s) that Proxbox synced to NetBox for ${[...gone].join(', ')}?`,
    { modal: true, detail: 'Dependents go first (addresses, interfaces, disks, then virtual machines, nodes and the cluster). Objects of the other endpoints stay; objects Proxbox did not create are never touched.' },
    del);
  if (choice !== del) return 0;
  keep.push(...[...counts.keys()].filter((id) => !gone.has(id)));
  const done = await run(true);
  for (const f of done.failures) deps.log.warn(`Not deleted: ${f.label}: ${f.reason}`);
  void vscode.window.showInformationMessage(`Proxbox: deleted ${done.deleted} of ${total} object(s) from NetBox${done.failures.length ? `; ${done.failures.length} refused (see the log)` : ''}.`);
  return done.deleted;
}
