// The Proxmox VE API client: one undici Pool per endpoint, API-token auth, pinned or CA-verified TLS, per-request
// timeouts, retries with backoff for idempotent GETs, a per-endpoint concurrency limit and cancellation that
// reaches both running and queued requests. Every failure ends as a ProxmoxError; every body is decoded.
import { readBodyCapped, sleep } from '../http/body';
import { isLoopbackHost } from '../http/loopback';
import { redactSecrets } from '../secrets/redact';
import { capText } from '../text/cap';
import pLimit, { type LimitFunction } from 'p-limit';
import { type Dispatcher, Pool } from 'undici';
import {
  decodeAgentInterfaces, decodeBackupJob, decodeBackupJobs, decodeClusterResources, decodeClusterStatus, decodeGuestList,
  decodeGuestStatus, decodeLxcConfig, decodeLxcInterfaces, decodeNodeNetwork, decodeNodes, decodeNodeStatus, decodeNodeStorageList,
  decodeNodeTime, decodeNotBackedUp, decodeQemuConfig, decodeReplication, decodeSnapshots, decodeStorageContent,
  decodeStorageIndex, decodeTasks, decodeVersion,
} from './decoders';
import {
  DecodeError, type Decoder, decodeData, describeDroppedRow, type DroppedRow, int, record, req, rowsOf, str,
} from './decoders/primitives';
import { errorFromHttp, isRetryable, ProxmoxError } from './errors';
import { buildEndpointConnector, normalizeFingerprint } from './tls';
import { errorFromTransport } from './transportErrors';

export interface EndpointConfig {
  id: string;
  name: string;
  /** https://host:8006, without /api2/json. */
  url: string;
  /** user@realm!name */
  tokenId: string;
  /** Pinned leaf SHA-256; absent = CA verification. */
  fingerprint?: string;
}

export type LogLevel = 'debug' | 'info' | 'warn' | 'error';

export interface ClientOptions {
  /** Per attempt, headers and body together. Default 15000. */
  timeoutMs?: number;
  /** Extra attempts for idempotent GETs on connection errors, 5xx and 595/596. Default 3. */
  retries?: number;
  /** Requests in flight at once to this endpoint. Default 8. */
  concurrency?: number;
  log?: (level: LogLevel, message: string) => void;
  /** First backoff step; doubles per attempt, with jitter, capped at 5 s. Default 250. */
  retryBaseMs?: number;
  /** Extra trusted CA certificates (PEM) for CA verification, e.g. an internal PKI. */
  ca?: string | string[];
  /**
   * Largest answer accepted per request, in bytes, counted while the body streams in: past it the request is
   * aborted with RESPONSE_TOO_LARGE, so memory stays bounded whatever the server sends. Default 64 MiB.
   */
  maxResponseBytes?: number;
}

/** 64 MiB: far above any real answer (a /cluster/resources of 10,000 guests is about 5 MB). */
export const DEFAULT_MAX_RESPONSE_BYTES = 64 * 1024 * 1024;
/** An error answer only has a message to give: past 1 MiB the rest of it is not read. */
const ERROR_BODY_BYTES = 1024 * 1024;
/** Server text kept in an error's message (PVE's own message, parameter errors). */
const SERVER_TEXT_CAP = 2000;

/** "64 MiB", "1.5 MiB", "512 KiB", "100 bytes". */
export function formatByteSize(bytes: number): string {
  const units: [number, string][] = [[1024 ** 3, 'GiB'], [1024 ** 2, 'MiB'], [1024, 'KiB']];
  for (const [size, unit] of units) {
    if (bytes >= size) return `${Number((bytes / size).toFixed(1))} ${unit}`;
  }
  return `${bytes} byte${bytes === 1 ? '' : 's'}`;
}

export interface RequestOptions {
  query?: Record<string, string | number | boolean | undefined>;
  signal?: AbortSignal;
  timeoutMs?: number;
  /**
   * Receives the rows left out of a listing because they did not decode (the valid rows are returned). Without it
   * each such row is logged as a warning.
   */
  onDropped?: (rows: DroppedRow[]) => void;
}

type Opts = { signal?: AbortSignal; onDropped?: (rows: DroppedRow[]) => void };

/**
 * What differs between the Proxmox products that share this transport: PVE (the default) and PBS, whose client
 * (src/core/pbs/client.ts) reuses pool, pinning, retries, timeouts, body caps, redaction and error classification.
 */
