import { strict as assert } from 'node:assert';
import { formatEventLine, redactSecrets } from '../../../src/ui/format/eventLine';

describe('ui: pipeline event → output line', () => {
  it('formats a completed step with its count and duration', () => {
    const l = formatEventLine({ event: 'step', data: { step: 'devices', status: 'completed', result: { count: 3 }, duration_seconds: 0.41 } }, 'lab');
    assert.equal(l.level, 'info');
    assert.equal(l.text, '[lab] Devices (nodes, cluster): completed, 3 items in 0.41 s');
  });

  it('formats created/updated results of the routine stage and flags warnings', () => {
    const l = formatEventLine({ event: 'step', data: { step: 'backup-routines', status: 'completed', result: { created: 2, updated: 1, warnings: ['x'] }, duration_seconds: 12.6 } });
    assert.equal(l.level, 'warn');
    assert.equal(l.text, 'Backup routines: completed, 2 created, 1 updated in 13 s (1 warning)');
  });

  it('shows the error detail with its category and suggestion', () => {
    const l = formatEventLine({ event: 'error_detail', data: { phase: 'storage', category: 'authentication', message: '401 authentication failure', suggestion: 'check the token id and secret' } });
    assert.equal(l.level, 'error');
    assert.match(l.text, /^Storage: authentication error: 401 authentication failure → check the token id and secret$/);
  });

  it('marks failed steps and failed completions as errors', () => {
    assert.equal(formatEventLine({ event: 'step', data: { step: 'storage', status: 'failed', message: 'timeout' } }).level, 'error');
    const c = formatEventLine({ event: 'complete', data: { ok: false, message: 'Sync failed', errors: [{ detail: 'storage: timeout' }] } });
    assert.equal(c.level, 'error');
    assert.equal(c.text, 'sync FAILED — Sync failed: storage: timeout');
    assert.equal(formatEventLine({ event: 'complete', data: { ok: true, message: 'done' } }).text, 'sync finished OK — done');
  });

  it('keeps per-item progress at trace level unless the item failed', () => {
    const ok = formatEventLine({ event: 'item_progress', data: { phase: 'virtual-machines', operation: 'created', item: { name: 'web1' }, progress: { current: 4, total: 10 } } });
    assert.equal(ok.level, 'trace');
    assert.equal(ok.text, 'Virtual machines 4/10: web1 created');
    const bad = formatEventLine({ event: 'item_progress', data: { phase: 'snapshots', status: 'failed', operation: 'failed', item: { name: 'db' }, error: '500' } });
    assert.equal(bad.level, 'warn');
  });

  it('never drops an unknown event', () => {
    assert.equal(formatEventLine({ event: 'substep', data: { message: 'resolving' } }).text, 'substep: resolving');
  });

  it('redacts secrets wherever they appear', () => {
    const secret = '0f1e2d3c-aaaa-bbbb-cccc-123456789abc';
    assert.equal(redactSecrets(`token=${secret} again ${secret}`, [secret]), 'token=*** again ***');
    assert.equal(redactSecrets('short', ['']), 'short');
  });
});
