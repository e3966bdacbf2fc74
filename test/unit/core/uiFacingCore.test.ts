// The core functions the composition root hands to the UI (src/extension.ts binds them to the CoreServices
// interface one for one), run against the simulator over real HTTPS: no VS Code needed, no vscode import.
import { strict as assert } from 'node:assert';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { explainError } from '../../../src/core/errors/explain';
import { loadInventory, removeInventory } from '../../../src/core/inventory/inventory';
import { DocumentStore } from '../../../src/core/inventory/store';
import { JobService } from '../../../src/core/jobs/jobService';
import { previewRuns } from '../../../src/core/jobs/preview';
import type { PipelineEvent } from '../../../src/core/pipeline/events';
import { applyEvent, describeEvent, progressMessage, startRun } from '../../../src/core/pipeline/reducer';
import { runSync } from '../../../src/core/pipeline/runner';
import { fetchCertificate } from '../../../src/core/proxmox/tls';
import { testConnection } from '../../../src/core/proxmox/testConnection';
import { startSimulator, type RunningSimulator } from '../../../src/sim';
import { presentRoutine } from '../../../src/ui/format/routineView';
import { groupGuestsByNode } from '../../../src/ui/format/guestGroups';

const options = { timeoutMs: 5000, retries: 0, concurrency: { fetch: 4, vm: 4, backupBatch: 2 } };

