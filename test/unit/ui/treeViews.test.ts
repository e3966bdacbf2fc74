import { strict as assert } from 'node:assert';
import { presentRoutine, describeRetention, describeSelection, type RoutineLike } from '../../../src/ui/format/routineView';
import { groupGuestsByNode, pageOf } from '../../../src/ui/format/guestGroups';


const base: RoutineLike = { jobId: 'backup-1a2b', enabled: true, schedule: 'sat 03:00', status: 'active', storage: 'pbs', node: null };
const now = Date.UTC(2026, 10, 23, 12, 0, 0) / 1000;

describe('ui: tree presentations', () => {
  it('an active routine shows its schedule and next run', () => {
    const p = presentRoutine({ ...base, nextRun: now + 2 * 3600, nextRunSource: 'proxmox', keepLast: 3, keepDaily: 7 }, now, 'UTC');
    assert.equal(p.state, 'active');
    assert.equal(p.description, 'sat 03:00 · next in 2 h');
    assert.equal(p.icon.id, 'calendar');
    assert.match(p.tooltip, /Next run: Mon 23 Nov 2026, 14:00 \(in 2 h\), from Proxmox/);
    assert.match(p.tooltip, /Retention: keep-last 3, keep-daily 7/);
    assert.match(p.tooltip, /Storage: pbs/);
  });

  it('disabled and stale routines say so and have no next run', () => {
    const d = presentRoutine({ ...base, enabled: false, nextRun: now + 60 }, now);
    assert.equal(d.state, 'disabled');
    assert.match(d.description, /^disabled/);
    assert.match(d.tooltip, /will not run/);
    const s = presentRoutine({ ...base, status: 'stale', comment: 'nightly' }, now);
    assert.equal(s.state, 'stale');
    assert.equal(s.label, 'nightly');
    assert.match(s.description, /stale .* backup-1a2b$/);
    assert.equal(s.icon.id, 'warning');
  });

  it('markdown in a Proxmox comment is escaped in the tooltip', () => {
    const p = presentRoutine({ ...base, comment: '[x](command:evil)' }, now);
    assert.ok(!p.tooltip.includes('[x](command:evil)'));
  });

  it('describes the selection of guests', () => {
    const p = presentRoutine({ ...base, nextRun: now + 60, selection: { mode: 'all', vmids: [], exclude: [101, 102] } }, now);
    // The selection is escaped markdown: every punctuation character carries a backslash in the source.
    assert.match(p.tooltip, /Selection: all guests except 101\\, 102/);
    const q = presentRoutine({ ...base, nextRun: now + 60, selection: { mode: 'vmids', vmids: [100] } }, now);
    assert.match(q.tooltip, /Selection: 1 guest\\: 100/);
    // vzdump applies exclude only to "all" jobs: a pool job with one backs those guests up anyway.
    assert.equal(describeSelection({ ...base, selection: { mode: 'pool', pool: 'web', exclude: [101] } }),
      'pool web (exclude 101 ignored: vzdump applies it only to all guests)');
  });

  it('retention without keep options falls back to the storage', () => {
    assert.equal(describeRetention(base), 'fallback from storage config');
    assert.equal(describeRetention({ ...base, keepAll: true }), 'keep all');
  });

  it('groups guests by node in natural order and pages big lists', () => {
    const guests = [
      { vmid: 102, node: 'pve10', type: 'qemu' }, { vmid: 101, node: 'pve2', type: 'lxc' }, { vmid: 100, node: 'pve10', type: 'qemu' },
    ];
    const groups = groupGuestsByNode(guests);
    assert.deepEqual(groups.map((g) => g.node), ['pve2', 'pve10']);
    assert.deepEqual(groups[1]!.guests.map((g) => g.vmid), [100, 102]);
    const many = Array.from({ length: 1234 }, (_, i) => i);
    const first = pageOf(many, 500);
    assert.equal(first.items.length, 500);
    assert.equal(first.remaining, 734);
    assert.equal(pageOf(many, 2000).remaining, 0);
  });
});
