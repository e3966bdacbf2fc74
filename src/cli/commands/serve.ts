// `proxbox serve --store DIR`: a read-only HTTP feed for dashboards (Glance, a status page, a calendar app):
// /health.json, /calendar.ics, /report.html and /glance.json, computed from the store on request. Loopback by
// default; any other address needs a bearer token. No route ever returns a secret: the store holds none (token
// secrets live in SecretStorage or the environment), and the token file is only compared against.
//
// Freshness: every request stats the meta document of each endpoint (a sync that changed anything writes it last,
// see saveInventory) and re-reads the store when that signature moved; health is evaluated per request, so "now" and
// overdue verdicts are always current. No file watcher: it would miss changes on network folders and holds handles.
import { createHash, timingSafeEqual } from 'node:crypto';
import { promises as fs } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { join } from 'node:path';
import { CalendarRangeError } from '../../core/calendar';
import { calendarToIcs, icsRange } from '../../core/export/ics';
import { isLoopbackHost } from '../../core/http/loopback';
import { glanceFeed } from '../../core/export/glance';
import { calendarOf, healthAt, monthsRange, readInventories } from '../../core/export/snapshot';
import type { Inventory } from '../../core/inventory/model';
import { parseInstant } from '../../core/schedule';
import { terminalSafe } from '../../core/text/terminal';
import { UsageError, Verb } from '../io';
import { jsonOf as healthJson } from './health';
import { reportPage } from './report';
import { zoneArg } from './calendar';
import { defaultStore, parse, positiveInt } from './syncArgs';

const HELP = `Usage: proxbox serve [--store DIR] [--bind 127.0.0.1] [--port 8099] [--token-file FILE] [--zone TZ]

Serves the store read-only over HTTP for dashboards:
  /health.json    the document of 'proxbox health --json'
  /calendar.ics   iCalendar of this month and the next (or ?from=T&to=T, at most 63 days)
  /report.html    the page of 'proxbox report'
  /glance.json    a flat feed for Glance's custom-api widget (summary, guests, next_runs, problems)
Only GET and HEAD. A sync into the store shows on the next request, without a restart.
It binds to 127.0.0.1 unless --bind says otherwise; any address that is not loopback needs --token-file, a file
holding the token that clients send as 'Authorization: Bearer TOKEN'. Port 0 picks a free port.
Prints one line 'proxbox serve: ready at URL' when listening; stops on SIGINT or SIGTERM.
Exit code: 0 after a stop, 2 for a usage error (also: a non-loopback --bind without --token-file), 1 when it cannot listen.
`;

async function readToken(file: string): Promise<string> {
  let text: string;
  try {
    text = await fs.readFile(file, 'utf8');
  } catch (err) {
    throw new UsageError(`cannot read the token file ${file}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}.`);
  }
  const token = text.trim();
  if (token.length < 16 || /\s/.test(token)) {
    throw new UsageError(`the token in ${file} must be one line of at least 16 characters without spaces (e.g. the output of 'openssl rand -hex 32').`);
  }
  return token;
}

/** Constant-time: both sides are hashed to the same length first, so neither the length nor a prefix leaks. */
function tokenMatches(header: string | undefined, token: string): boolean {
  const m = /^Bearer\s+(\S+)\s*$/i.exec(header ?? '');
  const given = createHash('sha256').update(m ? m[1] : '').digest();
  const wanted = createHash('sha256').update(token).digest();
  return timingSafeEqual(given, wanted) && m !== null;
}

/** The store's inventories, re-read when a meta document changed since the last request. */
class StoreReader {
  private signature = '';
  private inventories: Inventory[] = [];
  constructor(private readonly store: string) {}

  private async currentSignature(): Promise<string> {
    const root = join(this.store, 'endpoints');
    let names: string[];
    try {
      names = (await fs.readdir(root)).sort();
    } catch {
      return 'none';
    }
    const parts = await Promise.all(names.map(async (n) => {
      const st = await fs.stat(join(root, n, 'meta.json')).catch(() => null);
      return st ? `${n}:${st.mtimeMs}:${st.size}:${st.ino}` : `${n}:-`;
    }));
    return parts.join('|');
  }

