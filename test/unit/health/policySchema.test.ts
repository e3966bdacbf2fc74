// The JSON schema (completion and hover in the editor, through package.json's jsonValidation) and the parser (the
// diagnostics and the CLI) must agree: every policy one accepts the other accepts, every one it rejects the other
// rejects. A maintained validator (ajv, draft-07) stands in for VS Code's JSON language service.
import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import Ajv from 'ajv';
import { BACKUP_STORAGE_TYPES, POLICY_FILE_NAME, parsePolicy } from '../../../src/core/health/policy';
import { repoRoot } from '../../helpers/paths';
import { EXAMPLE_POLICY } from './policyFixtures';

const SCHEMA_PATH = 'schemas/proxbox.policy.schema.json';
const schema = JSON.parse(readFileSync(join(repoRoot, SCHEMA_PATH), 'utf8')) as object;

function schemaValidator(): (text: string) => { ok: boolean; errors: string } {
  // Strict mode catches a misspelt keyword in the schema; VS Code's own keywords are declared as known.
  const ajv = new Ajv({ allErrors: true });
  ajv.addVocabulary(['defaultSnippets', 'markdownDescription', 'patternErrorMessage']);
  const validate = ajv.compile(schema);
  return (text) => {
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch (e) {
      // Not JSON at all: VS Code's JSON mode reports it before the schema is even consulted.
      return { ok: false, errors: String(e) };
    }
    const ok = validate(value) as boolean;
    return { ok, errors: ajv.errorsText(validate.errors) };
  };
}

const rules = (...r: unknown[]): string => JSON.stringify({ rules: r }, null, 2);

const GOOD: Record<string, string> = {
  'the example from the issue': EXAMPLE_POLICY,
  'one catch-all rule': rules({ match: {}, maxAgeHours: 72 }),
  'no match at all': rules({ maxVerifyAgeDays: 7 }),
  'single vmid and storage string': rules({ match: { vmid: 101 }, requireStorage: 'pbs-*' }),
  'every criterion at once': rules({ match: { vmid: [100, 999999999], name: 'web-??', tag: 'prod', pool: 'p1', node: 'pve1', endpoint: 'Lab cluster' }, maxAgeHours: 1.5 }),
  'every setting but exclude': rules({ match: { tag: 'db' }, maxAgeHours: 26, requireStorage: ['type:pbs', 'nfs-*'], maxVerifyAgeDays: 30, description: 'why' }),
  'exclude with reason and description': rules({ match: { pool: 'scratch' }, exclude: true, reason: 'rebuilt from code', description: 'x' }),
  '$schema given': JSON.stringify({ $schema: './x.json', rules: [{ maxAgeHours: 3 }] }),
  ...Object.fromEntries(BACKUP_STORAGE_TYPES.map((t) => [`storage type ${t}`, rules({ requireStorage: `type:${t}` })])),
};

const BAD: Record<string, string> = {
  'empty file': '',
  'not an object': '[]',
  'no rules': '{}',
  'empty rules': rules(),
  'unknown top-level key': JSON.stringify({ rules: [{ maxAgeHours: 1 }], rule: [] }),
  'non-string $schema': JSON.stringify({ $schema: 1, rules: [{ maxAgeHours: 1 }] }),
  'rule not an object': rules('maxAgeHours: 26'),
  'unknown rule key': rules({ maxAgeHour: 26 }),
  'unknown match key': rules({ match: { tags: 'prod' }, maxAgeHours: 26 }),
  'match not an object': rules({ match: 'prod', maxAgeHours: 26 }),
  'rule with nothing to check': rules({ match: { tag: 'prod' } }),
  'exclude without reason': rules({ exclude: true }),
  'blank reason': rules({ exclude: true, reason: ' ' }),
  'reason without exclude': rules({ maxAgeHours: 3, reason: 'x' }),
  'exclude false': rules({ exclude: false }),
  'exclude with a check': rules({ exclude: true, reason: 'r', requireStorage: 'pbs' }),
  'zero hours': rules({ maxAgeHours: 0 }),
  'negative verify days': rules({ maxVerifyAgeDays: -1 }),
  'quoted number': rules({ maxAgeHours: '26' }),
  'vmid too small': rules({ match: { vmid: 99 }, maxAgeHours: 3 }),
  'vmid too large': rules({ match: { vmid: [1000000000] }, maxAgeHours: 3 }),
  'fractional vmid': rules({ match: { vmid: 101.5 }, maxAgeHours: 3 }),
  'empty vmid list': rules({ match: { vmid: [] }, maxAgeHours: 3 }),
  'vmid as string': rules({ match: { vmid: '101' }, maxAgeHours: 3 }),
  'bracket name glob': rules({ match: { name: 'db-[0-9]' }, maxAgeHours: 3 }),
  'empty name': rules({ match: { name: '' }, maxAgeHours: 3 }),
  'two tags': rules({ match: { tag: 'a;b' }, maxAgeHours: 3 }),
  'tag starting with +': rules({ match: { tag: '+a' }, maxAgeHours: 3 }),
  'pool with a space': rules({ match: { pool: 'a b' }, maxAgeHours: 3 }),
  'blank endpoint': rules({ match: { endpoint: ' ' }, maxAgeHours: 3 }),
  'storage type without backups': rules({ requireStorage: ['type:lvmthin'] }),
  'unknown storage type': rules({ requireStorage: 'type:pbss' }),
  'storage glob with a slash': rules({ requireStorage: 'a/b' }),
  'empty storage list': rules({ requireStorage: [] }),
  'storage entry not a string': rules({ requireStorage: [5] }),
  'description not a string': rules({ maxAgeHours: 1, description: 5 }),
  'comment': '{ // note\n "rules": [{ "maxAgeHours": 1 }] }',
  'trailing comma': '{ "rules": [{ "maxAgeHours": 1 },] }',
  'syntax error': '{ "rules": [{ "maxAgeHours" 1 }] }',
};

describe('backup policy schema and parser agree', () => {
  const validate = schemaValidator();

  for (const [name, text] of Object.entries(GOOD)) {
    it(`both accept: ${name}`, () => {
      const s = validate(text);
      assert.ok(s.ok, `schema rejects: ${s.errors}`);
      assert.deepEqual(parsePolicy(text).problems, []);
    });
  }

  for (const [name, text] of Object.entries(BAD)) {
    it(`both reject: ${name}`, () => {
      assert.equal(validate(text).ok, false, 'schema accepts it');
      assert.notEqual(parsePolicy(text).problems.length, 0, 'parser accepts it');
    });
  }

  it('the schema names the same backup storage types as the parser', () => {
    const pattern = (schema as { definitions: { storageEntry: { pattern: string } } }).definitions.storageEntry.pattern;
    const inSchema = /type:\(([^)]*)\)/.exec(pattern)?.[1].split('|');
    assert.deepEqual([...(inSchema ?? [])].sort(), [...BACKUP_STORAGE_TYPES].sort());
  });

  it('is contributed for proxbox.policy.json and packaged', () => {
    const pkg = JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8')) as { contributes: { jsonValidation: Array<{ fileMatch: string; url: string }> } };
    assert.deepEqual(pkg.contributes.jsonValidation, [{ fileMatch: POLICY_FILE_NAME, url: `./${SCHEMA_PATH}` }]);
    // .vscodeignore excludes everything and re-includes what ships: the schema must be re-included.
    const ignore = readFileSync(join(repoRoot, '.vscodeignore'), 'utf8').split('\n').map((l) => l.trim());
    assert.ok(ignore.includes('!schemas/**'), '.vscodeignore must re-include schemas/**');
  });
});
