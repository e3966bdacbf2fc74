// "Add proxbox-api Backend": for teams that already run proxbox-api, an endpoint whose syncs run in that backend
// (remote mode). Three questions (name, address, API key), the certificate decision for https, then the save: the
// address into settings, the key into SecretStorage. The backend is not called here: any call that proves the key
// would start a sync in it, so the first sync is the test (and says precisely what failed).
import * as vscode from 'vscode';
import { makeEndpointId, validateEndpointName, type Checked } from '../input/endpointInput';
import { decideTrust, type EndpointFlowDeps } from './endpointFlows';
import { notificationText } from '../format/markdown';
import { parseBackendUrl } from '../../core/remote';
import { isLoopbackHost } from '../../core/http/loopback';
import type { EndpointDefinition } from './endpoint';

function checkUrl(input: string): Checked<string> {
  const raw = input.trim();
  if (!raw) return { ok: false, message: 'Enter the proxbox-api address, e.g. https://proxbox-api.example.com:8800.' };
  try {
    const u = parseBackendUrl(/^[a-z]+:\/\//i.test(raw) ? raw : `https://${raw}`);
    // The API key travels in a header: over http only to this machine.
    if (u.protocol === 'http:' && !isLoopbackHost(u.hostname)) {
      return { ok: false, message: 'Use https:// (http only for a backend on this machine): the API key would travel unencrypted.' };
    }
    return { ok: true, value: u.toString().replace(/\/$/, '') };
  } catch (err) {
    return { ok: false, message: (err as Error).message };
  }
}

function checkKey(input: string): Checked<string> {
  const v = input.trim();
  if (!v) return { ok: false, message: 'Enter the API key proxbox-api expects in X-Proxbox-API-Key.' };
  if (/\s/.test(v)) return { ok: false, message: 'The key has spaces in it: copy only the key.' };
  return { ok: true, value: v };
}

export async function backendWizard(deps: EndpointFlowDeps, existing?: EndpointDefinition): Promise<EndpointDefinition | undefined> {
  const title = existing ? `Edit proxbox-api Backend "${existing.name}"` : 'Add proxbox-api Backend';
  const others = deps.store.list().filter((e) => e.id !== existing?.id);
  const ask = (step: number, o: { value?: string; prompt: string; placeHolder?: string; password?: boolean; check: (v: string) => Checked<string> | undefined }) =>
    vscode.window.showInputBox({
      title: `${title} (${step}/3)`, value: o.value, prompt: o.prompt, placeHolder: o.placeHolder, password: o.password, ignoreFocusOut: true,
      validateInput: (v) => { const r = o.check(v); return r && !r.ok ? r.message : undefined; },
    });
  const name = await ask(1, { value: existing?.name, prompt: 'A name for this backend, shown in the sidebar', placeHolder: 'proxbox-api', check: (v) => validateEndpointName(v, others.map((e) => e.name)) });
  if (name === undefined) return undefined;
  const url = await ask(2, { value: existing?.url, prompt: 'Address of the proxbox-api backend (the one that serves /full-update/stream)', placeHolder: 'https://proxbox-api.example.com:8800', check: checkUrl });
  if (url === undefined) return undefined;
  const keyInput = await ask(3, {
    prompt: existing ? 'API key (leave empty to keep the stored one). Stored in VS Code\'s SecretStorage only.' : 'API key (X-Proxbox-API-Key). Stored in VS Code\'s SecretStorage only.',
    password: true, check: (v) => (existing && !v.trim() ? undefined : checkKey(v)),
  });
  if (keyInput === undefined) return undefined;
  const cleanUrl = (checkUrl(url) as { value: string }).value;
  let fingerprint: string | undefined;
  if (cleanUrl.startsWith('https://')) {
    const keep = existing && existing.url === cleanUrl ? existing.fingerprint : undefined;
    const trust = await decideTrust(deps, cleanUrl, keep, 'the one of the backend\'s certificate on its server');
    if (!trust) return undefined;
    if ('failure' in trust) {
      const go = await vscode.window.showWarningMessage(notificationText(`Proxbox could not reach ${cleanUrl}: ${trust.failure.message}`), { modal: true, detail: `${trust.failure.suggestion}\n\nSave it anyway? Its first sync will tell whether it answers.` }, 'Save Anyway');
      if (go !== 'Save Anyway') return undefined;
      fingerprint = keep;
    } else fingerprint = trust.fingerprint;
  }
  const endpoint: EndpointDefinition = {
    id: existing?.id ?? makeEndpointId(name, deps.store.list().map((e) => e.id)),
    name: name.trim(), url: cleanUrl, tokenId: '', backend: 'proxbox-api', ...(fingerprint ? { fingerprint } : {}),
  };
  await deps.store.save(endpoint, keyInput.trim() ? (checkKey(keyInput) as { value: string }).value : undefined);
  deps.log.info(`${existing ? 'Updated' : 'Added'} proxbox-api backend ${endpoint.name} (${endpoint.url}${endpoint.fingerprint ? ', pinned certificate' : ''})`);
  void vscode.window.showInformationMessage(notificationText(`Proxbox: ${endpoint.name} is saved. Its syncs run in proxbox-api; the first one tests the address and the key.`), 'Sync Now')
    .then((a) => { if (a) void vscode.commands.executeCommand('proxbox.sync.endpoint', endpoint.id); });
  return endpoint;
}
