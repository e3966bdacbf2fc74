// A server that echoes the token into its data (a backup job comment holding `PVEAPIToken=…` and the bare secret)
// must not get it into the store, nor into what `proxbox routines --json` prints from the store.
import { strict as assert } from 'node:assert';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { main } from '../../../src/cli/main';
import { runSync } from '../../../src/core/pipeline';
import { loadInventory } from '../../../src/core/inventory/inventory';
import { startSimulator, type RunningSimulator } from '../../../src/sim';
import { captureIo } from '../../helpers/cliIo';

const io = (): ReturnType<typeof captureIo> => captureIo();

/** Every file under a folder, read raw from the disk. */
function allFiles(dir: string): { path: string; text: string }[] {
  const out: { path: string; text: string }[] = [];
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) out.push(...allFiles(p));
    else out.push({ path: p, text: readFileSync(p, 'utf8') });
  }
  return out;
}

describe('the redactor runs over decoded data before it is stored', function () {
  this.timeout(60_000);
  let sim: RunningSimulator;
  let store: string;

  before(async () => { sim = await startSimulator({ seed: 11, nodes: 2, guests: 8, jobs: 3 }); });
  after(async () => sim.close());
  beforeEach(() => { store = mkdtempSync(join(tmpdir(), 'proxbox-redact-')); });
  afterEach(() => rmSync(store, { recursive: true, force: true }));

  it('stores *** where a job comment echoes the token header or the secret, and routines --json prints neither', async () => {
    const secret = sim.tokenSecret;
    const [echoHeader, echoBare, echoForeign] = sim.cluster.jobs;
    echoHeader.comment = `curl -H "Authorization: PVEAPIToken=${sim.tokenId}=${secret}" by mistake`;
    echoBare.comment = `secret was ${secret}`;
    // A token that is not this run's (another endpoint's) is still masked by its shape.
    const foreign = '0f0e0d0c-1111-2222-3333-444455556666';
    echoForeign.comment = `PVEAPIToken=root@pam!other=${foreign}`;

    const endpoint = { id: 'echo', name: 'Echo', url: sim.url, tokenId: sim.tokenId, fingerprint: sim.fingerprint };
    const complete = await runSync({ endpoint, secret, store, options: { timeoutMs: 3000, retries: 0 } });
    assert.equal(complete.ok, true, JSON.stringify(complete.errors));

    const files = allFiles(store);
    assert.ok(files.some((f) => f.path.endsWith('backupRoutines.json')), files.map((f) => f.path).join(', '));
    for (const f of files) {
      assert.ok(!f.text.includes(secret), `${f.path} holds the secret`);
      assert.ok(!f.text.includes(foreign), `${f.path} holds another token's secret`);
    }
    const inv = (await loadInventory(store, 'echo'))!;
    const comments = inv.backupRoutines.map((r) => r.comment);
    assert.ok(comments.includes(`curl -H "Authorization: PVEAPIToken=${sim.tokenId}=***" by mistake`), JSON.stringify(comments));
    assert.ok(comments.includes('secret was ***'), JSON.stringify(comments));
    assert.ok(comments.includes('PVEAPIToken=root@pam!other=***'), JSON.stringify(comments));
    // The rest of the documents is kept: still every job and every guest.
    assert.equal(inv.backupRoutines.length, sim.cluster.jobs.length);
    assert.equal(inv.guests.length, sim.cluster.guests.length);

    // A second sync with nothing changed on the server writes nothing (the stored, redacted data compares equal).
    const again = await runSync({ endpoint, secret, store, options: { timeoutMs: 3000, retries: 0 } });
    assert.equal(again.ok, true);
    assert.equal(again.result.written ?? 0, 0, JSON.stringify(again.result));

    const t = io();
    assert.equal(await main(['routines', '--store', store, '--json'], t), 0, t.err);
    assert.ok(t.out.includes('***'), 'the routines carry their masked comments');
    assert.ok(!t.out.includes(secret));
    assert.ok(!t.out.includes(foreign));
  });
});
