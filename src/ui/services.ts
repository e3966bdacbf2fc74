// What the UI needs from the core, as narrow interfaces. src/ui/coreServices.ts binds them to src/core and src/sim;
// tests and the UI code only see these shapes, so the UI stays a thin layer that formats and forwards.
import type { EventLike } from './format/eventLine';
import type { GuestLike } from './format/guestGroups';
import type { RoutineLike } from './format/routineView';
import type { JobsOptions, JobsPort } from './jobs/jobsPort';
import type { CertificateInfo } from '../core/proxmox/tls';

/** An endpoint as stored in the application-scoped setting `proxbox.endpoints`. Never holds the secret. */
export interface EndpointDefinition {
  id: string;
  name: string;
  url: string; // https://host:port
  tokenId: string; // user@realm!name
  fingerprint?: string; // pinned SHA-256 of the leaf certificate; absent = normal CA verification
  demo?: boolean; // made by "Try with a Simulated Cluster": its simulator is restarted on demand
}

/** The leaf certificate as the client reads it (fingerprint, subject, validity, CA trust): one shape, the core's. */
export type { CertificateInfo };

/** A failure as the user should read it: what happened and what to do next. */
export interface ExplainedError {
  category: string;
  message: string;
  suggestion?: string;
}

export interface SyncOptions {
  timeoutMs: number;
  retries: number;
  concurrency: { fetch: number; vm: number; backupBatch: number };
}

export interface SyncOutcome { ok: boolean; message?: string; cancelled?: boolean }

export interface InventoryView {
  guests: readonly GuestLike[];
  backupRoutines: readonly RoutineLike[];
  syncedAt?: string | number | null;
}

export interface SimulatorHandle {
  url: string;
  tokenId: string;
  tokenSecret: string;
  fingerprint: string;
  close(): Promise<void>;
}

export interface ProxboxServices {
  /** Stage names in pipeline order. */
  readonly stages: readonly string[];
  runSync(req: {
    endpoint: EndpointDefinition; secret: string; stages?: string[]; signal: AbortSignal;
    onEvent: (e: EventLike) => void; options: SyncOptions;
  }): Promise<SyncOutcome>;
  loadInventory(endpointId: string): Promise<InventoryView | undefined>;
  removeInventory(endpointId: string): Promise<void>;
  /** One authenticated request (the version) through the same client the sync uses. */
  testConnection(endpoint: EndpointDefinition, secret: string, options: SyncOptions, signal?: AbortSignal): Promise<{ version: string }>;
  fetchCertificate(url: string, signal?: AbortSignal): Promise<CertificateInfo>;
  /** Turns any thrown value into category + message + suggestion (ProxmoxError knows its own). */
  explainError(err: unknown): ExplainedError;
  startSimulator?(): Promise<SimulatorHandle>;
  /** Next runs of a schedule text ('cron' or Proxmox 'calendar'), in epoch seconds; throws with a readable reason. */
  nextRuns?(text: string, kind: 'calendar' | 'cron', afterSeconds: number, count: number, timeZone: string): number[];
  /** The jobs service (scheduled syncs, history, the cross-window lease), when this build has it. */
  createJobs?(options: JobsOptions): JobsPort;
  /** Whether a time zone name is known (for "cron in <zone>"). */
  isValidTimeZone?(zone: string): boolean;
}