  async read(now: number): Promise<Inventory[]> {
    const sig = await this.currentSignature();
    if (sig !== this.signature) {
      this.inventories = await readInventories(this.store, now);
      this.signature = sig;
    }
    return this.inventories;
  }
}

interface ServeContext {
  reader: StoreReader;
  zone: string;
  token: string | null;
  clock: () => number;
}

function send(res: ServerResponse, head: boolean, status: number, type: string, body: string, extra: Record<string, string> = {}): void {
  const bytes = Buffer.from(body, 'utf8');
  res.writeHead(status, {
    'Content-Type': type, 'Content-Length': String(bytes.length), 'Cache-Control': 'no-store', 'X-Content-Type-Options': 'nosniff',
    'Referrer-Policy': 'no-referrer', ...extra,
  });
  res.end(head ? undefined : bytes);
}

function sendJson(res: ServerResponse, head: boolean, status: number, value: unknown, extra: Record<string, string> = {}): void {
  send(res, head, status, 'application/json; charset=utf-8', JSON.stringify(value, null, 2) + '\n', extra);
}

const ROUTES = ['/health.json', '/calendar.ics', '/report.html', '/glance.json'];

/** Whether a Host header names this machine's loopback (any port): 127.x, [::1] or localhost. */
export function loopbackHost(host: string | undefined): boolean {
  return !!host && isLoopbackHost(host.replace(/:\d+$/, ''));
}

async function handle(ctx: ServeContext, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const head = req.method === 'HEAD';
  if (req.method !== 'GET' && !head) {
    sendJson(res, false, 405, { error: `method ${req.method ?? '?'} not allowed: this server is read-only (GET and HEAD).` }, { Allow: 'GET, HEAD' });
    return;
  }
  if (ctx.token !== null && !tokenMatches(req.headers.authorization, ctx.token)) {
    sendJson(res, head, 401, { error: 'missing or wrong bearer token: send Authorization: Bearer <the token of --token-file>.' }, { 'WWW-Authenticate': 'Bearer realm="proxbox"' });
    return;
  }
  // Without a token the server trusts that only this machine reaches it; a web page the user opens could still reach
  // it by re-pointing its own host name to 127.0.0.1 (DNS rebinding), which the Host header gives away.
  if (ctx.token === null && !loopbackHost(req.headers.host)) {
    sendJson(res, head, 403, { error: 'this server answers requests for localhost only (no --token-file): open it as http://127.0.0.1:PORT/, or give it a token.' });
    return;
  }
  let url: URL;
  try {
    url = new URL(req.url ?? '/', 'http://localhost');
  } catch {
    sendJson(res, head, 400, { error: 'the request target is not a path.' });
    return;
  }
  if (!ROUTES.includes(url.pathname)) {
    sendJson(res, head, 404, { error: `no such resource '${url.pathname}'.`, routes: ROUTES });
    return;
  }
  const now = ctx.clock();
  const invs = await ctx.reader.read(now);
  const report = healthAt(invs, now);
  switch (url.pathname) {
    case '/health.json':
      sendJson(res, head, 200, healthJson(report));
      return;
    case '/report.html':
      send(res, head, 200, 'text/html; charset=utf-8', reportPage(invs, now, ctx.zone, report),
        { 'Content-Security-Policy': "default-src 'none'; style-src 'unsafe-inline'" });
      return;
    case '/glance.json': {
      const upcoming = calendarOf(invs, report, { from: now, to: now + 14 * 86_400, timeZone: ctx.zone, now });
      sendJson(res, head, 200, glanceFeed(report, upcoming, ctx.zone));
      return;
    }
    case '/calendar.ics': {
      const fromText = url.searchParams.get('from');
      const toText = url.searchParams.get('to');
      let range = monthsRange(now, ctx.zone, 2);
      try {
        if (fromText !== null || toText !== null) {
          if (fromText === null || toText === null) throw new RangeError('give both from and to (ISO dates or times), or neither for this month and the next');
          range = { from: parseInstant(fromText, ctx.zone), to: parseInstant(toText, ctx.zone) };
        }
        // Whole local days, so that a subscription re-read with another range keeps every band's UID.
        const data = calendarOf(invs, report, { ...icsRange(range.from, range.to, ctx.zone), timeZone: ctx.zone, now });
        send(res, head, 200, 'text/calendar; charset=utf-8', calendarToIcs(data, { now, range }));
      } catch (err) {
        if (!(err instanceof RangeError) && !(err instanceof CalendarRangeError)) throw err;
        sendJson(res, head, 400, { error: err.message });
      }
      return;
    }
  }
}

