// A sink sends what a sync learned somewhere else (NetBox) once the Proxmox stages have ended. The runner knows sinks
// only through this interface: it runs each one as one more step of the run, with the same events (`step`,
// `phase_summary` per kind of object, `error_detail`), and the run is ok only when every sink wrote everything it
// had to. What a sink is (and its client, its token) is decided by whoever builds the SyncRequest.
import type { Inventory } from '../inventory/model';
import type { SinkName, StageName } from './events';

export interface SinkCounts {
  /** The kind of object, as a person names it: "virtual machines". */
  type: string;
  created: number;
  updated: number;
  deleted: number;
  unchanged: number;
  failed: number;
}

export interface SinkItemFailure {
  /** "virtual machine web1 (vmid 101)" */
  label: string;
  /** The field and the target's own words: "name: Virtual machine with this name already exists." */
  reason: string;
}

export interface SinkResult {
  types: SinkCounts[];
  failures: SinkItemFailure[];
  /** Requests the sink sent, and how many of them wrote. */
  requests: number;
  writes: number;
  /** One sentence for the step: "NetBox 4.6.8 at https://netbox.example.com". */
  target: string;
}

export interface SinkInput {
  /** The endpoint's inventory after this run's stages (what completed stages learned, the rest as last synced). */
  inventory: Inventory;
  /** Stages that completed in this run: only their collections may lose objects at the target. */
  completed: ReadonlySet<StageName>;
  signal: AbortSignal;
  progress(type: string, done: number, total: number): void;
}

export interface InventorySink {
  readonly name: SinkName;
  readonly startMessage: string;
  run(input: SinkInput): Promise<SinkResult>;
}

/** What a sink had written when an error ended it (attached to that error as `sinkPartial`), so it is still reported. */
export interface SinkPartial {
  types: SinkCounts[];
  failures: SinkItemFailure[];
}

export function sinkPartialOf(err: unknown): SinkPartial | undefined {
  const p = err && typeof err === 'object' ? (err as { sinkPartial?: unknown }).sinkPartial : undefined;
  return p && typeof p === 'object' && Array.isArray((p as SinkPartial).types) ? (p as SinkPartial) : undefined;
}
