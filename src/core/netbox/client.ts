// The NetBox REST client behind NetBoxApi: one undici Pool per NetBox, v1 or v2 token auth, pinned or CA-verified
// TLS (the Proxmox client's connector), per-request timeouts, retries with backoff for reads only (a write that
// timed out may have happened), a concurrency limit, a response size cap, and cancellation that reaches running
// and queued requests. Lists read every page: cursor pagination (`?start=<pk>&limit=`) on NetBox 4.6 and newer,
// `limit`/`offset` before. Every failure ends as a NetBoxError that never holds the token.
import pLimit, { type LimitFunction } from 'p-limit';
import { readBodyCapped, sleep } from '../http/body';
import { isLoopbackHost } from '../http/loopback';
import { type Dispatcher, Pool } from 'undici';
import { buildEndpointConnector, normalizeFingerprint } from '../proxmox/tls';
import { redactSecrets } from '../secrets/redact';
import { capText } from '../text/cap';
import type { NetBoxApi, NetBoxObject, NetBoxStatus, NetBoxTarget } from './api';
import { errorFromHttp, errorFromTransport, type HttpMethod, isRetryableRead, type ItemLabel, NetBoxError } from './errors';

export type NetBoxLogLevel = 'debug' | 'info' | 'warn' | 'error';

export interface NetBoxClientOptions {
  /** Per attempt, headers and body together. */
  timeoutMs: number;
  /** Extra attempts for reads (GET) on connection errors, timeouts and 5xx. Writes are never retried. */
  retries: number;
  /** Requests in flight at once. */
  concurrency: number;
  /** Largest answer accepted per request, counted while it streams in. */
  maxResponseBytes: number;
  /** Rows per page of a list (NetBox clamps it to its MAX_PAGE_SIZE, 1000 by default). */
  pageSize: number;
  /** First backoff step; doubles per attempt, with jitter, capped at 5 s. */
  retryBaseMs: number;
  log?: (level: NetBoxLogLevel, message: string) => void;
}

export const DEFAULT_NETBOX_OPTIONS: NetBoxClientOptions = {
  timeoutMs: 30_000, retries: 3, concurrency: 4, maxResponseBytes: 64 * 1024 * 1024, pageSize: 1000, retryBaseMs: 250,
};

/** An error answer only has a message to give: past 256 KiB the rest of it is not read. */
const ERROR_BODY_BYTES = 256 * 1024;
const MAX_BACKOFF_MS = 5000;
/** Far more pages than any NetBox has at 1000 rows a page: a server whose `next` never ends is stopped. */
const MAX_PAGES = 100_000;
// Django's keep-alive behind gunicorn/nginx is short; reusing a socket near the edge races its close.
const KEEP_ALIVE_MS = 4000;

function configError(message: string, suggestion: string): NetBoxError {
  return new NetBoxError({ category: 'validation', method: 'GET', path: '', code: 'BAD_TARGET', message, suggestion });
}

/** The NetBox URL as origin plus base path (NetBox's BASE_PATH setting), without a trailing slash or /api. */
export function netboxBase(url: string): { origin: string; basePath: string } {
  let u: URL;
  try {
    u = new URL(url.trim());
  } catch {
    throw configError(`The NetBox URL "${url}" is not a URL`, 'Enter it as https://netbox.example.com (without /api).');
  }
  if (u.protocol !== 'https:' && !(u.protocol === 'http:' && isLoopbackHost(u.hostname))) {
    throw configError(`The NetBox URL "${url}" does not use https`, 'Enter NetBox\'s https address: the API token must never travel unencrypted.');
  }
  if (u.search || u.hash || u.username || u.password) {
    throw configError(`The NetBox URL "${url}" has a query, a fragment or credentials`, 'Enter only the address, e.g. https://netbox.example.com; the token is set separately.');
  }
  const basePath = u.pathname.replace(/\/+$/, '').replace(/\/api$/, '');
  return { origin: u.origin, basePath };
}

/** "4.6.8", "v4.6.8-Docker-3.4.1", "4.6" → [4, 6]; undefined when it holds no version. */
export function parseVersion(v: string | undefined): [number, number] | undefined {
  const m = v ? /(\d+)\.(\d+)/.exec(v) : null;
  return m ? [Number(m[1]), Number(m[2])] : undefined;
}

