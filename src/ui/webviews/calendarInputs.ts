// Turns synced inventories into the calendar's routine list. Formatting only; no vscode import.
import type { CalendarRoutineInput } from '../../core/calendar';
import type { InventoryInput } from './viewInputs';

export function calendarRoutines(inventories: readonly InventoryInput[], endpointId: string | null): CalendarRoutineInput[] {
  const out: CalendarRoutineInput[] = [];
  for (const inv of inventories) {
    if (endpointId !== null && inv.endpoint.id !== endpointId) continue;
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
