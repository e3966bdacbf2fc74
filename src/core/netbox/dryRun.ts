// A dry run: NetBox is read as usual, but every write is handed to `record` instead of being sent, and answered as
// NetBox would (the objects back, with made-up negative ids), so the later steps of the sink plan their writes on top
// of the earlier ones and the list of writes is the one a real run would make.
import type { NetBoxApi, NetBoxObject, NetBoxStatus } from './api';

export interface PlannedWrite {
  method: 'POST' | 'PATCH' | 'DELETE';
  path: string;
  body: unknown[];
}

export class DryRunNetBox implements NetBoxApi {
  private nextId = -1;
  private writes = 0;
  /** Tags only planned: NetBox refuses a filter by a tag it does not have, and nothing can carry it yet anyway. */
  private readonly plannedTags = new Set<string>();
  /** Objects as listed, so a planned update answers with the whole object as NetBox would. */
  private readonly seen = new Map<string, NetBoxObject>();

  constructor(private readonly real: NetBoxApi, private readonly record: (w: PlannedWrite) => void) {}

  get requestCount(): number {
    return this.real.requestCount;
  }

  /** Writes that a real run would have sent (none was). */
  get writeCount(): number {
    return this.writes;
  }

  status(signal?: AbortSignal): Promise<NetBoxStatus> {
    return this.real.status(signal);
  }

  hasProxboxPlugin(signal?: AbortSignal): Promise<boolean> {
    return this.real.hasProxboxPlugin(signal);
  }

  async list(path: string, query?: Record<string, string | string[]>, signal?: AbortSignal): Promise<NetBoxObject[]> {
    const tag = query?.tag;
    if (typeof tag === 'string' && this.plannedTags.has(tag)) return [];
    const rows = await this.real.list(path, query, signal);
    for (const r of rows) this.seen.set(`${path}#${r.id}`, r);
    return rows;
  }

  async create(path: string, items: ReadonlyArray<Record<string, unknown>>): Promise<NetBoxObject[]> {
    this.writes++;
    this.record({ method: 'POST', path, body: [...items] });
    if (path === '/api/extras/tags/') for (const i of items) if (typeof i.slug === 'string') this.plannedTags.add(i.slug);
    return items.map((i) => ({ ...i, id: this.nextId-- }));
  }

  async update(path: string, items: ReadonlyArray<{ id: number } & Record<string, unknown>>): Promise<NetBoxObject[]> {
    this.writes++;
    this.record({ method: 'PATCH', path, body: [...items] });
    return items.map((i) => ({ ...this.seen.get(`${path}#${i.id}`), ...i }));
  }

  async delete(path: string, ids: readonly number[]): Promise<void> {
    this.writes++;
    this.record({ method: 'DELETE', path, body: ids.map((id) => ({ id })) });
  }

  close(): Promise<void> {
    return this.real.close();
  }
}
