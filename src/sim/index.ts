// The Proxmox VE simulator: a seeded cluster served over real HTTPS and plain HTTP on 127.0.0.1, answering the
// API paths Proxbox reads with PVE's shapes, envelopes and errors. Used by `proxbox sim`, `proxbox demo`, the
// "Try with a simulated cluster" command, tests and benchmarks.
import { createServer as createHttpServer, Server as HttpServer } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import { X509Certificate } from 'node:crypto';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import type { AddressInfo } from 'node:net';
import { certificates } from './certs';
import { FaultPlan } from './faults';
import { LatencyPlan, LatencySettings } from './latency';
import { generateCluster } from './generate';
import { Router } from './router';
import { createRequestHandler, ServerState } from './server';
import { registerClusterRoutes } from './handlers/cluster';
import { registerNodeRoutes } from './handlers/nodes';
import { registerStorageRoutes } from './handlers/storage';
import { registerGuestRoutes } from './handlers/guests';
import { registerBackupJobRoutes } from './handlers/backupJobs';
import type { SimCluster } from './model';
import { healthScenario, SCENARIOS, type ScenarioName } from './scenario';
import { pbsCertificate } from './pbs/cert';
import { generatePbs } from './pbs/generate';
import { buildPbsRouter } from './pbs/handlers';
import { authenticatePbs } from './pbs/auth';

export type * from './model';
export type * from './pbs/model';
export { FaultSyntaxError, FAULT_KINDS, parseFault } from './faults';
export { LatencySyntaxError } from './latency';
export { SCENARIOS, type ScenarioName } from './scenario';
export type { LatencySettings } from './latency';

export interface SimOptions {
  seed?: number;
  nodes?: number;
  guests?: number;
  jobs?: number;
  port?: number;
  httpPort?: number;
  latencyMs?: number;
  /** Up to this many ms more per request, seeded: concurrent requests are answered in a shuffled order. */
  latencyJitterMs?: number;
  /** Seed of the jitter (default: `seed`). */
  latencySeed?: number;
  /** Extra delay on matching paths: '<path glob under /api2/json>:<ms>'. */
  slowPaths?: string[];
  /** Fault strings as on the CLI: '<path glob under /api2/json>:<kind>[:<rate>]'. */
  faults?: string[];
  certificate?: 'a' | 'b';
  pveVersion?: '8.4' | '9.1';
  /** Fixes the clock (epoch seconds): the generated history and every time the API reports. Default: the wall clock. */
  now?: number;
  /**
   * A hand-laid cluster instead of a generated one: 'health' plants every backup-health problem once and describes
   * them in `cluster.scenario` (see src/sim/scenario.ts). `nodes`, `guests` and `jobs` do not apply to it.
   */
  scenario?: ScenarioName;
  /** Delay before a 401, as PVE's 3 s. Default 0 so tests stay fast. */
  authFailureDelayMs?: number;
  /** Also serve a Proxmox Backup Server (its own HTTPS port), and point the cluster's `pbs` storage at it. */
  pbs?: boolean;
}

/** The simulated Proxmox Backup Server of `startSimulator({ pbs: true })`. */
export interface RunningPbs {
  /** https://127.0.0.1:PORT */
  readonly url: string;
  readonly tokenId: string;
  readonly tokenSecret: string;
  /** SHA-256 of its leaf certificate as PBS prints it: lower-case hex pairs joined by ':'. */
  readonly fingerprint: string;
  /** Replaces the active faults on PBS paths (same syntax as the PVE faults); throws FaultSyntaxError. */
  setFaults(faults: string[]): void;
  stats(): { total: number; byPath: Record<string, number> };
}

