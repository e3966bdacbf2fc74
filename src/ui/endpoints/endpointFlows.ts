// Add, edit, remove and test an endpoint. The connection is tested before saving; a certificate no CA vouches for is
// shown (fingerprint, subject, issuer, validity) and pinned only when the user accepts it.
import * as vscode from 'vscode';
import {
  defaultPort, makeEndpointId, normalizeEndpointUrl, PRODUCT_NAMES, sameFingerprint, validateEndpointName, validateFingerprint, validateTokenId,
  validateTokenSecret, type Checked,
} from '../input/endpointInput';
import { endpointKind, type EndpointKind } from '../../core/inventory/model';
import { explainError } from '../../core/errors/explain';
import { trustProblemText, type CertificateInfo } from '../../core/proxmox/tls';
import type { CoreServices } from '../core';
import { errorText } from '../errorActions';
import { connectionFailureChoice, failureCode, type ConnectionFailure } from './connectionFailure';
import { notificationText } from '../format/markdown';
import type { ProxboxLog } from '../output';
import type { EndpointDefinition } from './endpoint';
import { syncOptions } from '../settings';
import type { EndpointStore } from './endpointStore';

export interface EndpointFlowDeps {
  store: EndpointStore;
  services: CoreServices;
  log: ProxboxLog;
}

async function ask(title: string, step: [number, number], opts: {
  value?: string; prompt: string; placeHolder?: string; password?: boolean; check: (v: string) => Checked<string> | undefined;
}): Promise<string | undefined> {
  return vscode.window.showInputBox({
    title: `${title} (${step[0]}/${step[1]})`, value: opts.value, prompt: opts.prompt, placeHolder: opts.placeHolder,
    password: opts.password, ignoreFocusOut: true,
    validateInput: (v) => { const r = opts.check(v); return r && !r.ok ? r.message : undefined; },
  });
}

function certificateDetail(c: CertificateInfo, compareWith: string): string {
  return [
    `SHA-256 fingerprint:\n${c.fingerprint}`,
    `Subject: ${c.subject}`,
    `Issuer: ${c.issuer}`,
    `Valid: ${c.validFrom} → ${c.validTo}`,
    c.caError ? `Not trusted: ${trustProblemText(c.caError)}` : '',
    `Compare the fingerprint with ${compareWith} before trusting it.`,
  ].filter(Boolean).join('\n\n');
}

/** What the flow knows about a failed connection: the explained error and its code, for the choice it offers. */
export function failureOf(err: unknown): ConnectionFailure {
  const x = explainError(err);
  const code = failureCode(err);
  return { category: x.category, message: x.message, suggestion: x.suggestion, ...(code ? { code } : {}) };
}

/**
 * Decides the TLS trust for a URL: CA-verified, or pinned after the user accepted the certificate shown.
 * Returns undefined when the user declined, or the failure when the server could not be reached (the caller shows it).
 */
export async function decideTrust(deps: EndpointFlowDeps, url: string, current?: string,
  compareWith = 'the one Proxmox shows (node → System → Certificates)'): Promise<{ fingerprint?: string } | { failure: ConnectionFailure } | undefined> {
  let cert: CertificateInfo;
  try {
    cert = await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: `Proxbox: reading the certificate of ${url}` },
      () => deps.services.fetchCertificate(url));
  } catch (err) {
    const failure = failureOf(err);
    deps.log.error(`Reading the certificate of ${url} failed: ${failure.category}: ${errorText(failure)}`);
    return { failure };
  }
  if (cert.trustedByCA) return {};
  if (current && sameFingerprint(current, cert.fingerprint)) return { fingerprint: current };
  const trust = 'Trust and Pin This Certificate';
  const choice = await vscode.window.showWarningMessage(
    `The certificate of ${url} is not signed by a trusted authority${current ? ' and differs from the one pinned before' : ''}. Trust exactly this certificate?`,
    { modal: true, detail: certificateDetail(cert, compareWith) + (current ? `\n\nPreviously pinned:\n${current}` : '') }, trust);
  if (choice !== trust) return undefined;
  deps.log.info(`Pinned certificate ${cert.fingerprint} for ${url} (subject ${cert.subject}, valid until ${cert.validTo})`);
  return { fingerprint: cert.fingerprint };
}

