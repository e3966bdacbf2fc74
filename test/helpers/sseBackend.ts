// A small proxbox-api stand-in for tests: real HTTP, real Server-Sent Events, replaying the frame sequences of
// reference/proxbox-system.md §1.3 (/full-update/stream) and §1.4 (the per-stage streams). Each route plays a script
// of writes (a frame, a keep-alive comment, half a frame), then ends the response, drops the socket, or hangs until
// the client goes away. Every request is recorded: its path, its API key and whether the client closed it.
import { X509Certificate } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { STAGES } from '../../src/core/pipeline/events';
import { certificates } from '../../src/sim/certs';

export type Write = string | { delayMs: number };
export interface Script {
  writes: Write[];
  /**
   * After the writes: end the body cleanly, destroy the socket, keep it open with a keep-alive comment every 20 ms
   * until the client closes it, or keep it open in silence.
   */
  end: 'end' | 'drop' | 'hang' | 'silent';
}

export interface RecordedRequest {
  path: string;
  apiKey: string | undefined;
  accept: string | undefined;
  /** Set when the client closed the connection before the script ended it. */
  closedByClient: boolean;
}

export interface SseBackend {
  url: string;
  /** With `tls`: the SHA-256 fingerprint of the certificate served (PVE format). */
  fingerprint?: string;
  apiKey: string;
  requests: RecordedRequest[];
  /** Resolves once the client has closed the request at index i. */
  closed(i: number): Promise<void>;
  close(): Promise<void>;
}

/** One SSE frame, as proxbox-api's sse_event() writes it. */
export const frame = (event: string, data: unknown): string => `event: ${event}\ndata: ${JSON.stringify(data)}\n\n`;
export const KEEPALIVE = ': keepalive\n\n';

/** A stage's frames inside /full-update/stream (§1.3 item 4, with the item-level frames of §1.5). */
export function stageFrames(stage: string, count: number): string[] {
  const out = [frame('step', { step: stage, status: 'started', message: `Starting ${stage} synchronization.` })];
  if (stage === 'devices') {
    out.push(frame('discovery', { event: 'discovery', phase: 'devices', status: 'discovered', message: `Discovered ${count} node(s)`, count, items: [{ name: 'pve1', item_type: 'node' }, { name: 'pve2', item_type: 'node' }], progress: { current: 0, total: count, percent: 0 } }));
    out.push(frame('item_progress', { event: 'item_progress', phase: 'devices', status: 'completed', message: 'Synced node pve1', item: { name: 'pve1', item_type: 'node', netbox_id: 7 }, operation: 'created', progress: { current: 1, total: count, percent: 50 } }));
    // A legacy websocket-style frame, bridged into a `step` (§1.5).
    out.push(frame('step', { step: 'device', status: 'completed', message: 'device pve2 synced', rowid: 'pve2', payload: { object: 'device', type: 'create', data: { completed: true, rowid: 'pve2' } } }));
    out.push(frame('phase_summary', { event: 'phase_summary', phase: 'devices', status: 'completed', message: 'devices done', result: { created: 1, updated: 1, deleted: 0, failed: 0, skipped: 0, total: count }, timing: { elapsed_ms: 12 } }));
    out.push(frame('hardware_discovery', { event: 'hardware_discovery', node: 'pve1', cluster: 'lab', chassis_serial: 'X1', nic_count: 2, duration_ms: 3 }));
  }
  if (stage === 'virtual-machines') {
    out.push(frame('duplicate_name_resolved', { event: 'duplicate_name_resolved', cluster: 'lab', original_name: 'web', resolved_name: 'web (2)', vmid: 102, suffix_index: 2, operator_renamed: false }));
  }
  const result = stage === 'replications' || stage === 'backup-routines' ? { created: count, updated: 0 } : { count };
  out.push(frame('step', { step: stage, status: 'completed', message: `${stage} synchronization completed.`, result, duration_seconds: 0.125 }));
  return out;
}

/** The head of /full-update/stream (§1.3 items 1-3). */
export function fullHead(): string[] {
  return [
    frame('bootstrap_done', { ok: true, skipped: false, reason: null, warnings: [], created: ['tag:proxbox'], patched: [], unchanged: [] }),
    frame('step', { step: 'stream', status: 'started', message: 'Full update stream connected (operation_id=1b2c)' }),
    frame('discovery', { event: 'discovery', phase: 'full-update', status: 'discovered', message: 'Discovered 12 stages', count: 12, items: STAGES.map((s) => ({ name: s, type: 'stage' })), progress: { current: 0, total: 12, percent: 0 }, metadata: { operation_id: '1b2c' } }),
  ];
}

