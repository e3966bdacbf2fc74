// Crash safety for real: a child process rewrites a big document in a loop and is SIGKILLed at seeded random
// instants; after every kill the store must load and hold the last completed version or the one being written.
import { strict as assert } from 'node:assert';
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, watch } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DocumentStore } from '../../src/core/inventory/store';
import { CRASH_DOC, CRASH_KIND, CrashDoc, crashDoc } from '../helpers/storeCrashWriter';

const WRITER = join(__dirname, '..', 'helpers', 'storeCrashWriter.js');
const ITEMS = 6_000; // about 0.5 MB per version: big enough that kills land inside writes

function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

interface KillOutcome { committed: number; midWrite: boolean }

/**
 * Starts a writer and kills it `delayMs` after it is ready. With `aimAtWrite`, the kill instead waits, after the
 * delay, for the next temporary file to appear and then strikes `delayMs % 4` ms later, so that a good share of the
 * kills land between the creation of the temporary file and the rename, the instants that matter most.
 */
function runAndKill(dir: string, firstSeq: number, delayMs: number, aimAtWrite: boolean): Promise<KillOutcome> {
  const folder = join(dir, 'endpoints', 'crash');
  mkdirSync(folder, { recursive: true });
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [WRITER, dir, String(firstSeq), String(ITEMS)], { stdio: ['ignore', 'pipe', 'pipe'] });
    let committed = firstSeq - 1;
    let buffered = '';
    let stderr = '';
    let midWrite = false;
    child.stderr.on('data', (d) => { stderr += d; });
    child.stdout.on('data', (d: Buffer) => {
      buffered += d.toString();
      const lines = buffered.split('\n');
      buffered = lines.pop() ?? '';
      for (const line of lines) {
        if (line === 'ready') {
          const kill = () => {
            // Look for a temporary file just before the kill: evidence the kill hits a write in progress.
            midWrite = readdirSync(folder).some((n) => n.endsWith('.tmp'));
            child.kill('SIGKILL');
          };
          setTimeout(() => {
            if (!aimAtWrite) return kill();
            // Should the watcher miss the file, the writer is killed anyway a little later.
            const fallback = setTimeout(() => { watcher.close(); kill(); }, 1000);
            const watcher = watch(folder, (_type, name) => {
              if (!name || !String(name).endsWith('.tmp')) return;
              watcher.close();
              clearTimeout(fallback);
              setTimeout(kill, delayMs % 4);
            });
          }, delayMs);
        } else if (/^\d+$/.test(line)) {
          committed = Number(line);
        }
      }
    });
    child.on('error', reject);
    child.on('exit', (code, signal) => {
      if (signal !== 'SIGKILL') reject(new Error(`writer exited with ${code}: ${stderr}`));
      else resolve({ committed, midWrite });
    });
  });
}

describe('DocumentStore crash safety', function () {
  this.timeout(120_000);
  let dir: string;
  before(() => { dir = mkdtempSync(join(tmpdir(), 'proxbox-crash-')); });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('holds the old or the new version after each of 30 SIGKILLs at random instants', async () => {
    assert.ok(existsSync(WRITER), `${WRITER} missing: run npm run build`);
    const random = mulberry32(20260611);
    await new DocumentStore(dir).write(CRASH_DOC, CRASH_KIND, 1, crashDoc(0, ITEMS));
    let onDisk = 0;
    let midWriteKills = 0;
    let newVersionSeen = 0;
    for (let round = 0; round < 30; round++) {
      const delay = Math.floor(random() * 150);
      const { committed, midWrite } = await runAndKill(dir, onDisk + 1, delay, round % 2 === 1);
      if (midWrite) midWriteKills++;
      const doc = await new DocumentStore(dir).read<CrashDoc>(CRASH_DOC, CRASH_KIND, 1);
      assert.ok(doc, `round ${round}: document missing after kill`);
      // The writer reports a version only after its write returned, so disk holds that one or the next one.
      assert.ok(doc.seq === committed || doc.seq === committed + 1,
        `round ${round}: disk has seq ${doc.seq}, writer had committed ${committed}`);
      if (doc.seq === committed + 1 && committed >= onDisk) newVersionSeen++;
      assert.equal(doc.items.length, ITEMS);
      assert.ok(doc.items.every((it, i) => it.seq === doc.seq && it.i === i), `round ${round}: mixed versions inside the document`);
      // The fresh store cleaned the dead writer's temporary files while loading.
      assert.deepEqual(readdirSync(join(dir, 'endpoints', 'crash')), ['inventory.json'], `round ${round}`);
      onDisk = doc.seq;
    }
    assert.ok(onDisk > 0, 'the writer never completed a write; the test proved nothing');
    assert.ok(midWriteKills > 0, 'no kill landed during a write; the test proved nothing');
    console.log(`      30 kills: ${midWriteKills} during a write, final version ${onDisk}, ${newVersionSeen} loaded an unreported new version`);
  });
});