/** Where each product shows its certificate's fingerprint, to compare with the one the wizard read. */
export const FINGERPRINT_PLACE: Record<EndpointKind, string> = {
  pve: 'the one Proxmox shows (node → System → Certificates)',
  pbs: 'the one the Proxmox Backup Server shows (Dashboard → Show Fingerprint, or proxmox-backup-manager cert info)',
};

/** The first question of "Add Endpoint": what is being added, since the prompts, the port and the tree differ. */
async function askKind(title: string, total: number): Promise<EndpointKind | undefined> {
  const picked = await vscode.window.showQuickPick([
    { label: 'Proxmox VE', description: 'a cluster or a standalone node, port 8006', detail: 'Backup jobs, guests and their backup health', endpointKind: 'pve' as const },
    { label: 'Proxmox Backup Server', description: 'port 8007', detail: 'Datastores and their usage, prune / GC / verify / sync jobs, backup groups', endpointKind: 'pbs' as const },
  ], { title: `${title} (1/${total})`, placeHolder: 'What do you want to add?', ignoreFocusOut: true });
  return picked?.endpointKind;
}

/** One stored form of a pin (upper-case colon hex), whichever case the server or a person gave it in. */
function storedFingerprint(fp: string): string {
  const v = validateFingerprint(fp);
  return v.ok ? v.value : fp;
}

/** Tests a definition with its secret; returns the Proxmox version or shows the cause with a next step. */
export async function probe(deps: EndpointFlowDeps, endpoint: EndpointDefinition, secret: string): Promise<{ ok: true; version: string } | { ok: false; message: string; failure: ConnectionFailure }> {
  try {
    const r = await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: `Proxbox: connecting to ${endpoint.name}`, cancellable: true },
      (_p, token) => {
        const ac = new AbortController();
        token.onCancellationRequested(() => ac.abort());
        return deps.services.testConnection(endpoint, secret, syncOptions(), ac.signal);
      });
    deps.log.info(`Connection to ${endpoint.name} (${endpoint.url}) works: ${PRODUCT_NAMES[endpointKind(endpoint)]} ${r.version}`);
    return { ok: true, version: r.version };
  } catch (err) {
    const failure = failureOf(err);
    const message = errorText(failure);
    deps.log.error(`Connection to ${endpoint.name} (${endpoint.url}) failed: ${failure.category}: ${message}`);
    return { ok: false, message, failure };
  }
}

/** The token id prompt of each kind: where tokens are made and, for PBS, the read-only role that is enough. */
const TOKEN_PROMPTS: Record<EndpointKind, { prompt: string; placeHolder: string }> = {
  pve: { prompt: 'API token id (Datacenter → Permissions → API Tokens)', placeHolder: 'root@pam!proxbox' },
  pbs: {
    prompt: 'API token id as user@realm!tokenname (Configuration → Access Control → API Token). Read-only is enough: give the user and the token ' +
      'DatastoreAudit on /datastore and Audit on / (a token may do only what both its user and its own ACL allow).',
    placeHolder: 'proxbox@pbs!monitor',
  },
};

/**
 * The kind (when adding), the four questions, the certificate decision, the test, then the save. `existing` makes it
 * an edit, which keeps the endpoint's kind.
 */
