// A sync runner for scheduler tests: records every call, emits pipeline-shaped events, takes `durationMs` of
// injected-clock time, and fails on purpose when told to. It also proves that no endpoint ever runs twice at once.
import { Clock, SyncOutcome, SyncRunRequest, SyncRunner } from '../../src/core/jobs';
import { progress, type CompleteData, type PipelineEvent } from '../../src/core/pipeline/events';

export type Behaviour = 'ok' | 'errored' | 'throw';

export interface RunCall {
  jobId: string;
  endpointId: string;
  stages: readonly string[] | undefined;
  interactive: boolean;
  trigger: 'manual' | 'schedule';
  start: number;
  end?: number;
  aborted?: boolean;
}

export class FakeRunner implements SyncRunner {
  readonly calls: RunCall[] = [];
  readonly overlaps: string[] = [];
  private readonly active = new Set<string>();
  durationMs = 0;
  /** Behaviour of the next runs in order; when empty, 'ok'. */
  plan: Behaviour[] = [];
  extraEvents = 0;
  throwMessage = 'socket hang up';

  constructor(private readonly clock: Clock) {}

  async run(req: SyncRunRequest): Promise<SyncOutcome> {
    const call: RunCall = { jobId: req.jobId, endpointId: req.endpointId, stages: req.stages, interactive: req.interactive, trigger: req.trigger, start: this.clock.now() };
    this.calls.push(call);
    if (this.active.has(req.endpointId)) this.overlaps.push(`${req.endpointId}@${call.start}`);
    this.active.add(req.endpointId);
    const behaviour = this.plan.shift() ?? 'ok';
    try {
      req.onEvent({ event: 'step', data: { step: 'devices', status: 'started', message: 'Starting devices synchronization.' } });
      for (let i = 0; i < this.extraEvents; i++) {
        req.onEvent({ event: 'item_progress', data: { event: 'item_progress', phase: 'devices', status: 'failed', message: `node${i} failed`, item: { name: `node${i}`, item_type: 'node' }, error: `boom ${i}`, progress: progress(i + 1, this.extraEvents) } });
      }
      if (this.durationMs > 0) {
        await new Promise<void>((resolve) => {
          const cancel = this.clock.setTimer(this.durationMs, resolve);
          req.signal.addEventListener('abort', () => { cancel(); resolve(); }, { once: true });
        });
      }
      if (req.signal.aborted) {
        call.aborted = true;
        return { ok: false, message: 'Cancelled.' };
      }
      if (behaviour === 'throw') throw new Error(this.throwMessage);
      req.onEvent({ event: 'phase_summary', data: { event: 'phase_summary', phase: 'devices', status: 'completed', message: 'devices done', result: { created: 1, updated: 2, deleted: 0, failed: 0, skipped: 0, total: 3 }, timing: { elapsed_ms: 410 } } });
      req.onEvent({ event: 'step', data: { step: 'devices', status: 'completed', message: 'Devices synchronized.', result: { count: 3, created: 1, updated: 2, deleted: 0, stale: 0, failed: 0, skipped: 0 }, duration_seconds: 0.41 } });
      if (behaviour === 'errored') {
        req.onEvent({ event: 'error_detail', data: { event: 'error_detail', phase: 'storage', category: 'connection', message: 'Proxmox did not answer', detail: 'ECONNREFUSED', suggestion: 'Check that the host is up.' } });
        req.onEvent(complete(req.endpointId, false, 'storage failed'));
        return { ok: false, message: 'storage failed' };
      }
      req.onEvent(complete(req.endpointId, true, 'Sync completed.'));
      return { ok: true, message: 'Sync completed.' };
    } finally {
      call.end = this.clock.now();
      this.active.delete(req.endpointId);
    }
  }

  startsFor(endpoint?: string): number[] {
    return this.calls.filter((c) => !endpoint || c.endpointId === endpoint).map((c) => c.start);
  }
}

function complete(endpoint: string, ok: boolean, message: string): PipelineEvent {
  const data: CompleteData = {
    ok, message, cancelled: false, endpoint, stages: [], warnings: [], failed_stages: ok ? [] : ['storage'], skipped_stages: [],
    result: { created: 1, updated: 2, deleted: 0, failed: ok ? 0 : 1, skipped: 0, total: 3, stale: 0, requests: 4, written: 1 },
    duration_seconds: 0.5,
  };
  return { event: 'complete', data };
}
