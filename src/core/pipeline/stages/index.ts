// The twelve stages in pipeline order.
import type { StageName } from '../events';
import type { StageDefinition } from './types';
import { devices } from './devices';
import { storage } from './storage';
import { virtualMachines } from './virtualMachines';
import { virtualDisks } from './virtualDisks';
import { taskHistory } from './taskHistory';
import { backups } from './backups';
import { snapshots } from './snapshots';
import { nodeInterfaces } from './nodeInterfaces';
import { vmInterfaces } from './vmInterfaces';
import { vmIpAddresses } from './vmIpAddresses';
import { replications } from './replications';
import { backupRoutines } from './backupRoutines';

export const STAGE_DEFINITIONS: Readonly<Record<StageName, StageDefinition>> = {
  devices,
  storage,
  'virtual-machines': virtualMachines,
  'virtual-disks': virtualDisks,
  'task-history': taskHistory,
  backups,
  snapshots,
  'node-interfaces': nodeInterfaces,
  'vm-interfaces': vmInterfaces,
  'vm-ip-addresses': vmIpAddresses,
  replications,
  'backup-routines': backupRoutines,
};