/** NetBox 4.6 added cursor pagination (`?start=<pk>`, #21363). */
export const hasCursorPagination = (v: [number, number]): boolean => v[0] > 4 || (v[0] === 4 && v[1] >= 6);

const cancelled = (method: HttpMethod, path: string): NetBoxError =>
  new NetBoxError({ category: 'cancelled', method, path, message: `${method} ${path} to NetBox was cancelled`, suggestion: 'Nothing to do: it was cancelled on request.' });


const isObjectWithId = (x: unknown): x is NetBoxObject =>
  x !== null && typeof x === 'object' && !Array.isArray(x) && typeof (x as { id?: unknown }).id === 'number';

/** A short name for an input item in an error: its name, slug or id, as the caller sent it. */
function labelOf(items: ReadonlyArray<Record<string, unknown>>): ItemLabel {
  return (i) => {
    const item = items[i];
    if (!item) return undefined;
    for (const key of ['name', 'slug', 'address', 'mac_address', 'job_id', 'id']) {
      const v = item[key];
      if (typeof v === 'string' || typeof v === 'number') return `${key} ${JSON.stringify(v)}`;
    }
    return undefined;
  };
}

interface Exchange {
  method: HttpMethod;
  /** Path and query below the base path, e.g. /api/dcim/sites/?limit=1000. */
  path: string;
  body?: unknown;
  label?: ItemLabel;
  signal?: AbortSignal;
}

interface Answer {
  status: number;
  json: unknown;
}

export class NetBoxClient implements NetBoxApi {
  private readonly origin: string;
  private readonly basePath: string;
  /** The URL as shown in messages: origin and base path, nothing secret. */
  private readonly where: string;
  private readonly pool: Pool;
  private readonly limit: LimitFunction;
  private readonly authHeader: string;
  private readonly token: string;
  private readonly opts: NetBoxClientOptions;
  private sent = 0;
  private writes = 0;
  private closed = false;
  /** From /api/status/ or any answer's API-Version header; decides the pagination mode. */
  private version: [number, number] | undefined;
  private statusOnce: Promise<NetBoxStatus> | undefined;

  constructor(target: NetBoxTarget, token: string, options: Partial<NetBoxClientOptions> = {}) {
    const { origin, basePath } = netboxBase(target.url);
    this.origin = origin;
    this.basePath = basePath;
    this.where = `${origin}${basePath}`;
    const t = token.trim();
    if (t === '' || /\s/.test(t)) {
      throw configError(`The NetBox API token for ${this.where} is empty or contains spaces`,
        'Paste the token shown when it was created in NetBox (Admin → API Tokens); a v2 token looks like nbt_<key>.<token>.');
    }
    let fingerprint: string | undefined;
    if (target.fingerprint !== undefined) {
      try {
        // PVE prints fingerprints in upper case, PBS and NetBox admins' openssl often in lower case: both are one pin.
        fingerprint = normalizeFingerprint(target.fingerprint);
      } catch (e) {
        throw configError(`The pinned fingerprint for NetBox at ${this.where} is malformed: ${(e as Error).message}`, 'Edit the endpoint and pin the NetBox certificate again.');
      }
    }
    this.token = t;
    // NetBox tells the token version by its nbt_ prefix; v2 travels as a Bearer token, v1 with the Token keyword.
    this.authHeader = t.startsWith('nbt_') ? `Bearer ${t}` : `Token ${t}`;
    const o = { ...DEFAULT_NETBOX_OPTIONS, ...options };
    const positive = (v: number, d: number): number => (Number.isFinite(v) && v >= 1 ? Math.floor(v) : d);
    this.opts = {
      timeoutMs: positive(o.timeoutMs, DEFAULT_NETBOX_OPTIONS.timeoutMs),
      retries: Number.isFinite(o.retries) ? Math.max(0, Math.floor(o.retries)) : DEFAULT_NETBOX_OPTIONS.retries,
      concurrency: positive(o.concurrency, DEFAULT_NETBOX_OPTIONS.concurrency),
      maxResponseBytes: positive(o.maxResponseBytes, DEFAULT_NETBOX_OPTIONS.maxResponseBytes),
      pageSize: positive(o.pageSize, DEFAULT_NETBOX_OPTIONS.pageSize),
      retryBaseMs: Number.isFinite(o.retryBaseMs) ? Math.max(0, o.retryBaseMs) : DEFAULT_NETBOX_OPTIONS.retryBaseMs,
      log: o.log,
    };
    this.limit = pLimit(this.opts.concurrency);
    this.pool = new Pool(origin, {
      connections: this.opts.concurrency,
      pipelining: 1,
      keepAliveTimeout: KEEP_ALIVE_MS,
      keepAliveMaxTimeout: KEEP_ALIVE_MS,
      connect: origin.startsWith('https:')
        ? buildEndpointConnector({ fingerprint, connectTimeoutMs: Math.min(this.opts.timeoutMs, 10_000) })
        : undefined,
    });
  }

