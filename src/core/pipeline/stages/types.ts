// The shape of a stage: a name, the sentence shown when it starts, and a run that reads from Proxmox, reconciles
// into its StageRun and returns how many objects it saw.
import type { StageRun } from '../context';
import type { PipelineStageName } from '../events';

export interface StageDefinition {
  name: PipelineStageName;
  startMessage: string;
  run(run: StageRun): Promise<number>;
}

/**
 * Runs `fn` over items with a p-limit limiter, reporting progress; an item's failure is recorded on the run
 * (grouped by cause) and does not stop the others, unless it dooms the whole run (bad token, cancellation).
 */
export async function forEachItem<T>(
  run: StageRun,
  items: readonly T[],
  limit: <R>(fn: () => Promise<R>) => Promise<R>,
  describe: (item: T) => { name: string; item_type: string },
  fn: (item: T) => Promise<void>,
): Promise<void> {
  let done = 0;
  let fatal: unknown;
  await Promise.all(items.map((item) => limit(async () => {
    if (fatal !== undefined) return;
    try {
      run.ctx.checkCancelled();
      await fn(item);
    } catch (err) {
      try {
        run.itemFailed(describe(item), err);
      } catch (stop) {
        fatal ??= stop;
      }
    }
    done++;
    run.progress(done, items.length);
  })));
  if (fatal !== undefined) throw fatal;
}
