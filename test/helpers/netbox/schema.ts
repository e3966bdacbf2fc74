// The official NetBox 4.6.8 OpenAPI subset (and the netbox-proxbox one) as validators, for the fake NetBox.
// Validation is ajv's, against the documents' own components; compiled lazily per component because the
// documents are about 1.2 MB together and a test touches a few dozen components.
//
// OpenAPI 3.0 is not quite JSON Schema, so the components are translated once, mechanically (nothing here checks a
// value by hand):
// - `nullable: true` becomes `anyOf [schema, {type: null}]` (ajv's own `nullable` needs a sibling `type`, and
//   NetBox writes `{allOf: [$ref], nullable: true}` everywhere);
// - draft-4 boolean `exclusiveMinimum`/`exclusiveMaximum` become the numeric form.
// And the runtime mismatches the reference notes list ("Schema vs. runtime mismatches") are applied, each one
// documented by NetBox's verified behaviour, never to hide a bug:
// - `Brief*Request` / `Nested*Request` lose `required` (the runtime accepts any identifying attribute subset);
// - `Paginated*List.count` may be null (cursor pagination answers `count: null`);
// - bulk create answers an array (validated item by item with the model component, by the caller);
// - bulk delete bodies are `[{id}]`, not the schema's `<M>Request` array (see `BULK_DELETE` below).
import Ajv, { type ValidateFunction } from 'ajv';
import { readFileSync } from 'node:fs';
import { fixture } from '../paths';

type Json = Record<string, unknown>;

/** The components one model path uses, read from the document's operations. */
export interface PathComponents {
  /** POST (one object or each item of a bulk create). */
  create: string;
  /** PATCH of a list (each item). */
  bulkPatch: string;
  /** PUT of a list (each item). */
  bulkPut: string;
  /** PATCH of `{id}/`. */
  patch: string;
  /** PUT of `{id}/`. */
  put: string;
  /** The object as read. */
  model: string;
  /** A list page. */
  page: string;
}

const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

function translate(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(translate);
  if (!isObject(node)) return node;
  const out: Json = {};
  for (const [k, v] of Object.entries(node)) {
    // `properties` maps names to schemas: translate the schemas, keep the names.
    if (k === 'properties' && isObject(v)) {
      out[k] = Object.fromEntries(Object.entries(v).map(([name, s]) => [name, translate(s)]));
    } else if (k !== 'nullable' && k !== 'example' && !k.startsWith('x-')) {
      out[k] = translate(v);
    }
  }
  for (const side of ['Minimum', 'Maximum'] as const) {
    const flag = `exclusive${side}`;
    const bound = side.toLowerCase();
    if (out[flag] === true && typeof out[bound] === 'number') {
      out[flag] = out[bound];
      delete out[bound];
    } else if (out[flag] === false) delete out[flag];
  }
  if (node.nullable === true) {
    const { description, readOnly, ...rest } = out;
    return { anyOf: [rest, { type: 'null' }], ...(description ? { description } : {}), ...(readOnly ? { readOnly } : {}) };
  }
  return out;
}

function applyRuntimeMismatches(schemas: Record<string, Json>): void {
  for (const [name, schema] of Object.entries(schemas)) {
    if (/^(Brief|Nested)\w*Request$/.test(name)) delete schema.required;
    if (/^Paginated\w*List$/.test(name) && isObject(schema.properties) && isObject(schema.properties.count)) {
      schema.properties.count = { anyOf: [schema.properties.count, { type: 'null' }] };
    }
  }
}

function refName(schema: unknown): string | undefined {
  if (!isObject(schema)) return undefined;
  if (typeof schema.$ref === 'string') return schema.$ref.split('/').pop();
  if (Array.isArray(schema.oneOf)) return refName(schema.oneOf[0]);
  if (isObject(schema.items)) return refName(schema.items);
  return undefined;
}

function bodyRef(op: unknown): string | undefined {
  if (!isObject(op) || !isObject(op.requestBody)) return undefined;
  const content = op.requestBody.content as Record<string, Json> | undefined;
  return refName(content?.['application/json']?.schema);
}

function responseRef(op: unknown, status: string): string | undefined {
  if (!isObject(op) || !isObject(op.responses)) return undefined;
  const r = op.responses[status] as Json | undefined;
  const content = r?.content as Record<string, Json> | undefined;
  return refName(content?.['application/json']?.schema);
}

