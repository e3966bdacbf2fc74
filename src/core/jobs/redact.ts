// How a token secret is hidden before text reaches a job log, a job's error or its stored result. Every part of the
// jobs core imports it from here, so that the rule changes in one place.

/** Hides API token secrets in text, in the `PVEAPIToken=user@realm!name=SECRET` form and any given secret. */
export function redactSecrets(text: string, secrets: readonly string[] = []): string {
  let out = text.replace(/(PVEAPIToken=[^\s=!]+![^\s=]+=)[^\s"',;]+/gi, '$1***');
  for (const s of secrets) if (s.length >= 4) out = out.split(s).join('***');
  return out;
}
