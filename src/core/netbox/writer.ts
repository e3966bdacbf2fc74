// Bulk writes in batches, where one bad object does not block the others. NetBox's bulk writes are all-or-nothing
// and answer a validation failure with one error object per input item; the items that carry errors are set aside
// (named with the field and NetBox's words) and the rest of the batch is sent again without them. A failure that
// names no item (a 409, a 500) is narrowed down by halves, so the objects that can be written still are.
import type { NetBoxApi, NetBoxItemErrors, NetBoxObject } from './api';

export interface WriteItem<B> {
  /** What the user knows the object as: "virtual machine web1 (vmid 101)". */
  label: string;
  body: B;
}

export interface ItemFailure {
  label: string;
  /** "name: Virtual machine with this name already exists in cluster Lab." */
  reason: string;
  status?: number;
}

export interface BatchOutcome {
  /** Per input item: the object NetBox returned (create/update), true (delete), or undefined when it failed. */
  results: Array<NetBoxObject | true | undefined>;
  failures: ItemFailure[];
}

interface ErrorLike { status?: number; itemErrors?: NetBoxItemErrors; category?: string; message?: string; netboxMessage?: string }

/** Errors that concern the whole of NetBox (down, bad token, cancelled): they end the sink, not an item. */
export function isSinkFatal(err: unknown): boolean {
  const e = err as ErrorLike & { name?: string };
  if (e?.name === 'AbortError' || e?.category === 'cancelled') return true;
  return e?.category === 'authentication' || e?.category === 'permission' || e?.category === 'connection' || e?.category === 'timeout'
    || (typeof e?.status === 'number' && e.status >= 500);
}

/** "name: must be unique; slug: This field is required." from one item's error object. */
export function describeItemError(errors: Record<string, unknown>): string {
  return Object.entries(errors).map(([field, v]) => {
    const text = Array.isArray(v) ? v.map((x) => (typeof x === 'string' ? x : JSON.stringify(x))).join(' ') : typeof v === 'string' ? v : JSON.stringify(v);
    return field === 'non_field_errors' || field === 'detail' ? text : `${field}: ${text}`;
  }).join('; ');
}

const hasErrors = (e: unknown): boolean => !!e && typeof e === 'object' && Object.keys(e as object).length > 0;

type Send<B> = (bodies: B[]) => Promise<Array<NetBoxObject | true>>;

async function writeIsolating<B>(items: WriteItem<B>[], send: Send<B>, out: BatchOutcome, index: number[]): Promise<void> {
  let pending = items.map((item, i) => ({ item, at: index[i] }));
  // Each round either writes the batch or removes at least one item, so this ends.
  while (pending.length) {
    try {
      const written = await send(pending.map((p) => p.item.body));
      pending.forEach((p, i) => { out.results[p.at] = written[i]; });
      return;
    } catch (err) {
      const e = err as ErrorLike;
      // Only NetBox's refusal of the objects themselves (400, 409) is narrowed down to the items; anything else (down,
      // token, a 404 path, rate limit, an answer we could not read: the write may have happened) ends the sink.
      if (isSinkFatal(err) || (e.status !== 400 && e.status !== 409)) throw err;
      const aligned = Array.isArray(e.itemErrors) && e.itemErrors.length === pending.length && e.itemErrors.some(hasErrors);
      if (aligned) {
        const rest: typeof pending = [];
        pending.forEach((p, i) => {
          const itemError = e.itemErrors![i];
          if (hasErrors(itemError)) out.failures.push({ label: p.item.label, reason: describeItemError(itemError), status: e.status });
          else rest.push(p);
        });
        pending = rest;
        continue;
      }
      if (pending.length === 1) {
        out.failures.push({ label: pending[0].item.label, reason: e.netboxMessage ?? e.message ?? String(err), status: e.status });
        return;
      }
      const half = Math.ceil(pending.length / 2);
      const [a, b] = [pending.slice(0, half), pending.slice(half)];
      await writeIsolating(a.map((p) => p.item), send, out, a.map((p) => p.at));
      await writeIsolating(b.map((p) => p.item), send, out, b.map((p) => p.at));
      return;
    }
  }
}

/** How many objects the batches before an error wrote (attached to the error that stopped them). */
export function writtenBefore(err: unknown): number {
  const n = err && typeof err === 'object' ? (err as { batchWritten?: unknown }).batchWritten : undefined;
  return typeof n === 'number' ? n : 0;
}

async function inBatches<B>(items: WriteItem<B>[], batchSize: number, send: Send<B>): Promise<BatchOutcome> {
  const out: BatchOutcome = { results: new Array(items.length).fill(undefined), failures: [] };
  try {
    for (let start = 0; start < items.length; start += batchSize) {
      const batch = items.slice(start, start + batchSize);
      await writeIsolating(batch, send, out, batch.map((_, i) => start + i));
    }
  } catch (err) {
    if (err && typeof err === 'object') Object.defineProperty(err, 'batchWritten', { value: out.results.filter((r) => r !== undefined).length, enumerable: false });
    throw err;
  }
  return out;
}

export class BatchWriter {
  constructor(private readonly api: NetBoxApi, private readonly batchSize: number, private readonly signal?: AbortSignal) {}

  create(path: string, items: WriteItem<Record<string, unknown>>[]): Promise<BatchOutcome> {
    return inBatches(items, this.batchSize, (bodies) => this.api.create(path, bodies, this.signal));
  }

  /** Updated objects by id: NetBox skips unknown ids silently, so an id missing from the answer is a failure. */
  update(path: string, items: WriteItem<{ id: number } & Record<string, unknown>>[]): Promise<BatchOutcome> {
    return inBatches(items, this.batchSize, async (bodies) => {
      const written = await this.api.update(path, bodies, this.signal);
      const byId = new Map(written.map((o) => [o.id, o]));
      return bodies.map((b) => byId.get(b.id) ?? Object.assign(new Error('gone'), { missing: true }) as unknown as NetBoxObject);
    }).then((out) => {
      out.results.forEach((r, i) => {
        if (r && r !== true && (r as unknown as { missing?: boolean }).missing) {
          out.results[i] = undefined;
          out.failures.push({ label: items[i].label, reason: `NetBox no longer has object ${items[i].body.id} (deleted while syncing?); the next sync creates it again.` });
        }
      });
      return out;
    });
  }

  delete(path: string, items: WriteItem<number>[]): Promise<BatchOutcome> {
    return inBatches(items, this.batchSize, async (ids) => {
      await this.api.delete(path, ids, this.signal);
      return ids.map(() => true as const);
    });
  }
}
