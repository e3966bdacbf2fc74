// How a person reads a stage name. The names themselves (and their order) are STAGES and PBS_STAGES in events.ts.
import type { StepName } from './events';

const LABELS: Readonly<Record<StepName, string>> = {
  'devices': 'Devices (nodes, cluster)',
  'storage': 'Storage',
  'virtual-machines': 'Virtual machines',
  'virtual-disks': 'Virtual disks',
  'task-history': 'Task history',
  'backups': 'Backups',
  'snapshots': 'Snapshots',
  'node-interfaces': 'Node interfaces',
  'vm-interfaces': 'VM interfaces',
  'vm-ip-addresses': 'VM IP addresses',
  'replications': 'Replications',
  'backup-routines': 'Backup jobs',
  'datastores': 'Datastores',
  'namespaces': 'Namespaces',
  'backup-groups': 'Backup groups',
  'pbs-snapshots': 'PBS snapshots',
  'pbs-jobs': 'PBS jobs (prune, GC, verify, sync)',
  'netbox': 'NetBox',
};

/** "virtual-machines" → "Virtual machines"; an unknown name (a newer pipeline's stage) keeps its name rather than vanishing. */
export function stageLabel(stage: string): string {
  return (LABELS as Record<string, string>)[stage] ?? stage;
}
