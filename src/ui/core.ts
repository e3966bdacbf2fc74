// What the UI needs from the core, as one interface. src/extension.ts (the composition root) builds it once from
// src/core and src/sim; the UI only sees this shape (`import type` of core types costs nothing at run time), so
// the UI code stays a layer that formats and forwards, and the core's heavy parts load in one place.
import type { CertificateInfo } from '../core/proxmox/tls';
import type { CompleteData, PipelineEvent } from '../core/pipeline/events';
import type { Inventory } from '../core/inventory/model';
import type { Schedule } from '../core/schedule';
import type { EndpointDefinition, NetBoxTargetDefinition } from './endpoints/endpoint';

export interface SyncOptions {
  timeoutMs: number;
  retries: number;
  /** Largest answer accepted for one request (proxbox.maxResponseMegabytes). */
  maxResponseBytes: number;
  concurrency: { fetch: number; vm: number; backupBatch: number };
  /** Days of vzdump tasks the task-history stage reads (proxbox.health.historyDays). */
  historyDays: number;
  /** Write the netbox-proxbox plugin's models when NetBox has the plugin (proxbox.netbox.pluginModels). */
  netboxPluginModels: boolean;
}

export interface SimulatorHandle {
  url: string;
  tokenId: string;
  tokenSecret: string;
  fingerprint: string;
  close(): Promise<void>;
}

export interface CoreServices {
  /** One sync of one endpoint; resolves with the run's `complete` data (it never rejects for a Proxmox failure). */
  runSync(req: {
    endpoint: EndpointDefinition; secret: string; stages?: readonly string[]; signal: AbortSignal;
    onEvent: (e: PipelineEvent) => void; options: SyncOptions;
    /** The endpoint's NetBox target and its token (undefined when none is stored: the netbox step then says so). */
    netbox?: { target: NetBoxTargetDefinition; token: string | undefined };
  }): Promise<CompleteData>;
  /** NetBox's version and whether the token may read (a dry read of our tag); whether the netbox-proxbox plugin answers. */
  testNetBox(target: { url: string; fingerprint?: string }, token: string, options: SyncOptions, signal?: AbortSignal): Promise<{ version: string; plugin: boolean }>;
  /** The objects our syncs left in a NetBox for endpoints not in `keep`; deleted too when `apply`. */
  sweepNetBox(target: { url: string; fingerprint?: string }, token: string, keep: readonly string[], apply: boolean, signal?: AbortSignal): Promise<{
    orphans: Array<{ type: string; display: string; endpoint: string }>; deleted: number; failures: Array<{ label: string; reason: string }>;
  }>;
  loadInventory(endpointId: string): Promise<Inventory | undefined>;
  removeInventory(endpointId: string): Promise<void>;
  /** One authenticated request through the same client the sync uses, plus what the token may see. */
  testConnection(endpoint: EndpointDefinition, secret: string, options: SyncOptions, signal?: AbortSignal): Promise<{ version: string }>;
  fetchCertificate(url: string, signal?: AbortSignal): Promise<CertificateInfo>;
  /** The shipped simulator, for "Try with a Simulated Cluster". */
  startSimulator(): Promise<SimulatorHandle>;
  /** A schedule text ('cron' or a Proxmox 'calendar' event); throws a ScheduleError that says what is wrong. */
  parseSchedule(text: string, kind: 'calendar' | 'cron'): Schedule;
  isValidTimeZone(zone: string): boolean;
}
