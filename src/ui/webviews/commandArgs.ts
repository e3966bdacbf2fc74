// What the two commands accept as arguments: ids from code and links, or the tree item they were run on.
// No vscode import, so unit-tested in plain mocha.

export interface RoutineTarget {
  endpointId: string;
  routineId: string;
}

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