describe('core for the UI: connection test, sync, reducer and jobs against the simulator', function () {
  this.timeout(20000);
  let sim: RunningSimulator;
  let dir: string;
  before(async () => {
    sim = await startSimulator({ seed: 3, nodes: 2, guests: 6, jobs: 3 });
    dir = mkdtempSync(join(tmpdir(), 'proxbox-ui-'));
  });
  after(async () => {
    await sim.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('reads the self-signed certificate as untrusted, with the fingerprint the simulator reports', async () => {
    const cert = await fetchCertificate(sim.url, { timeoutMs: 5000 });
    assert.equal(cert.trustedByCA, false);
    assert.equal(cert.fingerprint, sim.fingerprint);
    assert.ok(cert.subject.length > 0 && cert.validTo.length > 0);
  });

  it('tests a connection with a pinned certificate', async () => {
    const r = await testConnection({ id: 't', name: 't', url: sim.url, tokenId: sim.tokenId, fingerprint: sim.fingerprint }, sim.tokenSecret, options);
    assert.match(r.version, /2 nodes visible/);
  });

  it('a wrong secret is an authentication error with a next step, and the secret never shows', async () => {
    const wrong = 'aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee';
    const err = await testConnection({ id: 't', name: 't', url: sim.url, tokenId: sim.tokenId, fingerprint: sim.fingerprint }, wrong, options)
      .then(() => undefined, (e: unknown) => e);
    const x = explainError(err);
    assert.equal(x.category, 'authentication');
    assert.ok((x.suggestion ?? '').length > 10);
    assert.ok(!JSON.stringify(x).includes(wrong));
  });

  it('without a pin, the untrusted certificate is refused with a hint to pin it', async () => {
    const err = await testConnection({ id: 't', name: 't', url: sim.url, tokenId: sim.tokenId }, sim.tokenSecret, options).then(() => undefined, (e: unknown) => e);
    const x = explainError(err);
    assert.equal(x.category, 'connection');
    assert.match(`${x.message} ${x.suggestion}`, /fingerprint|certificate/i);
  });

  it('a real sync feeds the one reducer: output lines, progress and the tree presentations', async () => {
    const store = new DocumentStore(dir);
    const endpoint = { id: 'sim', name: 'sim', url: sim.url, tokenId: sim.tokenId, fingerprint: sim.fingerprint };
    const events: PipelineEvent[] = [];
    const progress = startRun();
    const messages: string[] = [];
    const out = await runSync({ endpoint, secret: sim.tokenSecret, store, signal: new AbortController().signal, options,
      onEvent: (e) => { events.push(e); applyEvent(progress, e); messages.push(progressMessage(progress)); } });
    assert.equal(out.ok, true, out.message);
    assert.equal(progress.done, true);
    assert.equal(progress.ok, true);
    assert.equal(progress.stages.length, 12);
    assert.ok(progress.stages.every((st) => st.status === 'completed' || st.status === 'skipped'), JSON.stringify(progress.stages));
    assert.ok(messages.some((m) => /^Stage \d+\/12: .*Virtual machines/.test(m)), 'progress names the virtual machines stage');
    assert.equal(progress.result?.total, out.result.total);
    const lines = events.map((e) => describeEvent(e, 'sim'));
    assert.ok(lines.some((l) => /^\[sim\] Backup jobs: completed/.test(l.text)), lines.map((l) => l.text).join('\n'));
    assert.match(lines[lines.length - 1]!.text, /sync finished OK/);
    assert.ok(lines.every((l) => !l.text.includes(sim.tokenSecret)));

    const inv = await loadInventory(store, 'sim');
    assert.ok(inv);
    assert.equal(inv.guests.length, 6);
    assert.equal(inv.backupRoutines.length, 3);
    const now = Math.floor(Date.now() / 1000);
    for (const r of inv.backupRoutines) {
      const p = presentRoutine(r, now);
      assert.ok(p.label.length > 0);
      assert.match(p.tooltip, /Schedule: `/);
      assert.match(p.tooltip, /Next run: /);
      if (r.enabled) assert.ok(!/unknown|no next run/.test(p.description), `${r.jobId}: ${p.description}`);
    }
    assert.equal(groupGuestsByNode(inv.guests).length, 2);

    await removeInventory(store, 'sim');
    assert.equal(await loadInventory(store, 'sim'), undefined);
  });

  it('cancelling a sync ends it as cancelled', async () => {
    const endpoint = { id: 'sim2', name: 'sim2', url: sim.url, tokenId: sim.tokenId, fingerprint: sim.fingerprint };
    const ac = new AbortController();
    const progress = startRun();
    const out = await runSync({ endpoint, secret: sim.tokenSecret, store: dir, signal: ac.signal, options,
      onEvent: (e) => { applyEvent(progress, e); if (e.event === 'step' && e.data.step === 'storage') ac.abort(); } });
    assert.equal(out.ok, false);
    assert.equal(out.cancelled, true);
    assert.equal(progressMessage(progress), 'Cancelled');
  });

  it('the jobs service hands its runner the job id and the interactive flag, and keeps the log free of secrets', async () => {
    const jobsDir = mkdtempSync(join(tmpdir(), 'proxbox-ui-jobs-'));
    const ran: { jobId: string; endpointId: string; interactive: boolean; trigger: string }[] = [];
    const jobs = new JobService({
      storeDir: jobsDir, history: { maxCount: 10, maxAgeDays: 1 }, secrets: () => ['s3cr3t-value'],
      runner: { run: async (r) => {
        ran.push({ jobId: r.jobId, endpointId: r.endpointId, interactive: r.interactive, trigger: r.trigger });
        r.onEvent({ event: 'step', data: { step: 'devices', status: 'completed', result: { count: 2 }, duration_seconds: 0.1, message: 'token s3cr3t-value' } });
        return { ok: true, message: 'done' };
      } },
    });
    try {
      await jobs.start();
      assert.equal(jobs.isScheduler, true);
      const { job } = await jobs.schedule({ syncType: 'all', endpoints: ['a'], schedule: { mode: 'now' }, interactive: true });
      for (let i = 0; i < 100 && jobs.get(job.id)?.status !== 'completed'; i++) await new Promise((r) => setTimeout(r, 20));
      assert.equal(jobs.get(job.id)?.status, 'completed');
      assert.deepEqual(ran, [{ jobId: job.id, endpointId: 'a', interactive: true, trigger: 'manual' }]);
      const log = (await jobs.log(job.id)).map((e) => e.message).join('\n');
      assert.match(log, /Devices \(nodes, cluster\): completed, 2 items/);
      assert.ok(!log.includes('s3cr3t-value'), log);
    } finally {
      await jobs.dispose();
      rmSync(jobsDir, { recursive: true, force: true });
    }
  });

  it('previews recurring schedules as the scheduler will run them', () => {
    const now = Date.UTC(2026, 0, 1, 10, 0);
    assert.deepEqual(previewRuns({ mode: 'interval', minutes: 60 }, now, 3), [now, now + 3600_000, now + 7200_000]);
    assert.deepEqual(previewRuns({ mode: 'cron', expr: '0 2 * * *', tz: 'UTC' }, now, 2), [Date.UTC(2026, 0, 2, 2), Date.UTC(2026, 0, 3, 2)]);
    assert.deepEqual(previewRuns({ mode: 'once', at: now + 5000 }, now, 5), [now + 5000]);
    assert.deepEqual(previewRuns({ mode: 'now' }, now, 5), []);
  });
});
