// Placeholder until the rules land (branch `rules`): the signature is the contract.
import type { Inventory } from '../inventory/model';
import type { HealthOptions, HealthReport } from './types';

export function evaluateHealth(inventories: Inventory[], options: HealthOptions): HealthReport {
  void inventories;
  return { now: options.now, graceSeconds: options.graceSeconds, historyDays: options.historyDays,
    summary: { ok: 0, failed: 0, overdue: 0, never: 0, 'not-covered': 0, 'verify-failed': 0, excluded: 0 }, guests: [], routines: [], violations: [] };
}
