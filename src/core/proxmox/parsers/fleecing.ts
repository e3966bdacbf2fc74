// Backup fleecing. Unknown keys are ignored: a newer PVE adding an option must not break reading the job.
// Backup fleecing: `[[enabled=]<1|0>] [,storage=<storage ID>]`; PVE writes the default key bare ("1,storage=x").
import { parseFlag, propertyMap } from './propertyString';

export interface Fleecing {
  enabled: boolean;
  storage?: string;
}

export function parseFleecing(value: string | Record<string, unknown>): Fleecing {
  const map = propertyMap(value, { defaultKey: 'enabled' });
  const out: Fleecing = { enabled: map.enabled === undefined ? false : parseFlag(map.enabled, 'enabled') };
  if (map.storage) out.storage = map.storage;
  return out;
}
