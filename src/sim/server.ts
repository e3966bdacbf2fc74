// The HTTP side of the simulator: one request handler shared by the HTTPS and the plain HTTP listener. It counts
// requests, waits the configured latency, applies faults, authenticates, routes, and answers with PVE's envelope,
// status lines, headers and error bodies.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Writable } from 'node:stream';
import { createGzip, gzipSync } from 'node:zlib';
import { authenticate, type AuthResult } from './auth';
import { FaultPlan, faultSize } from './faults';
import { sendHuge, withLongNumber, withLongSchedule, writeWithBackpressure } from './hostile';
import type { LatencyPlan } from './latency';
import { ApiError, RequestContext, Router } from './router';
import type { SimCluster } from './model';

export interface ServerState {
  cluster: SimCluster;
  router: Router;
  faults: FaultPlan;
  latency: LatencyPlan;
  /** PVE waits 3 s before answering a failed login; 0 keeps tests fast. */
  authFailureDelayMs: number;
  /** Epoch seconds; fixed in tests, the wall clock otherwise. */
  now: () => number;
  stats: { total: number; byPath: Record<string, number> };
  /** Requests held open by the `timeout` fault, answered never; closed with the server. */
  held: Set<ServerResponse>;
  /** Replaces PVE's token check (the simulated PBS checks its PBSAPIToken header). */
  authenticate?: (header: string | undefined) => AuthResult;
  /** PBS answers errors as plain text, not in PVE's JSON envelope. */
  plainTextErrors?: boolean;
}

const API_PREFIX = '/api2/json';

function baseHeaders(res: ServerResponse): void {
  res.setHeader('Server', 'pve-api-daemon/3.0');
  res.setHeader('Cache-Control', 'max-age=0');
  res.setHeader('Pragma', 'no-cache');
  res.setHeader('Expires', new Date().toUTCString());
}

function send(req: IncomingMessage, res: ServerResponse, status: number, reason: string, body?: string): void {
  if (res.destroyed || res.headersSent) return;
  baseHeaders(res);
  res.statusCode = status;
  // A reason phrase is one line; PVE turns anything else into a plain 400.
  res.statusMessage = reason.split('\n')[0].replace(/[^\t\x20-\x7e]/g, '?');
  // PVE closes the connection after every error response.
  if (status >= 400) res.setHeader('Connection', 'close');
  if (body === undefined) {
    res.setHeader('Content-Length', 0);
    res.end();
    return;
  }
  res.setHeader('Content-Type', 'application/json;charset=UTF-8');
  let payload: Buffer = Buffer.from(body, 'utf8');
  if (payload.length > 1024 && /\bgzip\b/.test(String(req.headers['accept-encoding'] ?? ''))) {
    payload = gzipSync(payload);
    res.setHeader('Content-Encoding', 'gzip');
  }
  res.setHeader('Content-Length', payload.length);
  res.end(payload);
}

