// Which stage needs which. The runner starts a stage as soon as every stage it depends on has completed, runs
// independent stages at the same time, and skips only the (transitive) dependents of a stage that failed; selecting
// a subset of stages pulls in what they depend on. So this table is a correctness rule, not a display order: an edge
// exists exactly when a stage reads, in the same run, something another stage writes (a collection, or the run's
// shared state: node reachability, guest configs). A missing edge would let a stage read half-built data depending
// on timing; an extra edge would skip a stage that could have run. A dependency is always re-run rather than
// trusted from an older sync. What each stage reads and writes (checked against every file in stages/):
//
//   stage             reads (same run)                                 writes
//   devices           its own nodes (last sync's time zones)            nodes, cluster, unreachable nodes
//   storage           /cluster/resources (fetched once, shared)         storages
//   virtual-machines  unreachable nodes                                 guests, guest configs
//   virtual-disks     guests, guest configs                             disks
//   task-history      nodes, unreachable nodes                          tasks
//   backups           nodes, unreachable nodes, storages                backups
//   snapshots         guests, unreachable nodes (via virtual-machines)  snapshots
//   node-interfaces   nodes, unreachable nodes                          interfaces owned by a node
//   vm-interfaces     guests, guest configs, its own guest interfaces   interfaces owned by a guest
//   vm-ip-addresses   guests, guest configs                             ipAddresses
//   replications      nothing                                           replications
//   backup-routines   nodes (time zones), storages (retention)          backupRoutines
//
// Two stages write the same collection: node-interfaces and vm-interfaces share `interfaces`, each owning the
// records of one `owner` (see StageRun.commit, which keeps their commits independent of which finishes first).
import { STAGES, StageName } from './events';

export const STAGE_DEPENDENCIES: Readonly<Record<StageName, readonly StageName[]>> = {
  devices: [],
  // No edge to devices: storage reads only /storage and the shared /cluster/resources, none of what devices
  // writes, so a failed node listing no longer costs the storages (they used to follow devices by list order).
  storage: [],
  'virtual-machines': ['devices'],
  'virtual-disks': ['virtual-machines'],
  'task-history': ['devices'],
  backups: ['devices', 'storage'],
  snapshots: ['virtual-machines'],
  'node-interfaces': ['devices'],
  'vm-interfaces': ['virtual-machines'],
  // Addresses hang off the guest interfaces (Proxbox does the same: ip-addresses adds vm-interfaces): a sync that
  // could not read the interfaces does not store addresses for interfaces it does not know.
  'vm-ip-addresses': ['vm-interfaces'],
  // No edge to devices: /cluster/replication is read on its own and nothing of the nodes is used.
  replications: [],
  // Node time zones (schedules run in node local time) and storage retention (jobs without their own).
  'backup-routines': ['devices', 'storage'],
};

export class StageSelectionError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'StageSelectionError';
  }
}

export function isStageName(name: string): name is StageName {
  return (STAGES as readonly string[]).includes(name);
}

/** The selected stages plus everything they depend on, in pipeline order. No selection = all twelve. */
export function resolveStages(selected?: readonly string[]): StageName[] {
  if (!selected || selected.length === 0) return [...STAGES];
  const wanted = new Set<StageName>();
  const visit = (name: string): void => {
    if (!isStageName(name)) {
      throw new StageSelectionError(`unknown stage '${name}'. Stages are: ${STAGES.join(', ')}.`);
    }
    if (wanted.has(name)) return;
    wanted.add(name);
    for (const dep of STAGE_DEPENDENCIES[name]) visit(dep);
  };
  for (const name of selected) visit(name.trim());
  return STAGES.filter((s) => wanted.has(s));
}

