// The UI's bindings to the core, run against the simulator over real HTTPS (no VS Code needed: no vscode import).
import { strict as assert } from 'node:assert';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startSimulator, type RunningSimulator } from '../../../src/sim';
import { createCoreServices } from '../../../src/ui/coreServices';

const options = { timeoutMs: 5000, retries: 0, concurrency: { fetch: 4, vm: 4, backupBatch: 2 } };

describe('ui: core services against the simulator', function () {
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
    const s = createCoreServices(dir);
    const cert = await s.fetchCertificate(sim.url);
    assert.equal(cert.trustedByCA, false);
    assert.equal(cert.fingerprint, sim.fingerprint);
    assert.ok(cert.subject.length > 0 && cert.validTo.length > 0);
  });

  it('tests a connection with a pinned certificate', async () => {
    const s = createCoreServices(dir);
    const r = await s.testConnection({ id: 't', name: 't', url: sim.url, tokenId: sim.tokenId, fingerprint: sim.fingerprint }, sim.tokenSecret, options);
    assert.match(r.version, /2 nodes visible/);
  });

  it('a wrong secret is an authentication error with a next step, and the secret never shows', async () => {
    const s = createCoreServices(dir);
    const wrong = 'aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee';
    const err = await s.testConnection({ id: 't', name: 't', url: sim.url, tokenId: sim.tokenId, fingerprint: sim.fingerprint }, wrong, options)
      .then(() => undefined, (e: unknown) => e);
    const x = s.explainError(err);
    assert.equal(x.category, 'authentication');
    assert.ok((x.suggestion ?? '').length > 10);
    assert.ok(!JSON.stringify(x).includes(wrong));
  });

  it('without a pin, the untrusted certificate is refused with a hint to pin it', async () => {
    const s = createCoreServices(dir);
    const err = await s.testConnection({ id: 't', name: 't', url: sim.url, tokenId: sim.tokenId }, sim.tokenSecret, options).then(() => undefined, (e: unknown) => e);
    const x = s.explainError(err);
    assert.equal(x.category, 'connection');
    assert.match(`${x.message} ${x.suggestion}`, /fingerprint|certificate/i);
  });

  it('previews the next runs of a schedule', () => {
    const s = createCoreServices(dir);
    const start = Date.UTC(2026, 0, 1) / 1000;
    assert.deepEqual(s.nextRuns!('0 */6 * * *', 'cron', start, 3, 'UTC'), [start + 6 * 3600, start + 12 * 3600, start + 18 * 3600]);
    assert.throws(() => s.nextRuns!('every tuesday', 'cron', start, 3, 'UTC'));
  });
});