export async function endpointWizard(deps: EndpointFlowDeps, existing?: EndpointDefinition): Promise<EndpointDefinition | undefined> {
  const baseTitle = existing ? `Edit Proxmox Endpoint "${existing.name}"` : 'Add Proxmox Endpoint';
  const total = existing ? 4 : 5;
  const kind = existing ? endpointKind(existing) : await askKind(baseTitle, total);
  if (!kind) return undefined;
  const title = existing ? baseTitle : kind === 'pbs' ? 'Add Proxmox Backup Server' : baseTitle;
  const step = (n: number): [number, number] => [existing ? n : n + 1, total];
  const port = defaultPort(kind);
  const others = deps.store.list().filter((e) => e.id !== existing?.id);
  let draft = { name: existing?.name ?? '', url: existing?.url ?? '', tokenId: existing?.tokenId ?? '' };
  for (;;) {
    const name = await ask(title, step(1), { value: draft.name, prompt: `A name for this ${kind === 'pbs' ? 'backup server' : 'cluster'}, shown in the sidebar`,
      placeHolder: kind === 'pbs' ? 'backup server' : 'lab cluster', check: (v) => validateEndpointName(v, others.map((e) => e.name)) });
    if (name === undefined) return undefined;
    const url = await ask(title, step(2), {
      value: draft.url.replace(new RegExp(`:${port}$`), ''),
      prompt: kind === 'pbs'
        ? `Host name or IP of the Proxmox Backup Server, optionally with :port (default ${port}, added when you type none)`
        : `Host name or IP of a Proxmox VE node, optionally with :port (default ${port})`,
      placeHolder: kind === 'pbs' ? `pbs.example.com or 10.0.0.9:${port}` : `pve1.example.com or 10.0.0.5:${port}`,
      check: (v) => normalizeEndpointUrl(v, kind),
    });
    if (url === undefined) return undefined;
    const tokenId = await ask(title, step(3), { value: draft.tokenId, ...TOKEN_PROMPTS[kind], check: (v) => validateTokenId(v, kind) });
    if (tokenId === undefined) return undefined;
    const secretInput = await ask(title, step(4), {
      prompt: existing ? 'Token secret (leave empty to keep the stored one). Stored in VS Code\'s SecretStorage only.' : 'Token secret (a UUID). Stored in VS Code\'s SecretStorage only.',
      password: true, check: (v) => (existing && !v.trim() ? undefined : validateTokenSecret(v)),
    });
    if (secretInput === undefined) return undefined;
    draft = { name: validateEndpointName(name).ok ? name.trim() : name, url, tokenId: tokenId.trim() };

    const cleanUrl = (normalizeEndpointUrl(url, kind) as { value: string }).value;
    const secret = secretInput.trim() ? (validateTokenSecret(secretInput) as { value: string }).value : await deps.store.getSecret(existing!.id);
    if (!secret) {
      void vscode.window.showErrorMessage(`Proxbox: no token secret is stored for this endpoint; enter it in step ${step(4)[0]}.`);
      continue;
    }
    // A changed address means a different server: the old pin must not carry over.
    const keepPin = existing && existing.url === cleanUrl ? existing.fingerprint : undefined;
    const trust = await decideTrust(deps, cleanUrl, keepPin, FINGERPRINT_PLACE[kind]);
    if (!trust) {
      const again = await vscode.window.showWarningMessage('Proxbox: the endpoint was not saved.', { modal: true }, 'Edit Again');
      if (again) continue;
      return undefined;
    }
    const endpoint: EndpointDefinition = {
      id: existing?.id ?? makeEndpointId(name, deps.store.list().map((e) => e.id)),
      name: name.trim(), url: cleanUrl, tokenId: tokenId.trim(),
      // An unreachable host saved anyway keeps the pin it had (same address); a new one is pinned on a later edit.
      ...('failure' in trust ? (keepPin ? { fingerprint: keepPin } : {}) : trust.fingerprint ? { fingerprint: storedFingerprint(trust.fingerprint) } : {}),
      ...(kind === 'pbs' ? { kind: 'pbs' as const } : {}),
      ...(existing?.demo ? { demo: true } : {}),
      ...(existing?.netbox ? { netbox: existing.netbox } : {}),
    };
    const result = 'failure' in trust ? { ok: false as const, failure: trust.failure } : await probe(deps, endpoint, secret);
    if (!result.ok) {
      // A modal, so the choice cannot slip into the notification centre; what it offers depends on the failure.
      const c = connectionFailureChoice(endpoint.name, result.failure, 'failure' in trust ? 'certificate' : 'test');
      const choice = await vscode.window.showErrorMessage(notificationText(c.message), { modal: true, detail: notificationText(c.detail) }, ...c.actions);
      if (choice === 'Edit Again') continue;
      if (choice !== 'Save Anyway') return undefined;
    }
    await deps.store.save(endpoint, secretInput.trim() ? secret : undefined);
    deps.log.info(`${existing ? 'Updated' : 'Added'} endpoint ${endpoint.name} (${endpoint.url}, token ${endpoint.tokenId}${endpoint.fingerprint ? ', pinned certificate' : ''})`);
    if (result.ok) {
      // The next steps: a first sync, and (once) sending the cluster to NetBox too; a PBS has nothing for NetBox.
      const actions = endpoint.netbox || kind === 'pbs' ? ['Sync Now'] : ['Sync Now', 'Send to NetBox...'];
      void vscode.window.showInformationMessage(notificationText(`Proxbox: ${endpoint.name} is connected (${PRODUCT_NAMES[kind]} ${result.version}).`), ...actions)
        .then((a) => {
          if (a === 'Sync Now') void vscode.commands.executeCommand('proxbox.sync.endpoint', endpoint.id);
          if (a === 'Send to NetBox...') void vscode.commands.executeCommand('proxbox.endpoint.sendToNetBox', endpoint.id);
        });
    }
    return endpoint;
  }
}

