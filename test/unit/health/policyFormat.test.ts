// The words of the policy diagnostics (src/ui/health/policyFormat.ts): guest, endpoint name and the health rules'
// message in the shape, and the code that names the setting a violated rule checks.
import { strict as assert } from 'node:assert';
import { parsePolicy } from '../../../src/core/health/policy';
import { unusedPolicyText, violationCode, violationText } from '../../../src/ui/health/policyFormat';
import { EXAMPLE_POLICY } from './policyFixtures';

describe('policy diagnostic words', () => {
  const names: Record<string, string> = { lab: 'Lab cluster' };
  const endpointName = (id: string): string => names[id] ?? '';

  it('names the guest, its id and the endpoint by name before the rule\'s message', () => {
    const v = { rule: 1, endpoint: 'lab', vmid: 101, name: 'db', message: 'newest backup is 31 h old; the policy allows 26 h' };
    assert.equal(violationText(v, endpointName), 'db (101) on Lab cluster: newest backup is 31 h old; the policy allows 26 h');
  });

  it('falls back to the guest id and the endpoint id when a name is unknown', () => {
    const v = { rule: 0, endpoint: 'gone', vmid: 250, name: '', message: 'no backup' };
    assert.equal(violationText(v, endpointName), 'guest 250 on gone: no backup');
  });

  it('codes a violation by the one setting its rule checks, else by the rule number', () => {
    const { policy } = parsePolicy(EXAMPLE_POLICY);
    assert.deepEqual(policy.rules.map((r) => violationCode(r, r.index)), ['exclude', 'rule 2', 'maxVerifyAgeDays', 'maxAgeHours']);
    assert.equal(violationCode(undefined, 6), 'rule 7');
  });

  it('says which folder\'s policy is used', () => {
    assert.match(unusedPolicyText('infra'), /not used.*"infra"/);
  });
});
