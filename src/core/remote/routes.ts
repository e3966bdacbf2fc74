// Where proxbox-api streams each stage (reference/proxbox-system.md §1.3, §1.4 and §2.1). Our stage names are
// proxbox-api's own; only the per-stage routes differ, and they end in `/stream`.
import { STAGES, type StageName } from '../pipeline/events';

/** The whole run in one stream: the 12 stages, in proxbox-api's order, then `complete`. */
export const FULL_UPDATE_PATH = 'full-update/stream';

export const STAGE_STREAM_PATHS: Readonly<Record<StageName, string>> = {
  devices: 'dcim/devices/create/stream',
  storage: 'virtualization/virtual-machines/storage/create/stream',
  'virtual-machines': 'virtualization/virtual-machines/create/stream',
  'virtual-disks': 'virtualization/virtual-machines/virtual-disks/create/stream',
  'task-history': 'virtualization/virtual-machines/task-history/create/stream',
  backups: 'virtualization/virtual-machines/backups/all/create/stream',
  snapshots: 'virtualization/virtual-machines/snapshots/all/create/stream',
  'node-interfaces': 'dcim/devices/interfaces/create/stream',
  'vm-interfaces': 'virtualization/virtual-machines/interfaces/create/stream',
  'vm-ip-addresses': 'virtualization/virtual-machines/interfaces/ip-address/create/stream',
  replications: 'proxmox/replication/stream',
  'backup-routines': 'proxmox/cluster/backup/stream',
};

/** A wrong remote invocation (URL, stage names): the message names the cause and the next step. */
export class RemoteSetupError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

/** The backend's base URL, checked: http(s), no credentials in it, no query. */
export function parseBackendUrl(raw: string): URL {
  let u: URL;
  try {
    u = new URL(raw);
  } catch {
    throw new RemoteSetupError(`'${raw}' is not a URL. Give the proxbox-api base URL, e.g. https://proxbox-api.example.com:8800.`);
  }
  if (u.protocol !== 'https:' && u.protocol !== 'http:') {
    throw new RemoteSetupError(`the proxbox-api URL must start with https:// or http:// (got '${u.protocol}').`);
  }
  if (u.username || u.password) {
    throw new RemoteSetupError('the proxbox-api URL must not carry a user or password: the API key goes in PROXBOX_API_KEY (or a key file).');
  }
  u.search = '';
  u.hash = '';
  if (!u.pathname.endsWith('/')) u.pathname += '/';
  return u;
}

/**
 * The selected stages in pipeline order (all of them when none is given). Unlike a local sync, no dependency is
 * added: the backend reads what it needs from NetBox, as the NetBox plugin's own per-stage runs do.
 */
export function remoteStages(stages: readonly string[] | undefined): StageName[] {
  if (!stages?.length) return [...STAGES];
  const unknown = stages.filter((s) => !(STAGES as readonly string[]).includes(s));
  if (unknown.length) {
    throw new RemoteSetupError(`unknown stage${unknown.length > 1 ? 's' : ''} ${unknown.map((s) => `'${s}'`).join(', ')}. Stages: ${STAGES.join(', ')}.`);
  }
  return STAGES.filter((s) => stages.includes(s));
}

/** One request per stream: the full-update stream, or the per-stage streams one after the other. */
export interface StreamPlan {
  url: URL;
  /** The stage this stream runs; undefined for the full-update stream (its frames name their stages). */
  stage?: StageName;
}

export function planStreams(base: URL, stages: readonly string[] | undefined): { stages: StageName[]; streams: StreamPlan[] } {
  const selected = remoteStages(stages);
  if (!stages?.length) return { stages: selected, streams: [{ url: new URL(FULL_UPDATE_PATH, base) }] };
  return { stages: selected, streams: selected.map((stage) => ({ url: new URL(STAGE_STREAM_PATHS[stage], base), stage })) };
}