export interface TransportFlavour {
  /** The Authorization header for a token; PVE's `PVEAPIToken=id=secret` by default. */
  authorization?: (tokenId: string, secret: string) => string;
  /** What a token id must look like; PVE's form by default (PBS token names may also start with a digit or '_'). */
  tokenIdPattern?: RegExp;
}

// pveproxy closes idle keep-alive connections after 5 s; reusing a socket near that edge races the close.
const keepAliveMs = 4000;
const maxBackoffMs = 5000;
// PVE's userid is `<user>@<realm>` where the user part may itself hold '@' (LDAP users as e-mail addresses).
const tokenIdPattern = /^[^\s:/!]+@[A-Za-z][A-Za-z0-9._-]*![A-Za-z][A-Za-z0-9._-]*$/;

function configError(message: string, suggestion: string): ProxmoxError {
  return new ProxmoxError({ category: 'validation', path: '', code: 'BAD_ENDPOINT', message, suggestion });
}

/** Validates and normalises the endpoint URL to its origin. */
export function endpointOrigin(url: string): URL {
  let u: URL;
  try {
    u = new URL(url.trim());
  } catch {
    throw configError(`The endpoint URL "${url}" is not a URL`, 'Enter it as https://host:8006 (the address of any node of the cluster).');
  }
  if (u.protocol !== 'https:' && !(u.protocol === 'http:' && isLoopbackHost(u.hostname))) {
    throw configError(`The endpoint URL "${url}" does not use https`, 'Proxmox VE serves its API on https://host:8006; the token must never travel unencrypted.');
  }
  if (!['', '/', '/api2/json', '/api2/json/'].includes(u.pathname) || u.search || u.username || u.password) {
    throw configError(`The endpoint URL "${url}" has a path, query or credentials`, 'Enter only the scheme, host and port, e.g. https://pve1.example.com:8006.');
  }
  return new URL(u.origin);
}

const cancelledError = (path: string): ProxmoxError =>
  new ProxmoxError({ category: 'cancelled', path, message: `GET ${path} was cancelled`, suggestion: 'Nothing to do: the operation was cancelled on request.' });


const seg = (s: string | number): string => encodeURIComponent(String(s));

export class ProxmoxClient {
  readonly endpoint: EndpointConfig;
  private readonly origin: URL;
  private readonly pool: Pool;
  private readonly limit: LimitFunction;
  private readonly authHeader: string;
  private readonly secret: string;
  private readonly timeoutMs: number;
  private readonly retries: number;
  private readonly retryBaseMs: number;
  private readonly maxResponseBytes: number;
  private readonly logFn?: (level: LogLevel, message: string) => void;
  private sent = 0;
  private closed = false;

  constructor(endpoint: EndpointConfig, secret: string, options: ClientOptions = {}, flavour: TransportFlavour = {}) {
    this.origin = endpointOrigin(endpoint.url);
    if (!(flavour.tokenIdPattern ?? tokenIdPattern).test(endpoint.tokenId)) {
      throw configError(`The token id "${endpoint.tokenId}" is not of the form user@realm!tokenname`,
        'Copy the Token ID shown in Datacenter → Permissions → API Tokens, e.g. proxbox@pve!sync.');
    }
    if (secret === '' || /[\s\r\n]/.test(secret)) {
      throw configError(`The token secret for ${endpoint.name} is empty or contains spaces`,
        'Paste the secret shown once when the token was created (a UUID); create a new token if it was lost.');
    }
    let fingerprint: string | undefined;
    if (endpoint.fingerprint !== undefined) {
      try {
        fingerprint = normalizeFingerprint(endpoint.fingerprint);
      } catch (e) {
        throw configError(`The pinned fingerprint of ${endpoint.name} is malformed: ${(e as Error).message}`, 'Edit the endpoint and accept the certificate again.');
      }
    }
    this.endpoint = { ...endpoint, fingerprint };
    this.secret = secret;
    this.authHeader = flavour.authorization ? flavour.authorization(endpoint.tokenId, secret) : `PVEAPIToken=${endpoint.tokenId}=${secret}`;
    this.timeoutMs = options.timeoutMs ?? 15_000;
    this.retries = Math.max(0, options.retries ?? 3);
    this.retryBaseMs = options.retryBaseMs ?? 250;
    const max = options.maxResponseBytes;
    this.maxResponseBytes = max !== undefined && Number.isFinite(max) && max >= 1 ? Math.floor(max) : DEFAULT_MAX_RESPONSE_BYTES;
    this.logFn = options.log;
    const concurrency = Math.max(1, Math.floor(options.concurrency ?? 8));
    this.limit = pLimit(concurrency);
    this.pool = new Pool(this.origin.origin, {
      connections: concurrency,
      pipelining: 1,
      keepAliveTimeout: keepAliveMs,
      keepAliveMaxTimeout: keepAliveMs,
      connect: this.origin.protocol === 'https:'
        ? buildEndpointConnector({ fingerprint, ca: options.ca, connectTimeoutMs: Math.min(this.timeoutMs, 10_000) })
        : undefined,
    });
  }