  get requestCount(): number {
    return this.sent;
  }

  get writeCount(): number {
    return this.writes;
  }

  /** Never the token: an accidental `${client}` in a log line shows only where NetBox is. */
  toString(): string {
    return `NetBoxClient(${this.where})`;
  }

  toJSON(): { url: string } {
    return { url: this.where };
  }

  // ---- NetBoxApi --------------------------------------------------------------------------------------------

  async status(signal?: AbortSignal): Promise<NetBoxStatus> {
    const { json } = await this.send({ method: 'GET', path: '/api/status/', signal });
    const o = json && typeof json === 'object' && !Array.isArray(json) ? (json as Record<string, unknown>) : {};
    const version = typeof o['netbox-version'] === 'string' ? o['netbox-version'] : undefined;
    if (version === undefined) {
      throw new NetBoxError({
        category: 'validation', method: 'GET', path: '/api/status/', code: 'NOT_NETBOX',
        message: `The answer of ${this.where}/api/status/ has no "netbox-version": this is not NetBox`,
        suggestion: 'Check the NetBox URL: it must be NetBox\'s own address (https://netbox.example.com, with its base path if it has one).',
      });
    }
    const plugins: Record<string, string> = {};
    if (o.plugins && typeof o.plugins === 'object' && !Array.isArray(o.plugins)) {
      for (const [name, v] of Object.entries(o.plugins as Record<string, unknown>)) plugins[name] = typeof v === 'string' ? v : String(v);
    }
    const parsed = parseVersion(version);
    if (parsed) this.version = parsed;
    return { version, plugins };
  }

  async hasProxboxPlugin(signal?: AbortSignal): Promise<boolean> {
    try {
      await this.send({ method: 'GET', path: '/api/plugins/proxbox/', signal });
      return true;
    } catch (e) {
      if (e instanceof NetBoxError && e.status === 404) return false;
      throw e;
    }
  }

  async list(path: string, query: Record<string, string | string[]> = {}, signal?: AbortSignal): Promise<NetBoxObject[]> {
    this.checkPath(path);
    // NetBox refuses `start` together with `ordering` (400): a caller who orders gets offset pages instead.
    const cursor = !('ordering' in query) && hasCursorPagination(await this.serverVersion(signal));
    const params = new URLSearchParams();
    for (const [k, v] of Object.entries(query)) {
      if (['limit', 'offset', 'start'].includes(k)) throw new TypeError(`list() pages by itself: leave "${k}" out of the query for ${path}`);
      for (const one of Array.isArray(v) ? v : [v]) params.append(k, one);
    }
    params.set('limit', String(this.opts.pageSize));
    // Cursor mode orders by pk and never skips or repeats a row when others are written meanwhile; offset mode may.
    params.set(cursor ? 'start' : 'offset', '0');
    const rows: NetBoxObject[] = [];
    let next: string | undefined = `${path}?${params.toString()}`;
    for (let page = 0; next !== undefined; page++) {
      if (page >= MAX_PAGES) throw this.pagingError(path, 'NO_END', `NetBox kept sending further pages of ${path} (more than ${MAX_PAGES})`);
      const current: string = next;
      const { json } = await this.send({ method: 'GET', path: current, signal });
      const body = json && typeof json === 'object' && !Array.isArray(json) ? (json as Record<string, unknown>) : undefined;
      if (!body || !Array.isArray(body.results)) {
        throw this.pagingError(current, 'BAD_SHAPE', `The answer to GET ${current} from NetBox at ${this.where} is not a list page ({count, next, results})`);
      }
      for (const r of body.results) {
        if (!isObjectWithId(r)) throw this.pagingError(current, 'BAD_SHAPE', `GET ${current} from NetBox at ${this.where} returned a row without a numeric id`);
        rows.push(r);
      }
      // `next` is null at the end (in cursor mode already on a short page); an empty page ends it too. A page
      // shorter than asked is not the end by itself: a MAX_PAGE_SIZE below our page size makes every page short,
      // and stopping there would leave rows out of a listing the sink deletes against.
      next = body.results.length === 0 || typeof body.next !== 'string' || body.next === '' ? undefined : this.followable(body.next, current);
    }
    return rows;
  }

