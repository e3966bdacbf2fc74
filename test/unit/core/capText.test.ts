import { strict as assert } from 'node:assert';
import { capText } from '../../../src/core/text/cap';

describe('core: capText', () => {
  it('returns text that fits unchanged', () => {
    assert.equal(capText('', 0), '');
    assert.equal(capText('abc', 3), 'abc');
    assert.equal(capText('abc', 4000), 'abc');
  });

  it('cuts longer text and says how much was cut', () => {
    assert.equal(capText('abcdef', 4), 'abcd … (2 more characters)');
    const long = 'x'.repeat(1_000_000);
    assert.equal(capText(long, 4000), `${'x'.repeat(4000)} … (996000 more characters)`);
  });
});
