// Per-collection reconcile rules. Volatile fields never count as a change (they move with the clock, not with
// Proxmox); lifecycle collections keep vanished records as `stale` instead of deleting them (Proxbox keeps stale
// backup routines and replications so that a job deleted by mistake is noticed, not forgotten).
import type { CollectionName } from './model';

export interface CollectionRule {
  volatile: readonly string[];
  lifecycle: boolean;
}

export const COLLECTION_RULES: Readonly<Record<CollectionName, CollectionRule>> = {
  nodes: { volatile: [], lifecycle: false },
  storages: { volatile: [], lifecycle: false },
  guests: { volatile: [], lifecycle: false },
  disks: { volatile: [], lifecycle: false },
  backups: { volatile: [], lifecycle: false },
  snapshots: { volatile: [], lifecycle: false },
  interfaces: { volatile: [], lifecycle: false },
  ipAddresses: { volatile: [], lifecycle: false },
  replications: { volatile: ['lastSeen'], lifecycle: true },
  backupRoutines: { volatile: ['lastSeen', 'nextRun', 'nextRunSource'], lifecycle: true },
  tasks: { volatile: [], lifecycle: false },
  datastores: { volatile: [], lifecycle: false },
  namespaces: { volatile: [], lifecycle: false },
  backupGroups: { volatile: [], lifecycle: false },
  pbsSnapshots: { volatile: [], lifecycle: false },
  // PBS jobs are kept when they vanish, like vzdump jobs; their next run moves with the clock.
  pbsJobs: { volatile: ['lastSeen', 'nextRun'], lifecycle: true },
};