  async create(path: string, items: ReadonlyArray<Record<string, unknown>>, signal?: AbortSignal): Promise<NetBoxObject[]> {
    this.checkPath(path);
    if (items.length === 0) return [];
    const { json } = await this.send({ method: 'POST', path, body: items, label: labelOf(items), signal });
    return this.objects(json, 'POST', path);
  }

  async update(path: string, items: ReadonlyArray<{ id: number } & Record<string, unknown>>, signal?: AbortSignal): Promise<NetBoxObject[]> {
    this.checkPath(path);
    if (items.length === 0) return [];
    for (const item of items) {
      if (!Number.isSafeInteger(item.id)) throw new TypeError(`update() of ${path}: every item needs its numeric id`);
    }
    const { json } = await this.send({ method: 'PATCH', path, body: items, label: labelOf(items), signal });
    return this.objects(json, 'PATCH', path);
  }

  async delete(path: string, ids: readonly number[], signal?: AbortSignal): Promise<void> {
    this.checkPath(path);
    if (ids.length === 0) return;
    const body = ids.map((id) => ({ id }));
    await this.send({ method: 'DELETE', path, body, label: labelOf(body), signal });
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.limit.clearQueue();
    await this.pool.close();
  }

  // ---- paging ------------------------------------------------------------------------------------------------

  /** The server's major.minor, learned once: from an earlier answer's API-Version header, else from /api/status/. */
  private async serverVersion(signal?: AbortSignal): Promise<[number, number]> {
    if (this.version) return this.version;
    this.statusOnce ??= this.status(signal).finally(() => {
      this.statusOnce = undefined;
    });
    await this.statusOnce;
    return this.version ?? [0, 0];
  }

  /** A `next` URL as a path below our base, only when it points back at the same NetBox. */
  private followable(next: string, current: string): string {
    let u: URL;
    try {
      u = new URL(next, `${this.origin}${this.basePath}/`);
    } catch {
      throw this.pagingError(current, 'BAD_NEXT', `NetBox at ${this.where} sent a "next" link that is not a URL after GET ${current}`);
    }
    if (u.origin !== this.origin || !u.pathname.startsWith(`${this.basePath}/api/`)) {
      throw new NetBoxError({
        category: 'validation', method: 'GET', path: current, code: 'OTHER_ORIGIN',
        message: `NetBox at ${this.where} pointed the next page of GET ${current} at ${u.origin}${u.pathname}; it was not followed, so the token is not sent elsewhere`,
        suggestion: 'NetBox builds its "next" links from the address it believes it has: make the reverse proxy pass the real host and scheme (X-Forwarded-Host, X-Forwarded-Proto), or enter the URL NetBox uses for itself.',
      });
    }
    const path = `${u.pathname.slice(this.basePath.length)}${u.search}`;
    if (path === current) throw this.pagingError(current, 'NO_END', `NetBox at ${this.where} sent the same page again as the next page of ${current}`);
    return path;
  }

  private pagingError(path: string, code: string, message: string): NetBoxError {
    return new NetBoxError({
      category: 'validation', method: 'GET', path, code, message,
      suggestion: 'Something other than NetBox (4.4 to 4.7) answered, or NetBox misbehaves: check the URL and any proxy in between; report it with the NetBox version if it persists.',
    });
  }

