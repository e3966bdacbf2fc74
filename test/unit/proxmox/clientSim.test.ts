// The client against the simulator over real HTTPS: every typed read decodes what the simulator serves (PVE 9.1 and
// 8.4 shapes), every fault kind ends in the right typed error, and trust, auth and cancellation behave.
import { strict as assert } from 'node:assert';
import { ProxmoxClient, ProxmoxError, type ClientOptions, type GuestResource } from '../../../src/core/proxmox';
import { startSimulator, type RunningSimulator } from '../../../src/sim';
import { rejection } from './rejection';


describe('proxmox client against the simulator', function () {
  this.timeout(20_000);
  const sims: RunningSimulator[] = [];
  const clients: ProxmoxClient[] = [];

  afterEach(async () => {
    await Promise.all(clients.splice(0).map((c) => c.close()));
    await Promise.all(sims.splice(0).map((s) => s.close()));
  });

  async function sim(opts: Parameters<typeof startSimulator>[0] = {}): Promise<RunningSimulator> {
    const s = await startSimulator({ seed: 7, ...opts });
    sims.push(s);
    return s;
  }

  function client(s: RunningSimulator, opts: ClientOptions & { tokenId?: string; secret?: string; fingerprint?: string } = {}): ProxmoxClient {
    const c = new ProxmoxClient(
      { id: 'sim', name: 'simulated cluster', url: s.url, tokenId: opts.tokenId ?? s.tokenId, fingerprint: opts.fingerprint ?? s.fingerprint },
      opts.secret ?? s.tokenSecret, { retryBaseMs: 1, timeoutMs: 3000, ...opts },
    );
    clients.push(c);
    return c;
  }

  for (const pveVersion of ['9.1', '8.4'] as const) {
    it(`decodes every typed read of a PVE ${pveVersion} cluster`, async () => {
      const s = await sim({ pveVersion, nodes: 3, guests: 14, jobs: 4 });
      const c = client(s);
      const version = await c.version();
      assert.ok(version.release.startsWith(pveVersion.split('.')[0]), version.release);
      const status = await c.clusterStatus();
      const onlineNodes = status.filter((e) => e.type === 'node' && e.online).map((e) => e.name);
      assert.ok(onlineNodes.length > 0);
      const resources = await c.clusterResources();
      const guests = resources.filter((r): r is GuestResource => r.type === 'qemu' || r.type === 'lxc');
      assert.equal(guests.length, s.cluster.guests.length);
      assert.equal((await c.clusterResources('vm')).length, guests.length);
      assert.ok((await c.nodes()).length >= onlineNodes.length);
      await c.storageIndex();
      const jobs = await c.clusterBackup();
      assert.equal(jobs.length, s.cluster.jobs.length);
      for (const job of jobs) assert.equal((await c.clusterBackupJob(job.id)).id, job.id);
      await c.notBackedUp();
      await c.clusterReplication();
      for (const node of onlineNodes) {
        await c.nodeStatus(node);
        await c.nodeTime(node);
        await c.nodeNetwork(node);
        await c.nodeTasks(node, { limit: 50 });
        for (const st of await c.nodeStorage(node)) {
          if (st.content.includes('backup') && st.active !== false) await c.storageContent(node, st.storage, { content: 'backup' });
        }
        await c.qemuList(node);
        await c.lxcList(node);
      }
      for (const g of guests.filter((x) => onlineNodes.includes(x.node))) {
        if (g.type === 'qemu') {
          const cfg = await c.qemuConfig(g.node, g.vmid);
          await c.qemuSnapshots(g.node, g.vmid);
          if (g.status === 'running' && cfg.agent.enabled) {
            await c.qemuAgentInterfaces(g.node, g.vmid).catch((e: unknown) => {
              // A simulated guest may have no running agent: PVE answers 500, which must still be typed.
              assert.ok(e instanceof ProxmoxError && e.status === 500, String(e));
            });
          }
        } else {
          await c.lxcConfig(g.node, g.vmid);
          await c.lxcSnapshots(g.node, g.vmid);
          await c.lxcInterfaces(g.node, g.vmid);
        }
      }
      // Every request the client counted reached the simulator, none more.
      assert.equal(s.stats().total, c.requestCount);
    });
  }

  it('a wrong token secret is an authentication error with a suggestion', async () => {
    const s = await sim();
    const c = client(s, { secret: 'not-the-secret' });
    const e = await rejection(c.clusterResources());
    assert.equal(e.category, 'authentication');
    assert.equal(e.status, 401);
    assert.match(e.suggestion, /token id .* and secret/);
    assert.equal(s.stats().total, 1, '401 is never retried');
  });

  it('a token without Sys.Audit gets a permission error naming the privilege', async () => {
    const s = await sim();
    const c = client(s, { tokenId: s.limitedTokenId, secret: s.limitedTokenSecret });
    const e = await rejection(c.clusterBackup());
    assert.equal(e.category, 'permission');
    assert.match(e.suggestion, /Sys\.Audit/);
  });

  it('a changed certificate (b instead of the pinned a) is refused, showing both fingerprints', async () => {
    const a = await sim({ certificate: 'a' });
    const b = await sim({ certificate: 'b' });
    const c = client(b, { fingerprint: a.fingerprint });
    const e = await rejection(c.version());
    assert.equal(e.code, 'CERT_CHANGED');
    assert.equal(e.expectedFingerprint, a.fingerprint);
    assert.equal(e.actualFingerprint, b.fingerprint);
    assert.ok(e.message.includes(a.fingerprint) && e.message.includes(b.fingerprint));
    assert.equal(b.stats().total, 0, 'nothing was sent to the impostor');
  });

  describe('every fault kind ends in a typed error', () => {
    const cases: Array<{ kind: string; category: string; status?: number; attempts: number }> = [
      { kind: '500', category: 'internal', status: 500, attempts: 3 },
      { kind: '596', category: 'connection', status: 596, attempts: 3 },
      { kind: 'offline-node', category: 'connection', status: 595, attempts: 3 },
      { kind: 'reset', category: 'connection', attempts: 3 },
      { kind: 'timeout', category: 'timeout', attempts: 1 },
      { kind: 'badjson', category: 'validation', status: 200, attempts: 1 },
      { kind: '401', category: 'authentication', status: 401, attempts: 1 },
    ];
    for (const t of cases) {
      it(`${t.kind} → ${t.category}`, async () => {
        const s = await sim({ faults: [`/cluster/backup*:${t.kind}:1`] });
        const c = client(s, { retries: 2, timeoutMs: 400 });
        const e = await rejection(c.clusterBackup());
        assert.equal(e.category, t.category, e.message);
        assert.equal(e.status, t.status);
        assert.equal(e.path, '/cluster/backup');
        assert.ok(e.suggestion.length > 20);
        assert.equal(s.stats().byPath['/api2/json/cluster/backup'], t.attempts);
        // Other paths are untouched by the fault.
        assert.equal((await c.version()).version.length > 0, true);
      });
    }

    it('an intermittent fault is absorbed by the retries', async () => {
      const s = await sim({ faults: ['/cluster/resources:reset:0.5', '/cluster/status:500:0.5'] });
      const c = client(s, { retries: 6 });
      for (let i = 0; i < 5; i++) {
        await c.clusterResources();
        await c.clusterStatus();
      }
      assert.ok(c.requestCount > 10, `expected retries, sent ${c.requestCount}`);
    });
  });

  it('cancellation aborts in-flight and queued requests against held requests', async () => {
    const s = await sim({ faults: ['/nodes/*:timeout:1'] });
    const c = client(s, { concurrency: 2, timeoutMs: 10_000 });
    const ac = new AbortController();
    const node = s.cluster.nodes[0].name;
    const all = Array.from({ length: 5 }, () => c.nodeStatus(node, { signal: ac.signal }).then(() => undefined, (e: unknown) => e));
    while ((s.stats().total ?? 0) < 2) await new Promise((r) => setTimeout(r, 5));
    ac.abort();
    for (const r of await Promise.all(all)) {
      assert.ok(r instanceof ProxmoxError && r.category === 'cancelled', String(r));
    }
    assert.equal(s.stats().total, 2, 'queued requests were never sent');
    // The aborted slots free within a few ticks; the mocha timeout bounds this wait.
    while (c.pending > 0) await new Promise((r) => setTimeout(r, 5));
    assert.equal(s.stats().total, 2);
  });
});
