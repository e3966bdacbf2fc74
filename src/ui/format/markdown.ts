// The one markdown escaper for text we did not write (names, comments, schedules, node and storage ids, error
// messages): whatever it holds, it reads as that text and never as markdown. No image, link, autolink, HTML, entity,
// emphasis, heading, list or code block can come out of it, so a hostile server cannot put a tracking pixel or a link
// in a tooltip. Links appear only where we build them. Pure (no 'vscode'), linear time, unit-tested with a real parser.

/** Every ASCII punctuation character: CommonMark lets each be backslash-escaped, and all syntax is made of them. */
const PUNCTUATION = /[!-/:-@[-`{-~]/g;
const LINE_BREAK = /\r\n|\r|\n/;

/** One line: punctuation escaped; leading and trailing blanks as character references (no indented code, no hard break). */
function escapeLine(line: string): string {
  const escaped = line.replace(PUNCTUATION, (c) => `\\${c}`);
  let start = 0;
  while (start < escaped.length && (escaped[start] === ' ' || escaped[start] === '\t')) start++;
  let end = escaped.length;
  while (end > start && (escaped[end - 1] === ' ' || escaped[end - 1] === '\t')) end--;
  const blanks = (s: string) => s.replace(/[ \t]/g, (c) => (c === ' ' ? '&#32;' : '&#9;'));
  return blanks(escaped.slice(0, start)) + escaped.slice(start, end) + blanks(escaped.slice(end));
}

/**
 * `text` as markdown that renders as exactly `text`, inline: its line breaks become hard line breaks (a backslash
 * at the end of the line), so a line of it can never start a block (heading, list, quote, code) of its own; line
 * breaks at the very end are dropped.
 */
export function escapeMarkdown(text: string): string {
  // A line break at the very end shows nothing, and its backslash would be shown as text: it is dropped.
  let end = text.length;
  while (end > 0 && (text[end - 1] === '\n' || text[end - 1] === '\r')) end--;
  return text.slice(0, end).split(LINE_BREAK).map(escapeLine).join('\\\n');
}

/**
 * `text` in a code span that no backtick in it can close: the fence is longer than the longest run of backticks
 * inside, padded with a space when the text starts or ends with a backtick or a space (CommonMark strips one). Line
 * breaks become spaces, as a code span shows them anyway, so that no line of the text can end the paragraph first.
 */
export function codeSpan(text: string): string {
  const flat = text.replace(/\r\n|\r|\n/g, ' ');
  if (flat === '') return '';
  let longest = 0;
  let run = 0;
  for (let i = 0; i < flat.length; i++) {
    if (flat.charCodeAt(i) === 96) { run++; if (run > longest) longest = run; } else run = 0;
  }
  const fence = '`'.repeat(longest + 1);
  const allSpaces = /^ +$/.test(flat);
  const pad = !allSpaces && (flat.startsWith('`') || flat.endsWith('`') || flat.startsWith(' ') || flat.endsWith(' ')) ? ' ' : '';
  return `${fence}${pad}${flat}${pad}${fence}`;
}

/**
 * `text` for a notification (showErrorMessage and friends): VS Code turns `[label](https://…)`, `[label](command:…)`
 * and `[label](file:…)` in a notification's message into links, so text from a server gets a zero-width space
 * between `]` and `(`: it reads the same and links nothing.
 */
export function notificationText(text: string): string {
  return text.replace(/\]\(/g, ']\u200b(');
}