  private checkPath(path: string): void {
    if (!/^\/api\/[^?#]*\/$/.test(path)) throw new TypeError(`NetBox path "${path}" must look like /api/dcim/sites/ (no query, with the final slash)`);
  }

  private objects(json: unknown, method: HttpMethod, path: string): NetBoxObject[] {
    if (Array.isArray(json) && json.every(isObjectWithId)) return json;
    throw new NetBoxError({
      category: 'validation', method, path, code: 'BAD_SHAPE',
      message: `NetBox at ${this.where} answered ${method} ${path} with something other than a list of objects; the write may have happened`,
      suggestion: 'Sync again: the next listing shows what NetBox holds. Check that NetBox is 4.4 to 4.7 and no proxy rewrites its answers.',
    });
  }

  // ---- requests ----------------------------------------------------------------------------------------------

  /** One request: retried with backoff when it is a read that failed on the network, a timeout or a 5xx. */
  private async send(x: Exchange): Promise<Answer> {
    if (this.closed) {
      throw new NetBoxError({ category: 'cancelled', method: x.method, path: x.path, message: `The NetBox client for ${this.where} is closed`, suggestion: 'Start the operation again.' });
    }
    for (let attempt = 0; ; attempt++) {
      if (x.signal?.aborted) throw cancelled(x.method, x.path);
      try {
        return await this.queued(x, () => this.attempt(x));
      } catch (err) {
        const e = this.scrub(err instanceof NetBoxError ? err : errorFromTransport(err, { method: x.method, path: x.path, where: this.where }));
        if (e.category === 'cancelled' || !isRetryableRead(e) || attempt >= this.opts.retries) {
          this.log(e.category === 'cancelled' ? 'debug' : 'warn', `${x.method} ${x.path} failed: ${e.message}`);
          throw e;
        }
        // Exponential backoff with jitter, so that parallel reads hitting the same hiccup spread out.
        const step = Math.min(MAX_BACKOFF_MS, this.opts.retryBaseMs * 2 ** attempt);
        const delay = Math.round(step / 2 + Math.random() * (step / 2));
        this.log('debug', `${x.method} ${x.path}: ${e.message}; retry ${attempt + 1}/${this.opts.retries} in ${delay} ms`);
        await sleep(delay, x.signal);
      }
    }
  }

  /** Waits for a concurrency slot; a cancelled request leaves the queue at once and frees its slot unused. */
  private queued<T>(x: Exchange, fn: () => Promise<T>): Promise<T> {
    if (x.signal?.aborted) return Promise.reject(cancelled(x.method, x.path));
    return new Promise<T>((resolve, reject) => {
      let started = false;
      const onAbort = (): void => {
        if (!started) reject(cancelled(x.method, x.path));
      };
      x.signal?.addEventListener('abort', onAbort, { once: true });
      void this.limit(async () => {
        if (x.signal?.aborted) return;
        started = true;
        try {
          resolve(await fn());
        } catch (e) {
          reject(e);
        } finally {
          x.signal?.removeEventListener('abort', onAbort);
        }
      });
    });
  }

  private async attempt(x: Exchange): Promise<Answer> {
    const controller = new AbortController();
    const timeoutMs = this.opts.timeoutMs;
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      controller.abort();
    }, timeoutMs);
    const onAbort = (): void => controller.abort();
    x.signal?.addEventListener('abort', onAbort, { once: true });
    const write = x.method !== 'GET';
    const started = performance.now();
    this.sent++;
    if (write) this.writes++;
    try {
      const headers: Record<string, string> = { authorization: this.authHeader, accept: 'application/json' };
      if (write) headers['content-type'] = 'application/json';
      const res = await this.pool.request({
        method: x.method, path: `${this.basePath}${x.path}`, signal: controller.signal, headers,
        body: x.body === undefined ? undefined : JSON.stringify(x.body),
        // Our own deadline (above) decides; undici's are only a backstop.
        headersTimeout: timeoutMs + 1000, bodyTimeout: timeoutMs + 1000,
      });
      this.learnVersion(res.headers['api-version']);
      const ok = res.statusCode >= 200 && res.statusCode < 300;
      const { text, bytes } = ok
        ? await this.readBody(res, x, this.opts.maxResponseBytes, 'fail')
        : await this.readBody(res, x, ERROR_BODY_BYTES, 'cut');
      this.log('debug', `${x.method} ${x.path} → ${res.statusCode} (${Math.round(performance.now() - started)} ms, ${bytes} bytes)`);
      // The error body is bounded by ERROR_BODY_BYTES already; it is not cut further before parsing, or a long
      // list of per-item errors of a large batch would no longer parse and its alignment would be lost.
      if (!ok) {
        throw errorFromHttp({ status: res.statusCode, method: x.method, path: x.path, where: this.where, body: this.redact(text), label: x.label });
      }
      if (res.statusCode === 204 || text.trim() === '') return { status: res.statusCode, json: undefined };
      try {
        return { status: res.statusCode, json: JSON.parse(text) as unknown };
      } catch {
        throw new NetBoxError({
          category: 'validation', method: x.method, path: x.path, status: res.statusCode, code: 'BAD_JSON',
          message: `The answer to ${x.method} ${x.path} from NetBox at ${this.where} is not JSON (${bytes} bytes: ${JSON.stringify(capText(this.redact(text.slice(0, 60)), 60))})`,
          suggestion: 'Something other than NetBox answered (a login page of a proxy?): check the NetBox URL and any proxy in between.',
        });
      }
    } catch (e) {
      if (e instanceof NetBoxError) throw e;
      if (timedOut) {
        throw new NetBoxError({
          category: 'timeout', method: x.method, path: x.path, code: 'TIMEOUT',
          message: `No answer from NetBox at ${this.where} to ${x.method} ${x.path} within ${timeoutMs} ms` + (write ? '; the write may still have happened' : ''),
          suggestion: write
            ? 'Writes are not retried: sync again, the next listing shows what NetBox holds. If NetBox is slow, lower the NetBox concurrency or raise the request timeout.'
            : 'NetBox or its database is busy: lower the NetBox concurrency or raise the request timeout, then sync again.',
        });
      }
      if (x.signal?.aborted) throw cancelled(x.method, x.path);
      throw e;
    } finally {
      clearTimeout(timer);
      x.signal?.removeEventListener('abort', onAbort);
    }
  }

