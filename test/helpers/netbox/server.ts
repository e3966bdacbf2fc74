// A fake NetBox 4.4–4.7 over HTTPS on 127.0.0.1 for the sink's tests and the benchmark. Every request body is
// validated against the official schema's Writable*/Bulk*/PatchedBulk* component and every response it produces
// against the model component (schema.ts); failures land in `violations` (a request failure also gets NetBox's
// own 400). The behaviour follows the verified notes on NetBox 4.6.8: 403 for auth failures, bulk writes
// all-or-nothing with per-item errors aligned to the input, unknown ids skipped in bulk updates, `[{id}]` bulk
// deletes with 409 on protected dependents, offset and cursor pagination.
import { createHash, randomBytes } from 'node:crypto';
import { createServer, type Server } from 'node:https';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { certificates } from '../../../src/sim/certs';
import { MODELS, PLUGIN_ROOT, type ModelDef } from './models';
import { NetBoxSchema, netboxSchema } from './schema';
import { ProtectedError, Store, type Row } from './store';

export type NetBoxVersion = '4.4' | '4.5' | '4.6' | '4.7';
export type DownMode = 'refuse' | 'reset-after-headers' | '503' | false;

export interface FakeNetBoxOptions {
  version?: NetBoxVersion;
  /** netbox-proxbox installed (its API answers under /api/plugins/proxbox/). */
  plugin?: boolean;
  latencyMs?: number;
  maxPageSize?: number;
  /** The tokens may read but not write (NetBox's write_enabled=false). */
  readOnlyToken?: boolean;
}

export interface RecordedRequest {
  method: string;
  path: string;
  query: Record<string, string[]>;
  body: unknown;
  status: number;
}

export interface Violation {
  direction: 'request' | 'response';
  method: string;
  path: string;
  component: string;
  message: string;
}

export interface FakeNetBoxStats {
  reads: number;
  writes: number;
  byMethod: Record<string, number>;
}

export interface FakeNetBox {
  /** https://127.0.0.1:<port> (no /api). */
  readonly url: string;
  /** The token a user would paste: v2 `nbt_<key>.<token>` on 4.5+, the v1 40-hex token on 4.4. */
  readonly token: string;
  /** The v1 token (`Token <40 hex>`), accepted on every version. */
  readonly tokenV1: string;
  /** SHA-256 of the certificate, AB:CD:… as PVE shows it. */
  readonly fingerprint: string;
  readonly requests: RecordedRequest[];
  readonly violations: Violation[];
  readonly stats: FakeNetBoxStats;
  /** Stores an object without a request (setup); relations as ids; custom fields may carry `choices`. */
  seed(path: string, obj: Record<string, unknown>): Record<string, unknown>;
  /** Every object of a list path, as NetBox reads it. */
  all(path: string): Array<Record<string, unknown>>;
  setDown(mode: DownMode): Promise<void>;
  /** Goes down (`503` or `reset-after-headers`) from the n-th request on, counted from now: NetBox failing mid-sync. */
  downAfter(n: number, mode: '503' | 'reset-after-headers'): void;
  setLatency(ms: number): void;
  close(): Promise<void>;
}

const FULL_VERSION: Record<NetBoxVersion, string> = { '4.4': '4.4.10', '4.5': '4.5.8', '4.6': '4.6.8', '4.7': '4.7.0' };
const WRITES = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);
const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

class HttpError extends Error {
  constructor(readonly status: number, readonly body: unknown) {
    super(`HTTP ${status}`);
  }
}

function fingerprintOf(pem: string): string {
  const der = Buffer.from(pem.replace(/-----[^-]+-----/g, '').replace(/\s+/g, ''), 'base64');
  return createHash('sha256').update(der).digest('hex').toUpperCase().match(/../g)!.join(':');
}

