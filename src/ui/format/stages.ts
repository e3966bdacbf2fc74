// Stage names as the pipeline emits them (proxbox-api's names), and how a person reads them.

export const STAGE_ORDER = [
  'devices', 'storage', 'virtual-machines', 'virtual-disks', 'task-history', 'backups', 'snapshots',
  'node-interfaces', 'vm-interfaces', 'vm-ip-addresses', 'replications', 'backup-routines',
] as const;

const LABELS: Record<string, string> = {
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
  'backup-routines': 'Backup routines',
};

/** "virtual-machines" → "Virtual machines"; an unknown stage keeps its name rather than vanishing. */
export function stageLabel(stage: string): string {
  return LABELS[stage] ?? stage;
}
