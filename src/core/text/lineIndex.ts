// Offsets in a text to 0-based line/character positions, counted the way VS Code counts them (a line ends at \n,
// \r\n or a lone \r; a character is a UTF-16 code unit, which is what a JavaScript string index is), so that a
// range computed here in the core lands on the same characters when the UI turns it into a vscode.Range.
import type { SourceRange } from '../health/types';

export interface TextPosition {
  line: number;
  character: number;
}

export class LineIndex {
  /** Offset of the first character of each line; lineStarts[0] is always 0. */
  private readonly lineStarts: number[] = [0];

  constructor(private readonly text: string) {
    for (let i = 0; i < text.length; i++) {
      const c = text.charCodeAt(i);
      if (c === 13 /* \r */) {
        // \r\n is one line break, not two.
        if (text.charCodeAt(i + 1) === 10) i++;
        this.lineStarts.push(i + 1);
      } else if (c === 10 /* \n */) {
        this.lineStarts.push(i + 1);
      }
    }
  }

  /** The position of an offset; offsets outside the text are clamped to its start or end. */
  position(offset: number): TextPosition {
    const o = Math.max(0, Math.min(offset, this.text.length));
    // The last line whose start is <= o (binary search: policy files are small, but one helper serves any text).
    let lo = 0;
    let hi = this.lineStarts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.lineStarts[mid] <= o) lo = mid;
      else hi = mid - 1;
    }
    return { line: lo, character: o - this.lineStarts[lo] };
  }

  /** The range covering `length` characters from `offset`. */
  range(offset: number, length: number): SourceRange {
    const start = this.position(offset);
    const end = this.position(offset + Math.max(0, length));
    return { startLine: start.line, startCharacter: start.character, endLine: end.line, endCharacter: end.character };
  }
}
