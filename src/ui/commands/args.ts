// The one argument parser of the commands: a command may receive a tree node, a plain id, an object from a webview
// or a `command:` link, or nothing (then it asks). Everything that reads a command argument goes through here.

function field(arg: unknown, name: string): string | undefined {
  if (!arg || typeof arg !== 'object') return undefined;
  const v = (arg as Record<string, unknown>)[name];
  return typeof v === 'string' && v ? v : undefined;
}

/** An endpoint id from a tree node (`endpointId`), `{endpoint: {id}}`, or an id string. */
export function endpointIdOf(arg: unknown): string | undefined {
  if (typeof arg === 'string' && arg) return arg;
  const nested = arg && typeof arg === 'object' ? (arg as { endpoint?: unknown }).endpoint : undefined;
  return field(arg, 'endpointId') ?? field(nested, 'id');
}

/** A job id from a job's tree node or an id string. */
export function jobIdOf(arg: unknown): string | undefined {
  if (typeof arg === 'string' && arg) return arg;
  return field(arg, 'jobId');
}

/** The stage names a command was given (`proxbox.sync.stage` from a link); undefined when none. */
export function stagesOf(arg: unknown): string[] | undefined {
  const v = arg && typeof arg === 'object' ? (arg as { stages?: unknown }).stages : undefined;
  return Array.isArray(v) && v.every((s) => typeof s === 'string') && v.length ? (v as string[]) : undefined;
}

/** A routine: (endpointId, routineId), or a tree item carrying endpointId and routineId (or jobId), directly or under
 * `.routine`/`.data`. */
export function routineTargetOf(args: unknown[]): { endpointId: string; routineId: string } | undefined {
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


/**
 * What an "Open in NetBox" argument points at: a guest row (`guest.vmid`), a node row (`node`), a backup job row
 * (`routine.jobId`), or `{vmid}` / `{node}` / `{routineId}`.
 */
export function netboxObjectOf(arg: unknown): { vmid?: number; node?: string; jobId?: string } {
  if (!arg || typeof arg !== 'object') return {};
  const a = arg as { guest?: { vmid?: unknown }; vmid?: unknown; node?: unknown; routine?: { jobId?: unknown }; routineId?: unknown };
  const vmid = typeof a.vmid === 'number' ? a.vmid : typeof a.guest?.vmid === 'number' ? a.guest.vmid : undefined;
  if (vmid !== undefined) return { vmid };
  const jobId = typeof a.routine?.jobId === 'string' ? a.routine.jobId : typeof a.routineId === 'string' ? a.routineId : undefined;
  if (jobId) return { jobId };
  return typeof a.node === 'string' && a.node ? { node: a.node } : {};
}