export async function startFakeNetBox(options: FakeNetBoxOptions = {}): Promise<FakeNetBox> {
  const version = options.version ?? '4.6';
  const minor = Number(version.split('.')[1]);
  const maxPageSize = options.maxPageSize ?? 1000;
  let latency = options.latencyMs ?? 0;
  let down: DownMode = false;
  const schema = netboxSchema();
  const v2Key = randomBytes(6).toString('hex');
  const v2Secret = randomBytes(20).toString('hex');
  const tokenV1 = randomBytes(20).toString('hex');
  const token = minor >= 5 ? `nbt_${v2Key}.${v2Secret}` : tokenV1;
  const requests: RecordedRequest[] = [];
  const violations: Violation[] = [];
  const stats: FakeNetBoxStats = { reads: 0, writes: 0, byMethod: {} };
  let base = '';
  const store = new Store(schema, () => base, minor >= 7);

  const models = (): ModelDef[] => [...MODELS.values()].filter((m) => options.plugin || !m.plugin);

  const checkRequest = (method: string, path: string, component: string, body: unknown): string[] => {
    const messages = component === NetBoxSchema.BULK_DELETE ? schema.validateBulkDelete(body) : schema.validate(component, body);
    for (const message of messages) violations.push({ direction: 'request', method, path, component, message });
    return messages;
  };
  const checkResponse = (method: string, path: string, component: string, body: unknown): void => {
    for (const message of schema.validate(component, body)) violations.push({ direction: 'response', method, path, component, message });
  };

  const auth = (req: IncomingMessage, write: boolean): void => {
    const header = req.headers.authorization ?? '';
    const m = /^(\S+)\s+(\S+)$/.exec(header.trim());
    const keyword = m?.[1].toLowerCase();
    // An unknown keyword is ignored: the request is anonymous. Before 4.5 only `Token` exists.
    if (!m || !(keyword === 'token' || (keyword === 'bearer' && minor >= 5))) {
      throw new HttpError(403, { detail: 'Authentication credentials were not provided.' });
    }
    const value = m[2];
    if (value.startsWith('nbt_') && minor >= 5) {
      if (value !== `nbt_${v2Key}.${v2Secret}`) throw new HttpError(403, { detail: 'Invalid v2 token' });
    } else if (value !== tokenV1) throw new HttpError(403, { detail: minor >= 5 ? 'Invalid v1 token' : 'Invalid token' });
    if (write && options.readOnlyToken) throw new HttpError(403, { detail: 'You do not have permission to perform this action.' });
  };

  const pageUrl = (path: string, query: Record<string, string[]>, change: Record<string, string | undefined>): string => {
    const params = new URLSearchParams();
    for (const [k, vs] of Object.entries(query)) if (!(k in change)) for (const v of vs) params.append(k, v);
    for (const [k, v] of Object.entries(change)) if (v !== undefined) params.set(k, v);
    const qs = params.toString();
    return `${base}${path}${qs ? `?${qs}` : ''}`;
  };

  const matches = (def: ModelDef, row: Row, query: Record<string, string[]>): boolean => {
    for (const [key, values] of Object.entries(query)) {
      if (key === 'id') { if (!values.some((v) => Number(v) === row.id)) return false; continue; }
      if (key === 'tag') {
        const slugs = (Array.isArray(row.tags) ? row.tags : []).map((t) => store.table('/api/extras/tags/').get(Number(t))?.slug);
        if (!values.every((v) => slugs.includes(v))) return false;
        continue;
      }
      if (key.startsWith('cf_')) {
        const cf = isObject(row.custom_fields) ? row.custom_fields[key.slice(3)] : undefined;
        if (!values.some((v) => cf !== undefined && cf !== null && String(cf) === v)) return false;
        continue;
      }
      if (key === 'assigned_object_type' && def.generic) { if (!values.includes(String(row.assigned_object_type))) return false; continue; }
      if (key === 'assigned_object_id' && def.generic) { if (!values.some((v) => Number(v) === row.assigned_object_id)) return false; continue; }
      const rel = /^(\w+)_id$/.exec(key)?.[1];
      if (rel && def.relations[rel]) { if (!values.some((v) => (v === 'null' ? row[rel] == null : Number(v) === row[rel]))) return false; continue; }
      if (rel && def.generic && (rel === 'virtual_machine' || rel === 'device' || rel === 'vminterface' || rel === 'interface')) {
        if (!values.some((v) => assignedTo(row, rel, Number(v)))) return false;
        continue;
      }
      if (def.filters.includes(key)) { if (!values.includes(String(row[key]))) return false; continue; }
      // Anything else is ignored, as NetBox does.
    }
    return true;
  };

  const assignedTo = (row: Row, rel: string, id: number): boolean => {
    const type = String(row.assigned_object_type);
    const iface = type === 'virtualization.vminterface' ? store.table('/api/virtualization/interfaces/').get(Number(row.assigned_object_id))
      : type === 'dcim.interface' ? store.table('/api/dcim/interfaces/').get(Number(row.assigned_object_id)) : undefined;
    if (!iface) return false;
    if (rel === 'vminterface') return type === 'virtualization.vminterface' && iface.id === id;
    if (rel === 'interface') return type === 'dcim.interface' && iface.id === id;
    return iface[rel] === id;
  };

  const list = (def: ModelDef, query: Record<string, string[]>): unknown => {
    const components = schema.components(def.path)!;
    const first = (k: string): string | undefined => query[k]?.[0];
    const cursor = minor >= 6 && first('start') !== undefined;
    if (cursor && first('offset') !== undefined) throw new HttpError(400, ["'start' and 'offset' are mutually exclusive."]);
    if (cursor && first('ordering') !== undefined) throw new HttpError(400, ["'start' and 'ordering' are mutually exclusive."]);
    let limit = first('limit') === undefined ? 50 : Number.parseInt(first('limit')!, 10);
    if (!Number.isFinite(limit) || limit < 0) limit = 50;
    if (limit === 0 || limit > maxPageSize) limit = maxPageSize;
    const rows = [...store.table(def.path).values()].sort((a, b) => a.id - b.id).filter((r) => matches(def, r, query));
    const brief = (first('brief') ?? '') !== '';
    const briefComponent = `Brief${components.model.replace(/WithConfigContext$/, '')}`;
    const render = (r: Row): Record<string, unknown> => store.render(def.path, r, brief && schema.componentNames.has(briefComponent) ? briefComponent : components.model);
    let page: Row[];
    let envelope: { count: number | null; next: string | null; previous: string | null };
    if (cursor) {
      const start = Number.parseInt(first('start')!, 10) || 0;
      page = rows.filter((r) => r.id >= start).slice(0, limit);
      const more = page.length === limit && rows.some((r) => r.id > page[page.length - 1].id);
      envelope = { count: null, next: more ? pageUrl(def.path, query, { start: String(page[page.length - 1].id + 1), limit: String(limit) }) : null, previous: null };
    } else {
      const offset = Math.max(0, Number.parseInt(first('offset') ?? '0', 10) || 0);
      page = rows.slice(offset, offset + limit);
      envelope = {
        count: rows.length,
        next: offset + limit < rows.length ? pageUrl(def.path, query, { limit: String(limit), offset: String(offset + limit) }) : null,
        previous: offset > 0 ? pageUrl(def.path, query, { limit: String(limit), offset: offset - limit > 0 ? String(offset - limit) : undefined }) : null,
      };
    }
    const body = { ...envelope, results: page.map(render) };
    if (brief && schema.componentNames.has(briefComponent)) for (const item of body.results) checkResponse('GET', def.path, briefComponent, item);
    else if (!brief) checkResponse('GET', def.path, components.page, body);
    return body;
  };

  /** Validates and applies a list write; returns [status, body]. */
  const bulkWrite = (method: string, def: ModelDef, body: unknown): [number, unknown] => {
    const c = schema.components(def.path)!;
    if (method === 'DELETE') {
      const failed = checkRequest(method, def.path, NetBoxSchema.BULK_DELETE, body);
      if (!Array.isArray(body)) throw new HttpError(400, { non_field_errors: ['Expected a list of items but got type "dict".'] });
      if (failed.length) {
        throw new HttpError(400, body.map((item) => isObject(item) ? (Number.isInteger(item.id) ? {} : { id: ['This field is required.'] }) : { non_field_errors: [`Invalid data. Expected a dictionary, but got ${typeof item === 'number' ? 'int' : typeof item === 'string' ? 'str' : typeof item}.`] }));
      }
      try {
        store.delete(def.path, body.map((i) => Number((i as { id: number }).id)));
      } catch (e) {
        if (e instanceof ProtectedError) throw new HttpError(409, { detail: e.message });
        throw e;
      }
      return [204, undefined];
    }
    if (method === 'POST') {
      const items = Array.isArray(body) ? body : [body];
      const errors = items.map((item) => (checkRequest(method, def.path, c.create, item).length ? schemaErrors(c.create, item) : undefined));
      const pending: Row[] = [];
      const results = items.map((item, i) => {
        if (errors[i]) return errors[i];
        const p = store.prepare(def, item as Record<string, unknown>, undefined, pending, true);
        if (p.row) pending.push(p.row);
        return p.errors ?? {};
      });
      if (results.some((r) => Object.keys(r).length)) throw new HttpError(400, Array.isArray(body) ? results : results[0]);
      const created = store.commitCreate(def.path, pending).map((r) => store.render(def.path, r, c.model));
      for (const o of created) checkResponse(method, def.path, c.model, o);
      return [201, Array.isArray(body) ? created : created[0]];
    }
    // PUT / PATCH of a list: each item carries its id; unknown ids are skipped silently.
    if (!Array.isArray(body)) throw new HttpError(400, { non_field_errors: ['Expected a list of items but got type "dict".'] });
    const component = method === 'PUT' ? c.bulkPut : c.bulkPatch;
    const results: Array<Record<string, unknown>> = [];
    const staged: Row[] = [];
    for (const item of body) {
      if (checkRequest(method, def.path, component, item).length) { results.push(schemaErrors(component, item)); continue; }
      const it = item as Record<string, unknown>;
      const existing = store.table(def.path).get(Number(it.id));
      if (!existing) { results.push({}); continue; }
      const p = store.prepare(def, it, existing, staged, method === 'PUT');
      if (p.row) staged.push(p.row);
      results.push(p.errors ?? {});
    }
    if (results.some((r) => Object.keys(r).length)) throw new HttpError(400, results);
    for (const row of staged) store.put(def.path, row);
    const out = staged.map((r) => store.render(def.path, r, c.model));
    for (const o of out) checkResponse(method, def.path, c.model, o);
    return [200, out];
  };

  const detail = (method: string, def: ModelDef, id: number, body: unknown): [number, unknown] => {
    const c = schema.components(def.path)!;
    const existing = store.table(def.path).get(id);
    if (!existing) throw new HttpError(404, { detail: `No ${def.objectName} matches the given query.` });
    if (method === 'GET') {
      const out = store.render(def.path, existing, c.model);
      checkResponse(method, def.path, c.model, out);
      return [200, out];
    }
    if (method === 'DELETE') {
      try {
        store.delete(def.path, [id]);
      } catch (e) {
        if (e instanceof ProtectedError) throw new HttpError(409, { detail: e.message });
        throw e;
      }
      return [204, undefined];
    }
    const component = method === 'PUT' ? c.put : c.patch;
    if (checkRequest(method, def.path, component, body).length) throw new HttpError(400, schemaErrors(component, body));
    const p = store.prepare(def, body as Record<string, unknown>, existing, [], method === 'PUT');
    if (p.errors) throw new HttpError(400, p.errors);
    store.put(def.path, p.row!);
    const out = store.render(def.path, p.row!, c.model);
    checkResponse(method, def.path, c.model, out);
    return [200, out];
  };

  /** NetBox's 400 for a body the serializer rejects, built from the validator's findings per field. */
  const schemaErrors = (component: string, value: unknown): Record<string, string[]> => {
    if (!isObject(value)) return { non_field_errors: [`Invalid data. Expected a dictionary, but got ${Array.isArray(value) ? 'list' : typeof value}.`] };
    const out: Record<string, string[]> = {};
    for (const message of schema.validate(component, value)) {
      const field = /^\/([^/ ]+)/.exec(message)?.[1] ?? /must have required property '([^']+)'/.exec(message)?.[1] ?? 'non_field_errors';
      const text = message.includes('required property') ? 'This field is required.' : message.replace(/^\S+\s/, '');
      (out[field] ??= []).push(text);
    }
    // A nullable field's failure also reports the null branch and the anyOf itself: keep the message that says why.
    for (const [field, texts] of Object.entries(out)) {
      const why = texts.filter((t) => t !== 'must be null' && t !== 'must match a schema in anyOf');
      out[field] = why.length ? why : texts;
    }
    return out;
  };

  const route = (method: string, path: string, query: Record<string, string[]>, body: unknown): [number, unknown] => {
    if (path === '/api/status/') {
      if (method !== 'GET') throw new HttpError(405, { detail: `Method "${method}" not allowed.` });
      return [200, {
        'django-version': '5.2.8', 'installed-apps': {}, 'netbox-version': FULL_VERSION[version], 'netbox-full-version': FULL_VERSION[version],
        plugins: options.plugin ? { netbox_proxbox: '0.0.24' } : {}, 'python-version': '3.12.3', 'rq-workers-running': 1,
      }];
    }
    if (path.startsWith(PLUGIN_ROOT) && !options.plugin) throw new HttpError(404, { detail: 'Not found.' });
    if (path === PLUGIN_ROOT) {
      if (method !== 'GET') throw new HttpError(405, { detail: `Method "${method}" not allowed.` });
      return [200, Object.fromEntries(models().filter((m) => m.plugin).map((m) => [m.path.slice(PLUGIN_ROOT.length, -1), `${base}${m.path}`]))];
    }
    const m = /^(.*\/)(\d+)\/$/.exec(path);
    const def = MODELS.get(m ? m[1] : path);
    if (!def || (def.plugin && !options.plugin)) throw new HttpError(404, { detail: 'Not found.' });
    if (m) return detail(method, def, Number(m[2]), body);
    if (method === 'GET') return [200, list(def, query)];
    return bulkWrite(method, def, body);
  };

  const sockets = new Set<Socket>();
  let downAfter: { left: number; mode: '503' | 'reset-after-headers' } | undefined;
  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    if (downAfter && --downAfter.left <= 0) {
      down = downAfter.mode;
      downAfter = undefined;
    }
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    if (latency > 0) await new Promise((r) => setTimeout(r, latency));
    const url = new URL(req.url ?? '/', base);
    const method = (req.method ?? 'GET').toUpperCase();
    const query: Record<string, string[]> = {};
    for (const [k, v] of url.searchParams) (query[k] ??= []).push(v);
    const raw = Buffer.concat(chunks).toString('utf8');
    let body: unknown;
    let status = 500;
    let out: unknown;
    try {
      if (down === '503') throw new HttpError(503, undefined);
      if (down === 'reset-after-headers') {
        res.writeHead(200, { 'Content-Type': 'application/json', 'Content-Length': '100000' });
        res.flushHeaders();
        status = 0;
        setImmediate(() => req.socket.destroy());
        return;
      }
      try {
        body = raw ? JSON.parse(raw) : undefined;
      } catch (e) {
        throw new HttpError(400, { detail: `JSON parse error - ${(e as Error).message}` });
      }
      const write = WRITES.has(method);
      auth(req, write);
      stats.byMethod[method] = (stats.byMethod[method] ?? 0) + 1;
      if (write) stats.writes++;
      else stats.reads++;
      [status, out] = route(method, url.pathname, query, body);
    } catch (e) {
      if (!(e instanceof HttpError)) throw e;
      [status, out] = [e.status, e.body];
    } finally {
      requests.push({ method, path: url.pathname, query, body, status });
    }
    const headers: Record<string, string> = { 'API-Version': version, 'X-Request-ID': randomBytes(16).toString('hex') };
    if (status === 503) {
      res.writeHead(503, { ...headers, 'Content-Type': 'text/html' }).end('<html><body><h1>503 Service Unavailable</h1></body></html>');
    } else if (out === undefined) {
      res.writeHead(status, headers).end();
    } else {
      res.writeHead(status, { ...headers, 'Content-Type': 'application/json' }).end(JSON.stringify(out));
    }
  };

  const server: Server = createServer({ cert: certificates.a.cert, key: certificates.a.key }, (req, res) => {
    handle(req, res).catch((e: unknown) => {
      if (!res.headersSent) res.writeHead(500, { 'Content-Type': 'application/json' });
      res.end(JSON.stringify({ error: String(e), exception: (e as Error).name, netbox_version: FULL_VERSION[version], python_version: '3.12.3' }));
    });
  });
  server.on('connection', (s: Socket) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  const listen = (port: number): Promise<void> => new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  const stop = (): Promise<void> => new Promise((resolve) => {
    for (const s of sockets) s.destroy();
    server.close(() => resolve());
  });
  await listen(0);
  const port = (server.address() as AddressInfo).port;
  base = `https://127.0.0.1:${port}`;

  return {
    url: base,
    token,
    tokenV1,
    fingerprint: fingerprintOf(certificates.a.cert),
    requests,
    violations,
    stats,
    seed(path, obj) {
      const def = MODELS.get(path);
      if (!def) throw new Error(`fake NetBox: no model at ${path}`);
      const now = new Date().toISOString();
      const row = { ...def.defaults, ...obj, id: store.allocate(path), created: now, last_updated: now } as Row;
      store.put(path, row);
      return store.render(path, row, schema.components(path)!.model);
    },
    all(path) {
      const c = schema.components(path);
      if (!c) throw new Error(`fake NetBox: no model at ${path}`);
      return [...store.table(path).values()].sort((a, b) => a.id - b.id).map((r) => store.render(path, r, c.model));
    },
    async setDown(mode) {
      if (mode === 'refuse' && down !== 'refuse') await stop();
      if (mode !== 'refuse' && down === 'refuse') await listen(port);
      down = mode;
    },
    downAfter(n, mode) {
      downAfter = { left: n, mode };
    },
    setLatency(ms) {
      latency = ms;
    },
    async close() {
      if (down !== 'refuse') await stop();
    },
  };
}
