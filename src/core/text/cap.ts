// Caps a message that may come from a server (an error body, a parse error, an output line): what is cut is said, with
// how much, so a reader knows the text is incomplete. Pure and linear.

/** `text` unchanged when it fits in `max` characters, else its first `max` characters and how many were cut. */
export function capText(text: string, max: number): string {
  if (text.length <= max) return text;
  return text.slice(0, max) + ` … (${text.length - max} more characters)`;
}
