// VS Code answers what a sync asks of it (the token secret, the endpoint settings) through the window's own process.
// A window that went away without closing its extension host (a closed code-server tab keeps it alive for minutes to
// hours) never answers, and a sync waiting for it would hang, holding the schedule's queue with it.

/** Long enough for a keychain unlock prompt on a slow machine, short against a schedule. */
export const VSCODE_ANSWER_MS = 30_000;

export class VsCodeUnresponsiveError extends Error {
  readonly code = 'VSCODE_UNRESPONSIVE';
  readonly category = 'timeout';
  readonly suggestion = 'Reload this window (Developer: Reload Window). Meanwhile another open window runs the sync schedule; with none, this one takes it back in 2 minutes.';
  constructor(what: string, ms: number) {
    super(`VS Code did not answer within ${Math.round(ms / 1000)} s when asked for ${what}: this window seems to have lost its connection (a closed browser tab of code-server keeps it running).`);
    this.name = 'VsCodeUnresponsiveError';
  }
}

/** `promise`, or a VsCodeUnresponsiveError after `ms`, or the signal's reason when it is aborted first. */
export function answerWithin<T>(promise: Promise<T>, what: string, signal?: AbortSignal, ms = VSCODE_ANSWER_MS): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const stop = (): void => { clearTimeout(timer); signal?.removeEventListener('abort', onAbort); };
    const onAbort = (): void => { stop(); reject(signal?.reason instanceof Error ? signal.reason : new Error('Sync cancelled.')); };
    const timer = setTimeout(() => { stop(); reject(new VsCodeUnresponsiveError(what, ms)); }, ms);
    if (signal?.aborted) { onAbort(); return; }
    signal?.addEventListener('abort', onAbort, { once: true });
    promise.then((v) => { stop(); resolve(v); }, (e: unknown) => { stop(); reject(e); });
  });
}
