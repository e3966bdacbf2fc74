import { strict as assert } from 'node:assert';
import {
  assignIdentities, badgeLetters, CALENDAR_PALETTE_SIZE, CALENDAR_PATTERN_COUNT, routineKey, type RoutineRef,
} from '../../src/core/calendar';

function refs(n: number, endpointId = 'pve1'): RoutineRef[] {
  return Array.from({ length: n }, (_, i) => ({ endpointId, routineId: `backup-${i}` }));
}

const look = (id: { color: number; pattern: number }) => `${id.color}/${id.pattern}`;

describe('calendar: routine identities', () => {
  it('tells 30 routines apart by look and by badge, the same way whatever the input order', () => {
    const routines = refs(30);
    const ids = assignIdentities(routines);
    assert.equal(ids.size, 30);
    const values = [...ids.values()];
    assert.equal(new Set(values.map(look)).size, 30, 'two routines share colour and pattern');
    assert.equal(new Set(values.map((v) => v.badge)).size, 30, 'two routines share a badge');
    for (const v of values) {
      assert.ok(Number.isInteger(v.color) && v.color >= 0 && v.color < CALENDAR_PALETTE_SIZE);
      assert.ok(Number.isInteger(v.pattern) && v.pattern >= 0 && v.pattern < CALENDAR_PATTERN_COUNT);
    }
    // Thirty routines need more than two palettes' worth of looks: patterns are in use, not just colours.
    assert.ok(new Set(values.map((v) => v.pattern)).size >= 3);
    const shuffled = [...routines].sort((a, b) => ((a.routineId.length * 31 + a.routineId.charCodeAt(7)) % 7) - ((b.routineId.length * 31 + b.routineId.charCodeAt(7)) % 7));
    assert.deepEqual([...assignIdentities(shuffled).entries()].sort(), [...ids.entries()].sort());
    assert.deepEqual([...assignIdentities([...routines].reverse()).entries()].sort(), [...ids.entries()].sort());
  });

  it('gives badges in legend order: by endpoint, then by routine id in numeric order', () => {
    const ids = assignIdentities([...refs(30, 'pve-b'), ...refs(2, 'pve-a')]);
    assert.equal(ids.get(routineKey('pve-a', 'backup-0'))?.badge, 'A');
    assert.equal(ids.get(routineKey('pve-a', 'backup-1'))?.badge, 'B');
    assert.equal(ids.get(routineKey('pve-b', 'backup-2'))?.badge, 'E');
    assert.equal(ids.get(routineKey('pve-b', 'backup-10'))?.badge, 'M', 'backup-10 after backup-9, not after backup-1');
    assert.equal(ids.get(routineKey('pve-b', 'backup-29'))?.badge, 'AF');
  });

  it('uses plain colours while they last: up to 12 routines all differ in colour', () => {
    for (const n of [1, 5, 12]) {
      const values = [...assignIdentities(refs(n)).values()];
      assert.equal(new Set(values.map((v) => v.color)).size, n, `${n} routines`);
      assert.ok(values.every((v) => v.pattern === 0), 'no pattern needed yet');
    }
  });

  it('differs in colour or pattern for up to 48 routines, and by badge beyond', () => {
    const fortyEight = [...assignIdentities(refs(48)).values()];
    assert.equal(new Set(fortyEight.map(look)).size, 48);
    const many = [...assignIdentities([...refs(200, 'a'), ...refs(200, 'b')]).values()];
    assert.equal(new Set(many.map((v) => v.badge)).size, 400);
  });

  it('keeps the look of almost every routine when one more job appears', () => {
    const before = assignIdentities(refs(30));
    const after = assignIdentities([...refs(30), { endpointId: 'pve1', routineId: 'backup-new' }]);
    const changed = [...before.keys()].filter((k) => look(before.get(k)!) !== look(after.get(k)!));
    assert.ok(changed.length <= 3, `${changed.length} of 30 routines changed their look: ${changed.join(', ')}`);
  });

  it('counts badges like spreadsheet columns', () => {
    assert.deepEqual([0, 1, 25, 26, 27, 51, 52, 701, 702].map(badgeLetters), ['A', 'B', 'Z', 'AA', 'AB', 'AZ', 'BA', 'ZZ', 'AAA']);
  });

  it('assigns one identity per routine even when a routine is listed twice', () => {
    const ids = assignIdentities([...refs(3), ...refs(3)]);
    assert.deepEqual([...ids.values()].map((v) => v.badge), ['A', 'B', 'C']);
  });
});
