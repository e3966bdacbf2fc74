// Builds the simulated PBS from the simulated PVE cluster, seeded and deterministic. The backups PVE made to its
// `pbs` storage ARE the snapshots of one datastore namespace here (same vmids, same backup times, same verification
// states), and that storage is pointed at this server, so PVE's listing of it comes from this model, as a real PVE
// asks its PBS. Around them: PBS-only groups (a host backup, another namespace, a synced copy), three datastores
// (one nearly full, one healthy, one without an estimate) and the four job kinds with realistic last runs.
import type { SimCluster, SimStorage } from '../model';
import { Rng } from '../random';
import { nextRun, runsBetween } from '../schedule';
import type { SimPbs, SimPbsJobStatus, SimPbsSnapshot } from './model';

const GiB = 1024 ** 3;
const TiB = 1024 ** 4;
const DAY = 86400;

/** The datastore and namespace the PVE `pbs` storage writes into. */
export const PBS_PVE_STORE = 'store1';
export const PBS_PVE_NAMESPACE = 'pve-a';
export const PBS_TOKEN_ID = 'proxbox@pbs!sync';
/** PBS's message when a verify job found a bad snapshot (src/server/verify_job.rs). */
export const VERIFY_FAILED_TEXT = 'verification failed - please check the log for details';

/** systemd's unit-name escaping, which PBS applies to a worker id inside a UPID (':' → \x3a, '-' → \x2d). */
function escapeWorkerId(id: string): string {
  return id.replace(/[^A-Za-z0-9_.]/g, (c) => `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`);
}

/** A PBS UPID: like PVE's with an extra task-id field (UPID:node:pid:pstart:taskid:starttime:type:id:authid:). */
export function pbsUpid(rng: Rng, node: string, start: number, type: string, id: string, authid = 'root@pam'): string {
  const hex = (n: number): string => n.toString(16).toUpperCase().padStart(8, '0');
  return `UPID:${node}:${hex(rng.int(1000, 4_000_000))}:${hex(rng.int(1_000_000, 400_000_000))}:${hex(rng.int(1, 4000))}:${hex(start)}:${type}:${escapeWorkerId(id)}:${authid}:`;
}

/** The simulated server's zone: not UTC, so a client that places PBS job runs in UTC is seen to be wrong. */
export const PBS_SIM_TIMEZONE = 'Europe/Vienna';

/**
 * The last scheduled run before `now` and the next one after it, in the server's zone, as PBS computes its
 * JobScheduleStatus (the same calendar-event engine as the core, which matches proxmox-time).
 */
function schedulePoints(schedule: string, now: number, zone: string): { last?: number; next?: number } {
  return { last: runsBetween(schedule, now - 40 * DAY, now, zone, 100_000).at(-1), next: nextRun(schedule, now, zone) };
}

function status(rng: Rng, node: string, schedule: string | undefined, now: number, type: string, id: string, state: string | undefined, durationS: number, enabled = true): SimPbsJobStatus {
  const points = schedule ? schedulePoints(schedule, now, PBS_SIM_TIMEZONE) : {};
  const out: SimPbsJobStatus = {};
  if (enabled && points.next !== undefined) out.nextRun = points.next;
  if (state !== undefined && points.last !== undefined) {
    out.lastRunState = state;
    out.lastRunUpid = pbsUpid(rng, node, points.last, type, id);
    out.lastRunEndtime = points.last + durationS;
  }
  return out;
}

const VM_FILES = ['qemu-server.conf.blob', 'drive-scsi0.img.fidx', 'index.json.blob', 'client.log.blob'];
const CT_FILES = ['pct.conf.blob', 'root.pxar.didx', 'catalog.pcat1.didx', 'index.json.blob', 'client.log.blob'];
const HOST_FILES = ['root.pxar.didx', 'catalog.pcat1.didx', 'index.json.blob', 'client.log.blob'];