  /** Requests sent, retries included (for benchmarks). */
  get requestCount(): number {
    return this.sent;
  }

  /** Requests running or waiting for a slot. */
  get pending(): number {
    return this.limit.activeCount + this.limit.pendingCount;
  }

  /** Every log line passes here: the secret can never leave, even inside a server's echo. */
  private log(level: LogLevel, message: string): void {
    this.logFn?.(level, this.redact(message));
  }

  private redact(text: string): string {
    return redactSecrets(text, [this.secret]);
  }

  private scrub(e: ProxmoxError): ProxmoxError {
    if (!e.message.includes(this.secret) && !(e.pveMessage ?? '').includes(this.secret)) return e;
    return new ProxmoxError({
      category: e.category, path: e.path, status: e.status, code: e.code, suggestion: e.suggestion,
      message: this.redact(e.message), pveMessage: e.pveMessage && this.redact(e.pveMessage),
      expectedFingerprint: e.expectedFingerprint, actualFingerprint: e.actualFingerprint,
    });
  }

  /** GET an API path (`/cluster/resources`), decode `data` and return it typed. */
  async get<T>(path: string, decode: Decoder<T>, opts: RequestOptions = {}): Promise<T> {
    return (await this.getPage(path, decode, opts)).data;
  }

  /**
   * As get, and also the envelope's `total`, which PVE adds to paged answers (task lists, task logs) to say how
   * many rows there are beyond the page; null when the answer has none.
   */
  async getPage<T>(path: string, decode: Decoder<T>, opts: RequestOptions = {}): Promise<{ data: T; total: number | null }> {
    if (!path.startsWith('/')) throw new TypeError(`API path "${path}" must start with /`);
    const query = new URLSearchParams();
    for (const [k, v] of Object.entries(opts.query ?? {})) {
      if (v !== undefined) query.set(k, typeof v === 'boolean' ? (v ? '1' : '0') : String(v));
    }
    const qs = query.toString();
    const display = qs ? `${path}?${qs}` : path;
    const fullPath = `/api2/json${display}`;
    if (this.closed) {
      throw new ProxmoxError({ category: 'cancelled', path: display, message: `The client for ${this.endpoint.name} is closed`, suggestion: 'Start the operation again.' });
    }
    const signal = opts.signal;
    for (let attempt = 0; ; attempt++) {
      if (signal?.aborted) throw cancelledError(display);
      try {
        const body = await this.queued(display, signal, () => this.attempt(fullPath, display, signal, opts.timeoutMs ?? this.timeoutMs));
        const { value, dropped, total } = this.decode(body, decode, display);
        if (dropped.length) this.reportDropped(dropped, opts.onDropped);
        return { data: value, total };
      } catch (err) {
        const e = this.scrub(err instanceof ProxmoxError ? err : errorFromTransport(err, this.context(display)));
        if (e.category === 'cancelled' || !isRetryable(e) || attempt >= this.retries) {
          this.log(e.category === 'cancelled' ? 'debug' : 'warn', `GET ${display} failed: ${e.message}`);
          throw e;
        }
        // Exponential backoff with jitter, so that parallel requests hitting the same hiccup spread out.
        const step = Math.min(maxBackoffMs, this.retryBaseMs * 2 ** attempt);
        const delay = Math.round(step / 2 + Math.random() * (step / 2));
        this.log('debug', `GET ${display}: ${e.message}; retry ${attempt + 1}/${this.retries} in ${delay} ms`);
        await sleep(delay, signal);
      }
    }
  }

  private context(display: string) {
    return { path: display, endpointName: this.endpoint.name, origin: this.origin.origin, pinned: this.endpoint.fingerprint !== undefined };
  }

