// The one secret redactor: the last line of defence before text reaches a log, an event, a job record or the
// screen. It masks every known secret wherever it appears, and any token credential by its shape, because an
// error message may quote a header for a secret this process was never told about (another window's endpoint).
// Every pattern is linear: server text can be long, and this runs on the extension host's only thread.

const MASK = '***';

// `PVEAPIToken=user@realm!name=SECRET` (PVE) and `PBSAPIToken=user@realm!name:SECRET` (PBS): keep who, hide the secret.
// The secret ends at a space, a quote, a backslash (an escaped quote in JSON text) or a separator.
const TOKEN_HEADER = /\b((?:PVE|PBS)APIToken[=\s]+[^\s=:!]+![^\s=:]+[=:])[^\s"'\\,;}]+/gi;
// An `Authorization` header or field quoted in text: its credential (after a scheme word, inside quotes or not).
const AUTHORIZATION = /\b(authorization["']?\s*[:=]\s*["']?)((?:Basic|Bearer|Token)\s+)?(["']?)([^\s"'\\,;}]+)/gi;
// A secret shorter than this is too likely to occur in ordinary text to be masked by value. No real token secret is
// that short (PVE and PBS secrets are UUIDs), so the places that take a secret refuse one this short instead.
export const MIN_SECRET_LENGTH = 4;
// Words that any credential shape the redactor masks contains: text without them (and without a known secret) is
// left alone without walking it.
const CREDENTIAL_HINT = /APIToken|authorization/i;

export function redactSecrets(text: string, secrets: Iterable<string> = []): string {
  // Known secrets first: a secret quoted inside a header is then already masked, whatever the header's form.
  let out = text;
  for (const s of secrets) if (s && s.length >= MIN_SECRET_LENGTH) out = out.split(s).join(MASK);
  out = out.replace(TOKEN_HEADER, `$1${MASK}`);
  // A value masked already (a token header above keeps who it belongs to) stays as it is.
  return out.replace(AUTHORIZATION, (whole, head: string, scheme: string | undefined, quote: string, value: string) =>
    value.includes(MASK) ? whole : `${head}${scheme ?? ''}${quote}${MASK}`);
}

/**
 * The same for every string inside a value (an event, a job result), leaving its structure intact: redacting the
 * JSON text instead could cut through an escaped quote and leave text that no longer parses.
 */
export function redactDeep<T>(value: T, secrets: Iterable<string> = []): T {
  const list = [...secrets];
  const walk = (v: unknown): unknown => {
    if (typeof v === 'string') return redactSecrets(v, list);
    if (Array.isArray(v)) return v.map(walk);
    if (v && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, walk(x)]));
    return v;
  };
  return walk(value) as T;
}

/**
 * redactDeep, only when the value's JSON text may hold a credential (a known secret, or a token or Authorization
 * shape); otherwise the value itself. For large values that almost never hold one: a stored inventory, an event.
 */
export function redactDeepIfNeeded<T>(value: T, secrets: Iterable<string> = [], json: string | undefined = JSON.stringify(value)): T {
  if (json === undefined) return value;
  const list = [...secrets].filter((s) => s && s.length >= MIN_SECRET_LENGTH);
  // A secret appears in JSON text as its JSON-escaped form.
  const hit = CREDENTIAL_HINT.test(json) || list.some((s) => json.includes(JSON.stringify(s).slice(1, -1)));
  return hit ? redactDeep(value, list) : value;
}
