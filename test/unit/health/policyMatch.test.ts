import { strict as assert } from 'node:assert';
import { effectivePolicyFor, globToRegExp, policyMatches, storagesMatching } from '../../../src/core/health/policyMatch';
import type { BackupPolicy, PolicyRule } from '../../../src/core/health/types';
import { guest, inventory, storage } from './fixtures';

const range = { startLine: 0, startCharacter: 0, endLine: 0, endCharacter: 0 };
const rules = (...r: Omit<PolicyRule, 'index' | 'range'>[]): BackupPolicy => ({ rules: r.map((x, index) => ({ ...x, index, range })) });
const ep = inventory({}).endpoint;

describe('health: policy matching', () => {
  const db = guest(101, { name: 'DB-Prod-1', tags: ['Critical', 'linux'], pool: 'prod', node: 'pve2' });

  it('matches each criterion, all of them together', () => {
    assert.ok(policyMatches({ vmid: [100, 101] }, db, ep));
    assert.ok(!policyMatches({ vmid: [100] }, db, ep));
    assert.ok(policyMatches({ name: 'db-*' }, db, ep), 'glob is case-insensitive');
    assert.ok(policyMatches({ name: 'db-prod-?' }, db, ep));
    assert.ok(!policyMatches({ name: 'db-prod-??' }, db, ep), '? is exactly one character');
    assert.ok(!policyMatches({ name: 'db' }, db, ep), 'a glob matches the whole name');
    assert.ok(policyMatches({ tag: 'critical' }, db, ep));
    assert.ok(!policyMatches({ tag: 'windows' }, db, ep));
    assert.ok(policyMatches({ pool: 'prod', node: 'pve2' }, db, ep));
    assert.ok(!policyMatches({ pool: 'prod', node: 'pve1' }, db, ep), 'every criterion must match');
    assert.ok(policyMatches({ endpoint: 'lab' }, db, ep));
    assert.ok(policyMatches({ endpoint: 'Cluster lab' }, db, ep), 'by endpoint name too');
    assert.ok(!policyMatches({ endpoint: 'other' }, db, ep));
    assert.ok(policyMatches({}, db, ep), 'an empty match applies to all');
  });

  it('treats regular-expression characters in a glob literally', () => {
    assert.ok(globToRegExp('a.b').test('a.b'));
    assert.ok(!globToRegExp('a.b').test('axb'));
  });

  it('takes each setting from the first matching rule that sets it', () => {
    const p = rules(
      { match: { tag: 'windows' }, maxAgeHours: 1 },
      { match: { name: 'db-*' }, maxAgeHours: 12 },
      { match: {}, maxAgeHours: 48, maxVerifyAgeDays: 30 },
      { match: { vmid: [101] }, exclude: { reason: 'later rule' }, maxVerifyAgeDays: 7 },
    );
    const e = effectivePolicyFor(p, db, ep);
    assert.deepEqual(e.maxAgeHours, { hours: 12, rule: 1 });
    assert.deepEqual(e.maxVerifyAgeDays, { days: 30, rule: 2 });
    assert.deepEqual(e.exclude, { reason: 'later rule', rule: 3 });
    assert.equal(e.requireStorage, null);
    assert.deepEqual(effectivePolicyFor(p, guest(5, { name: 'web' }), ep).maxAgeHours, { hours: 48, rule: 2 });
  });

  it('resolves requireStorage globs and type: entries against the storages', () => {
    const storages = [storage('pbs-main', 'pbs'), storage('pbs-offsite', 'pbs'), storage('nas', 'nfs'), storage('local', 'dir')];
    assert.deepEqual([...storagesMatching(['type:pbs'], storages)].sort(), ['pbs-main', 'pbs-offsite']);
    assert.deepEqual([...storagesMatching(['n?s', 'LOCAL'], storages)].sort(), ['local', 'nas']);
    assert.equal(storagesMatching(['type:cifs'], storages).size, 0);
  });
});
