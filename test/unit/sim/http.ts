// A bare HTTP(S) client for the simulator tests: the real API client lives elsewhere, and these tests check what
// the simulator puts on the wire, byte for byte.
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';
import { Agent as HttpAgent, request as httpRequest, IncomingHttpHeaders } from 'node:http';

// Keep-alive agents: a fresh TLS handshake per request would dominate the run time of the schema sweep.
const httpsAgent = new HttpsAgent({ keepAlive: true, rejectUnauthorized: false });
const httpAgent = new HttpAgent({ keepAlive: true });

export interface RawResponse {
  status: number;
  statusMessage: string;
  headers: IncomingHttpHeaders;
  body: string;
}

export function authHeader(tokenId: string, secret: string): string {
  return `PVEAPIToken=${tokenId}=${secret}`;
}

export function get(base: string, path: string, headers: Record<string, string> = {}, timeoutMs = 10_000, keepAlive = true): Promise<RawResponse> {
  const url = new URL(path, base);
  const request = url.protocol === 'https:' ? httpsRequest : httpRequest;
  return new Promise((resolve, reject) => {
    const agent = !keepAlive ? false : url.protocol === 'https:' ? httpsAgent : httpAgent;
    const req = request(url, { method: 'GET', headers, rejectUnauthorized: false, agent, timeout: timeoutMs }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, statusMessage: res.statusMessage ?? '', headers: res.headers, body: Buffer.concat(chunks).toString('utf8') }));
      res.on('error', reject);
    });
    req.on('timeout', () => req.destroy(Object.assign(new Error('client timeout'), { code: 'CLIENT_TIMEOUT' })));
    req.on('error', reject);
    req.end();
  });
}

/** GET an API path with the given token and return the parsed JSON body (asserting nothing). */
export async function api(sim: { url: string; tokenId: string; tokenSecret: string }, path: string): Promise<RawResponse & { json: unknown }> {
  const res = await get(sim.url, `/api2/json${path}`, { Authorization: authHeader(sim.tokenId, sim.tokenSecret) });
  let json: unknown;
  try {
    json = res.body ? JSON.parse(res.body) : undefined;
  } catch {
    json = undefined;
  }
  return { ...res, json };
}