  private learnVersion(header: string | string[] | undefined): void {
    const v = parseVersion(Array.isArray(header) ? header[0] : header);
    if (v) this.version = v;
  }

  /** The body, never more than `limit` bytes held (src/core/http/body.ts). */
  private readBody(res: Dispatcher.ResponseData, x: Exchange, limit: number, over: 'fail' | 'cut'): Promise<{ text: string; bytes: number }> {
    return readBodyCapped(res, limit, over, () => this.tooLarge(x, limit));
  }

  private tooLarge(x: Exchange, limit: number): NetBoxError {
    return new NetBoxError({
      category: 'validation', method: x.method, path: x.path, code: 'RESPONSE_TOO_LARGE',
      message: `The answer to ${x.method} ${x.path} from NetBox at ${this.where} is larger than the limit of ${limit} bytes per response; the request was stopped`,
      suggestion: 'Lower the NetBox page size, or raise the response size limit (proxbox.maxResponseMegabytes) if NetBox really sends this much; otherwise check the URL and any proxy.',
    });
  }

  // ---- secrets ------------------------------------------------------------------------------------------------

  private log(level: NetBoxLogLevel, message: string): void {
    this.opts.log?.(level, this.redact(message));
  }

  private redact(text: string): string {
    return redactSecrets(text, [this.token]);
  }

  /** The last guard: an error whose text quotes the token (a proxy echoing a header) is rebuilt without it. */
  private scrub(e: NetBoxError): NetBoxError {
    const texts = [e.message, e.netboxMessage ?? '', JSON.stringify(e.itemErrors ?? [])];
    if (!texts.some((t) => t.includes(this.token))) return e;
    return new NetBoxError({
      category: e.category, method: e.method, path: this.redact(e.path), status: e.status, code: e.code, suggestion: e.suggestion,
      message: this.redact(e.message), netboxMessage: e.netboxMessage && this.redact(e.netboxMessage),
      itemErrors: e.itemErrors && (JSON.parse(this.redact(JSON.stringify(e.itemErrors))) as typeof e.itemErrors),
    });
  }
}
