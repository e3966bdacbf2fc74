// What the webview commands accept (ids from code and links, or the tree item they were run on) and how the views
// read what other commands return.
// No vscode import, so unit-tested in plain mocha.
import type { RoutineTarget } from '../../webview/routine/persist';
import type { SyncNowResult } from '../../webview/routine/protocol';

export type { RoutineTarget } from '../../webview/routine/persist';

/** Accepts (endpointId, routineId) or a tree item carrying endpointId and routineId (or jobId), directly or under
 * `.routine`/`.data`. */
export function routineTarget(args: unknown[]): RoutineTarget | undefined {
  const [a, b] = args;
  if (typeof a === 'string' && typeof b === 'string') return { endpointId: a, routineId: b };
  if (a && typeof a === 'object') {
    for (const o of [a, (a as { routine?: unknown }).routine, (a as { data?: unknown }).data]) {
      if (!o || typeof o !== 'object') continue;
      const r = o as { endpointId?: unknown; routineId?: unknown; jobId?: unknown };
      const routineId = typeof r.routineId === 'string' ? r.routineId : typeof r.jobId === 'string' ? r.jobId : undefined;
      const endpointId = typeof r.endpointId === 'string' ? r.endpointId
        : typeof (a as { endpointId?: unknown }).endpointId === 'string' ? (a as { endpointId: string }).endpointId : undefined;
      if (endpointId && routineId) return { endpointId, routineId };
    }
  }
  return undefined;
}

/** Accepts an endpoint id or a tree item carrying endpointId (or an `endpoint.id`). */
export function endpointTarget(arg: unknown): string | undefined {
  if (typeof arg === 'string') return arg;
  if (arg && typeof arg === 'object') {
    const o = arg as { endpointId?: unknown; endpoint?: { id?: unknown } };
    if (typeof o.endpointId === 'string') return o.endpointId;
    if (o.endpoint && typeof o.endpoint.id === 'string') return o.endpoint.id;
  }
  return undefined;
}

/** Reads what proxbox.sync.endpoint resolved with: the finished run, or undefined when no sync started. */
export function syncOutcome(run: unknown): SyncNowResult {
  if (!run || typeof run !== 'object') {
    return { started: false, ok: false, message: 'No sync started: this endpoint may be syncing already (see the notification or the status bar).' };
  }
  const r = run as { ok?: unknown; message?: unknown; error?: { message?: unknown; suggestion?: unknown } };
  const ok = r.ok === true;
  const detail = (typeof r.error?.message === 'string' ? r.error.message : typeof r.message === 'string' ? r.message : '').replace(/[.\s]+$/, '');
  const next = typeof r.error?.suggestion === 'string' ? ` ${r.error.suggestion}` : '';
  return ok
    ? { started: true, ok, message: 'Sync finished; this view shows the new inventory.' }
    : { started: true, ok, message: `Sync failed${detail ? `: ${detail}` : ''}.${next || ' See the Proxbox log for the details.'}` };
}
