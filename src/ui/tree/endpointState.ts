// What an endpoint's row and children say about its syncs, decided without VS Code so it can be unit-tested: an
// endpoint whose syncs never succeeded must not look like an empty, healthy cluster (issue 11, item 3).

/** The error of the endpoint's last finished sync, as the tree knows it (this window's run or another's record). */
export interface SyncErrorLike { category?: string; message: string; suggestion?: string; stage?: string }

export interface EndpointStateInput {
  running: boolean;
  /** True when some sync of this endpoint has run to its end (ok or not), in this window or another. */
  everRan: boolean;
  /** The failure of the last finished sync; cancelled runs are left out by the caller. */
  lastError?: SyncErrorLike;
  /** True when the stored inventory holds what a successful sync brought back (see `holdsSyncedData`). */
  hasData: boolean;
}

/**
 * never-synced: nothing ran yet; failed-only: every sync so far failed, there is nothing to show but the failure;
 * synced: there is a last good inventory (maybe followed by a failure, shown above it).
 */
export type EndpointPhase = 'never-synced' | 'failed-only' | 'synced';

export function endpointPhase(s: Pick<EndpointStateInput, 'everRan' | 'hasData'>): EndpointPhase {
  if (s.hasData) return 'synced';
  return s.everRan ? 'failed-only' : 'never-synced';
}

/**
 * Whether a stored inventory holds a sync's result. The pipeline no longer saves anything for a sync in which no stage
 * completed, but a store written by an earlier version may hold such an empty record with a sync time, so the time
 * alone does not tell; a Proxmox cluster always has at least one node, and a partial sync brings at least one collection.
 */
export function holdsSyncedData(inv: { cluster: unknown; nodes: readonly unknown[]; guests: readonly unknown[];
  backupRoutines: readonly unknown[]; storages: readonly unknown[]; backups: readonly unknown[];
  /** A PBS endpoint's collections (a PVE inventory's stay empty). */
  datastores?: readonly unknown[]; pbsJobs?: readonly unknown[]; backupGroups?: readonly unknown[] } | undefined, anySuccess: boolean): boolean {
  if (!inv) return false;
  if (anySuccess) return true;
  return inv.cluster !== null || [inv.nodes, inv.guests, inv.backupRoutines, inv.storages, inv.backups, inv.datastores ?? [], inv.pbsJobs ?? [], inv.backupGroups ?? []]
    .some((c) => c.length > 0);
}

/** The endpoint row's description after its host: what state it is in, in two or three words. */
export function endpointStateText(s: EndpointStateInput, syncedAgo: string | undefined): string | undefined {
  if (s.running) return 'syncing…';
  if (s.lastError) return 'last sync failed';
  if (!s.everRan && !s.hasData) return 'never synced';
  return syncedAgo ? `synced ${syncedAgo}` : undefined;
}

const SHORT_BY_CATEGORY: Record<string, string> = {
  authentication: 'API token rejected',
  permission: 'permission denied',
  connection: 'host unreachable',
  timeout: 'no answer in time',
  validation: 'unexpected answer',
  not_found: 'object not found',
  rate_limit: 'too many requests',
  internal: 'internal error',
};

/** What a connection error's message names, for a label more precise than "host unreachable". */
const CONNECTION_WORDS: Array<[RegExp, string]> = [
  [/certificate/i, 'certificate not trusted'],
  [/refused/i, 'connection refused'],
  [/ENOTFOUND|EAI_AGAIN|does not resolve/i, 'host name not found'],
  [/timed out/i, 'connection timed out'],
];

/** Messages of a run of another window, whose record keeps the text but not the category. */
const MESSAGE_WORDS: Array<[RegExp, string]> = [
  [/rejected the API token|authentication|HTTP 401|\b401\b/i, SHORT_BY_CATEGORY.authentication],
  [/permission|HTTP 403|\b403\b/i, SHORT_BY_CATEGORY.permission],
  ...CONNECTION_WORDS,
  [/cannot reach|unreachable/i, SHORT_BY_CATEGORY.connection],
];

/**
 * A few words for the error row's label, so the tree never cuts the cause to "Authent…"; the whole message and what
 * to do are in the row's tooltip. Undefined when nothing short is known (the label then says only that it failed).
 */
export function shortCause(e: SyncErrorLike): string | undefined {
  if (e.category === 'connection') return CONNECTION_WORDS.find(([re]) => re.test(e.message))?.[1] ?? SHORT_BY_CATEGORY.connection;
  if (e.category && SHORT_BY_CATEGORY[e.category]) return SHORT_BY_CATEGORY[e.category];
  return MESSAGE_WORDS.find(([re]) => re.test(e.message))?.[1];
}

/** The error row's label: "Last sync failed: API token rejected". */
export function lastErrorLabel(e: SyncErrorLike): string {
  const short = shortCause(e);
  return short ? `Last sync failed: ${short}` : 'Last sync failed';
}