/** The three frames of a failed full update (§1.3 item 7). */
export function fullFailure(msg: string): string[] {
  return [
    frame('error_detail', { event: 'error_detail', phase: 'full-update', category: 'internal', message: 'Full update synchronization failed', detail: msg, suggestion: 'Check the proxbox-api logs.' }),
    frame('error', { step: 'full-update', status: 'failed', error: msg, detail: msg }),
    frame('complete', { ok: false, message: msg, errors: [{ detail: msg }] }),
  ];
}

/** A whole successful /full-update/stream, with keep-alive comments between frames and one frame split in two writes. */
export function fullRun(): Script {
  const writes: Write[] = [...fullHead()];
  STAGES.forEach((s, i) => {
    writes.push(...stageFrames(s, i + 2));
    if (i % 3 === 0) writes.push(KEEPALIVE);
  });
  const done = frame('complete', { ok: true, message: 'Full update sync completed.', result: { devices_count: 2 } });
  // A frame cut in the middle of its JSON, written in two TCP writes with a pause in between.
  writes.push(done.slice(0, 25), { delayMs: 30 }, done.slice(25));
  return { writes, end: 'end' };
}

/** A per-stage stream (§1.4): started, its frames, completed, complete; or error + complete ok:false. */
export function stageRun(stage: string, count: number, fail?: string): Script {
  if (fail) {
    return {
      writes: [
        frame('step', { step: stage, status: 'started', message: `Starting ${stage}.` }),
        frame('error', { step: stage, status: 'failed', error: fail, detail: fail }),
        frame('complete', { ok: false, message: fail, errors: [{ detail: fail }] }),
      ],
      end: 'end',
    };
  }
  return {
    writes: [
      frame('step', { step: stage, status: 'started', message: `Starting ${stage}.` }),
      KEEPALIVE,
      frame('step', { step: stage, status: 'completed', message: `${stage} done.`, result: { count } }),
      frame('complete', { ok: true, message: `${stage} synced.`, result: { count } }),
    ],
    end: 'end',
  };
}

const wait = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Starts the backend on 127.0.0.1 with a route table (path after the base URL → script); over HTTPS with `tls`. */
export async function startSseBackend(routes: Record<string, Script>, apiKey = 'pbx-test-key-7f3a9c', tls?: 'a' | 'b'): Promise<SseBackend> {
  const requests: RecordedRequest[] = [];
  const closeWaiters = new Map<number, () => void>();
  const closedSet = new Set<number>();
  const sockets = new Set<import('node:net').Socket>();

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const path = new URL(req.url ?? '/', 'http://x').pathname.replace(/^\//, '');
    const rec: RecordedRequest = { path, apiKey: req.headers['x-proxbox-api-key'] as string | undefined, accept: req.headers.accept, closedByClient: false };
    const index = requests.push(rec) - 1;
    let finished = false;
    res.on('close', () => {
      if (!finished) rec.closedByClient = true;
      closedSet.add(index);
      closeWaiters.get(index)?.();
    });
    if (rec.apiKey !== apiKey) {
      finished = true;
      res.writeHead(403, { 'content-type': 'application/json' }).end(JSON.stringify({ detail: 'Invalid API key' }));
      return;
    }
    const script = routes[path];
    if (!script) {
      finished = true;
      res.writeHead(404, { 'content-type': 'application/json' }).end(JSON.stringify({ detail: 'Not Found' }));
      return;
    }
    res.writeHead(200, { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-cache', 'x-accel-buffering': 'no' });
    res.flushHeaders();
    for (const w of script.writes) {
      if (res.destroyed) return;
      if (typeof w === 'string') res.write(w);
      else await wait(w.delayMs);
    }
    if (script.end === 'end') {
      finished = true;
      res.end();
    } else if (script.end === 'drop') {
      finished = true;
      await wait(10);
      res.socket?.destroy();
    }
    // 'hang': the response stays open; keep-alive comments keep it alive until the client leaves.
    else if (script.end === 'hang') {
      const timer = setInterval(() => { if (!res.destroyed) res.write(KEEPALIVE); }, 20);
      res.on('close', () => clearInterval(timer));
    }
  };

  const listener = (req: IncomingMessage, res: ServerResponse): void => { void handle(req, res); };
  const server: Server = tls ? createHttpsServer({ cert: certificates[tls].cert, key: certificates[tls].key }, listener) : createServer(listener);
  server.on('connection', (s) => { sockets.add(s); s.on('close', () => sockets.delete(s)); });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `${tls ? 'https' : 'http'}://127.0.0.1:${port}`,
    ...(tls ? { fingerprint: new X509Certificate(certificates[tls].cert).fingerprint256 } : {}),
    apiKey,
    requests,
    closed: (i) => (closedSet.has(i) ? Promise.resolve() : new Promise<void>((r) => closeWaiters.set(i, r))),
    close: async () => {
      for (const s of sockets) s.destroy();
      await new Promise<void>((r) => server.close(() => r()));
    },
  };
}
