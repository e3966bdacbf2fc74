// The NetBox flags of `proxbox sync`: where the inventory goes after the stages, and the token (from NETBOX_TOKEN or
// a file, never an argument: it would show in the process list and the shell history).
import { readFileSync } from 'node:fs';
import type { ParseArgsConfig } from 'node:util';
import { UsageError } from '../io';
import type { NetBoxTargetSettings } from '../../core/netbox';
import { isLoopbackHost } from '../../core/http/loopback';
import { normalizeFingerprint } from '../../core/proxmox/tls';

export const NETBOX_OPTIONS = {
  'netbox-url': { type: 'string' }, 'netbox-fingerprint': { type: 'string' }, 'netbox-token-file': { type: 'string' },
  'netbox-site': { type: 'string' }, 'netbox-cluster-type': { type: 'string' }, 'netbox-cluster-group': { type: 'string' },
  'netbox-adopt': { type: 'boolean' }, 'netbox-dry-run': { type: 'boolean' }, 'netbox-no-plugin-models': { type: 'boolean' },
} as const satisfies NonNullable<ParseArgsConfig['options']>;

export const NETBOX_HELP = `NetBox (optional; after the 12 stages, a netbox step writes only the differences):
  --netbox-url URL           https://NETBOX (the token comes from NETBOX_TOKEN or --netbox-token-file)
  --netbox-token-file FILE   read the NetBox API token from FILE
  --netbox-fingerprint FP    pin NetBox's SHA-256 certificate fingerprint (self-signed NetBox)
  --netbox-site NAME         site of the cluster, nodes and guests (default: Proxmox; created when missing)
  --netbox-cluster-type NAME cluster type (default: Proxmox VE)
  --netbox-cluster-group NAME
                             cluster group, existing or created (default: none)
  --netbox-adopt             take over same-named VMs in the cluster that Proxbox did not create
  --netbox-no-plugin-models  leave the netbox-proxbox plugin's models (backup routines, backups…) to its own
                             backend (by default they are written when the plugin is installed)
  --netbox-dry-run           print the writes it would make as JSON lines ({"dry_run": true, "method", "path",
                             "body"}) and make none
`;

export interface NetBoxFlags {
  target: NetBoxTargetSettings;
  token: string;
  dryRun: boolean;
}

function readToken(file: string | undefined, env: NodeJS.ProcessEnv): string {
  let token: string | undefined;
  if (file) {
    try {
      token = readFileSync(file, 'utf8').trim();
    } catch (err) {
      throw new UsageError(`cannot read the NetBox token file ${file}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}. Check the path and its permissions.`);
    }
    if (!token) throw new UsageError(`the NetBox token file ${file} is empty. Put the API token (nbt_<key>.<token>) in it.`);
  } else {
    token = env.NETBOX_TOKEN?.trim();
    if (!token) throw new UsageError('--netbox-url needs a NetBox API token: set NETBOX_TOKEN or pass --netbox-token-file FILE.');
  }
  return token.replace(/^(?:Bearer|Token)\s+/i, '');
}

/** The NetBox target from the flags, or undefined without --netbox-url; a NetBox flag without it is a usage error. */
export function netboxFlags(v: Record<string, string | boolean | undefined>, env: NodeJS.ProcessEnv): NetBoxFlags | undefined {
  const url = v['netbox-url'];
  if (typeof url !== 'string' || !url) {
    const stray = Object.keys(NETBOX_OPTIONS).find((k) => v[k] !== undefined);
    if (stray) throw new UsageError(`--${stray} needs --netbox-url.`);
    return undefined;
  }
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new UsageError(`--netbox-url '${url}' is not a URL. Use the form https://netbox.example.com.`);
  }
  if (parsed.protocol !== 'https:' && !(parsed.protocol === 'http:' && isLoopbackHost(parsed.hostname))) {
    throw new UsageError(`--netbox-url must start with https:// (the token would travel unencrypted), got '${parsed.protocol}'.`);
  }
  let fingerprint: string | undefined;
  if (typeof v['netbox-fingerprint'] === 'string') {
    try {
      fingerprint = normalizeFingerprint(v['netbox-fingerprint']);
    } catch (err) {
      throw new UsageError(`--netbox-fingerprint: ${(err as Error).message}`);
    }
  }
  const text = (k: keyof typeof NETBOX_OPTIONS): string | undefined => (typeof v[k] === 'string' && (v[k] as string).trim() ? (v[k] as string).trim() : undefined);
  const site = text('netbox-site') ?? 'Proxmox';
  if (site.length > 100) throw new UsageError(`--netbox-site has ${site.length} characters; NetBox allows at most 100.`);
  return {
    target: {
      url, site, ...(fingerprint ? { fingerprint } : {}),
      ...(text('netbox-cluster-type') ? { clusterType: text('netbox-cluster-type') } : {}),
      ...(text('netbox-cluster-group') ? { clusterGroup: text('netbox-cluster-group') } : {}),
      ...(v['netbox-adopt'] === true ? { adopt: true } : {}),
      ...(v['netbox-no-plugin-models'] === true ? { pluginModels: false } : {}),
    },
    token: readToken(text('netbox-token-file'), env),
    dryRun: v['netbox-dry-run'] === true,
  };
}
