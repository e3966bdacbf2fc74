// Which stage needs which: selecting a subset of stages pulls in what they read. Each stage reads the inventory
// the stages before it built in the same run (the guest list, the node time zones), so a dependency is always
// re-run rather than trusted from an older sync.
import { STAGES, StageName } from './events';

export const STAGE_DEPENDENCIES: Readonly<Record<StageName, readonly StageName[]>> = {
  devices: [],
  storage: ['devices'],
  'virtual-machines': ['devices'],
  'virtual-disks': ['virtual-machines'],
  'task-history': ['devices'],
  backups: ['devices', 'storage'],
  snapshots: ['virtual-machines'],
  'node-interfaces': ['devices'],
  'vm-interfaces': ['virtual-machines'],
  // Addresses hang off the guest interfaces (Proxbox does the same: ip-addresses adds vm-interfaces).
  'vm-ip-addresses': ['vm-interfaces'],
  replications: ['devices'],
  // Node time zones (schedules run in node local time) and storage retention (jobs without their own).
  'backup-routines': ['devices', 'storage'],
};

/** Task history, backups and snapshots may fail without stopping the run (as in Proxbox). */
export const SKIPPABLE_STAGES: ReadonlySet<StageName> = new Set<StageName>(['task-history', 'backups', 'snapshots']);

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
