// What the NetBox sink needs from NetBox, as an interface: the sink (sink.ts) is written and tested against it, the
// client (client.ts) implements it over HTTP. Paths are NetBox's list URLs without the host, e.g.
// '/api/virtualization/virtual-machines/'. Objects are NetBox's JSON as read (related objects embedded as brief
// objects, choice fields as {value, label}); writes take NetBox's writable shapes (ids for related objects).

/** One NetBox object as read from a list. */
export interface NetBoxObject {
  id: number;
  [field: string]: unknown;
}

/** Per-item errors of a failed bulk write, aligned to the input (NetBox's own `[{}, {"slug": ["…"]}]`). */
export type NetBoxItemErrors = Array<Record<string, unknown>>;

/** Where NetBox is and how its certificate is trusted; the token travels separately (SecretStorage / env). */
export interface NetBoxTarget {
  /** https://netbox.example.com (no /api). */
  url: string;
  /** Pinned SHA-256 of the leaf certificate; absent = CA verification. */
  fingerprint?: string;
}

export interface NetBoxStatus {
  /** "4.6.8" */
  version: string;
  /** Installed plugins by name, from /api/status/. */
  plugins: Record<string, string>;
}

export interface NetBoxApi {
  /** Requests sent so far (reads and writes), for the run's figures. */
  readonly requestCount: number;
  /** Writes sent so far (POST, PATCH, PUT, DELETE). */
  readonly writeCount: number;
  /** GET /api/status/. */
  status(signal?: AbortSignal): Promise<NetBoxStatus>;
  /** Whether the netbox-proxbox plugin's API answers (GET /api/plugins/proxbox/ is 200, not 404). */
  hasProxboxPlugin(signal?: AbortSignal): Promise<boolean>;
  /** Every object of a list, all pages (cursor pagination where the server has it, large pages). Reads are retried. */
  list(path: string, query?: Record<string, string | string[]>, signal?: AbortSignal): Promise<NetBoxObject[]>;
  /** One bulk create (POST of an array): the created objects in input order. Never retried. */
  create(path: string, items: ReadonlyArray<Record<string, unknown>>, signal?: AbortSignal): Promise<NetBoxObject[]>;
  /** One bulk update (PATCH of an array of {id, …}): the updated objects. Never retried. */
  update(path: string, items: ReadonlyArray<{ id: number } & Record<string, unknown>>, signal?: AbortSignal): Promise<NetBoxObject[]>;
  /** One bulk delete (DELETE of [{id}]). Never retried. */
  delete(path: string, ids: readonly number[], signal?: AbortSignal): Promise<void>;
  close(): Promise<void>;
}
