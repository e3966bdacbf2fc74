// A tiny HTTPS server on 127.0.0.1 for client tests that need behaviour the simulator does not offer (exact
// bodies, counting open requests). It speaks real TLS with the certificates in test/fixtures/tls.
import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:https';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { X509Certificate } from 'node:crypto';
import { fixture } from '../../helpers/paths';

export type Handler = (req: IncomingMessage, res: ServerResponse) => void;

export const certPem = (name: 'a' | 'b' | 'ca'): string => readFileSync(fixture('tls', `${name}.pem`), 'utf8');
export const fingerprintOf = (name: 'a' | 'b' | 'ca'): string => new X509Certificate(certPem(name)).fingerprint256;

export interface TestServer {
  url: string;
  /** Requests that reached the handler. */
  requests: IncomingMessage[];
  /** Highest number of requests open at the same time. */
  maxOpen: number;
  open: number;
  /** Requests whose connection closed before an answer was sent. */
  abandoned: number;
  close(): Promise<void>;
}

export async function startTestServer(cert: 'a' | 'b', handler: Handler): Promise<TestServer> {
  const state = { requests: [] as IncomingMessage[], maxOpen: 0, open: 0, abandoned: 0 };
  const server: Server = createServer({ key: readFileSync(fixture('tls', `${cert}-key.pem`)), cert: certPem(cert) }, (req, res) => {
    state.requests.push(req);
    state.open++;
    state.maxOpen = Math.max(state.maxOpen, state.open);
    let done = false;
    const finish = (): void => {
      if (!done) {
        done = true;
        state.open--;
      }
    };
    res.on('finish', finish);
    res.on('close', () => {
      if (!res.writableFinished) state.abandoned++;
      finish();
    });
    handler(req, res);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return Object.assign(state, {
    url: `https://127.0.0.1:${port}`,
    close: () => new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    }),
  });
}

export const json = (res: ServerResponse, status: number, body: unknown, reason?: string): void => {
  const text = body === undefined ? '' : JSON.stringify(body);
  res.writeHead(status, reason ?? '', { 'content-type': 'application/json;charset=UTF-8', 'content-length': Buffer.byteLength(text) });
  res.end(text);
};
