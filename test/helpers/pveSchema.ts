// A validator for the JSON-schema dialect of PVE's API schema (PVE::JSONSchema, as dumped in apidata.js): type,
// properties, optional, additionalProperties, items, enum, pattern, minimum, maximum, maxLength, and the
// `name[n]` keys that stand for name0, name1, ... Value checks follow PVE's own check_type, which is Perl and
// lenient: an integer may arrive as a numeric string and a boolean as 0/1.
// Properties the schema does not list are reported separately as `extra`, so a test can tell "wrong shape"
// (errors) from "a key the schema does not document" (extra) and decide which undocumented keys are real.

export interface PveSchema {
  type?: string | string[];
  properties?: Record<string, PveSchema>;
  items?: PveSchema;
  optional?: number | boolean;
  additionalProperties?: number | boolean | PveSchema;
  enum?: Array<string | number>;
  pattern?: string;
  minimum?: number | string;
  maximum?: number | string;
  maxLength?: number | string;
  [key: string]: unknown;
}

export interface SchemaReport {
  /** Values that break the schema, as "path: problem". */
  errors: string[];
  /** Properties not in the schema (and not forbidden by additionalProperties=0), as paths. */
  extra: string[];
}

const INTEGER = /^[+-]?\d+$/;
const NUMBER = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;

function typeOk(type: string, value: unknown): boolean {
  switch (type) {
    case 'string':
      return typeof value === 'string';
    case 'integer':
      return (typeof value === 'number' && Number.isInteger(value)) || (typeof value === 'string' && INTEGER.test(value));
    case 'number':
      return (typeof value === 'number' && Number.isFinite(value)) || (typeof value === 'string' && NUMBER.test(value));
    case 'boolean':
      return typeof value === 'boolean' || value === 0 || value === 1 || value === '0' || value === '1';
    case 'object':
      return typeof value === 'object' && value !== null && !Array.isArray(value);
    case 'array':
      return Array.isArray(value);
    case 'null':
      return value === null;
    case 'any':
      return true;
    default:
      return true;
  }
}

/** Finds the schema of a key, including `net[n]`-style families. */
function propertySchema(properties: Record<string, PveSchema>, key: string): PveSchema | undefined {
  if (properties[key]) return properties[key];
  for (const [name, schema] of Object.entries(properties)) {
    const m = /^(.*)\[n\]$/.exec(name);
    if (m && key.startsWith(m[1]) && /^\d+$/.test(key.slice(m[1].length))) return schema;
  }
  return undefined;
}

function check(schema: PveSchema, value: unknown, path: string, report: SchemaReport): void {
  const types = schema.type === undefined ? [] : Array.isArray(schema.type) ? schema.type : [schema.type];
  if (types.length && !types.some((t) => typeOk(t, value))) {
    report.errors.push(`${path}: expected ${types.join('|')}, got ${JSON.stringify(value)?.slice(0, 80)}`);
    return;
  }
  if (schema.enum && !schema.enum.map(String).includes(String(value))) {
    report.errors.push(`${path}: ${JSON.stringify(value)} is not one of ${schema.enum.join(', ')}`);
  }
  if (schema.pattern !== undefined && typeof value === 'string' && !new RegExp(`^(?:${schema.pattern})$`).test(value)) {
    report.errors.push(`${path}: '${value}' does not match /${schema.pattern}/`);
  }
  if (schema.maxLength !== undefined && typeof value === 'string' && value.length > Number(schema.maxLength)) {
    report.errors.push(`${path}: longer than ${schema.maxLength}`);
  }
  if (typeof value === 'number' || (typeof value === 'string' && types.some((t) => t === 'integer' || t === 'number'))) {
    const n = Number(value);
    if (schema.minimum !== undefined && n < Number(schema.minimum)) report.errors.push(`${path}: ${n} < minimum ${schema.minimum}`);
    if (schema.maximum !== undefined && n > Number(schema.maximum)) report.errors.push(`${path}: ${n} > maximum ${schema.maximum}`);
  }
  if (Array.isArray(value) && schema.items) {
    value.forEach((item, i) => check(schema.items!, item, `${path}[${i}]`, report));
  }
  if (typeOk('object', value) && schema.properties) {
    const obj = value as Record<string, unknown>;
    for (const [name, sub] of Object.entries(schema.properties)) {
      if (name.endsWith('[n]')) continue;
      const optional = sub.optional === 1 || sub.optional === true;
      if (!(name in obj)) {
        if (!optional) report.errors.push(`${path}.${name}: required property missing`);
        continue;
      }
    }
    for (const [key, v] of Object.entries(obj)) {
      const sub = propertySchema(schema.properties, key);
      if (sub) {
        check(sub, v, `${path}.${key}`, report);
      } else if (schema.additionalProperties === 0 || schema.additionalProperties === false) {
        report.errors.push(`${path}.${key}: property not allowed by the schema (additionalProperties=0)`);
      } else if (typeof schema.additionalProperties === 'object') {
        check(schema.additionalProperties, v, `${path}.${key}`, report);
      } else if (!(schema.additionalProperties === 1 || schema.additionalProperties === true)) {
        report.extra.push(`${path}.${key}`);
      }
    }
  }
}

export function validatePve(schema: PveSchema, value: unknown, path = 'data'): SchemaReport {
  const report: SchemaReport = { errors: [], extra: [] };
  check(schema, value, path, report);
  return report;
}
