// The knobs of a sync, with Proxbox's defaults: 8 concurrent Proxmox reads, 8 guests in flight, 5 backup
// listings at a time (content listings of PBS storages are slow: PVE asks the PBS live).

export interface ConcurrencyOptions {
  /** Concurrent Proxmox requests over the whole run (the client's connection limit). */
  fetch: number;
  /** Guests processed at the same time (config, snapshots, guest agent). */
  vm: number;
  /** Storage content listings at the same time in the backups stage. */
  backupBatch: number;
}

export interface PipelineOptions {
  concurrency: ConcurrencyOptions;
  /** Per-request timeout. */
  timeoutMs: number;
  /** Retries of a failed idempotent read (connection errors, 5xx, 595/596). */
  retries: number;
  /** Finished tasks kept per node (the newest). */
  taskLimit: number;
  /** Days of vzdump tasks read per node, whatever their number (backup health matches each scheduled run to one). */
  historyDays: number;
  /** Keep IPv6 link-local addresses reported by guest agents (fe80::/10). */
  keepLinkLocal: boolean;
  /** Largest answer accepted per request, in bytes (the setting proxbox.maxResponseMegabytes × 1 MiB). */
  maxResponseBytes: number;
}

export interface PipelineOptionsInput {
  concurrency?: Partial<ConcurrencyOptions>;
  timeoutMs?: number;
  retries?: number;
  taskLimit?: number;
  historyDays?: number;
  keepLinkLocal?: boolean;
  maxResponseBytes?: number;
}

const MiB = 1024 * 1024;
/** The range of the setting proxbox.maxResponseMegabytes, in bytes. */
export const MAX_RESPONSE_BYTES_LIMIT = 1024 * MiB;

export const DEFAULT_OPTIONS: PipelineOptions = {
  concurrency: { fetch: 8, vm: 8, backupBatch: 5 },
  timeoutMs: 15_000,
  retries: 2,
  taskLimit: 500,
  historyDays: 14,
  keepLinkLocal: false,
  maxResponseBytes: 64 * MiB,
};

function positiveInt(value: number | undefined, fallback: number, name: string, max = 256): number {
  if (value === undefined) return fallback;
  if (!Number.isInteger(value) || value < 1 || value > max) {
    throw new RangeError(`${name} must be a whole number from 1 to ${max}, got ${value}`);
  }
  return value;
}

export function resolveOptions(input: PipelineOptionsInput = {}): PipelineOptions {
  const c = input.concurrency ?? {};
  return {
    concurrency: {
      fetch: positiveInt(c.fetch, DEFAULT_OPTIONS.concurrency.fetch, 'concurrency.fetch'),
      vm: positiveInt(c.vm, DEFAULT_OPTIONS.concurrency.vm, 'concurrency.vm'),
      backupBatch: positiveInt(c.backupBatch, DEFAULT_OPTIONS.concurrency.backupBatch, 'concurrency.backupBatch'),
    },
    timeoutMs: positiveInt(input.timeoutMs, DEFAULT_OPTIONS.timeoutMs, 'timeoutMs', 600_000),
    retries: input.retries === undefined ? DEFAULT_OPTIONS.retries : Math.max(0, Math.min(10, Math.floor(input.retries))),
    taskLimit: positiveInt(input.taskLimit, DEFAULT_OPTIONS.taskLimit, 'taskLimit', 10_000),
    historyDays: positiveInt(input.historyDays, DEFAULT_OPTIONS.historyDays, 'historyDays', 366),
    keepLinkLocal: input.keepLinkLocal ?? DEFAULT_OPTIONS.keepLinkLocal,
    maxResponseBytes: positiveInt(input.maxResponseBytes, DEFAULT_OPTIONS.maxResponseBytes, 'maxResponseBytes', MAX_RESPONSE_BYTES_LIMIT),
  };
}