function filesOf(type: SimPbsSnapshot['backupType'], size: number, encrypted: boolean): SimPbsSnapshot['files'] {
  const names = type === 'vm' ? VM_FILES : type === 'ct' ? CT_FILES : HOST_FILES;
  // client.log.blob is uploaded last and listed without crypt-mode and size, as real PBS listings show.
  return names.map((filename, i) => filename === 'client.log.blob'
    ? { filename }
    : { filename, cryptMode: encrypted && !filename.endsWith('.blob') ? 'encrypt' : 'none', size: i === 1 ? size : 400 + i * 37 });
}

/** The PVE `pbs` storage this PBS serves (the first one), or undefined when the cluster has none. */
export function pveStorageOfPbs(cluster: SimCluster): SimStorage | undefined {
  return cluster.storages.find((s) => s.type === 'pbs');
}

export function generatePbs(cluster: SimCluster, seed: number, now: number, port: number, fingerprint: string): SimPbs {
  const rng = Rng.of(seed, 'pbs');
  const node = 'pbs1';
  const snapshots: SimPbsSnapshot[] = [];
  const storage = pveStorageOfPbs(cluster);
  const keyFingerprint = Array.from({ length: 32 }, () => rng.hex(2)).join(':');

  // PVE's backups on its pbs storage, one snapshot each, in the namespace the storage writes into.
  if (storage) {
    for (const b of cluster.backups) {
      if (b.storage !== storage.storage) continue;
      const type = b.subtype === 'qemu' ? 'vm' : 'ct';
      snapshots.push({
        store: PBS_PVE_STORE, ns: PBS_PVE_NAMESPACE, backupType: type, backupId: String(b.vmid), backupTime: b.ctime,
        files: filesOf(type, b.size, b.encrypted !== undefined), size: b.size, owner: storage.username ?? 'root@pam',
        protected: b.protected === true, comment: b.notes?.split('\n')[0],
        fingerprint: b.encrypted, verification: b.verification && { ...b.verification },
      });
    }
    // From now on PVE lists this storage from the PBS model: point it at this server.
    Object.assign(storage, { server: '127.0.0.1', port, datastore: PBS_PVE_STORE, namespace: PBS_PVE_NAMESPACE, fingerprint });
  }

  // PBS-only backups: a host backup in the root namespace (one protected), an encrypted container in another
  // namespace, never verified, and the offsite datastore's synced copies.
  const base = Math.floor(now / DAY) * DAY;
  for (let d = 1; d <= 3; d++) {
    const t = base - d * DAY + 5400;
    snapshots.push({
      store: PBS_PVE_STORE, ns: '', backupType: 'host', backupId: 'fileserver', backupTime: t, files: filesOf('host', 180 * GiB, false),
      size: 180 * GiB + d, owner: 'backup@pbs!fileserver', protected: d === 3, comment: d === 3 ? 'before the NAS migration' : undefined,
      verification: { state: 'ok', upid: pbsUpid(rng, node, t + 7200, 'verificationjob', `${PBS_PVE_STORE}:v-store1-weekly`) },
    });
  }
  for (let d = 1; d <= 2; d++) {
    const t = base - d * DAY + 9000;
    snapshots.push({
      store: PBS_PVE_STORE, ns: 'lab', backupType: 'ct', backupId: '900', backupTime: t, files: filesOf('ct', 3 * GiB, true),
      size: 3 * GiB + d, owner: 'backup@pbs!lab', protected: false, comment: 'lab-runner', fingerprint: keyFingerprint,
    });
  }
  for (const id of ['500', '501']) {
    for (let d = 0; d < 2; d++) {
      const t = base - d * DAY - 3600;
      snapshots.push({
        store: 'store2', ns: '', backupType: 'vm', backupId: id, backupTime: t, files: filesOf('vm', 60 * GiB, false),
        size: 60 * GiB + d, owner: 'root@pam', protected: false, comment: `offsite-${id}`,
        verification: { state: 'ok', upid: pbsUpid(rng, node, t + 3 * 3600, 'verificationjob', 'store2:v-store2-daily') },
      });
    }
  }
  snapshots.sort((a, b) => a.store.localeCompare(b.store) || a.ns.localeCompare(b.ns) || a.backupType.localeCompare(b.backupType)
    || a.backupId.localeCompare(b.backupId, 'en', { numeric: true }) || a.backupTime - b.backupTime);

  const store1Total = 20 * TiB;
  const pbs: SimPbs = {
    version: '4.1.0',
    release: '4.1',
    node,
    timezone: PBS_SIM_TIMEZONE,
    datastores: [
      // Over 90 % used and full within a month: the warning case.
      { store: PBS_PVE_STORE, comment: 'PVE backups', total: store1Total, used: Math.floor(store1Total * 0.93), estimatedFullDate: base + 12 * DAY,
        namespaces: [PBS_PVE_NAMESPACE, 'lab'] },
      { store: 'store2', comment: 'offsite copy', total: 40 * TiB, used: Math.floor(40 * TiB * 0.35), estimatedFullDate: base + 420 * DAY, namespaces: [] },
      // A fresh datastore: too little history for PBS to estimate.
      { store: 'scratch', total: 2 * TiB, used: Math.floor(2 * TiB * 0.1), estimatedFullDate: -1, namespaces: [] },
    ],
    snapshots,
    pruneJobs: [
      { id: 'p-store1-pve-a', store: PBS_PVE_STORE, ns: PBS_PVE_NAMESPACE, schedule: 'daily', keep: { 'keep-last': 3, 'keep-daily': 7, 'keep-weekly': 4, 'keep-monthly': 6 },
        ...status(rng, node, 'daily', now, 'prunejob', 'p-store1-pve-a', 'OK', 95) },
      { id: 'p-store2-monthly', store: 'store2', schedule: 'monthly', disable: true, comment: 'paused while the offsite copy is rebuilt', keep: { 'keep-monthly': 12 },
        ...status(rng, node, 'monthly', now, 'prunejob', 'p-store2-monthly', 'OK', 40, false) },
    ],
    verifyJobs: [
      { id: 'v-store1-weekly', store: PBS_PVE_STORE, schedule: 'sat 02:00', ignoreVerified: true, outdatedAfter: 30, comment: 'weekly re-verify',
        ...status(rng, node, 'sat 02:00', now, 'verificationjob', `${PBS_PVE_STORE}:v-store1-weekly`, VERIFY_FAILED_TEXT, 5400) },
      { id: 'v-store2-daily', store: 'store2', schedule: 'daily', ignoreVerified: true,
        ...status(rng, node, 'daily', now, 'verificationjob', 'store2:v-store2-daily', 'OK', 1300) },
    ],
    syncJobs: [
      { id: 's-offsite-pull', store: 'store2', remote: 'pbs-offsite', remoteStore: 'store1', schedule: 'hourly', removeVanished: true,
        owner: 'root@pam', groupFilter: ['type:vm'], direction: 'pull', comment: 'offsite',
        ...status(rng, node, 'hourly', now, 'syncjob', 'pbs-offsite:store1:store2::s-offsite-pull', 'OK', 210) },
    ],
    gc: [
      { store: PBS_PVE_STORE, schedule: 'daily', removedBytes: 84 * GiB, pendingBytes: 3 * GiB, duration: 2100,
        ...status(rng, node, 'daily', now, 'garbage_collection', PBS_PVE_STORE, 'OK', 2100) },
      { store: 'store2', schedule: 'sat 03:00', removedBytes: 12 * GiB, pendingBytes: 0, duration: 800,
        ...status(rng, node, 'sat 03:00', now, 'garbage_collection', 'store2', 'OK', 800) },
      // Never scheduled, never run: GC status has the store only.
      { store: 'scratch' },
    ],
    tokens: [{ tokenId: PBS_TOKEN_ID, secret: rng.uuid() }],
  };
  // PVE reports the pbs storage's usage as its datastore's.
  if (storage) Object.assign(storage, { total: pbs.datastores[0].total, used: pbs.datastores[0].used });
  return pbs;
}
