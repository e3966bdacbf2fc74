// Turns synced inventories (and custom entries) into the calendar's sources: the core's calendarSources, so the view,
// the CLI and the exports show the same runs. Formatting only; no vscode import.
import { calendarSources, type CalendarRoutineInput, type CustomEntry } from '../../core/calendar';
import type { InventoryInput } from './viewInputs';

export function calendarRoutines(inventories: readonly InventoryInput[], endpointId: string | null, custom: readonly CustomEntry[] = []): CalendarRoutineInput[] {
  return calendarSources(inventories.filter((inv) => endpointId === null || inv.endpoint.id === endpointId), custom);
}
