// One SSE request to proxbox-api: GET with the API key, frames parsed by eventsource-parser (the maintained parser
// from npm; keep-alive comments are comments to it and never reach us). HTTP answers that mean "wrong key" or
// "not a proxbox-api" become errors that say so; the body is read until the server ends it or the signal aborts.
import { Agent, errors as undiciErrors, request } from 'undici';
import { createParser } from 'eventsource-parser';
import { buildEndpointConnector } from '../proxmox/tls';
import type { ErrorCategory } from '../errors/explain';

/** A failure of the request or the stream, explained for the user. The API key is never part of it. */
export class RemoteStreamError extends Error {
  constructor(readonly category: ErrorCategory, message: string, readonly suggestion: string, readonly status?: number) {
    super(message);
    this.name = 'RemoteStreamError';
  }
}

export interface StreamOptions {
  apiKey: string;
  signal: AbortSignal;
  /** Time to the response headers, and longest silence between two chunks (the backend sends a keep-alive every 15 s). */
  timeoutMs: number;
  dispatcher: Agent;
  onFrame: (event: string | undefined, data: string) => void;
  /** The backend answered with an event stream (so a later break is a stream that closed early, not an unreachable host). */
  onOpen?: () => void;
}

/** Largest single frame accepted: a broken or hostile server cannot make us buffer without end. */
const MAX_FRAME_CHARS = 16 * 1024 * 1024;

export function createDispatcher(opts: { fingerprint?: string; ca?: string | string[]; timeoutMs: number }): Agent {
  return new Agent({
    connect: buildEndpointConnector({ fingerprint: opts.fingerprint, ca: opts.ca, connectTimeoutMs: opts.timeoutMs }),
    headersTimeout: opts.timeoutMs,
    bodyTimeout: opts.timeoutMs,
  });
}

function statusError(status: number, url: URL): RemoteStreamError {
  const where = `GET ${url.pathname}`;
  if (status === 401 || status === 403) {
    return new RemoteStreamError('authentication', `The proxbox-api backend refused the API key (${where}: HTTP ${status}).`,
      'Check the API key (PROXBOX_API_KEY, or the key file): it must be one the backend accepts in X-Proxbox-API-Key.', status);
  }
  if (status === 404) {
    return new RemoteStreamError('not_found', `${where} answered HTTP 404: this URL is not a proxbox-api backend (or the stage does not exist there).`,
      'Check the URL: it is the base URL of proxbox-api (the one that serves /full-update/stream), not NetBox or Proxmox; an older backend may lack a per-stage stream.', status);
  }
  if (status >= 300 && status < 400) {
    return new RemoteStreamError('connection', `${where} answered with a redirect (HTTP ${status}), which is not followed.`,
      'Give the URL the backend itself answers on (the redirect target), so the API key goes nowhere else.', status);
  }
  if (status === 429) return new RemoteStreamError('rate_limit', `${where}: the backend is busy (HTTP 429).`, 'Wait until its running sync ends, then try again.', status);
  return new RemoteStreamError(status >= 500 ? 'connection' : 'validation', `${where} answered HTTP ${status}.`,
    status >= 500 ? 'The backend failed or is restarting: check its log, then try again.' : 'The backend refused the request: check the URL and the stage names.', status);
}

/** Resolves when the server ended the body; rejects with a RemoteStreamError, or the abort reason when cancelled. */
export async function readStream(url: URL, opts: StreamOptions): Promise<void> {
  const res = await request(url, {
    method: 'GET',
    dispatcher: opts.dispatcher,
    signal: opts.signal,
    headers: { 'X-Proxbox-API-Key': opts.apiKey, Accept: 'text/event-stream', 'Cache-Control': 'no-cache' },
  });
  if (res.statusCode < 200 || res.statusCode >= 300) {
    res.body.resume();
    throw statusError(res.statusCode, url);
  }
  const type = String(res.headers['content-type'] ?? '');
  if (!type.toLowerCase().startsWith('text/event-stream')) {
    res.body.resume();
    throw new RemoteStreamError('validation', `GET ${url.pathname} answered ${type || 'no content type'} instead of an event stream: this URL is not a proxbox-api backend.`,
      'Check the URL: it is the base URL of proxbox-api, not NetBox or Proxmox.');
  }
  opts.onOpen?.();
  let parseError: Error | undefined;
  const parser = createParser({
    maxBufferSize: MAX_FRAME_CHARS,
    onEvent: (m) => opts.onFrame(m.event, m.data),
    onError: (err) => {
      if (err.type === 'max-buffer-size-exceeded') parseError = err;
    },
  });
  const decoder = new TextDecoder();
  for await (const chunk of res.body) {
    parser.feed(decoder.decode(chunk as Uint8Array, { stream: true }));
    if (parseError) {
      res.body.destroy();
      throw new RemoteStreamError('validation', `the backend sent a frame larger than ${MAX_FRAME_CHARS / 1024 / 1024} MiB.`, 'Check the backend and any proxy in between.');
    }
  }
  parser.feed(decoder.decode());
}

/** Why a stream broke, in words (a socket error, a timeout): the cause part of "closed the stream before …". */
export function describeBreak(err: unknown): { category: ErrorCategory; cause: string } {
  if (err instanceof undiciErrors.BodyTimeoutError) return { category: 'timeout', cause: 'it sent nothing, not even a keep-alive, for longer than the timeout' };
  if (err instanceof undiciErrors.HeadersTimeoutError) return { category: 'timeout', cause: 'it did not answer in time' };
  const code = (err as { code?: string; cause?: { code?: string } })?.code ?? (err as { cause?: { code?: string } })?.cause?.code;
  const message = err instanceof Error ? err.message : String(err);
  return { category: 'connection', cause: code ? `${message} (${code})` : message };
}
