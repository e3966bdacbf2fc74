// Maps `/api2/json/...` paths to handlers. Paths use PVE's own `{param}` notation so the table reads like the API
// schema, and errors carry PVE's status codes and messages.
import type { SimCluster, SimToken } from './model';

export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
    /** Per-parameter messages, as PVE sends for 400 "Parameter verification failed." */
    readonly errors?: Record<string, string>,
  ) {
    super(message);
  }
}

export interface RequestContext {
  cluster: SimCluster;
  token: SimToken;
  params: Record<string, string>;
  query: URLSearchParams;
  /** Wall-clock now, epoch seconds. */
  now: number;
}

export interface HandlerResult {
  data: unknown;
  /** PVE adds `total` to the envelope of paged lists. */
  total?: number;
}

export type Handler = (ctx: RequestContext) => HandlerResult;

interface Route {
  pattern: RegExp;
  names: string[];
  template: string;
  handler: Handler;
}

export class Router {
  private readonly routes: Route[] = [];

  get(template: string, handler: Handler): this {
    const names: string[] = [];
    const source = template.replace(/[.*+?^$()|[\]\\]/g, '\\$&').replace(/\{(\w+)\}/g, (_m, name: string) => {
      names.push(name);
      return '([^/]+)';
    });
    this.routes.push({ pattern: new RegExp(`^${source}/?$`), names, template, handler });
    return this;
  }

  match(path: string): { handler: Handler; params: Record<string, string>; template: string } | undefined {
    for (const r of this.routes) {
      const m = r.pattern.exec(path);
      if (!m) continue;
      const params: Record<string, string> = {};
      r.names.forEach((n, i) => (params[n] = decodeURIComponent(m[i + 1])));
      return { handler: r.handler, params, template: r.template };
    }
    return undefined;
  }

  templates(): string[] {
    return this.routes.map((r) => r.template);
  }
}

/** 403 exactly as PVE words it. */
export function permissionDenied(path: string, ...privs: string[]): ApiError {
  return new ApiError(403, `Permission check failed (${path}, ${privs.join('|')})`);
}

export function badParam(name: string, message: string): ApiError {
  return new ApiError(400, 'Parameter verification failed.', { [name]: message });
}

/** Reads an optional integer query parameter the way PVE validates it. */
export function intParam(query: URLSearchParams, name: string, min?: number): number | undefined {
  const raw = query.get(name);
  if (raw === null || raw === '') return undefined;
  if (!/^-?\d+$/.test(raw)) throw badParam(name, `type check ('integer') failed - got '${raw}'`);
  const n = Number(raw);
  if (min !== undefined && n < min) throw badParam(name, `value must have a minimum value of ${min}`);
  return n;
}

export function boolParam(query: URLSearchParams, name: string): boolean | undefined {
  const raw = query.get(name);
  if (raw === null || raw === '') return undefined;
  if (/^(1|true|yes|on)$/i.test(raw)) return true;
  if (/^(0|false|no|off)$/i.test(raw)) return false;
  throw badParam(name, `type check ('boolean') failed - got '${raw}'`);
}

export function enumParam<T extends string>(query: URLSearchParams, name: string, values: readonly T[]): T | undefined {
  const raw = query.get(name);
  if (raw === null || raw === '') return undefined;
  if (!(values as readonly string[]).includes(raw)) {
    throw badParam(name, `value '${raw}' does not have a value in the enumeration '${values.join(', ')}'`);
  }
  return raw as T;
}

/** PVE rejects parameters a method does not declare. */
export function onlyParams(query: URLSearchParams, allowed: readonly string[]): void {
  for (const key of query.keys()) {
    if (!allowed.includes(key)) throw badParam(key, 'property is not defined in schema and the schema does not allow additional properties');
  }
}
