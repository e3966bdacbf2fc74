// Argument handling shared by `proxbox sync` and the commands that read a store.
import { readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { parseArgs, ParseArgsConfig } from 'node:util';
import { UsageError } from '../io';
import { resolveStagesFor, StageSelectionError } from '../../core/pipeline';
import type { EndpointConfig } from '../../core/proxmox';
import type { EndpointKind } from '../../core/inventory/model';
import { MIN_SECRET_LENGTH } from '../../core/secrets/redact';
import { flagRange } from '../../core/settings/ranges';

export function parse(argv: string[], options: NonNullable<ParseArgsConfig['options']>, command: string): Record<string, string | boolean | undefined> {
  if (argv.some((a) => a === '--netbox-token' || a.startsWith('--netbox-token='))) {
    throw new UsageError('the NetBox token is never taken as an argument (it would show in the process list and shell history). Set NETBOX_TOKEN or pass --netbox-token-file FILE.');
  }
  if (argv.some((a) => a === '--token-secret' || a.startsWith('--token-secret='))) {
    throw new UsageError(
      'the token secret is never taken as an argument (it would show in the process list and shell history). ' +
        'Set PROXBOX_TOKEN_SECRET or pass --token-secret-file FILE.',
    );
  }
  try {
    const { values, positionals } = parseArgs({ args: argv, options, strict: true, allowPositionals: true });
    if (positionals.length) throw new UsageError(`unexpected argument '${positionals[0]}'. Run 'proxbox ${command} --help' for the options.`);
    return values as Record<string, string | boolean | undefined>;
  } catch (err) {
    if (err instanceof UsageError) throw err;
    throw new UsageError(`${(err as Error).message}. Run 'proxbox ${command} --help' for the options.`);
  }
}

/** The default store: $PROXBOX_STORE, else the XDG data folder. */
export function defaultStore(env: NodeJS.ProcessEnv): string {
  if (env.PROXBOX_STORE) return env.PROXBOX_STORE;
  return join(env.XDG_DATA_HOME || join(homedir(), '.local', 'share'), 'proxbox');
}

export function readSecret(file: string | undefined, env: NodeJS.ProcessEnv): string {
  const secret = readSecretText(file, env);
  // No Proxmox secret is this short (they are UUIDs), and one this short could not be masked in logs by value.
  if (secret.length < MIN_SECRET_LENGTH) {
    throw new UsageError(`the token secret from ${file ?? 'PROXBOX_TOKEN_SECRET'} is ${secret.length} characters long, too short for a token secret. Use the whole secret (the UUID shown when the API token was created).`);
  }
  return secret;
}

function readSecretText(file: string | undefined, env: NodeJS.ProcessEnv): string {
  if (file) {
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch (err) {
      throw new UsageError(`cannot read the token secret file ${file}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}. Check the path and its permissions.`);
    }
    const secret = text.trim();
    if (!secret) throw new UsageError(`the token secret file ${file} is empty. Put the secret (the UUID shown when the token was created) in it.`);
    return secret;
  }
  const secret = env.PROXBOX_TOKEN_SECRET?.trim();
  if (!secret) {
    throw new UsageError('no token secret: set PROXBOX_TOKEN_SECRET or pass --token-secret-file FILE (the UUID shown when the API token was created).');
  }
  return secret;
}

/** The port a kind of endpoint listens on when the URL names none: PVE's API on 8006, PBS's on 8007. */
export const DEFAULT_PORT: Readonly<Record<EndpointKind, string>> = { pve: '8006', pbs: '8007' };

/** `--kind`: absent = a Proxmox VE cluster, as before PBS endpoints existed. */
export function endpointKindFlag(raw: string | boolean | undefined): EndpointKind {
  if (raw === undefined) return 'pve';
  if (raw === 'pve' || raw === 'pbs') return raw;
  throw new UsageError(`--kind must be 'pve' (a Proxmox VE cluster, the default) or 'pbs' (a Proxmox Backup Server), got '${String(raw).slice(0, 40)}'.`);
}

/** A stable endpoint id from the URL when none is given: host and port ("pve.example.com-8006"). */
export function endpointIdFromUrl(url: string, kind: EndpointKind = 'pve'): string {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    throw new UsageError(`--url '${url}' is not a URL. Use the form https://HOST:${DEFAULT_PORT[kind]}.`);
  }
  if (u.protocol !== 'https:' && u.protocol !== 'http:') throw new UsageError(`--url must start with https:// (got '${u.protocol}').`);
  const host = u.hostname.replace(/^\[|\]$/g, '').replace(/[^A-Za-z0-9.-]/g, '_');
  return `${host}-${u.port || (u.protocol === 'https:' ? DEFAULT_PORT[kind] : '80')}`;
}