export const serve: Verb = async (argv, io) => {
  const v = parse(argv, {
    store: { type: 'string' }, bind: { type: 'string' }, port: { type: 'string' }, 'token-file': { type: 'string' },
    zone: { type: 'string' }, help: { type: 'boolean', short: 'h' },
  }, 'serve');
  if (v.help) {
    io.stdout(HELP);
    return 0;
  }
  const bind = (v.bind as string | undefined) ?? '127.0.0.1';
  const port = positiveInt(v.port, '--port', 65535, 0) ?? 8099;
  const tokenFile = v['token-file'] as string | undefined;
  if (!isLoopbackHost(bind) && tokenFile === undefined) {
    throw new UsageError(`--bind ${bind} is reachable from other machines, and this server shows your backup state: give --token-file FILE (clients then send 'Authorization: Bearer TOKEN'), or bind to 127.0.0.1.`);
  }
  const token = tokenFile === undefined ? null : await readToken(tokenFile);
  const zone = zoneArg(v.zone);
  const store = (v.store as string | undefined) ?? defaultStore(io.env);
  try {
    await fs.access(store);
  } catch {
    throw new UsageError(`the store folder ${store} does not exist. Run 'proxbox sync --store ${store} …' first.`);
  }
  const ctx: ServeContext = { reader: new StoreReader(store), zone, token, clock: () => Math.floor(Date.now() / 1000) };
  const server = createServer((req, res) => {
    handle(ctx, req, res).catch((err: unknown) => {
      // The cause goes to our stderr; the client learns only that the store could not be read (no paths, no stack).
      io.stderr(`proxbox serve: ${req.method} ${terminalSafe(req.url ?? '')}: ${terminalSafe(err instanceof Error ? err.message : String(err))}\n`);
      if (!res.headersSent) sendJson(res, req.method === 'HEAD', 500, { error: 'the store could not be read; see the server\'s output.' });
      else res.destroy();
    });
  });
  server.headersTimeout = 10_000;
  server.requestTimeout = 30_000;
  try {
    await new Promise<void>((ok, fail) => {
      server.once('error', fail);
      server.listen(port, bind, () => { server.off('error', fail); ok(); });
    });
  } catch (err) {
    io.stderr(`proxbox serve: cannot listen on ${bind}:${port}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}. Choose another --port or --bind.\n`);
    return 1;
  }
  const address = server.address();
  const actualPort = typeof address === 'object' && address ? address.port : port;
  const host = bind.includes(':') && !bind.startsWith('[') ? `[${bind}]` : bind;
  io.stdout(`proxbox serve: ready at http://${host}:${actualPort}/ (routes: ${ROUTES.join(' ')}${token ? '; bearer token required' : ''})\n`);
  await new Promise<void>((done) => {
    if (io.stopSignal.aborted) done();
    else io.stopSignal.addEventListener('abort', () => done(), { once: true });
  });
  await new Promise<void>((done) => {
    server.close(() => done());
    server.closeAllConnections();
  });
  io.stdout('proxbox serve: stopped\n');
  return 0;
};
