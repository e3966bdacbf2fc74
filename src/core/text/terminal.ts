// The one terminal sanitizer: text a server sent (a guest name, a job comment, an error message) is printed by the
// CLI with every control character and bidirectional override replaced by a visible U+FFFD, so that it can neither
// drive the terminal (ESC and C1 sequences: window title, OSC 52 clipboard writes, colours, cursor moves), nor break
// a table's line or column (newline, tab, carriage return), nor reorder what the reader sees (U+202E and friends).
// JSON output does not go through here: it stays exact.

/** C0 (including tab and newline), DEL, C1, the bidi embeddings, overrides and isolates, the implicit marks, and the line/paragraph separators. */
// eslint-disable-next-line no-control-regex -- matching control characters is this module's purpose
const UNSAFE = /[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;

export const TERMINAL_PLACEHOLDER = '\ufffd';

/** `text` with each character that could control a terminal or reorder text replaced by U+FFFD; linear time. */
export function terminalSafe(text: string): string {
  return text.replace(UNSAFE, TERMINAL_PLACEHOLDER);
}

/** terminalSafe for each line of a text we laid out ourselves: our line breaks stay, everything else is made safe. */
export function terminalSafeLines(text: string): string {
  return text.split('\n').map(terminalSafe).join('\n');
}
