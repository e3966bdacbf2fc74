import { strict as assert } from 'node:assert';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cliPath } from '../helpers/paths';
import { startSimulator, RunningSimulator } from '../../src/sim';
import { loadInventory } from '../../src/core/inventory/inventory';
import { COLLECTIONS } from '../../src/core/inventory/model';

// `proxbox sync` SIGKILLed at seeded instants of a run that has something to write: after every kill the store
// loads whole. Kills are placed by the run's own event stream (the n-th JSON line, then a few milliseconds), not by
// wall time, so they land inside the run on a loaded machine too; the late ones fall on the final writes.
describe('pipeline: a sync killed at random instants', function () {
  this.timeout(180_000);
  let sim: RunningSimulator;
  let store: string;
  before(async () => {
    sim = await startSimulator({ seed: 5, nodes: 2, guests: 40, jobs: 5 });
    store = mkdtempSync(join(tmpdir(), 'proxbox-kill-'));
  });
  after(async () => {
    await sim.close();
    rmSync(store, { recursive: true, force: true });
  });

  interface Run { code: number | null; signal: NodeJS.Signals | null; lines: number }

  function runCli(kill?: { afterLine: number; delayMs: number }): Promise<Run> {
    const child = spawn(process.execPath, [cliPath, 'sync', '--url', sim.url, '--token-id', sim.tokenId,
      '--fingerprint', sim.fingerprint, '--store', store, '--endpoint-id', 'k', '--json'], {
      env: { ...process.env, PROXBOX_TOKEN_SECRET: sim.tokenSecret }, stdio: ['ignore', 'pipe', 'ignore'],
    });
    let lines = 0;
    let armed = false;
    child.stdout.setEncoding('utf8');
    child.stdout.on('data', (chunk: string) => {
      lines += chunk.split('\n').length - 1;
      if (kill && !armed && lines >= kill.afterLine) {
        armed = true;
        setTimeout(() => child.kill('SIGKILL'), kill.delayMs);
      }
    });
    return new Promise((resolve) => child.once('exit', (code, signal) => resolve({ code, signal, lines })));
  }

  it('always leaves a store that loads', async () => {
    assert.equal((await runCli()).code, 0);
    const full = await runCli();
    assert.equal(full.code, 0);
    assert.ok(full.lines > 12, `a run prints its events (${full.lines} lines)`);
    let seed = 12345;
    const random = (): number => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
    let killed = 0;
    for (let i = 0; i < 12; i++) {
      // Every run has something to write: a guest changes state in "Proxmox".
      const g = sim.cluster.guests[i % sim.cluster.guests.length];
      g.status = g.status === 'running' ? 'stopped' : 'running';
      const afterLine = 1 + Math.floor(random() * (full.lines - 1));
      const delayMs = Math.floor(random() * 20);
      const r = await runCli({ afterLine, delayMs });
      if (r.signal === 'SIGKILL') killed++;
      const inv = await loadInventory(store, 'k');
      assert.ok(inv, `kill ${i} after line ${afterLine} + ${delayMs} ms: the store must load`);
      for (const c of COLLECTIONS) assert.ok(Array.isArray(inv[c]), `${c} after kill ${i}`);
      assert.equal(inv.guests.length, 40);
    }
    assert.ok(killed >= 6, `only ${killed} of 12 runs were killed before they ended: the test proved too little`);
    // And a run after all this completes and leaves a store that matches Proxmox again.
    assert.equal((await runCli()).code, 0);
    const inv = await loadInventory(store, 'k');
    for (const g of sim.cluster.guests) {
      const stored = inv?.guests.find((x) => x.vmid === g.vmid);
      assert.equal(stored?.status, g.status, `guest ${g.vmid} after the final sync`);
    }
  });
});
