// The five stages of a Proxmox Backup Server endpoint, in pipeline order (PBS_STAGES in events.ts).
import type { PbsStageName } from '../../events';
import type { StageDefinition } from '../types';
import { datastores } from './datastores';
import { namespaces } from './namespaces';
import { backupGroups } from './backupGroups';
import { pbsSnapshots } from './pbsSnapshots';
import { pbsJobs } from './pbsJobs';

export const PBS_STAGE_DEFINITIONS: Readonly<Record<PbsStageName, StageDefinition>> = {
  datastores,
  namespaces,
  'backup-groups': backupGroups,
  'pbs-snapshots': pbsSnapshots,
  'pbs-jobs': pbsJobs,
};
