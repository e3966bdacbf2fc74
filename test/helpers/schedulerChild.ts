// Child process for the two-process lease test: a scheduler with a 1-second schedule whose "sync" only appends
// a line to a shared file. Usage: node schedulerChild.js <storeDir> <runsFile>. Prints "ready"; stops on SIGTERM.
import { appendFileSync } from 'node:fs';
import { JobService, SyncRunner } from '../../src/core/jobs';

async function main(): Promise<void> {
  const [storeDir, runsFile] = process.argv.slice(2);
  const runner: SyncRunner = {
    async run({ endpointId }) {
      const start = Date.now();
      await new Promise((r) => setTimeout(r, 50));
      appendFileSync(runsFile, `${process.pid} ${start} ${Date.now()} ${endpointId}\n`);
      return { ok: true };
    },
  };
  const service = new JobService({ storeDir, runner, heartbeatMs: 150, leaseTtlMs: 600, label: `test child ${process.pid}` });
  await service.start();
  await service.schedule({ key: 'two-processes', syncType: 'all', endpoints: ['pve1'], schedule: { mode: 'seconds', seconds: 1 } });
  process.on('SIGTERM', () => {
    void service.dispose('Stopped by SIGTERM.').then(() => process.exit(0));
  });
  process.stdout.write(`ready ${service.isScheduler ? 'scheduler' : 'viewer'}\n`);
}

main().catch((err) => {
  process.stderr.write(`${String(err)}\n`);
  process.exit(1);
});
