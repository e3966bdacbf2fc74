// Backup performance options: `[max-workers=<integer>] [,pbs-entries-max=<integer>]` (values arrive as strings).
import { parseNonNegativeInt, propertyMap } from './propertyString';

export interface Performance {
  maxWorkers?: number;
  pbsEntriesMax?: number;
}

export function parsePerformance(value: string | Record<string, unknown>): Performance {
  const map = propertyMap(value);
  const out: Performance = {};
  for (const [key, text] of Object.entries(map)) {
    if (key === 'max-workers') out.maxWorkers = parseNonNegativeInt(text, key);
    else if (key === 'pbs-entries-max') out.pbsEntriesMax = parseNonNegativeInt(text, key);
    // Other keys are left alone: a newer PVE adding a tuning option must not break reading the job.
  }
  return out;
}
