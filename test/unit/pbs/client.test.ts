// The PBS client against the simulated PBS over real HTTPS: the exact token header, a wrong secret, pinning with
// PBS's lower-case fingerprint, every fault kind classified as the PVE client classifies it, Test Connection, and
// every typed read decoding what the simulator serves.
import { strict as assert } from 'node:assert';
import { PbsClient } from '../../../src/core/pbs/client';
import { pbsError } from '../../../src/core/pbs/errors';
import { testPbsConnection } from '../../../src/core/pbs/testConnection';
import { ProxmoxClient, type ClientOptions } from '../../../src/core/proxmox/client';
import { ProxmoxError } from '../../../src/core/proxmox/errors';
import { startSimulator, type RunningPbs, type RunningSimulator } from '../../../src/sim';
import { FAULT_KINDS } from '../../../src/sim/faults';
import { rejection } from '../proxmox/rejection';
import { get } from '../sim/http';

describe('PBS client against the simulated PBS', function () {
  this.timeout(30_000);
  const sims: RunningSimulator[] = [];
  const clients: Array<{ close(): Promise<void> }> = [];

  afterEach(async () => {
    await Promise.all(clients.splice(0).map((c) => c.close()));
    await Promise.all(sims.splice(0).map((s) => s.close()));
  });

  async function sim(opts: Parameters<typeof startSimulator>[0] = {}): Promise<RunningSimulator & { pbs: RunningPbs }> {
    const s = await startSimulator({ seed: 7, pbs: true, ...opts });
    sims.push(s);
    assert.ok(s.pbs, 'started with pbs: true, the simulator has a PBS');
    return s as RunningSimulator & { pbs: RunningPbs };
  }

  function pbsClient(s: { pbs: RunningPbs }, opts: ClientOptions & { secret?: string; fingerprint?: string; url?: string } = {}): PbsClient {
    const c = new PbsClient({ id: 'pbs', name: 'simulated PBS', url: opts.url ?? s.pbs.url, tokenId: s.pbs.tokenId, fingerprint: 'fingerprint' in opts ? opts.fingerprint : s.pbs.fingerprint },
      opts.secret ?? s.pbs.tokenSecret, { retryBaseMs: 1, timeoutMs: 3000, ...opts });
    clients.push(c);
    return c;
  }

  function pveClient(s: RunningSimulator, opts: ClientOptions = {}): ProxmoxClient {
    const c = new ProxmoxClient({ id: 'pve', name: 'simulated cluster', url: s.url, tokenId: s.tokenId, fingerprint: s.fingerprint },
      s.tokenSecret, { retryBaseMs: 1, timeoutMs: 3000, ...opts });
    clients.push(c);
    return c;
  }

  it('reads every PBS collection the simulator serves, with the planted datastore and job states', async () => {
    const s = await sim({ now: 1_790_000_000 });
    const c = pbsClient(s);
    assert.deepEqual(await c.version(), { version: '4.1.0', release: '4.1' });
    const stores = await c.datastores();
    assert.deepEqual(stores.map((d) => d.store), ['store1', 'store2', 'scratch']);
    const usage = new Map((await c.datastoreUsage()).map((u) => [u.store, u]));
    const full = usage.get('store1')!;
    assert.ok(full.used! / full.total! > 0.9, 'store1 is over 90 % used');
    assert.ok(full.estimatedFullDate! > 1_790_000_000 && full.estimatedFullDate! < 1_790_000_000 + 30 * 86400, 'store1 is full within 30 days');
    assert.equal(usage.get('scratch')!.estimatedFullDate, undefined, "PBS's -1 is decoded as unknown");
    assert.ok(usage.get('store2')!.estimatedFullDate! > 1_790_000_000 + 365 * 86400);
    assert.deepEqual((await c.namespaces('store1')).map((n) => n.ns), ['', 'pve-a', 'lab']);

    const root = await c.snapshots('store1', '');
    assert.ok(root.every((x) => x.backupType === 'host' && x.backupId === 'fileserver') && root.length === 3);
    assert.ok(root.some((x) => x.protected), 'a protected snapshot');
    const lab = await c.snapshots('store1', 'lab');
    assert.ok(lab.length > 0 && lab.every((x) => x.fingerprint && x.files.some((f) => f.cryptMode === 'encrypt') && !x.verification), 'encrypted, never verified');
    const groups = await c.groups('store1', 'pve-a');
    const snaps = await c.snapshots('store1', 'pve-a');
    assert.ok(snaps.length > 0);
    for (const g of groups) {
      const mine = snaps.filter((x) => x.backupType === g.backupType && x.backupId === g.backupId);
      assert.equal(g.backupCount, mine.length, `${g.backupType}/${g.backupId} count`);
      assert.equal(g.lastBackup, Math.max(...mine.map((x) => x.backupTime)));
    }
    assert.equal(groups.reduce((n, g) => n + g.backupCount, 0), snaps.length);

    const prune = await c.pruneJobs();
    const disabled = prune.find((j) => j.disable)!;
    assert.ok(disabled, 'a disabled prune job');
    assert.equal(disabled.nextRun, undefined, 'a disabled job has no next run');
    const active = prune.find((j) => !j.disable)!;
    assert.equal(active.retention.keepDaily, 7);
    assert.equal(active.lastRunState, 'OK');
    assert.ok(active.nextRun! > 1_790_000_000 && active.lastRunEndtime! < 1_790_000_000 + 86400);
    const verify = await c.verifyJobs();
    const failed = verify.find((j) => j.lastRunState !== 'OK')!;
    assert.match(failed.lastRunState!, /verification failed/);
    // PBS UPIDs have nine fields: UPID:node:pid:pstart:taskid:starttime:type:id:authid:
    assert.equal(failed.lastRunUpid!.split(':').length, 10, failed.lastRunUpid);
    assert.match(failed.lastRunUpid!, /:verificationjob:store1\\x3av\\x2dstore1\\x2dweekly:root@pam:$/);
    const sync = await c.syncJobs();
    assert.deepEqual(sync.map((j) => [j.direction, j.remote, j.remoteStore, j.lastRunState]), [['pull', 'pbs-offsite', 'store1', 'OK']]);
    const gc = new Map((await c.gcJobs()).map((g) => [g.store, g]));
    assert.ok(gc.get('store1')!.nextRun! > 1_790_000_000 && gc.get('store1')!.lastRunUpid!.includes(':garbage_collection:'));
    assert.deepEqual([gc.get('scratch')!.schedule, gc.get('scratch')!.lastRunState], [undefined, undefined]);
  });

  it('sends exactly PBSAPIToken=id:secret; a PVE-style header or the wrong separator is a 401 with an empty body', async () => {
    const s = await sim();
    const { tokenId, tokenSecret } = s.pbs;
    const ok = await get(s.pbs.url, '/api2/json/version', { Authorization: `PBSAPIToken=${tokenId}:${tokenSecret}` });
    assert.equal(ok.status, 200);
    for (const header of [`PVEAPIToken=${tokenId}=${tokenSecret}`, `PBSAPIToken=${tokenId}=${tokenSecret}`, `PVEAPIToken=${tokenId}:${tokenSecret}`]) {
      const res = await get(s.pbs.url, '/api2/json/version', { Authorization: header });
      assert.equal(res.status, 401, header);
      assert.equal(res.body, '', header);
    }
    // And the client sends the accepted form: its requests succeed.
    assert.equal((await pbsClient(s).datastores()).length, 3);
  });

  it('a wrong secret is an authentication error naming PBS, not retried', async () => {
    const s = await sim();
    const e = await rejection(pbsClient(s, { secret: 'not-the-secret', retries: 3 }).datastores());
    assert.equal(e.category, 'authentication');
    assert.equal(e.status, 401);
    assert.match(e.message, /Proxmox Backup Server rejected the API token/);
    assert.equal(s.pbs.stats().byPath['/api2/json/admin/datastore'], 1, 'no retry of a 401');
  });

  it('pins the certificate case-insensitively and refuses another one before sending anything', async () => {
    const s = await sim();
    assert.equal(s.pbs.fingerprint, s.pbs.fingerprint.toLowerCase(), 'PBS prints lower case');
    assert.notEqual(s.pbs.fingerprint.toUpperCase(), s.fingerprint, 'the PBS has its own certificate');
    await pbsClient(s, { fingerprint: s.pbs.fingerprint }).version();
    await pbsClient(s, { fingerprint: s.pbs.fingerprint.toUpperCase() }).version();
    const before = s.pbs.stats().total;
    const e = await rejection(pbsClient(s, { fingerprint: s.fingerprint }).version());
    assert.equal(e.code, 'CERT_CHANGED');
    assert.equal(e.actualFingerprint, s.pbs.fingerprint.toUpperCase());
    assert.equal(s.pbs.stats().total, before, 'nothing was sent to a server with another certificate');
  });

  it('defaults to port 8007 when the URL names none, and keeps an explicit one', () => {
    const s = { pbs: { url: 'https://pbs.example.com', tokenId: 'proxbox@pbs!sync', tokenSecret: 'x', fingerprint: '', setFaults() {}, stats: () => ({ total: 0, byPath: {} }) } };
    assert.equal(new URL(pbsClient(s, { fingerprint: undefined }).endpoint.url).port, '8007');
    assert.equal(pbsClient({ pbs: { ...s.pbs, url: 'https://pbs.example.com:443' } }, { fingerprint: undefined }).endpoint.url, 'https://pbs.example.com:443');
  });

  it('accepts PBS token names PVE would refuse (a leading digit) and words a bad endpoint for PBS', () => {
    const base = { id: 'pbs', name: 'pbs', url: 'https://pbs.example.com' };
    clients.push(new PbsClient({ ...base, tokenId: 'backup@pbs!1nightly' }, 'secret'));
    assert.throws(() => new PbsClient({ ...base, tokenId: 'backup@pbs' }, 'secret'),
      (e: unknown) => e instanceof ProxmoxError && e.code === 'BAD_ENDPOINT' && /Access Control/.test(e.suggestion) && !/Datacenter/.test(e.suggestion));
    assert.throws(() => new PbsClient({ ...base, tokenId: 'backup@pbs!sync', url: 'pbs.example.com' }, 'secret'),
      (e: unknown) => e instanceof ProxmoxError && /8007/.test(e.suggestion) && !/8006/.test(e.suggestion));
  });

  it('a 403 names the PBS privilege and the read-only roles', async () => {
    // The simulated PBS's token may read everything; the classification is the shared one, the words are PBS's.
    const e = pbsError(new ProxmoxError({ category: 'permission', status: 403, path: '/admin/datastore/store1/snapshots', message: 'x', suggestion: 'y', pveMessage: 'permission check failed' }));
    assert.equal(e.category, 'permission');
    assert.match(e.suggestion, /Datastore\.Audit on \/datastore\/store1/);
    assert.match(e.suggestion, /DatastoreAudit role on \/datastore plus the Audit role on \//);
    assert.match(e.suggestion, /both/);
    assert.match(pbsError(new ProxmoxError({ category: 'permission', status: 403, path: '/nodes/localhost/status', message: 'x', suggestion: 'y' })).suggestion, /Sys\.Audit on \//);
  });

  it('Test Connection reports the version and the datastores the token sees', async () => {
    const s = await sim();
    const r = await testPbsConnection({ id: 'pbs', name: 'pbs', url: s.pbs.url, tokenId: s.pbs.tokenId, fingerprint: s.pbs.fingerprint }, s.pbs.tokenSecret, { timeoutMs: 3000 });
    assert.equal(r.version, '4.1.0 (4.1), 3 datastores visible');
    const e = await rejection(testPbsConnection({ id: 'pbs', name: 'pbs', url: s.pbs.url, tokenId: s.pbs.tokenId, fingerprint: s.pbs.fingerprint }, 'wrong', { timeoutMs: 3000 }));
    assert.equal(e.category, 'authentication');
  });

  describe('every fault kind on a PBS path ends as the PVE client ends the same fault', () => {
    type Outcome = { ok: boolean; category?: string; status?: number; code?: string; dropped: number; attempts: number };
    async function outcome(p: (onDropped: (rows: unknown[]) => void) => Promise<unknown>, attempts: () => number): Promise<Outcome> {
      let dropped = 0;
      try {
        await p((rows) => (dropped += rows.length));
        return { ok: true, dropped, attempts: attempts() };
      } catch (e) {
        assert.ok(e instanceof ProxmoxError, String(e));
        assert.ok(e.suggestion.length > 20);
        return { ok: false, category: e.category, status: e.status, code: e.code, dropped, attempts: attempts() };
      }
    }
    const target = (kind: string): { pve: string; pbs: string } => kind === 'long-number'
      ? { pve: '/cluster/resources', pbs: '/status/datastore-usage' }
      : { pve: '/cluster/backup', pbs: '/admin/prune' };
    for (const kind of FAULT_KINDS) {
      it(kind, async () => {
        const spec = kind === 'huge' ? 'huge=2' : kind === 'long-number' || kind === 'long-schedule' ? `${kind}=70000` : kind;
        const paths = target(kind);
        const s = await sim({ faults: [`${paths.pve}:${spec}:1`] });
        s.pbs.setFaults([`${paths.pbs}:${spec}:1`]);
        const opts = { retries: 2, timeoutMs: 400, maxResponseBytes: 1024 * 1024 };
        const pve = pveClient(s, opts);
        const pbs = pbsClient(s, opts);
        const pveOut = await outcome((onDropped) => (paths.pve === '/cluster/resources' ? pve.clusterResources(undefined, { onDropped }) : pve.clusterBackup({ onDropped })),
          () => s.stats().byPath[`/api2/json${paths.pve}`]);
        const pbsOut = await outcome((onDropped) => (paths.pbs === '/status/datastore-usage' ? pbs.datastoreUsage({ onDropped }) : pbs.pruneJobs({ onDropped })),
          () => s.pbs.stats().byPath[`/api2/json${paths.pbs}`]);
        assert.deepEqual(pbsOut, pveOut);
        // The fault stays on its path: other PBS reads answer.
        assert.equal((await pbs.datastores()).length, 3);
      });
    }
  });
});
