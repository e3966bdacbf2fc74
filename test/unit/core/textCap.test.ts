import { strict as assert } from 'node:assert';
import { capText, cutMarker, DEFAULT_TEXT_CAP } from '../../../src/core/text/cap';

describe('core/text/cap: capText', () => {
  it('leaves text up to the cap unchanged', () => {
    assert.equal(capText(''), '');
    assert.equal(capText('short'), 'short');
    const exact = 'a'.repeat(DEFAULT_TEXT_CAP);
    assert.equal(capText(exact), exact);
    assert.equal(capText('abc', 3), 'abc');
  });

  it('cuts longer text and says how much was cut', () => {
    assert.equal(capText('abcdef', 4), 'abcd… (2 more characters)');
    assert.equal(capText('abcde', 4), 'abcd… (1 more character)');
    const long = 'x'.repeat(DEFAULT_TEXT_CAP + 12_345);
    const cut = capText(long);
    assert.ok(cut.startsWith('x'.repeat(DEFAULT_TEXT_CAP)));
    assert.equal(cut.slice(DEFAULT_TEXT_CAP), '… (12,345 more characters)');
    assert.equal(cutMarker(1_000_000), '… (1,000,000 more characters)');
  });

  it('never splits a surrogate pair', () => {
    const text = `ab😀cd`; // 😀 is two UTF-16 units at 2..3
    assert.equal(capText(text, 3), 'ab… (4 more characters)');
    assert.equal(capText(text, 4), 'ab😀… (2 more characters)');
    assert.equal(capText(text, 2), 'ab… (4 more characters)');
  });

  it('treats a silly cap sanely', () => {
    assert.equal(capText('abc', 0), '… (3 more characters)');
    assert.equal(capText('abc', -5), '… (3 more characters)');
    assert.equal(capText('abc', 1.9), 'a… (2 more characters)');
    assert.equal(capText('a'.repeat(DEFAULT_TEXT_CAP + 1), Number.NaN).length, DEFAULT_TEXT_CAP + cutMarker(1).length);
  });

  it('takes time by the cap, not by the text (a 50 MB string is cut at once)', () => {
    const huge = 'y'.repeat(50 * 1024 * 1024);
    const t0 = performance.now();
    for (let i = 0; i < 1000; i++) capText(huge, 100);
    assert.ok(performance.now() - t0 < 500, 'capping must not scan the whole text');
  });
});
