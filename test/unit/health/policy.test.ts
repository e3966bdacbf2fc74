// The backup policy parser (src/core/health/policy.ts): what a valid file means, and for each kind of mistake a
// problem on the offending text with a message that names the fix, while the valid rules stay in force.
import { strict as assert } from 'node:assert';
import { parsePolicy, type ParsedPolicy } from '../../../src/core/health/policy';
import { EXAMPLE_POLICY, textAt } from './policyFixtures';

/** A policy of the given rules, one per line, so that a problem's line says which rule it is on. */
function policyOf(...rules: string[]): string {
  return `{\n  "rules": [\n${rules.map((r) => `    ${r}`).join(',\n')}\n  ]\n}\n`;
}

function onlyMessage(parsed: ParsedPolicy): string {
  assert.equal(parsed.problems.length, 1, `expected one problem, got ${JSON.stringify(parsed.problems.map((p) => p.message))}`);
  return parsed.problems[0].message;
}

describe('backup policy parser', () => {
  it('reads the example policy: settings, vmid and storage lists normalized, index and range of each rule', () => {
    const { policy, problems } = parsePolicy(EXAMPLE_POLICY);
    assert.deepEqual(problems, []);
    const raw = (JSON.parse(EXAMPLE_POLICY) as { rules: Record<string, unknown>[] }).rules;
    assert.equal(policy.rules.length, raw.length);
    assert.deepEqual(policy.rules.map(({ range: _r, ...rest }) => rest), [
      { index: 0, match: { vmid: [101, 102] }, exclude: { reason: "backed up by the storage team's snapshots" } },
      { index: 1, match: { tag: 'prod' }, maxAgeHours: 26, requireStorage: ['type:pbs'] },
      { index: 2, match: { name: 'db-*', endpoint: 'lab' }, maxVerifyAgeDays: 30 },
      { index: 3, match: {}, maxAgeHours: 72 },
    ]);
    // Each rule's range is exactly its object in the file (the multi-line one included).
    policy.rules.forEach((r, i) => assert.deepEqual(JSON.parse(textAt(EXAMPLE_POLICY, r.range)), raw[i]));
    assert.equal(policy.rules[2].range.startLine, 5);
    assert.equal(policy.rules[2].range.endLine, 9);
  });

  it('accepts a single vmid and a single storage entry, and a rule without match (every guest)', () => {
    const { policy, problems } = parsePolicy(policyOf('{ "match": { "vmid": 205 }, "requireStorage": "pbs-*" }', '{ "maxAgeHours": 0.5 }'));
    assert.deepEqual(problems, []);
    assert.deepEqual(policy.rules[0].match, { vmid: [205] });
    assert.deepEqual(policy.rules[0].requireStorage, ['pbs-*']);
    assert.deepEqual(policy.rules[1].match, {});
    assert.equal(policy.rules[1].maxAgeHours, 0.5);
  });

  // Each case: one mistake, the text its problem must cover, and words the message must hold (the cause and the fix).
  const cases: Array<{ name: string; rule: string; at: string; says: RegExp[] }> = [
    { name: 'unknown rule key, with the likely intended one', rule: '{ "maxAgeHour": 26 }', at: '"maxAgeHour"', says: [/Unknown key "maxAgeHour"/, /Did you mean "maxAgeHours"/] },
    { name: 'unknown match key', rule: '{ "match": { "tags": "prod" }, "maxAgeHours": 26 }', at: '"tags"', says: [/Unknown key "tags"/, /"tag"/] },
    { name: 'criterion beside match', rule: '{ "tag": "prod", "maxAgeHours": 26 }', at: '"tag"', says: [/goes inside "match"/] },
    { name: 'setting inside match', rule: '{ "match": { "maxAgeHours": 26 }, "maxVerifyAgeDays": 3 }', at: '"maxAgeHours"', says: [/belongs to the rule/] },
    { name: 'exclude without reason', rule: '{ "match": { "vmid": 101 }, "exclude": true }', at: '"exclude": true', says: [/needs a "reason"/, /add "reason"/] },
    { name: 'blank reason', rule: '{ "exclude": true, "reason": "  " }', at: '"  "', says: [/"reason" must say in words/] },
    { name: 'reason without exclude', rule: '{ "maxAgeHours": 3, "reason": "x" }', at: '"reason": "x"', says: [/no "exclude": true/, /"description"/] },
    { name: 'exclude false', rule: '{ "exclude": false }', at: 'false', says: [/sets nothing: remove the key/] },
    { name: 'exclude with a check beside it', rule: '{ "exclude": true, "reason": "r", "maxAgeHours": 3 }', at: '"maxAgeHours": 3', says: [/no effect in a rule that excludes/] },
    { name: 'zero hours', rule: '{ "maxAgeHours": 0 }', at: '0', says: [/greater than 0/, /found the number 0/] },
    { name: 'negative days', rule: '{ "maxVerifyAgeDays": -2 }', at: '-2', says: [/greater than 0/] },
    { name: 'quoted number', rule: '{ "maxAgeHours": "26" }', at: '"26"', says: [/remove the quotes/] },
    { name: 'vmid out of range', rule: '{ "match": { "vmid": [101, 42] }, "maxAgeHours": 3 }', at: '42', says: [/from 100 to 999999999/] },
    { name: 'fractional vmid', rule: '{ "match": { "vmid": 101.5 }, "maxAgeHours": 3 }', at: '101.5', says: [/whole number/] },
    { name: 'empty vmid list', rule: '{ "match": { "vmid": [] }, "maxAgeHours": 3 }', at: '[]', says: [/matches no guest/] },
    { name: 'vmid as a string', rule: '{ "match": { "vmid": "101" }, "maxAgeHours": 3 }', at: '"101"', says: [/guest id or an array/] },
    { name: 'bracket glob', rule: '{ "match": { "name": "db-[0-9]" }, "maxAgeHours": 3 }', at: '"db-[0-9]"', says: [/"\["/, /"\]"/, /can never match/] },
    { name: 'two tags in one', rule: '{ "match": { "tag": "prod;db" }, "maxAgeHours": 3 }', at: '"prod;db"', says: [/";"/, /one tag/] },
    { name: 'pool with a space', rule: '{ "match": { "pool": "my pool" }, "maxAgeHours": 3 }', at: '"my pool"', says: [/a space/] },
    { name: 'blank endpoint', rule: '{ "match": { "endpoint": "" }, "maxAgeHours": 3 }', at: '""', says: [/endpoint's id or name/] },
    { name: 'storage type that holds no backups', rule: '{ "requireStorage": ["type:zfspool"] }', at: '"type:zfspool"', says: [/not a storage type that holds backups/, /type:pbs/] },
    { name: 'storage glob with a bad character', rule: '{ "requireStorage": "pbs/1" }', at: '"pbs/1"', says: [/"\/"/] },
    { name: 'empty storage list', rule: '{ "requireStorage": [] }', at: '[]', says: [/no backup can satisfy/] },
    { name: 'rule that sets nothing', rule: '{ "match": { "tag": "prod" } }', at: '{ "match": { "tag": "prod" } }', says: [/sets nothing to check/, /"maxAgeHours"/] },
    { name: 'match that is not an object', rule: '{ "match": "prod", "maxAgeHours": 3 }', at: '"prod"', says: [/"match" must be an object/] },
    { name: 'rule that is not an object', rule: '"maxAgeHours: 26"', at: '"maxAgeHours: 26"', says: [/must be an object/] },
    { name: 'duplicate key', rule: '{ "maxAgeHours": 26, "maxAgeHours": 2 }', at: '"maxAgeHours"', says: [/Duplicate key "maxAgeHours"/] },
    { name: 'description that is not text', rule: '{ "maxAgeHours": 26, "description": 5 }', at: '5', says: [/"description" is free text/] },
  ];

  for (const c of cases) {
    it(`${c.name}: one problem on the offending text; the rule is dropped and the rules around it are kept`, () => {
      const text = policyOf('{ "match": { "tag": "a" }, "maxAgeHours": 1 }', c.rule, '{ "maxVerifyAgeDays": 9 }');
      const parsed = parsePolicy(text);
      const message = onlyMessage(parsed);
      for (const re of c.says) assert.match(message, re);
      const at = textAt(text, parsed.problems[0].range);
      assert.equal(at, c.at);
      assert.equal(parsed.problems[0].range.startLine, 3, 'on the line of the broken rule');
      assert.deepEqual(parsed.policy.rules.map((r) => r.index), [0, 2]);
    });
  }

  it('puts the duplicate-key problem on the second occurrence', () => {
    const text = policyOf('{ "maxAgeHours": 26, "maxAgeHours": 2 }');
    const { range } = parsePolicy(text).problems[0];
    assert.equal(range.startCharacter, text.split('\n')[2].lastIndexOf('"maxAgeHours"'));
  });

  it('reports file-level mistakes: empty, not an object, no rules, empty rules, unknown top-level key', () => {
    const expectations: Array<[string, RegExp]> = [
      ['', /file is empty/],
      ['  \n', /file is empty/],
      ['[]', /must be a JSON object with a "rules" array/],
      ['{}', /has no "rules"/],
      ['{ "rules": [] }', /"rules" is empty/],
      ['{ "rules": {} }', /"rules" must be an array/],
      ['{ "$schema": 1, "rules": [{ "maxAgeHours": 1 }] }', /"\$schema" must be a string/],
    ];
    for (const [text, re] of expectations) {
      const p = parsePolicy(text);
      assert.equal(p.problems.length, 1, `${JSON.stringify(text)}: ${JSON.stringify(p.problems)}`);
      assert.match(p.problems[0].message, re);
    }
    const typo = parsePolicy('{ "rules": [{ "maxAgeHours": 1 }], "rule": [] }');
    assert.match(typo.problems[0].message, /Unknown key "rule" in the policy file/);
    assert.equal(typo.policy.rules.length, 1, 'the valid rules still count');
  });

  it('drops a rule whose text holds a syntax error: the tolerant reading could widen it', () => {
    // Read tolerantly, `{"tag" "prod"}` becomes {}: an exclusion of every guest. It must not be applied.
    const text = policyOf('{ "match": { "tag" "prod" }, "exclude": true, "reason": "r" }', '{ "maxAgeHours": 3 }');
    const { policy, problems } = parsePolicy(text);
    assert.deepEqual(policy.rules.map((r) => r.index), [1]);
    assert.ok(problems.some((p) => /":" is expected/.test(p.message) && textAt(text, p.range) === '"prod"'));
    assert.ok(problems.some((p) => /Rule 1 is not applied until the syntax error in it is fixed/.test(p.message)));
  });

  it('keeps both rules around a missing comma between them, and drops a rule cut off by the end of the file', () => {
    const missingComma = parsePolicy('{ "rules": [ { "maxAgeHours": 1 } { "maxAgeHours": 2 } ] }');
    assert.deepEqual(missingComma.policy.rules.map((r) => r.maxAgeHours), [1, 2]);
    assert.match(missingComma.problems[0].message, /"," is expected/);
    const noSpace = parsePolicy('{"rules":[{"maxAgeHours":1}{"maxAgeHours":2}]}');
    assert.deepEqual(noSpace.policy.rules.map((r) => r.maxAgeHours), [1, 2]);
    const cut = parsePolicy('{ "rules": [ { "maxAgeHours": 1 }, { "maxAgeHours": 2');
    assert.deepEqual(cut.policy.rules.map((r) => r.maxAgeHours), [1]);
    assert.ok(cut.problems.length >= 2);
  });

  it('reports comments and trailing commas (strict JSON) without dropping the rules they sit in', () => {
    const text = '{\n  // team policy\n  "rules": [\n    { "maxAgeHours": 26, },\n  ]\n}';
    const { policy, problems } = parsePolicy(text);
    assert.equal(policy.rules.length, 1);
    assert.equal(policy.rules[0].maxAgeHours, 26);
    const comment = problems.find((p) => /Comments are not allowed/.test(p.message));
    assert.ok(comment);
    assert.equal(textAt(text, comment.range), '// team policy');
    const commas = problems.filter((p) => /Trailing comma/.test(p.message));
    // Both commas are on line 3: the one inside the rule and the one after it.
    assert.deepEqual(commas.map((p) => [p.range.startLine, p.range.startCharacter, textAt(text, p.range)]), [[3, 23, ','], [3, 26, ',']]);
    assert.equal(problems.length, 3);
  });

  it('lists problems in file order', () => {
    const { problems } = parsePolicy(policyOf('{ "maxAgeHours": 0 }', '{ "exclude": true }', '{ "maxAgeHour": 1 }'));
    const lines = problems.map((p) => p.range.startLine);
    assert.deepEqual(lines, [...lines].sort((a, b) => a - b));
    assert.equal(problems.length, 3); // zero hours; missing reason; the unknown key (which is why the rule sets nothing)
  });

  it('never throws on damaged text, keeps only rules that are valid on their own, with ranges inside the text', () => {
    let s = 99;
    const next = (): number => ((s = (Math.imul(s, 1103515245) + 12345) >>> 0) / 2 ** 32);
    const alphabet = ['{', '}', '[', ']', ',', ':', '"', ' ', '\n', '1', '/', '*', 'x'];
    for (let n = 0; n < 500; n++) {
      let text = EXAMPLE_POLICY;
      const edits = 1 + Math.floor(next() * 3);
      for (let e = 0; e < edits; e++) {
        const at = Math.floor(next() * text.length);
        text = next() < 0.5
          ? text.slice(0, at) + text.slice(at + 1 + Math.floor(next() * 4))
          : text.slice(0, at) + alphabet[Math.floor(next() * alphabet.length)] + text.slice(at);
      }
      const parsed = parsePolicy(text);
      for (const p of parsed.problems) {
        assert.ok(p.message.length > 20, p.message);
        textAt(text, p.range); // throws when the range lies outside the text
      }
      for (const rule of parsed.policy.rules) {
        // A kept rule, alone in a policy, is valid and means the same.
        const alone = parsePolicy(`{"rules":[${textAt(text, rule.range)}]}`);
        // Comments and trailing commas are reported but do not change what a rule means.
        const real = alone.problems.filter((p) => !/^(Trailing comma|Comments are not allowed)/.test(p.message));
        assert.deepEqual(real, [], `rule ${rule.index} of ${JSON.stringify(text)}`);
        const { range: _a, index: _i, ...meaning } = rule;
        const { range: _b, index: _j, ...again } = alone.policy.rules[0];
        assert.deepEqual(again, meaning);
      }
    }
  });
});
