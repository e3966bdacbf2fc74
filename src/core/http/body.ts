// What every HTTP client of ours (Proxmox, NetBox) does the same way: read an answer without ever holding more than a
// limit, and wait between retries in a way a cancel cuts short.
import type { Dispatcher } from 'undici';

/**
 * Reads the body while counting its bytes. Past `limit`, `fail` throws `tooLarge(seen, declared)` (a declared
 * Content-Length over the limit fails before anything is read) and `cut` stops reading and keeps what came so far.
 * Either way no more than `limit` bytes are ever held.
 */
export async function readBodyCapped(
  res: Dispatcher.ResponseData, limit: number, over: 'fail' | 'cut', tooLarge: (seen: number, declared: boolean) => Error,
): Promise<{ text: string; bytes: number }> {
  const declared = Number(res.headers['content-length']);
  if (over === 'fail' && Number.isFinite(declared) && declared > limit) {
    // Destroying the body emits an abort error on it: nobody is left to read it, so it is swallowed here.
    res.body.on('error', () => undefined);
    res.body.destroy();
    throw tooLarge(declared, true);
  }
  const chunks: Buffer[] = [];
  let bytes = 0;
  for await (const chunk of res.body as AsyncIterable<Buffer>) {
    if (bytes + chunk.length > limit) {
      // Leaving the loop destroys the body, which aborts the transfer: the rest is never received.
      if (over === 'fail') throw tooLarge(bytes + chunk.length, false);
      chunks.push(chunk.subarray(0, limit - bytes));
      bytes = limit;
      break;
    }
    chunks.push(chunk);
    bytes += chunk.length;
  }
  return { text: Buffer.concat(chunks, bytes).toString('utf8'), bytes };
}

/** Waits `ms`, or less when the signal aborts (the caller then sees the abort itself). */
export function sleep(ms: number, signal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(done, ms);
    function done(): void {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    }
    signal?.addEventListener('abort', done, { once: true });
  });
}
