// The one secret redactor: the last line of defence before text reaches a log, an event, a job record or the
// screen. It masks every known secret wherever it appears, and any token credential by its shape, because an
// error message may quote a header for a secret this process was never told about (another window's endpoint).

const MASK = '***';

// `PVEAPIToken=user@realm!name=SECRET` (PVE) and `PBSAPIToken=user@realm!name:SECRET` (PBS): keep who, hide the secret.
const TOKEN_HEADER = /\b((?:PVE|PBS)APIToken[=\s]+[^\s=:!]+![^\s=:]+[=:])[^\s"',;}]+/gi;
// An `Authorization` header or field quoted in text: everything up to the end of the value.
const AUTHORIZATION = /\b(authorization["']?\s*[:=]\s*["']?)(?!\*\*\*)([^"'\r\n,;}]+)/gi;
// A secret shorter than this is too likely to occur in ordinary text to be masked by value.
const MIN_SECRET_LENGTH = 4;

export function redactSecrets(text: string, secrets: Iterable<string> = []): string {
  // Known secrets first: a secret quoted inside a header is then already masked, whatever the header's form.
  let out = text;
  for (const s of secrets) if (s && s.length >= MIN_SECRET_LENGTH) out = out.split(s).join(MASK);
  out = out.replace(TOKEN_HEADER, `$1${MASK}`);
  out = out.replace(AUTHORIZATION, (_m, head: string, value: string) => {
    // Keep the scheme word ("PVEAPIToken=user!name=", "Bearer") so the reader knows what kind of credential it was.
    const token = /^((?:PVE|PBS)APIToken[=\s]+[^\s=:!]+![^\s=:]+[=:])/i.exec(value);
    if (token) return `${head}${token[1]}${MASK}`;
    const scheme = /^(Basic|Bearer|Token)\s+/i.exec(value);
    return `${head}${scheme ? scheme[0] : ''}${MASK}`;
  });
  return out;
}