/** The body a bulk DELETE really takes (mismatch 2); checked by the same validator. */
const BULK_DELETE = {
  type: 'array',
  items: {
    type: 'object',
    properties: { id: { type: 'integer' }, changelog_message: { type: 'string' } },
    required: ['id'],
  },
};

export class NetBoxSchema {
  private readonly ajv: Ajv;
  private readonly compiled = new Map<string, ValidateFunction>();
  private readonly paths = new Map<string, PathComponents>();
  readonly componentNames: ReadonlySet<string>;
  private readonly raw: Record<string, Json>;

  constructor() {
    const core = JSON.parse(readFileSync(fixture('netbox', 'netbox-openapi-subset.json'), 'utf8')) as Json;
    const plugin = JSON.parse(readFileSync(fixture('netbox', 'netbox-proxbox-openapi-subset.json'), 'utf8')) as Json;
    const schemasOf = (doc: Json): Record<string, Json> => (doc.components as { schemas: Record<string, Json> }).schemas;
    // The core definitions win over the plugin's copies (as in NetBox's own generated schema).
    this.raw = { ...schemasOf(plugin), ...schemasOf(core) };
    const merged = translate(this.raw) as Record<string, Json>;
    applyRuntimeMismatches(merged);
    this.componentNames = new Set(Object.keys(merged));
    this.ajv = new Ajv({ strict: false, allErrors: true });
    this.ajv.addFormat('date-time', (s: string) => /^\d{4}-\d\d-\d\dT\d\d:\d\d(:\d\d(\.\d+)?)?(Z|[+-]\d\d:?\d\d)?$/.test(s) && !Number.isNaN(Date.parse(s)));
    this.ajv.addFormat('uri', (s: string) => URL.canParse(s));
    for (const annotation of ['double', 'int64', 'binary', 'date']) this.ajv.addFormat(annotation, true);
    this.ajv.addSchema({ $id: 'netbox', components: { schemas: merged } });
    for (const doc of [core, plugin]) {
      const docPaths = doc.paths as Record<string, Record<string, unknown>>;
      for (const [path, item] of Object.entries(docPaths)) {
        if (path.includes('{')) continue;
        const detail = docPaths[`${path}{id}/`];
        if (!detail) continue;
        const found = {
          create: bodyRef(item.post),
          bulkPatch: bodyRef(item.patch),
          bulkPut: bodyRef(item.put),
          patch: bodyRef(detail.patch),
          put: bodyRef(detail.put),
          model: responseRef(detail.get, '200'),
          page: responseRef(item.get, '200'),
        };
        if (Object.values(found).every((v) => typeof v === 'string')) this.paths.set(path, found as PathComponents);
      }
    }
  }

  /** The components of a model list path, e.g. '/api/dcim/sites/'. */
  components(path: string): PathComponents | undefined {
    return this.paths.get(path);
  }

  /** The untranslated properties of a component (for rendering objects shaped like it). */
  rawProperties(name: string): Record<string, Json> {
    return (this.raw[name]?.properties as Record<string, Json> | undefined) ?? {};
  }

  rawRequired(name: string): string[] {
    return (this.raw[name]?.required as string[] | undefined) ?? [];
  }

  /** ajv's messages for `value` against component `name`, or [] when it conforms. */
  validate(name: string, value: unknown): string[] {
    let fn = this.compiled.get(name);
    if (!fn) {
      if (!this.componentNames.has(name)) throw new Error(`no component ${name} in the NetBox schema subset`);
      fn = this.ajv.compile({ $ref: `netbox#/components/schemas/${name}` });
      this.compiled.set(name, fn);
    }
    return fn(value) ? [] : (fn.errors ?? []).map((e) => `${e.instancePath || '/'} ${e.message ?? 'is invalid'}`);
  }

  /** The component name violations of a bulk DELETE body are recorded under. */
  static readonly BULK_DELETE = 'bulk delete [{id}]';

  /** ajv's messages for a bulk DELETE body. */
  validateBulkDelete(value: unknown): string[] {
    let fn = this.compiled.get('bulk delete [{id}]');
    if (!fn) {
      fn = this.ajv.compile(BULK_DELETE);
      this.compiled.set('bulk delete [{id}]', fn);
    }
    return fn(value) ? [] : (fn.errors ?? []).map((e) => `${e.instancePath || '/'} ${e.message ?? 'is invalid'}`);
  }
}

let shared: NetBoxSchema | undefined;
/** One schema per process: loading and translating takes a moment, compiled components are reused. */
export function netboxSchema(): NetBoxSchema {
  shared ??= new NetBoxSchema();
  return shared;
}