/**
 * Removes an endpoint with its secret and inventory. `beforeRemove` runs once the user confirmed and before anything
 * is deleted (it stops the endpoint's sync, whose last save would otherwise bring the inventory back).
 */
export async function removeEndpoint(deps: EndpointFlowDeps, endpoint: EndpointDefinition,
  opts: { confirm?: boolean; beforeRemove?: () => Promise<void> } = {}): Promise<boolean> {
  if (opts.confirm ?? true) {
    const ok = 'Remove';
    const choice = await vscode.window.showWarningMessage(`Remove the endpoint "${endpoint.name}"?`,
      { modal: true, detail: `Its ${endpoint.backend ? 'API key' : 'token secret'}, its synced inventory (backup jobs, guests) and its sync schedules with their runs and logs are deleted from VS Code. Nothing changes in ${endpoint.backend ? 'proxbox-api' : 'Proxmox'}.` +
        (endpoint.netbox ? ` Its objects in NetBox stay; to delete them, run "Proxbox: Clean Up NetBox" after removing it, while another endpoint still sends to that NetBox, or "proxbox netbox-sweep".` : '') }, ok);
    if (choice !== ok) return false;
  }
  await opts.beforeRemove?.();
  await deps.store.remove(endpoint.id);
  try {
    await deps.services.removeInventory(endpoint.id);
  } catch (err) {
    const x = explainError(err);
    deps.log.warn(`Removed ${endpoint.name}, but its stored inventory could not be deleted: ${x.message}`);
  }
  deps.log.info(`Removed endpoint ${endpoint.name} with its secret and inventory`);
  return true;
}

export async function testEndpoint(deps: EndpointFlowDeps, endpoint: EndpointDefinition): Promise<boolean> {
  const secret = await deps.store.getSecret(endpoint.id);
  if (!secret) {
    const a = await vscode.window.showErrorMessage(`Proxbox: no token secret is stored for ${endpoint.name}.`, 'Edit Endpoint');
    if (a) void vscode.commands.executeCommand('proxbox.endpoint.edit', endpoint.id);
    return false;
  }
  const r = await probe(deps, endpoint, secret);
  if (r.ok) {
    void vscode.window.showInformationMessage(notificationText(`Proxbox: ${endpoint.name} answers: ${PRODUCT_NAMES[endpointKind(endpoint)]} ${r.version}.`));
    return true;
  }
  const a = await vscode.window.showErrorMessage(notificationText(`Proxbox: ${endpoint.name}: ${r.message}`), 'Edit Endpoint', 'Show Log');
  if (a === 'Edit Endpoint') void vscode.commands.executeCommand('proxbox.endpoint.edit', endpoint.id);
  if (a === 'Show Log') deps.log.show();
  return false;
}
