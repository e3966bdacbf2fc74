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

  list(path: string, query?: Record<string, string | string[]>, signal?: AbortSignal): Promise<NetBoxObject[]> {
    return this.real.list(path, query, signal);
  }

  async create(path: string, items: ReadonlyArray<Record<string, unknown>>): Promise<NetBoxObject[]> {
    this.writes++;
    this.record({ method: 'POST', path, body: [...items] });
    return items.map((i) => ({ ...i, id: this.nextId-- }));
  }

  async update(path: string, items: ReadonlyArray<{ id: number } & Record<string, unknown>>): Promise<NetBoxObject[]> {
    this.writes++;
    this.record({ method: 'PATCH', path, body: [...items] });
    return items.map((i) => ({ ...i }));
  }

  async delete(path: string, ids: readonly number[]): Promise<void> {
    this.writes++;
    this.record({ method: 'DELETE', path, body: ids.map((id) => ({ id })) });
  }

  close(): Promise<void> {
    return this.real.close();
  }
}