export interface RunningSimulator {
  /** https://127.0.0.1:PORT (API at url + '/api2/json/...') */
  readonly url: string;
  /** http://127.0.0.1:PORT2 */
  readonly httpUrl: string;
  /** The full-privilege token, e.g. root@pam!proxbox */
  readonly tokenId: string;
  readonly tokenSecret: string;
  /** A token without Sys.Audit (filtered lists, 403 on backup jobs and cluster status). */
  readonly limitedTokenId: string;
  readonly limitedTokenSecret: string;
  /** SHA-256 of the leaf certificate, PVE format: uppercase hex pairs joined by ':' */
  readonly fingerprint: string;
  /** The generated model; tests may mutate it between requests. */
  readonly cluster: SimCluster;
  /** Set when started with `pbs: true`. */
  readonly pbs?: RunningPbs;
  /** Request counts, keyed by the request path without the query (e.g. '/api2/json/cluster/resources'). */
  stats(): { total: number; byPath: Record<string, number> };
  resetStats(): void;
  /** Replaces the active faults; throws FaultSyntaxError (keeping the old ones) for a malformed fault. */
  setFaults(faults: string[]): void;
  /** Changes the given latency settings for the next requests; throws LatencySyntaxError for a malformed slow path. */
  setLatency(settings: LatencySettings): void;
  close(): Promise<void>;
}

export const DEFAULTS = { seed: 1, nodes: 3, guests: 12, jobs: 5 } as const;

export function buildRouter(): Router {
  const router = new Router();
  registerClusterRoutes(router);
  registerNodeRoutes(router);
  registerStorageRoutes(router);
  registerGuestRoutes(router);
  registerBackupJobRoutes(router);
  return router;
}

/**
 * Building a large cluster leaves tens of MB of garbage that V8 would keep reserved until some later collection;
 * one full collection right after generation gives it back, which keeps a 10,000-guest simulator well under its
 * 200 MB budget. V8 exposes `gc` only behind a flag, which can be turned on at runtime for a fresh context.
 */
function compactHeap(): void {
  try {
    setFlagsFromString('--expose-gc');
    (runInNewContext('gc') as () => void)();
  } catch {
    // Only a memory optimisation: without it the simulator works the same.
  }
}

function checkCount(name: string, value: number, min: number, max: number): number {
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new RangeError(`simulator option '${name}' must be an integer from ${min} to ${max}, got ${value}`);
  }
  return value;
}

function listen(server: HttpServer, port: number): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => {
      server.off('error', reject);
      resolve((server.address() as AddressInfo).port);
    });
  });
}

function closeServer(server: HttpServer): Promise<void> {
  return new Promise((resolve) => {
    server.close(() => resolve());
    server.closeAllConnections();
  });
}

/** A simulator started with `pbs: true`: its PBS handle is always there. */
export type RunningSimulatorWithPbs = RunningSimulator & { readonly pbs: RunningPbs };

