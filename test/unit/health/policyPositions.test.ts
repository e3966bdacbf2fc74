// Offsets to VS Code positions (src/core/text/lineIndex.ts): the ranges of policy diagnostics depend on it, so it is
// checked against a plain oracle (split the text before the offset at every line break) on every offset of texts
// mixing \n, \r\n, lone \r and characters outside the BMP.
import { strict as assert } from 'node:assert';
import { LineIndex } from '../../../src/core/text/lineIndex';

function oracle(text: string, offset: number): { line: number; character: number } {
  const before = text.slice(0, offset);
  const lines = before.split(/\r\n|\r|\n/);
  return { line: lines.length - 1, character: lines[lines.length - 1].length };
}

/** A deterministic pseudo-random generator, so that a failure can be replayed. */
function lcg(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

describe('policy positions (LineIndex)', () => {
  it('counts \\n, \\r\\n and a lone \\r as one line break each, and characters as UTF-16 code units', () => {
    const text = 'ab\ncd\r\nef\rgh\u{1F600}ij';
    const idx = new LineIndex(text);
    assert.deepEqual(idx.position(text.indexOf('c')), { line: 1, character: 0 });
    assert.deepEqual(idx.position(text.indexOf('e')), { line: 2, character: 0 });
    assert.deepEqual(idx.position(text.indexOf('g')), { line: 3, character: 0 });
    // The emoji is two code units, as VS Code counts it.
    assert.deepEqual(idx.position(text.indexOf('i')), { line: 3, character: 4 });
  });

  it('matches the oracle on every offset of generated texts', () => {
    const next = lcg(7);
    const pieces = ['a', 'bc', '\n', '\r\n', '\r', '\u{1F600}', ' ', '{', '"'];
    for (let n = 0; n < 200; n++) {
      let text = '';
      const len = Math.floor(next() * 30);
      for (let i = 0; i < len; i++) text += pieces[Math.floor(next() * pieces.length)];
      const idx = new LineIndex(text);
      for (let o = 0; o <= text.length; o++) {
        // An offset between \r and \n is not a place a parser ever reports; the oracle would split the pair.
        if (text[o - 1] === '\r' && text[o] === '\n') continue;
        assert.deepEqual(idx.position(o), oracle(text, o), `offset ${o} of ${JSON.stringify(text)}`);
      }
    }
  });

  it('clamps offsets outside the text and builds ranges from offset and length', () => {
    const idx = new LineIndex('one\ntwo');
    assert.deepEqual(idx.position(-5), { line: 0, character: 0 });
    assert.deepEqual(idx.position(99), { line: 1, character: 3 });
    assert.deepEqual(idx.range(2, 3), { startLine: 0, startCharacter: 2, endLine: 1, endCharacter: 1 });
    assert.deepEqual(idx.range(0, 0), { startLine: 0, startCharacter: 0, endLine: 0, endCharacter: 0 });
  });
});
