// The frame translator alone: the mappings that the stream tests do not reach.
import { strict as assert } from 'node:assert';
import type { PipelineEvent } from '../../../src/core/pipeline';
import { FrameTranslator } from '../../../src/core/remote/frames';

function translator() {
  const events: PipelineEvent[] = [];
  const debug: string[] = [];
  const t = new FrameTranslator((e) => events.push(e), (l) => debug.push(l), () => 1000);
  const send = (name: string, data: unknown) => t.frame(name, JSON.stringify(data));
  return { t, events, debug, send };
}

describe('remote mode: frame translation', () => {
  it('an item-level error_detail inside a stage is passed on and does not fail the stage', () => {
    const { t, events, send } = translator();
    send('step', { step: 'backup-routines', status: 'started', message: 's' });
    send('error_detail', { event: 'error_detail', phase: 'backup-routines', category: 'not_found', message: 'endpoint not found', item: { name: 'job-1', type: 'routine' } });
    send('step', { step: 'backup-routines', status: 'completed', message: 'done', result: { created: 2, updated: 1 } });
    assert.deepEqual(events.map((e) => e.event), ['step', 'error_detail', 'step']);
    const detail = events[1];
    assert.ok(detail.event === 'error_detail');
    assert.equal(detail.data.phase, 'backup-routines');
    assert.deepEqual(detail.data.item, { name: 'job-1', item_type: 'routine' });
    // No suggestion from the backend: ours for the category.
    assert.match(detail.data.suggestion, /disappeared/);
    assert.equal(t.tallies.get('backup-routines')?.status, 'completed');
    assert.equal(t.tallies.get('backup-routines')?.result.count, 3);
    assert.deepEqual(t.errors, []);
  });

  it('kinds we have no event for, unreadable frames and an unknown category are kept, not dropped', () => {
    const { events, debug, send, t } = translator();
    send('migrate_progress', { vmid: 101, percent: 40 });
    send('substep', { event: 'substep', phase: 'virtual-machines', substep: 'reconcile_vm', status: 'completed' });
    t.frame('discovery', '{not json');
    assert.equal(events.length, 0);
    assert.equal(debug.length, 3);
    assert.match(debug[0], /^migrate_progress: .*"percent":40/);
    assert.match(debug[1], /^substep: .*reconcile_vm/);
    assert.match(debug[2], /unreadable discovery frame/);
    send('step', { step: 'devices', status: 'started', message: 's' });
    send('error_detail', { event: 'error_detail', phase: 'full-update', category: 'exotic', message: 'boom', detail: 'it broke' });
    const d = events.find((e) => e.event === 'error_detail');
    assert.equal(d?.event === 'error_detail' && d.data.category, 'unknown');
  });

  it("an orphan sweep's would_delete is a skipped item, not a deletion", () => {
    const { events, send } = translator();
    send('item_progress', { event: 'item_progress', phase: 'sweep-orphans', status: 'completed', message: 'would delete vm 9', operation: 'would_delete', item: { name: 'old-vm', item_type: 'vm' }, progress: { current: 1, total: 1, percent: 100 } });
    assert.ok(events[0].event === 'item_progress');
    assert.equal(events[0].data.operation, 'skipped');
    assert.equal(events[0].data.phase, 'sync');
  });
});