export async function startSimulator(options: SimOptions & { pbs: true }): Promise<RunningSimulatorWithPbs>;
export async function startSimulator(options?: SimOptions): Promise<RunningSimulator>;
export async function startSimulator(options: SimOptions = {}): Promise<RunningSimulator> {
  const seed = options.seed ?? DEFAULTS.seed;
  const certificate = certificates[options.certificate ?? 'a'];
  if (!certificate) throw new RangeError(`simulator option 'certificate' must be 'a' or 'b', got '${options.certificate}'`);
  const version = options.pveVersion ?? '9.1';
  if (version !== '8.4' && version !== '9.1') throw new RangeError(`simulator option 'pveVersion' must be '8.4' or '9.1', got '${version}'`);
  const fixedNow = options.now;
  const now = (): number => fixedNow ?? Math.floor(Date.now() / 1000);
  if (options.scenario !== undefined && !(SCENARIOS as readonly string[]).includes(options.scenario)) {
    throw new RangeError(`simulator option 'scenario' must be one of ${SCENARIOS.join(', ')}, got '${String(options.scenario)}'`);
  }
  // Anchor history at the start of the hour so two simulators started close together agree.
  const anchor = fixedNow ?? Math.floor(Date.now() / 3_600_000) * 3600;
  const cluster = options.scenario === 'health' ? healthScenario(seed, anchor, version) : generateCluster({
    seed,
    nodes: checkCount('nodes', options.nodes ?? DEFAULTS.nodes, 1, 64),
    guests: checkCount('guests', options.guests ?? DEFAULTS.guests, 0, 100_000),
    jobs: checkCount('jobs', options.jobs ?? DEFAULTS.jobs, 0, 1000),
    version,
    now: anchor,
  });
  if (cluster.guests.length >= 2000) compactHeap();
  const fingerprint = new X509Certificate(certificate.cert).fingerprint256;
  cluster.fingerprint = fingerprint;

  const state: ServerState = {
    cluster,
    router: buildRouter(),
    faults: new FaultPlan(seed, options.faults ?? []),
    latency: new LatencyPlan({
      latencyMs: options.latencyMs ?? 0, jitterMs: options.latencyJitterMs ?? 0, seed: options.latencySeed ?? seed, slowPaths: options.slowPaths ?? [],
    }),
    authFailureDelayMs: Math.max(0, options.authFailureDelayMs ?? 0),
    now,
    stats: { total: 0, byPath: {} },
    held: new Set(),
  };
  const handler = createRequestHandler(state);
  const https = createHttpsServer({ cert: certificate.cert, key: certificate.key }, handler);
  const http = createHttpServer(handler);
  // pveproxy drops idle keep-alive connections after 5 s; clients must cope with that.
  https.keepAliveTimeout = 5000;
  http.keepAliveTimeout = 5000;
  let httpsPort: number;
  let httpPort: number;
  try {
    httpsPort = await listen(https, options.port ?? 0);
    httpPort = await listen(http, options.httpPort ?? 0);
  } catch (err) {
    await Promise.all([closeServer(https), closeServer(http)]);
    throw err;
  }
  let pbs: { running: RunningPbs; close: () => Promise<void> } | undefined;
  if (options.pbs) {
    try {
      pbs = await startPbs(cluster, seed, anchor, now);
    } catch (err) {
      await Promise.all([closeServer(https), closeServer(http)]);
      throw err;
    }
  }
  const [full, limited] = cluster.tokens;
  return {
    ...(pbs ? { pbs: pbs.running } : {}),
    url: `https://127.0.0.1:${httpsPort}`,
    httpUrl: `http://127.0.0.1:${httpPort}`,
    tokenId: full.tokenId,
    tokenSecret: full.secret,
    limitedTokenId: limited.tokenId,
    limitedTokenSecret: limited.secret,
    fingerprint,
    cluster,
    stats: () => ({ total: state.stats.total, byPath: { ...state.stats.byPath } }),
    resetStats: () => {
      state.stats = { total: 0, byPath: {} };
    },
    setFaults: (faults) => state.faults.set(faults),
    setLatency: (settings) => state.latency.set(settings),
    close: async () => {
      for (const res of state.held) res.destroy();
      state.held.clear();
      await Promise.all([closeServer(https), closeServer(http), pbs?.close()]);
    },
  };
}

/**
 * The simulated PBS: its own HTTPS listener, certificate, token, faults and counts, over the model generated from
 * the cluster (whose `pbs` storage it then serves). Started after the PVE listeners, as its port goes into the
 * storage's configuration.
 */
async function startPbs(cluster: SimCluster, seed: number, anchor: number, now: () => number): Promise<{ running: RunningPbs; close: () => Promise<void> }> {
  const https = createHttpsServer({ cert: pbsCertificate.cert, key: pbsCertificate.key });
  // proxmox-backup-proxy keeps idle connections a little longer than pveproxy; the client copes either way.
  https.keepAliveTimeout = 5000;
  let port: number;
  try {
    port = await listen(https, 0);
  } catch (err) {
    await closeServer(https);
    throw err;
  }
  // PBS prints its fingerprint in lower case (proxmox-backup-manager cert info).
  const fingerprint = new X509Certificate(pbsCertificate.cert).fingerprint256.toLowerCase();
  const model = generatePbs(cluster, seed, anchor, port, fingerprint);
  cluster.pbs = model;
  const state: ServerState = {
    cluster,
    router: buildPbsRouter(),
    faults: new FaultPlan(seed, []),
    latency: new LatencyPlan({ latencyMs: 0, jitterMs: 0, seed, slowPaths: [] }),
    authFailureDelayMs: 0,
    now,
    stats: { total: 0, byPath: {} },
    held: new Set(),
    authenticate: (header) => authenticatePbs(header, model.tokens),
    plainTextErrors: true,
  };
  https.on('request', createRequestHandler(state));
  const [token] = model.tokens;
  return {
    running: {
      url: `https://127.0.0.1:${port}`,
      tokenId: token.tokenId,
      tokenSecret: token.secret,
      fingerprint,
      setFaults: (faults) => state.faults.set(faults),
      stats: () => ({ total: state.stats.total, byPath: { ...state.stats.byPath } }),
    },
    close: async () => {
      for (const res of state.held) res.destroy();
      state.held.clear();
      await closeServer(https);
    },
  };
}