  /** Waits for a concurrency slot; a cancelled request leaves the queue at once and frees its slot unused. */
  private queued<T>(display: string, signal: AbortSignal | undefined, fn: () => Promise<T>): Promise<T> {
    if (signal?.aborted) return Promise.reject(cancelledError(display));
    return new Promise<T>((resolve, reject) => {
      let started = false;
      const onAbort = (): void => {
        if (!started) reject(cancelledError(display));
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      void this.limit(async () => {
        if (signal?.aborted) return;
        started = true;
        try {
          resolve(await fn());
        } catch (e) {
          reject(e);
        } finally {
          signal?.removeEventListener('abort', onAbort);
        }
      });
    });
  }

  /** One HTTP exchange with its own deadline; resolves with the parsed JSON of a 2xx answer. */
  private async attempt(fullPath: string, display: string, signal: AbortSignal | undefined, timeoutMs: number): Promise<unknown> {
    const controller = new AbortController();
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      controller.abort();
    }, timeoutMs);
    const onAbort = (): void => controller.abort();
    signal?.addEventListener('abort', onAbort, { once: true });
    const started = performance.now();
    this.sent++;
    try {
      const res = await this.pool.request({
        method: 'GET', path: fullPath, signal: controller.signal,
        // Our own deadline (above) decides; undici's are only a backstop and must not cut a longer per-call timeout.
        headersTimeout: timeoutMs + 1000, bodyTimeout: timeoutMs + 1000,
        headers: { authorization: this.authHeader, accept: 'application/json' },
      });
      const ok = res.statusCode >= 200 && res.statusCode < 300;
      // A success must arrive whole (or fail); of an error only the start is read, enough for its message.
      const { text, bytes } = ok
        ? await this.readBody(res, display, this.maxResponseBytes, 'fail')
        : await this.readBody(res, display, ERROR_BODY_BYTES, 'cut');
      const ms = Math.round(performance.now() - started);
      this.log('debug', `GET ${display} → ${res.statusCode} (${ms} ms, ${bytes} bytes)`);
      if (!ok) throw this.httpError(res.statusCode, res.statusText, text, display);
      try {
        return JSON.parse(text) as unknown;
      } catch {
        throw new ProxmoxError({
          category: 'validation', code: 'BAD_JSON', path: display, status: res.statusCode,
          message: `The answer to GET ${display} from ${this.endpoint.name} is not valid JSON (${bytes} bytes: ${JSON.stringify(text.slice(0, 60))})`,
          suggestion: 'Something other than Proxmox answered, or the answer was cut off: check the endpoint URL and any proxy in between, then retry.',
        });
      }
    } catch (e) {
      if (e instanceof ProxmoxError) throw e;
      if (timedOut) {
        throw new ProxmoxError({
          category: 'timeout', path: display, code: 'TIMEOUT',
          message: `No answer from ${this.endpoint.name} to GET ${display} within ${timeoutMs} ms`,
          suggestion: 'The node or pvedaemon is busy or a guest agent is slow; retry later or raise the request timeout in the settings.',
        });
      }
      if (signal?.aborted) throw cancelledError(display);
      throw e;
    } finally {
      clearTimeout(timer);
      signal?.removeEventListener('abort', onAbort);
    }
  }

  /** The body, never more than `limit` bytes held (src/core/http/body.ts). */
  private readBody(
    res: Dispatcher.ResponseData, display: string, limit: number, over: 'fail' | 'cut',
  ): Promise<{ text: string; bytes: number }> {
    return readBodyCapped(res, limit, over, (seen, declared) => this.tooLarge(display, limit, seen, declared));
  }

  private tooLarge(display: string, limit: number, seen: number, declared: boolean): ProxmoxError {
    const size = declared ? `${formatByteSize(seen)} announced` : `more than ${formatByteSize(limit)} sent`;
    return new ProxmoxError({
      category: 'validation', code: 'RESPONSE_TOO_LARGE', path: display,
      message: `The answer to GET ${display} from ${this.endpoint.name} is larger than the limit of ${formatByteSize(limit)} per response (${size}); the request was stopped`,
      suggestion: 'If the cluster really is this large, raise the response size limit (the setting proxbox.maxResponseMegabytes); '
        + 'otherwise something other than Proxmox answered: check the endpoint URL and any proxy in between.',
    });
  }

  private httpError(status: number, statusText: string | undefined, text: string, display: string): ProxmoxError {
    // Redacted before it is cut, so that a cut can never leave half a secret that no longer matches.
    const serverText = (t: string): string => capText(this.redact(t), SERVER_TEXT_CAP);
    let bodyMessage: string | undefined;
    let paramErrors: Record<string, string> | undefined;
    try {
      const body = JSON.parse(text) as { message?: unknown; errors?: unknown };
      if (typeof body.message === 'string') bodyMessage = serverText(body.message);
      if (body.errors && typeof body.errors === 'object') {
        paramErrors = Object.fromEntries(Object.entries(body.errors as Record<string, unknown>).slice(0, 50).map(([k, v]) => [capText(k, 100), serverText(String(v))]));
      }
    } catch {
      // PBS and proxies answer errors in plain text.
      if (text.trim() !== '') bodyMessage = serverText(text.trim());
    }
    return errorFromHttp({
      status, statusText: statusText === undefined ? undefined : serverText(statusText), bodyMessage, paramErrors,
      path: display, endpointName: this.endpoint.name,
    });
  }

  /** A caller's failing callback must not turn a good answer into a failed request (or a retry). */
  private reportDropped(dropped: DroppedRow[], onDropped: ((rows: DroppedRow[]) => void) | undefined): void {
    if (onDropped) {
      try {
        onDropped(dropped);
        return;
      } catch (e) {
        this.log('warn', `reporting the rows left out of GET ${dropped[0].path} failed: ${e instanceof Error ? e.message : String(e)}`);
      }
    }
    for (const d of dropped) this.log('warn', describeDroppedRow(d));
  }

  private decode<T>(body: unknown, decode: Decoder<T>, display: string): { value: T; dropped: DroppedRow[]; total: number | null } {
    try {
      const envelope = record(body, 'body');
      if (!('data' in envelope)) throw new DecodeError('body', 'the {"data": …} envelope is missing');
      // PVE sends `total` as a number; anything else is treated as absent rather than failing a good answer.
      const total = typeof envelope.total === 'number' && Number.isSafeInteger(envelope.total) && envelope.total >= 0 ? envelope.total : null;
      return { ...decodeData(envelope.data, decode, display), total };
    } catch (e) {
      if (!(e instanceof DecodeError)) throw e;
      throw new ProxmoxError({
        category: 'validation', code: 'BAD_SHAPE', path: display, cause: e,
        message: `Unexpected answer to GET ${display} from ${this.endpoint.name}: ${capText(e.message, SERVER_TEXT_CAP)}`,
        suggestion: 'This Proxmox version sends data the extension does not understand; report it with the PVE version (pveversion) and this message.',
      });
    }
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.limit.clearQueue();
    await this.pool.close();
  }

  // ---- typed reads -------------------------------------------------------------------------------------------

  version(o: Opts = {}) { return this.get('/version', decodeVersion, o); }
  clusterStatus(o: Opts = {}) { return this.get('/cluster/status', decodeClusterStatus, o); }
  clusterResources(type?: 'vm' | 'node' | 'storage', o: Opts = {}) {
    return this.get('/cluster/resources', decodeClusterResources, { ...o, query: { type } });
  }
  nodes(o: Opts = {}) { return this.get('/nodes', decodeNodes, o); }
  nodeStatus(node: string, o: Opts = {}) { return this.get(`/nodes/${seg(node)}/status`, decodeNodeStatus, o); }
  nodeTime(node: string, o: Opts = {}) { return this.get(`/nodes/${seg(node)}/time`, decodeNodeTime, o); }
  nodeVersion(node: string, o: Opts = {}) { return this.get(`/nodes/${seg(node)}/version`, decodeVersion, o); }
  nodeStorage(node: string, o: Opts = {}) { return this.get(`/nodes/${seg(node)}/storage`, decodeNodeStorageList, o); }
  storageContent(node: string, storage: string, q: { content?: string; vmid?: number } = {}, o: Opts = {}) {
    return this.get(`/nodes/${seg(node)}/storage/${seg(storage)}/content`, decodeStorageContent, { ...o, query: q });
  }
  nodeTasks(node: string, q: { limit?: number; start?: number; since?: number; until?: number; typefilter?: string; vmid?: number; source?: 'archive' | 'active' | 'all' } = {}, o: Opts = {}) {
    return this.get(`/nodes/${seg(node)}/tasks`, decodeTasks, { ...o, query: q });
  }
  /**
   * One page of a task's log: lines `start + 1 …` (PVE numbers them from 1), at most `limit` (PVE's default is 50;
   * 0 reads to the end), and `total`, the number of lines the log has. A UPID holds ':' and is one path segment.
   */
  async taskLog(node: string, upid: string, q: { start?: number; limit?: number } = {}, o: Opts = {}): Promise<TaskLogPage> {
    const page = await this.getPage(`/nodes/${seg(node)}/tasks/${seg(upid)}/log`, decodeTaskLog, { ...o, query: q });
    return { lines: page.data, total: page.total ?? page.data.length };
  }
  nodeNetwork(node: string, o: Opts = {}) { return this.get(`/nodes/${seg(node)}/network`, decodeNodeNetwork, o); }
  qemuList(node: string, o: Opts = {}) { return this.get(`/nodes/${seg(node)}/qemu`, decodeGuestList, o); }
  qemuConfig(node: string, vmid: number, o: Opts = {}) { return this.get(`/nodes/${seg(node)}/qemu/${seg(vmid)}/config`, decodeQemuConfig, o); }
  qemuStatus(node: string, vmid: number, o: Opts = {}) { return this.get(`/nodes/${seg(node)}/qemu/${seg(vmid)}/status/current`, decodeGuestStatus, o); }
  qemuSnapshots(node: string, vmid: number, o: Opts = {}) { return this.get(`/nodes/${seg(node)}/qemu/${seg(vmid)}/snapshot`, decodeSnapshots, o); }
  qemuAgentInterfaces(node: string, vmid: number, o: Opts = {}) {
    return this.get(`/nodes/${seg(node)}/qemu/${seg(vmid)}/agent/network-get-interfaces`, decodeAgentInterfaces, o);
  }
  lxcList(node: string, o: Opts = {}) { return this.get(`/nodes/${seg(node)}/lxc`, decodeGuestList, o); }
  lxcConfig(node: string, vmid: number, o: Opts = {}) { return this.get(`/nodes/${seg(node)}/lxc/${seg(vmid)}/config`, decodeLxcConfig, o); }
  lxcStatus(node: string, vmid: number, o: Opts = {}) { return this.get(`/nodes/${seg(node)}/lxc/${seg(vmid)}/status/current`, decodeGuestStatus, o); }
  lxcSnapshots(node: string, vmid: number, o: Opts = {}) { return this.get(`/nodes/${seg(node)}/lxc/${seg(vmid)}/snapshot`, decodeSnapshots, o); }
  lxcInterfaces(node: string, vmid: number, o: Opts = {}) { return this.get(`/nodes/${seg(node)}/lxc/${seg(vmid)}/interfaces`, decodeLxcInterfaces, o); }
  clusterReplication(o: Opts = {}) { return this.get('/cluster/replication', decodeReplication, o); }
  clusterBackup(o: Opts = {}) { return this.get('/cluster/backup', decodeBackupJobs, o); }
  clusterBackupJob(id: string, o: Opts = {}) { return this.get(`/cluster/backup/${seg(id)}`, decodeBackupJob, o); }
  notBackedUp(o: Opts = {}) { return this.get('/cluster/backup-info/not-backed-up', decodeNotBackedUp, o); }
  storageIndex(o: Opts = {}) { return this.get('/storage', decodeStorageIndex, o); }
  /** Proxmox's own next runs of a calendar event, to cross-check the local schedule engine. */
  scheduleAnalyze(schedule: string, q: { iterations?: number; starttime?: number } = {}, o: Opts = {}) {
    return this.get('/cluster/jobs/schedule-analyze', decodeScheduleAnalyze, { ...o, query: { schedule, ...q } });
  }
}

export interface TaskLogLine {
  /** Line number, from 1. */
  n: number;
  t: string;
}

export interface TaskLogPage {
  lines: TaskLogLine[];
  /** Lines in the whole log (the envelope's `total`; the page's length when the server sends none). */
  total: number;
}

const decodeTaskLog = rowsOf((v, at): TaskLogLine => {
  const o = record(v, at);
  return { n: req(o, 'n', int, at), t: req(o, 't', str, at) };
});

const decodeScheduleAnalyze = rowsOf((v, at) => {
  const o = record(v, at);
  return { timestamp: req(o, 'timestamp', int, at), utc: req(o, 'utc', str, at) };
});