function sendError(req: IncomingMessage, res: ServerResponse, err: ApiError, plainText = false): void {
  if (plainText) {
    if (res.destroyed || res.headersSent) return;
    baseHeaders(res);
    res.statusCode = err.status;
    res.statusMessage = err.message.split('\n')[0].replace(/[^\t\x20-\x7e]/g, '?');
    res.setHeader('Connection', 'close');
    res.setHeader('Content-Type', 'text/plain;charset=UTF-8');
    res.end(err.message);
    return;
  }
  const body: Record<string, unknown> = { data: null, message: `${err.message}\n` };
  if (err.errors) body.errors = err.errors;
  send(req, res, err.status, err.message, JSON.stringify(body));
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

interface Rendered {
  data: unknown;
  total?: number;
}

function envelopeText(out: Rendered): string {
  const envelope: Record<string, unknown> = { data: out.data };
  if (out.total !== undefined) envelope.total = out.total;
  return JSON.stringify(envelope);
}

/** Lists longer than this are written in slices, so a 10,000-guest answer never exists as one string in memory. */
const STREAM_THRESHOLD = 2000;
const SLICE = 500;

/**
 * Writes `{"data":[…]}` slice by slice, honouring back-pressure, gzip'd when the client accepts it. The bytes are
 * the same JSON.stringify would produce, sent with chunked transfer encoding instead of a Content-Length.
 */
async function sendStreamed(req: IncomingMessage, res: ServerResponse, out: Rendered & { data: unknown[] }): Promise<void> {
  baseHeaders(res);
  res.statusCode = 200;
  res.statusMessage = 'OK';
  res.setHeader('Content-Type', 'application/json;charset=UTF-8');
  let sink: Writable = res;
  if (/\bgzip\b/.test(String(req.headers['accept-encoding'] ?? ''))) {
    res.setHeader('Content-Encoding', 'gzip');
    const gzip = createGzip();
    gzip.pipe(res);
    sink = gzip;
  }
  const write = (text: string): Promise<void> => writeWithBackpressure(sink, res, text);
  await write('{"data":[');
  for (let i = 0; i < out.data.length && !res.destroyed; i += SLICE) {
    const slice = out.data.slice(i, i + SLICE).map((item) => JSON.stringify(item)).join(',');
    await write(i === 0 ? slice : `,${slice}`);
  }
  sink.end(out.total !== undefined ? `],"total":${out.total}}` : ']}');
}

function render(state: ServerState, req: IncomingMessage, apiPath: string, query: URLSearchParams, token: RequestContext['token']): Rendered | ApiError {
  const method = req.method ?? 'GET';
  const route = state.router.match(apiPath);
  if (!route || (method !== 'GET' && method !== 'HEAD')) {
    return new ApiError(501, `Method '${method} ${apiPath}' not implemented`);
  }
  const nodeName = route.params.node;
  if (nodeName) {
    const node = state.cluster.nodes.find((n) => n.name === nodeName);
    // pveproxy forwards /nodes/{node}/... to that node; an unreachable node fails the hop.
    if (node && !node.online) return new ApiError(595, 'No route to host');
  }
  try {
    return route.handler({ cluster: state.cluster, token, params: route.params, query, now: state.now() });
  } catch (err) {
    if (err instanceof ApiError) return err;
    return new ApiError(500, `simulator handler failed for ${apiPath}: ${(err as Error).message}`);
  }
}

export function createRequestHandler(state: ServerState): (req: IncomingMessage, res: ServerResponse) => void {
  return (req, res) => {
    void handle(state, req, res).catch((err: Error) => {
      send(req, res, 500, 'simulator failure', JSON.stringify({ data: null, message: `simulator failure: ${err.message}\n` }));
    });
  };
}

async function handle(state: ServerState, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const url = new URL(req.url ?? '/', 'http://127.0.0.1');
  const path = url.pathname;
  if (path === '/_sim/stats') {
    // rssBytes lets a benchmark watch the simulator's memory from outside its process.
    send(req, res, 200, 'OK', JSON.stringify({ total: state.stats.total, byPath: state.stats.byPath, rssBytes: process.memoryUsage().rss }));
    return;
  }
  state.stats.total++;
  state.stats.byPath[path] = (state.stats.byPath[path] ?? 0) + 1;
  const apiPath = path.startsWith(`${API_PREFIX}/`) ? path.slice(API_PREFIX.length).replace(/\/+$/, '') || '/' : undefined;
  const delay = state.latency.delay(apiPath ?? path);
  if (delay > 0) await sleep(delay);

  if (apiPath === undefined) {
    sendError(req, res, new ApiError(501, 'no such uri'), state.plainTextErrors);
    return;
  }

  const fault = state.faults.pick(apiPath);
  switch (fault?.kind) {
    case 'reset':
      req.socket.destroy();
      return;
    case 'timeout':
      state.held.add(res);
      res.on('close', () => state.held.delete(res));
      return;
    case '500':
      sendError(req, res, new ApiError(500, `simulated internal error on ${apiPath}`), state.plainTextErrors);
      return;
    case '596':
      send(req, res, 596, 'Connection timed out');
      return;
    case 'offline-node':
      send(req, res, 595, 'No route to host');
      return;
    case '401':
      send(req, res, 401, 'Authentication failed!');
      return;
    default:
      break;
  }

  const auth = state.authenticate
    ? state.authenticate(req.headers.authorization)
    : authenticate(req.headers.authorization, state.cluster.tokens, state.cluster.version);
  if (!auth.ok) {
    if (state.authFailureDelayMs > 0) await sleep(state.authFailureDelayMs);
    send(req, res, 401, auth.reason);
    return;
  }

  let out = render(state, req, apiPath, url.searchParams, auth.token);
  if (out instanceof ApiError) {
    // Failed proxy hops (595/596) come back from pveproxy with no body at all.
    if (out.status === 595 || out.status === 596) send(req, res, out.status, out.message);
    else sendError(req, res, out, state.plainTextErrors);
    return;
  }
  if (fault?.kind === 'badjson') {
    const body = envelopeText(out);
    send(req, res, 200, 'OK', body.slice(0, Math.max(1, Math.floor(body.length / 2))));
    return;
  }
  if (req.method === 'HEAD') {
    send(req, res, 200, 'OK');
    return;
  }
  if (fault?.kind === 'long-number') out = { ...out, data: withLongNumber(out.data, faultSize(fault)) };
  if (fault?.kind === 'long-schedule') out = { ...out, data: withLongSchedule(out.data, faultSize(fault)) };
  if (fault?.kind === 'huge') {
    baseHeaders(res);
    const envelope: Record<string, unknown> = { data: out.data };
    if (out.total !== undefined) envelope.total = out.total;
    await sendHuge(res, envelope, faultSize(fault));
    return;
  }
  if (Array.isArray(out.data) && out.data.length > STREAM_THRESHOLD) {
    await sendStreamed(req, res, out as Rendered & { data: unknown[] });
    return;
  }
  send(req, res, 200, 'OK', envelopeText(out));
}