export function positiveInt(raw: string | boolean | undefined, flag: string, max = 256, min = 1): number | undefined {
  if (raw === undefined) return undefined;
  if (typeof raw !== 'string' || !/^\d{1,16}$/.test(raw) || Number(raw) < min || Number(raw) > max) {
    throw new UsageError(`${flag} needs a whole number from ${min} to ${max}, got '${String(raw).slice(0, 40)}'.`);
  }
  return Number(raw);
}

/** A flag that sets what a numeric setting sets: refused outside the setting's range (the core's one table). */
function rangedInt(raw: string | boolean | undefined, flag: string, range: { min: number; max: number }): number | undefined {
  return positiveInt(raw, flag, range.max, range.min);
}

/** The flags that say which endpoint to sync into which store, shared by `proxbox sync` and `proxbox schedule-sync`. */
export const SYNC_TARGET_OPTIONS = {
  url: { type: 'string' }, 'token-id': { type: 'string' }, 'token-secret-file': { type: 'string' }, fingerprint: { type: 'string' },
  store: { type: 'string' }, 'endpoint-id': { type: 'string' }, name: { type: 'string' }, stages: { type: 'string' },
  concurrency: { type: 'string' }, 'vm-concurrency': { type: 'string' }, 'backup-batch': { type: 'string' }, 'timeout-ms': { type: 'string' },
  json: { type: 'boolean' },
} as const satisfies NonNullable<ParseArgsConfig['options']>;

export interface SyncTarget {
  endpoint: EndpointConfig & { kind?: EndpointKind };
  secret: string;
  store: string;
  stages: string[] | undefined;
  options: { concurrency: { fetch?: number; vm?: number; backupBatch?: number }; timeoutMs?: number };
  json: boolean;
}

/** Checks the target flags and reads the secret; every problem is a UsageError that names the flag. */
export function syncTarget(v: Record<string, string | boolean | undefined>, command: string, env: NodeJS.ProcessEnv): SyncTarget {
  const url = v.url as string | undefined;
  const tokenId = v['token-id'] as string | undefined;
  // `proxbox sync` and `proxbox schedule-sync` have --kind; absent, the endpoint is a PVE cluster.
  const kind = endpointKindFlag(v.kind);
  if (!url) throw new UsageError(`--url is required (https://HOST:${DEFAULT_PORT[kind]}). Run 'proxbox ${command} --help'.`);
  if (!tokenId) throw new UsageError(`--token-id is required (user@realm!tokenname). Run 'proxbox ${command} --help'.`);
  if (!/^[^\s@!]+@[^\s@!]+![A-Za-z][A-Za-z0-9._-]*$/.test(tokenId)) {
    throw new UsageError(`--token-id '${tokenId}' is not of the form user@realm!tokenname (e.g. root@pam!proxbox).`);
  }
  const id = (v['endpoint-id'] as string | undefined) ?? endpointIdFromUrl(url, kind);
  let stages: string[] | undefined;
  if (v.stages) {
    stages = String(v.stages).split(',').map((s) => s.trim()).filter(Boolean);
    try {
      resolveStagesFor(kind, stages);
    } catch (err) {
      if (err instanceof StageSelectionError) throw new UsageError(err.message);
      throw err;
    }
  }
  const options = {
    concurrency: {
      fetch: rangedInt(v.concurrency, '--concurrency', flagRange('concurrency.fetch')),
      vm: rangedInt(v['vm-concurrency'], '--vm-concurrency', flagRange('concurrency.vm')),
      backupBatch: rangedInt(v['backup-batch'], '--backup-batch', flagRange('concurrency.backupBatch')),
    },
    // The setting is in seconds, the flag in milliseconds: the same range.
    timeoutMs: rangedInt(v['timeout-ms'], '--timeout-ms', flagRange('requestTimeoutSeconds', 1000)),
  };
  const secret = readSecret(v['token-secret-file'] as string | undefined, env);
  const store = (v.store as string | undefined) ?? defaultStore(env);
  const name = (v.name as string | undefined) ?? new URL(url).hostname;
  const endpoint = { id, name, url, tokenId, ...(v.fingerprint ? { fingerprint: String(v.fingerprint) } : {}), ...(kind === 'pbs' ? { kind } : {}) };
  return { endpoint, secret, store, stages, options, json: v.json === true };
}
