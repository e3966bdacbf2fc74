import { strict as assert } from 'node:assert';
import { readManifest } from '../../helpers/manifest';
import { SETTING_RANGES, clampSetting, flagRange, settingReader, type NumericSetting } from '../../../src/core/settings/ranges';
import { syncTarget } from '../../../src/cli/commands/syncArgs';
import { UsageError } from '../../../src/cli/io';

interface Prop { type?: string | string[]; default?: unknown; minimum?: number; maximum?: number; scope?: string }
const pkg = readManifest<any>(); // eslint-disable-line @typescript-eslint/no-explicit-any
const props: Record<string, Prop> = pkg.contributes.configuration.properties
  ?? Object.assign({}, ...(pkg.contributes.configuration as { properties: Record<string, Prop> }[]).map((c) => c.properties));

describe('ui: settings ranges', () => {
  it('package.json gives every numeric setting the default, minimum and maximum of the one table, and the table nothing more', () => {
    const numeric = Object.entries(props).filter(([, p]) => p.type === 'number' || p.type === 'integer');
    assert.ok(numeric.length >= Object.keys(SETTING_RANGES).length);
    for (const [name, p] of numeric) {
      const key = name.replace(/^proxbox\./, '') as NumericSetting;
      const r = SETTING_RANGES[key];
      assert.ok(r, `${name} is a number in package.json but has no range in core/settings/ranges.ts`);
      assert.deepEqual({ default: p.default, min: p.minimum, max: p.maximum }, { default: r.default, min: r.min, max: r.max }, name);
    }
    for (const key of Object.keys(SETTING_RANGES)) assert.ok(props[`proxbox.${key}`], `proxbox.${key} has a range but is not contributed`);
  });

  it('no timeout in range overflows Node\'s timer (2^31-1 ms)', () => {
    assert.ok(SETTING_RANGES.requestTimeoutSeconds.max * 1000 < 2 ** 31 - 1);
    assert.ok(SETTING_RANGES['jobs.continuousBackoffSeconds'].max * 1000 < 2 ** 31 - 1);
  });

  it('clamps to the range and says so, naming the setting, the value and the value used', () => {
    const big = clampSetting('requestTimeoutSeconds', 2_147_484);
    assert.equal(big.value, 600);
    assert.match(big.note!, /proxbox\.requestTimeoutSeconds is 2147484, outside 1 to 600; using 600\./);
    assert.deepEqual(clampSetting('concurrency.fetch', 1000).value, 64);
    assert.deepEqual(clampSetting('jobs.historyMaxCount', 1e12).value, 10_000);
    const low = clampSetting('tree.pageSize', 1);
    assert.equal(low.value, 10);
    assert.match(low.note!, /proxbox\.tree\.pageSize is 1, outside 10 to 10000; using 10\./);
    assert.equal(clampSetting('retries', -3).value, 0);
    assert.equal(clampSetting('retries', -Infinity).value, 3, 'not a finite number: the default');
  });

  it('takes a value in range as it is (a fraction rounded down), and unset as the default, without a note', () => {
    assert.deepEqual(clampSetting('requestTimeoutSeconds', 30), { value: 30 });
    assert.deepEqual(clampSetting('concurrency.vm', 4.9), { value: 4 });
    assert.deepEqual(clampSetting('retries', 0), { value: 0 });
    assert.deepEqual(clampSetting('retries', undefined), { value: 3 });
    assert.deepEqual(clampSetting('retries', null), { value: 3 });
  });

  it('uses the default for a value that is not a number, and says what it was', () => {
    const t = clampSetting('concurrency.fetch', '16');
    assert.equal(t.value, 8);
    assert.match(t.note!, /proxbox\.concurrency\.fetch is the text "16", not a number from 1 to 64; using the default, 8\./);
    assert.match(clampSetting('retries', [1]).note!, /is a list/);
  });

  it('warns once per setting and value, however often it is read', () => {
    const warnings: string[] = [];
    const read = settingReader((m) => warnings.push(m));
    for (let i = 0; i < 5; i++) assert.equal(read('requestTimeoutSeconds', 2_147_484), 600);
    assert.equal(read('requestTimeoutSeconds', 20), 20);
    assert.equal(read('requestTimeoutSeconds', 9999), 600);
    assert.equal(read('concurrency.vm', 0), 1);
    assert.equal(warnings.length, 3, warnings.join('\n'));
    assert.match(warnings[0]!, /2147484.*600/);
    assert.match(warnings[1]!, /9999.*600/);
    assert.match(warnings[2]!, /concurrency\.vm is 0.*using 1/);
  });

  it('the CLI refuses flags outside the same ranges, and names the range', () => {
    const env = { PROXBOX_TOKEN_SECRET: '2b8a1c3e-0000-4000-8000-000000000000' };
    const base = { url: 'https://pve.example.com:8006', 'token-id': 'root@pam!proxbox' };
    const refused = (extra: Record<string, string>, re: RegExp) =>
      assert.throws(() => syncTarget({ ...base, ...extra }, 'sync', env), (e: unknown) => e instanceof UsageError && re.test(e.message));
    refused({ 'timeout-ms': '2147484000' }, /--timeout-ms needs a whole number from 1000 to 600000, got '2147484000'/);
    refused({ 'timeout-ms': '999' }, /from 1000 to 600000/);
    refused({ concurrency: '65' }, /--concurrency needs a whole number from 1 to 64/);
    refused({ 'vm-concurrency': '0' }, /--vm-concurrency needs a whole number from 1 to 64/);
    refused({ 'backup-batch': '9'.repeat(400) }, /--backup-batch needs a whole number from 1 to 64, got '9{40}'/);
    const ok = syncTarget({ ...base, 'timeout-ms': '600000', concurrency: '64', 'vm-concurrency': '1', 'backup-batch': '64' }, 'sync', env);
    assert.deepEqual(ok.options, { timeoutMs: 600_000, concurrency: { fetch: 64, vm: 1, backupBatch: 64 } });
    assert.deepEqual(flagRange('requestTimeoutSeconds', 1000), { min: 1000, max: 600_000 });
  });

  it('the CLI refuses a token secret too short to be one', () => {
    const base = { url: 'https://pve.example.com:8006', 'token-id': 'root@pam!proxbox' };
    assert.throws(() => syncTarget(base, 'sync', { PROXBOX_TOKEN_SECRET: 'abc' }), /PROXBOX_TOKEN_SECRET is 3 characters long, too short/);
  });

  it('a restricted workspace may set only settings that change what is shown, not how syncs press on a cluster or what is kept', () => {
    const cap = pkg.capabilities?.untrustedWorkspaces;
    assert.equal(cap?.supported, 'limited');
    const restricted = new Set<string>(cap.restrictedConfigurations);
    for (const name of restricted) assert.ok(props[name], `${name} is restricted but not contributed`);
    // Every setting is decided: restricted, or on this list of display-only settings a workspace may set.
    const allowed = new Set(['proxbox.logLevel', 'proxbox.tree.pageSize', 'proxbox.times.zone', 'proxbox.calendar.overlapWindowMinutes']);
    for (const name of Object.keys(props)) {
      assert.ok(restricted.has(name) !== allowed.has(name), `${name}: decide whether a restricted workspace may set it`);
    }
  });
});
