// Retention (`prune-backups`): an object from /cluster/backup (values as strings, "7"), a property string from
// /storage ("keep-all=1"). Absent keys mean "not set", which matters: keep-daily unset is not keep-daily=0.
import { parseFlag, parseNonNegativeInt, propertyMap, printPropertyString } from './propertyString';

export interface PruneBackups {
  keepAll?: boolean;
  keepLast?: number;
  keepHourly?: number;
  keepDaily?: number;
  keepWeekly?: number;
  keepMonthly?: number;
  keepYearly?: number;
}

const numericKeys = {
  'keep-last': 'keepLast',
  'keep-hourly': 'keepHourly',
  'keep-daily': 'keepDaily',
  'keep-weekly': 'keepWeekly',
  'keep-monthly': 'keepMonthly',
  'keep-yearly': 'keepYearly',
} as const;

export function parsePruneBackups(value: string | Record<string, unknown>): PruneBackups {
  const map = propertyMap(value);
  const out: PruneBackups = {};
  for (const [key, text] of Object.entries(map)) {
    if (key === 'keep-all') out.keepAll = parseFlag(text, key);
    else if (key in numericKeys) out[numericKeys[key as keyof typeof numericKeys]] = parseNonNegativeInt(text, key);
    else throw new Error(`unknown retention option "${key}" (expected keep-all, keep-last, keep-hourly, keep-daily, keep-weekly, keep-monthly or keep-yearly)`);
  }
  return out;
}

/** PVE's own form: keys sorted alphabetically, e.g. keep-daily=7,keep-last=3,keep-monthly=6. */
export function printPruneBackups(p: PruneBackups): string {
  const values: Record<string, number | boolean | undefined> = { 'keep-all': p.keepAll };
  for (const [key, prop] of Object.entries(numericKeys)) values[key] = p[prop];
  return printPropertyString(values);
}

/** True when the options keep everything: keep-all=1, or nothing set at all (PVE's default keeps all). */
export function keepsEverything(p: PruneBackups): boolean {
  if (p.keepAll) return true;
  return Object.values(numericKeys).every((k) => p[k] === undefined);
}
