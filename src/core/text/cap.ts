// Caps text that came from somewhere we do not control (a server's error body, an offending value in a parse error,
// an output line) so that a hostile or broken answer can never make a message, a log line or an event unbounded.
// Pure (no Node or DOM API): the extension host, the CLI and the webview bundles import the same code.

/** The length a message keeps by default: long enough for any real Proxmox error, short enough to read. */
export const DEFAULT_TEXT_CAP = 2000;

/** The marker appended to cut text: it says how much was left out, so a reader knows the message is not whole. */
export function cutMarker(omitted: number): string {
  return `… (${omitted.toLocaleString('en-US')} more character${omitted === 1 ? '' : 's'})`;
}

/**
 * `text` unchanged when it has at most `max` characters; otherwise its first `max` characters followed by
 * "… (N more characters)", N counting what was cut. Never splits a surrogate pair (an emoji stays whole or goes).
 * Runs in time proportional to `max`, not to the length of `text`.
 */
export function capText(text: string, max: number = DEFAULT_TEXT_CAP): string {
  const limit = Number.isFinite(max) ? Math.max(0, Math.floor(max)) : DEFAULT_TEXT_CAP;
  if (text.length <= limit) return text;
  let end = limit;
  // A high surrogate as the last kept unit would leave half a character: keep the pair out instead.
  const last = text.charCodeAt(end - 1);
  if (end > 0 && last >= 0xd800 && last <= 0xdbff) end--;
  return `${text.slice(0, end)}${cutMarker(text.length - end)}`;
}
