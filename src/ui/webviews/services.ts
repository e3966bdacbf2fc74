// What the webviews need from the rest of the extension. Narrow on purpose: src/extension.ts adapts its services
// to this shape (a few lines), and the panels can be driven by anything that provides it.
import type { CustomEntry } from '../../core/calendar';
import type { RoutineRun } from '../../core/health/types';
import type { InventoryInput, DetailScheduleParser } from './viewInputs';

export interface Disposable {
  dispose(): void;
}

export interface CalendarSettings {
  /** The raw value of proxbox.calendar.customEntries: checked entry by entry by the calendar. */
  customEntries: unknown;
  /** Valid entries of the workspace policy file's "calendar" section (its errors are in the Problems panel). */
  policyEntries: readonly CustomEntry[];
  overlapWindowMinutes: number;
}

export interface WebviewServices {
  /** Every configured endpoint, in display order. */
  listEndpoints(): readonly { id: string; name: string }[];
  /** The stored inventory of an endpoint, or undefined when it was never synced. */
  loadInventory(endpointId: string): Promise<InventoryInput | undefined>;
  /** Fires with the endpoint id after a sync changed its inventory (and when endpoints are added or removed). */
  onDidChangeInventory(listener: (endpointId: string) => void): Disposable;
  /** What backup health recorded for a routine (its history window, oldest first), or undefined when the endpoint's
   * health was not evaluated yet. The calendar shows past runs' outcomes from it. */
  routineRuns(endpointId: string, routineId: string): readonly RoutineRun[] | undefined;
  /** The schedule engine for Proxmox calendar events (tests may pin one). */
  parseSchedule: DetailScheduleParser;
  /** The backup calendar's own settings and the policy file's custom entries (issue 13); absent = none, 30 minutes. */
  calendarSettings?(): CalendarSettings;
  /** Fires when the calendar's custom entries or settings changed (the policy file, a setting). */
  onDidChangeCalendarSources?(listener: () => void): Disposable;
  /** Epoch seconds (tests pin "now"). */
  now(): number;
  log(message: string): void;
}
