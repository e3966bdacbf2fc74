// What the webviews need from the rest of the extension. Narrow on purpose: src/extension.ts adapts its services
// to this shape (a few lines), and the panels can be driven by anything that provides it.
import type { RoutineRun } from '../../core/health/types';
import type { InventoryInput, DetailScheduleParser } from './viewInputs';

export interface Disposable {
  dispose(): void;
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
  /** Epoch seconds (tests pin "now"). */
  now(): number;
  log(message: string): void;
}
