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
//
// A Proxmox Backup Server endpoint runs its own stages (PBS_STAGES), never mixed with the PVE ones:
//
//   stage             reads (same run)                                 writes
//   datastores        nothing (/admin/datastore, /status/datastore-usage) datastores
//   namespaces        datastores (which to list, maintenance mode)     namespaces
//   backup-groups     datastores, namespaces                           backupGroups
//   pbs-snapshots     datastores, namespaces                           pbsSnapshots
//   pbs-jobs          nothing (/admin/prune, verify, sync, gc,        pbsJobs, nodes (the server's zone)
//                     /nodes/localhost/time)
import { PBS_STAGES, PbsStageName, PipelineStageName, STAGES, StageName } from './events';
import { EndpointKind } from '../inventory/model';

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

export const PBS_STAGE_DEPENDENCIES: Readonly<Record<PbsStageName, readonly PbsStageName[]>> = {
  datastores: [],
  // Namespaces are listed per datastore the datastores stage found (an offline one is not asked).
  namespaces: ['datastores'],
  // Groups and snapshots are listed per datastore + namespace; namespaces depends on datastores already, and the
  // edge to datastores says that these read its records (maintenance mode) too.
  'backup-groups': ['datastores', 'namespaces'],
  'pbs-snapshots': ['datastores', 'namespaces'],
  // The job listings are whole-server listings: a failed datastore listing does not cost the jobs.
  'pbs-jobs': [],
};

/** The dependencies of any stage, PVE or PBS. */
export function dependenciesOf(stage: PipelineStageName): readonly PipelineStageName[] {
  return isStageName(stage) ? STAGE_DEPENDENCIES[stage] : PBS_STAGE_DEPENDENCIES[stage];
}

/** The stages of an endpoint kind, in pipeline order. */
export function stagesOfKind(kind: EndpointKind): readonly PipelineStageName[] {
  return kind === 'pbs' ? PBS_STAGES : STAGES;
}

const KIND_NAME: Readonly<Record<EndpointKind, string>> = { pve: 'a Proxmox VE cluster', pbs: 'a Proxmox Backup Server' };

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
      if (isPbsStageName(name)) {
        throw new StageSelectionError(`'${name}' is a stage of ${KIND_NAME.pbs}, and this endpoint is ${KIND_NAME.pve}. Its stages are: ${STAGES.join(', ')}.`);
      }
      throw new StageSelectionError(`unknown stage '${name}'. Stages are: ${STAGES.join(', ')}.`);
    }
    if (wanted.has(name)) return;
    wanted.add(name);
    for (const dep of STAGE_DEPENDENCIES[name]) visit(dep);
  };
  for (const name of selected) visit(name.trim());
  return STAGES.filter((s) => wanted.has(s));
}

export function isPbsStageName(name: string): name is PbsStageName {
  return (PBS_STAGES as readonly string[]).includes(name);
}

/**
 * The selected stages of an endpoint of `kind` plus what they depend on, in pipeline order; no selection = all of
 * that kind's stages. A stage of the other kind is refused with the reason (a PBS has no guests to list), so
 * `--stages backups` against a PBS says what to ask for instead.
 */
export function resolveStagesFor(kind: EndpointKind, selected?: readonly string[]): PipelineStageName[] {
  if (kind === 'pve') return resolveStages(selected);
  if (!selected || selected.length === 0) return [...PBS_STAGES];
  const wanted = new Set<PbsStageName>();
  const visit = (name: string): void => {
    if (!isPbsStageName(name)) {
      const why = isStageName(name) ? `'${name}' is a stage of ${KIND_NAME.pve}, and this endpoint is ${KIND_NAME.pbs}` : `unknown stage '${name}'`;
      throw new StageSelectionError(`${why}. Its stages are: ${PBS_STAGES.join(', ')}.`);
    }
    if (wanted.has(name)) return;
    wanted.add(name);
    for (const dep of PBS_STAGE_DEPENDENCIES[name]) visit(dep);
  };
  for (const name of selected) visit(name.trim());
  return PBS_STAGES.filter((s) => wanted.has(s));
}

