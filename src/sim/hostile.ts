// Hostile answers (the `huge`, `long-number` and `long-schedule` faults, see faults.ts): the path's real data with
// one thing a careless client chokes on. Each keeps the simulator's own memory small: the huge body is streamed in
// chunks with back-pressure, and the rows are copied (shallowly) rather than changed in the model.
import type { Writable } from 'node:stream';
import type { ServerResponse } from 'node:http';

const MiB = 1024 * 1024;
/** One chunk of the padding: printable, JSON-safe, written again and again. */
const PAD_CHUNK = 'proxbox-hostile-padding-'.repeat(Math.ceil((64 * 1024) / 24)).slice(0, 64 * 1024);

/**
 * Writes to `sink` (the response, or a gzip stream in front of it), waiting for `drain` when the buffer is full, or
 * for the response to close (a client that left). The server streams large lists through the same function.
 */
export async function writeWithBackpressure(sink: Writable, res: ServerResponse, text: string): Promise<void> {
  if (sink.write(text)) return;
  await new Promise<void>((resolve) => {
    const done = (): void => {
      sink.off('drain', done);
      res.off('close', done);
      resolve();
    };
    sink.on('drain', done);
    res.on('close', done);
  });
}

const write = (res: ServerResponse, text: string): Promise<void> => writeWithBackpressure(res, res, text);

/**
 * `{"data":<the real data>,"padding":"…"}` with `mib` MiB of padding, chunked (no Content-Length, so only counting
 * while reading can stop it). Valid JSON throughout: a client that accepts it decodes the real data. Stops as soon
 * as the client goes away.
 */
export async function sendHuge(res: ServerResponse, envelope: Record<string, unknown>, mib: number): Promise<void> {
  res.statusCode = 200;
  res.statusMessage = 'OK';
  res.setHeader('Content-Type', 'application/json;charset=UTF-8');
  const head = JSON.stringify(envelope);
  await write(res, `${head.slice(0, -1)},"padding":"`);
  let left = mib * MiB;
  while (left > 0 && !res.destroyed) {
    const part = left >= PAD_CHUNK.length ? PAD_CHUNK : PAD_CHUNK.slice(0, left);
    left -= part.length;
    await write(res, part);
  }
  if (!res.destroyed) res.end('"}');
}

type Row = Record<string, unknown>;
const isRow = (v: unknown): v is Row => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Replaces field `pick(row)` of the first row that has one (guests' rows first), in a copy of `data`. */
function replaceInFirstRow(data: unknown, pick: (row: Row) => string | undefined, value: string): unknown {
  const rows = Array.isArray(data) ? data : [data];
  const order = Array.from(rows.keys()).sort((a, b) => Number(!(isRow(rows[a]) && 'vmid' in rows[a])) - Number(!(isRow(rows[b]) && 'vmid' in rows[b])));
  for (const i of order) {
    const row = rows[i];
    if (!isRow(row)) continue;
    const field = pick(row);
    if (field === undefined) continue;
    const copy = { ...row, [field]: value };
    if (!Array.isArray(data)) return copy;
    const out = data.slice();
    out[i] = copy;
    return out;
  }
  return data;
}

/** The numeric fields a long number goes into, most telling first. */
const NUMERIC_FIELDS = ['maxmem', 'mem', 'maxdisk', 'disk', 'size', 'total', 'used', 'uptime', 'cpus', 'maxcpu', 'starttime'];

/** One numeric field of one row becomes `digits` digits followed by 'x' (the shape that made number parsing slow). */
export function withLongNumber(data: unknown, digits: number): unknown {
  return replaceInFirstRow(data, (row) => NUMERIC_FIELDS.find((f) => typeof row[f] === 'number'), `${'9'.repeat(digits)}x`);
}

/** One row's schedule becomes 'x' + `spaces` spaces + 'x' (the shape that made trimming before the length check slow). */
export function withLongSchedule(data: unknown, spaces: number): unknown {
  return replaceInFirstRow(data, (row) => (typeof row.schedule === 'string' ? 'schedule' : undefined), `x${' '.repeat(spaces)}x`);
}
