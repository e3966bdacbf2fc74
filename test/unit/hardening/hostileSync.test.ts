// A sync against a server that sends hostile values in an otherwise small, sane cluster: a 100,000-digit number, a
// schedule of 60,000 spaces between two letters, a job comment longer than any Proxmox value. The sync ends with one
// `complete`, each bad value costs only its own row (with a warning naming the field), and everything else is kept.
import { strict as assert } from 'node:assert';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FakePve } from '../../helpers/fakePve';
import { runSync, type PipelineEvent } from '../../../src/core/pipeline';
import { loadInventory } from '../../../src/core/inventory/inventory';
import type { EndpointRef } from '../../../src/core/inventory/model';

describe('a sync against hostile values', () => {
  const endpoint: EndpointRef = { id: 'lab', name: 'Lab', url: 'https://10.0.0.1:8006', tokenId: 'root@pam!proxbox' };
  const NOW = 1735000000 * 1000;
  let store: string;
  beforeEach(() => { store = mkdtempSync(join(tmpdir(), 'proxbox-hostile-')); });
  afterEach(() => rmSync(store, { recursive: true, force: true }));

  it('drops only the rows that carry them, warns naming each field, and keeps the rest', async () => {
    const api = new FakePve();
    const db = api.cluster.resources.find((r) => r.id === 'qemu/102')!;
    db.maxmem = `${'9'.repeat(100_000)}x`;
    assert.ok(api.cluster.backup.length >= 2, 'the fixture has two jobs');
    const [spaced, chatty] = api.cluster.backup;
    spaced.schedule = `x${' '.repeat(60_000)}x`;
    chatty.comment = 'c'.repeat(70_000);
    const events: PipelineEvent[] = [];
    const complete = await runSync({ endpoint, secret: 'c0ffee00-dead-beef-cafe-000000000001', store, api, now: () => NOW, onEvent: (e) => events.push(e) });
    assert.equal(events.filter((e) => e.event === 'complete').length, 1);
    assert.equal(complete.ok, true, JSON.stringify(complete.errors));
    const warnings = complete.warnings.join('\n');
    assert.match(warnings, /GET \/cluster\/resources: row \d+ \(id "qemu\/102"\) left out: maxmem: expected a number, got a string that is 100,001 characters long/);
    assert.match(warnings, new RegExp(`GET /cluster/backup: row 1 \\(id "${String(chatty.id)}"\\) left out: comment: is 70,000 characters long`));
    // The decoders' warnings quote a preview, not the value. (The schedule's own warning is worded in
    // core/inventory/nextRun.ts, which quotes the schedule as stored: capping it there is the inventory's part.)
    for (const w of complete.warnings.filter((x) => x.includes(' left out: '))) assert.ok(w.length < 400, w.slice(0, 400));
    assert.ok(complete.warnings.some((w) => w.startsWith(`backup routine ${String(spaced.id)}: `) && /Proxmox allows at most 128/.test(w)));
    const inv = (await loadInventory(store, 'lab', NOW / 1000))!;
    assert.deepEqual(inv.guests.map((g) => g.vmid).sort((a, b) => a - b), [101, 200]);
    const ids = inv.backupRoutines.map((r) => r.jobId);
    assert.ok(ids.includes(String(spaced.id)), 'the job with the unreadable schedule is kept');
    assert.ok(!ids.includes(String(chatty.id)));
    assert.equal(ids.length, api.cluster.backup.length - 1);
  });
});
