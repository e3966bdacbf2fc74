// What the calendar shows, taken from synced inventories and custom entries: every scheduled job becomes one calendar
// source with its kind and the storage or datastore it writes to (for overlaps). Shared by the calendar webview,
// `proxbox calendar`, the report and `proxbox serve`, so all show the same runs.
import {
  endpointKind, type BackupRoutine, type EndpointRef, type GuestRecord, type Inventory, type NodeRecord, type PbsJobKind, type StorageRecord,
} from '../inventory/model';
import { matchPbsStorages, type PbsStorageMatch } from '../pbs/identity';
import { lastResult } from '../health/jobHealth';
import { isValidTimeZone } from '../schedule';
import type { CustomEntry } from './custom';
import type { CalendarRoutineInput } from './occurrences';
import type { CalendarResource } from './overlaps';

/** The parts of an inventory the calendar reads; inventories stored before PBS or replications lack some. */
export interface CalendarInventory extends Partial<Pick<Inventory, 'storages' | 'disks' | 'replications' | 'datastores' | 'pbsJobs'>> {
  endpoint: Pick<EndpointRef, 'id' | 'name'> & Partial<Pick<EndpointRef, 'kind' | 'url' | 'fingerprint'>>;
  backupRoutines: (Pick<BackupRoutine, 'jobId' | 'comment' | 'schedule' | 'timezone' | 'enabled' | 'storage' | 'node'> & { status: 'active' | 'stale' })[];
  nodes?: Pick<NodeRecord, 'name' | 'timezone'>[];
  guests?: Pick<GuestRecord, 'vmid' | 'name' | 'node'>[];
}

/** The pseudo-endpoint custom entries belong to (never an endpoint id: those are checked names without '~'). */
export const CUSTOM_ENDPOINT_ID = '~custom';
export const CUSTOM_ENDPOINT_NAME = 'Custom entries';

const PBS_KIND_WORDS: Record<PbsJobKind, string> = { prune: 'Prune', gc: 'Garbage collection', verify: 'Verify', sync: 'Sync' };

/**
 * PBS evaluates job schedules in the server's local time zone, which a sync reads (GET /nodes/localhost/time) into the
 * inventory's `localhost` node. Until one could (an inventory stored before, a refused read, a zone Intl does not
 * know) the jobs are placed in UTC, and their description says so.
 */
export const PBS_ZONE_WORDS = 'UTC assumed: PBS runs jobs in the server\'s local time, which no sync could read yet';

/** Every calendar source of the given inventories (in inventory order: backup jobs, replications, PBS jobs), then the
 * custom entries. */
