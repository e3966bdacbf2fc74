// What the calendar shows, taken from synced inventories: every scheduled job becomes one calendar source.
// Shared by the calendar webview, `proxbox calendar`, the report and `proxbox serve`, so all show the same runs.
import type { Inventory } from '../inventory/model';
import type { CalendarRoutineInput } from './occurrences';

/** The parts of an inventory the calendar reads. */
export type CalendarInventory = Pick<Inventory, 'endpoint' | 'backupRoutines'>;

/** Every calendar source of the given inventories, in inventory order. */
export function calendarSources(inventories: readonly CalendarInventory[]): CalendarRoutineInput[] {
  const out: CalendarRoutineInput[] = [];
  for (const inv of inventories) {
    for (const r of inv.backupRoutines) {
      out.push({
        endpointId: inv.endpoint.id,
        endpointName: inv.endpoint.name,
        routineId: r.jobId,
        label: r.comment?.split('\n')[0].trim() || r.jobId,
        scheduleText: r.schedule,
        timezone: r.timezone ?? undefined,
        enabled: r.enabled,
        status: r.status,
      });
    }
  }
  return out;
}
