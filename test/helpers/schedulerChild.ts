// Child process for the lease tests across processes: a scheduler whose "sync" only waits and appends a line to a
// shared file. Usage: node schedulerChild.js <storeDir> <runsFile> [<options as JSON>].
// By default it schedules a 1-second recurring sync of pve1 (key 'two-processes'). Prints "ready <role>" once
// started, then "role <scheduler|viewer>" when its role changes and "start <endpoint>" / "end <endpoint> <ok|aborted>"
// around each run; stops cleanly on SIGTERM.
import { appendFileSync } from 'node:fs';
import { JobRequest, JobService, SyncRunner } from '../../src/core/jobs';

interface ChildOptions {
  /** How long a run takes (abortable); default 50 ms. */
  runMs?: number;
  ttlMs?: number;
  pickupTimeoutMs?: number;
  /** Hold the lease but never pick up other processes' requests: a stalled holder. */
  stallRequests?: boolean;
  /** What to schedule instead of the default. */
  request?: JobRequest;
}

async function main(): Promise<void> {
  const [storeDir, runsFile, json] = process.argv.slice(2);
  const options = (json ? JSON.parse(json) : {}) as ChildOptions;
  const say = (line: string): void => void process.stdout.write(`${line}\n`);
  const runner: SyncRunner = {
    async run({ endpointId, signal }) {
      const start = Date.now();
      say(`start ${endpointId}`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, options.runMs ?? 50);
        signal.addEventListener('abort', () => { clearTimeout(timer); resolve(); }, { once: true });
      });
      const how = signal.aborted ? 'aborted' : 'ok';
      appendFileSync(runsFile, `${process.pid} ${start} ${Date.now()} ${endpointId} ${how}\n`);
      say(`end ${endpointId} ${how}`);
      return { ok: !signal.aborted };
    },
  };
  const service = new JobService({
    storeDir, runner, heartbeatMs: 150, leaseTtlMs: options.ttlMs ?? 600, label: `test child ${process.pid}`,
    ...(options.pickupTimeoutMs !== undefined ? { pickupTimeoutMs: options.pickupTimeoutMs } : {}),
    ...(options.stallRequests ? { pickUpRequests: false } : {}),
  });
  await service.start();
  await service.schedule(options.request ?? { key: 'two-processes', syncType: 'all', endpoints: ['pve1'], schedule: { mode: 'seconds', seconds: 1 } });
  service.onDidChange((c) => { if (c.kind === 'role') say(`role ${c.scheduler ? 'scheduler' : 'viewer'}`); });
  process.on('SIGTERM', () => {
    void service.dispose('Stopped by SIGTERM.').then(() => process.exit(0));
  });
  say(`ready ${service.isScheduler ? 'scheduler' : 'viewer'}`);
}

main().catch((err) => {
  process.stderr.write(`${String(err)}\n`);
  process.exit(1);
});