export function calendarSources(inventories: readonly CalendarInventory[], custom: readonly CustomEntry[] = []): CalendarRoutineInput[] {
  const out: CalendarRoutineInput[] = [];
  const matches = safeMatches(inventories);
  const pbsName = new Map(inventories.filter((i) => endpointKind(i.endpoint) === 'pbs').map((i) => [i.endpoint.id, i.endpoint.name]));
  const pbsResources = (endpointId: string, store: string): CalendarResource[] => [
    { key: `pbs:${endpointId}/${store}`, label: `datastore ${store} on ${pbsName.get(endpointId) ?? endpointId}` },
    { key: `name:${store}`, label: `datastore ${store}`, byName: true },
  ];
  for (const inv of inventories) {
    const ep = { endpointId: inv.endpoint.id, endpointName: inv.endpoint.name };
    const zoneOf = (node: string | null | undefined) => (node ? inv.nodes?.find((n) => n.name === node)?.timezone ?? undefined : undefined);
    for (const r of inv.backupRoutines) {
      const storage = r.storage ? inv.storages?.find((s) => s.storage === r.storage) : undefined;
      const where = storageResources(inv, storage, r.node, matches, pbsResources);
      out.push({
        ...ep, routineId: r.jobId, label: r.comment?.split('\n')[0].trim() || r.jobId, scheduleText: r.schedule,
        timezone: r.timezone ?? undefined, enabled: r.enabled, status: r.status, kind: 'backup',
        target: r.storage ? where.label ?? `storage ${r.storage}` : null, resources: where.resources,
      });
    }
    for (const j of inv.replications ?? []) {
      const guest = j.guest === null ? undefined : inv.guests?.find((g) => g.vmid === j.guest);
      const sourceNode = j.source ?? guest?.node ?? null;
      // A replication writes the guest's volumes to the same-named storages of the target node.
      const storages = [...new Set((inv.disks ?? []).filter((d) => d.vmid === j.guest && d.storage).map((d) => d.storage as string))];
      const resources = j.target ? storages.flatMap((s) => [
        { key: `storage:${inv.endpoint.id}/${j.target}/${s}`, label: `storage ${s} on ${j.target}` },
        { key: `name:${s}`, label: `storage ${s}`, byName: true },
      ]) : [];
      out.push({
        ...ep, routineId: `replication:${j.jobId}`,
        label: j.comment?.split('\n')[0].trim() || `Replication ${j.jobId}${guest ? ` (${guest.name})` : ''}${j.target ? ` → ${j.target}` : ''}`,
        // Proxmox's default replication schedule is */15.
        scheduleText: j.schedule ?? '*/15', timezone: zoneOf(sourceNode), enabled: j.enabled, status: j.status, kind: 'replication',
        target: j.target ? `${storages.length ? storages.join(', ') : 'volumes'} on ${j.target}` : null, resources,
        fixHint: 'Fix the replication job\'s schedule in Proxmox (Datacenter → Replication), then sync.',
      });
    }
    // A PBS inventory has at most one node, `localhost`; a zone Intl does not know counts as unknown.
    const pbsZone = inv.nodes?.map((n) => n.timezone).find((z): z is string => !!z && isValidTimeZone(z));
    for (const j of inv.pbsJobs ?? []) {
      if (!j.schedule) continue; // runs by hand only: nothing to place
      out.push({
        ...ep, routineId: `${j.kind}:${j.jobId}`,
        label: j.comment?.split('\n')[0].trim() || `${PBS_KIND_WORDS[j.kind]} ${j.store}${j.kind === 'gc' ? '' : ` (${j.jobId})`}`,
        scheduleText: j.schedule, ...(pbsZone ? { timezone: pbsZone } : { timezone: 'UTC', zoneWords: PBS_ZONE_WORDS }), enabled: j.enabled, status: j.status, kind: j.kind,
        target: `datastore ${j.store}${j.ns ? `, namespace ${j.ns}` : ''}`, resources: pbsResources(inv.endpoint.id, j.store),
        lastRun: j.lastRunState !== null && j.lastRunEndtime !== null
          ? { endedAt: j.lastRunEndtime, outcome: lastResult(j.lastRunState).status, state: j.lastRunState } : undefined,
        fixHint: 'Fix the job\'s schedule on the Proxmox Backup Server, then sync.',
      });
    }
  }
  for (const c of custom) {
    out.push({
      endpointId: CUSTOM_ENDPOINT_ID, endpointName: CUSTOM_ENDPOINT_NAME, routineId: `${c.origin}:${c.name}`, label: c.name,
      scheduleText: c.schedule, scheduleKind: c.scheduleKind, timezone: c.timeZone, enabled: true, status: 'active', kind: 'custom',
      target: c.target ?? null, customColor: c.color, note: c.note,
      resources: c.target ? [{ key: `name:${c.target}`, label: `${c.target}`, byName: true }] : [],
      fixHint: c.origin === 'policy' ? 'Fix the entry in proxbox.policy.json ("calendar": { "entries": [...] }).' : 'Fix the entry in the setting proxbox.calendar.customEntries.',
    });
  }
  return out;
}

/** matchPbsStorages needs full inventories; older stored ones lack PBS collections, which match nothing. */
function safeMatches(inventories: readonly CalendarInventory[]): PbsStorageMatch[] {
  const full = inventories.map((i) => ({ storages: [], datastores: [], ...i }) as unknown as Inventory);
  return matchPbsStorages(full);
}

/** Where a backup job's storage writes: a matched PBS datastore, an NFS export, a shared storage, or a local one per
 * node. The byName key lets custom entries with that target meet it. */
function storageResources(
  inv: CalendarInventory, s: StorageRecord | undefined, node: string | null, matches: readonly PbsStorageMatch[],
  pbsResources: (endpointId: string, store: string) => CalendarResource[],
): { label?: string; resources: CalendarResource[] } {
  if (!s) return { resources: [] };
  const byName: CalendarResource = { key: `name:${s.storage}`, label: `storage ${s.storage}`, byName: true };
  if (s.type === 'pbs') {
    const m = matches.find((x) => x.pveEndpointId === inv.endpoint.id && x.storage === s.storage);
    if (m) {
      const [main, name] = pbsResources(m.pbsEndpointId, m.store);
      return { label: `storage ${s.storage} (${main.label})`, resources: [main, name, byName] };
    }
    if (s.server && s.datastore) {
      const label = `datastore ${s.datastore} on ${s.server}`;
      return { label: `storage ${s.storage} (${label})`, resources: [{ key: `pbs-server:${s.server.toLowerCase()}:${s.port ?? 8007}/${s.datastore}`, label }, byName] };
    }
  }
  if (s.type === 'nfs' && s.server && s.export) {
    const label = `NFS share ${s.server}:${s.export}`;
    return { label: `storage ${s.storage} (${label})`, resources: [{ key: `nfs:${s.server.toLowerCase()}:${s.export.replace(/\/+$/, '')}`, label }, byName] };
  }
  if (s.shared) return { label: `storage ${s.storage}`, resources: [{ key: `storage:${inv.endpoint.id}/${s.storage}`, label: `storage ${s.storage} on ${inv.endpoint.name}` }, byName] };
  // A local storage is one per node: two jobs only compete on the same node.
  const nodes = node ? [node] : s.nodes ?? (inv.nodes ?? []).map((n) => n.name);
  return {
    label: `storage ${s.storage}`,
    resources: [...nodes.map((n) => ({ key: `storage:${inv.endpoint.id}/${n}/${s.storage}`, label: `storage ${s.storage} on ${n}` })), byName],
  };
}
