// Endpoint definitions live in the application-scoped setting `proxbox.endpoints` (a workspace cannot redirect a stored
// token to another host); each token secret lives in SecretStorage under a key of its own. Writes are serialised so two
// quick edits cannot lose one another.
import * as vscode from 'vscode';
import type { EndpointDefinition, NetBoxTargetDefinition } from './endpoint';

const SETTING = 'endpoints';
export const secretKey = (endpointId: string): string => `proxbox.endpoint.${endpointId}.tokenSecret`;
export const netboxTokenKey = (endpointId: string): string => `proxbox.endpoint.${endpointId}.netboxToken`;

function cleanNetBox(raw: unknown): NetBoxTargetDefinition | undefined {
  if (!raw || typeof raw !== 'object') return undefined;
  const o = raw as Record<string, unknown>;
  if (typeof o.url !== 'string' || !o.url) return undefined;
  const text = (v: unknown): string | undefined => (typeof v === 'string' && v.trim() ? v.trim() : undefined);
  return {
    url: o.url,
    site: text(o.site) ?? 'Proxmox',
    ...(text(o.fingerprint) ? { fingerprint: text(o.fingerprint) } : {}),
    ...(text(o.clusterType) ? { clusterType: text(o.clusterType) } : {}),
    ...(text(o.clusterGroup) ? { clusterGroup: text(o.clusterGroup) } : {}),
    ...(o.adopt === true ? { adopt: true } : {}),
  };
}

function clean(raw: unknown): EndpointDefinition | undefined {
  if (!raw || typeof raw !== 'object') return undefined;
  const o = raw as Record<string, unknown>;
  const backend = o.backend === 'proxbox-api';
  if (typeof o.id !== 'string' || typeof o.url !== 'string' || (typeof o.tokenId !== 'string' && !backend)) return undefined;
  return {
    id: o.id,
    name: typeof o.name === 'string' && o.name ? o.name : o.id,
    url: o.url,
    tokenId: typeof o.tokenId === 'string' ? o.tokenId : '',
    ...(typeof o.fingerprint === 'string' && o.fingerprint ? { fingerprint: o.fingerprint } : {}),
    ...(o.kind === 'pbs' && !backend ? { kind: 'pbs' as const } : {}),
    ...(o.demo === true ? { demo: true } : {}),
    ...(backend ? { backend: 'proxbox-api' as const } : {}),
    ...(cleanNetBox(o.netbox) ? { netbox: cleanNetBox(o.netbox) } : {}),
  };
}

export class EndpointStore implements vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChange = this.changed.event;
  private queue: Promise<unknown> = Promise.resolve();
  private readonly disposables: vscode.Disposable[] = [];
  /** Secrets seen this session, so the log can redact them even if something upstream slips. */
  readonly knownSecrets = new Set<string>();

  constructor(private readonly secrets: vscode.SecretStorage) {
    this.disposables.push(
      vscode.workspace.onDidChangeConfiguration((e) => { if (e.affectsConfiguration(`proxbox.${SETTING}`)) this.changed.fire(); }),
      secrets.onDidChange(() => this.changed.fire()),
    );
  }

  /** Only the user (application) value counts: a workspace or folder value is ignored on purpose. */
  list(): EndpointDefinition[] {
    const inspected = vscode.workspace.getConfiguration('proxbox').inspect<unknown[]>(SETTING);
    const raw = inspected?.globalValue ?? [];
    return (Array.isArray(raw) ? raw : []).map(clean).filter((e): e is EndpointDefinition => !!e);
  }

  get(id: string): EndpointDefinition | undefined {
    return this.list().find((e) => e.id === id);
  }

  async getSecret(id: string): Promise<string | undefined> {
    const s = await this.secrets.get(secretKey(id));
    if (s) this.knownSecrets.add(s);
    return s;
  }

  async getNetBoxToken(id: string): Promise<string | undefined> {
    const s = await this.secrets.get(netboxTokenKey(id));
    if (s) this.knownSecrets.add(s);
    return s;
  }

  /** Sets (or, with undefined, removes) an endpoint's NetBox target; the token first, as for the endpoint itself. */
  setNetBox(id: string, target: NetBoxTargetDefinition | undefined, token?: string): Promise<void> {
    return this.serial(async () => {
      if (token !== undefined) {
        this.knownSecrets.add(token);
        await this.secrets.store(netboxTokenKey(id), token);
      }
      const list = this.list();
      const next = list.map((e) => {
        if (e.id !== id) return e;
        const { netbox: _old, ...rest } = e;
        return target ? { ...rest, netbox: target } : rest;
      });
      await vscode.workspace.getConfiguration('proxbox').update(SETTING, next, vscode.ConfigurationTarget.Global);
      if (!target) await this.secrets.delete(netboxTokenKey(id));
      this.changed.fire();
    });
  }

  /** Adds or replaces (by id). The secret is written first: an endpoint never appears without its secret. */
  save(endpoint: EndpointDefinition, secret?: string): Promise<void> {
    return this.serial(async () => {
      if (secret !== undefined) {
        this.knownSecrets.add(secret);
        await this.secrets.store(secretKey(endpoint.id), secret);
      }
      const rest = this.list().filter((e) => e.id !== endpoint.id);
      const index = this.list().findIndex((e) => e.id === endpoint.id);
      const next = [...rest];
      next.splice(index < 0 ? next.length : index, 0, endpoint);
      await vscode.workspace.getConfiguration('proxbox').update(SETTING, next, vscode.ConfigurationTarget.Global);
      this.changed.fire();
    });
  }

  remove(id: string): Promise<void> {
    return this.serial(async () => {
      const next = this.list().filter((e) => e.id !== id);
      await vscode.workspace.getConfiguration('proxbox').update(SETTING, next.length ? next : undefined, vscode.ConfigurationTarget.Global);
      await this.secrets.delete(secretKey(id));
      await this.secrets.delete(netboxTokenKey(id));
      this.changed.fire();
    });
  }

  private serial<T>(work: () => Promise<T>): Promise<T> {
    const run = this.queue.then(work, work);
    this.queue = run.catch(() => undefined);
    return run;
  }

  dispose(): void {
    this.changed.dispose();
    for (const d of this.disposables) d.dispose();
  }
}
